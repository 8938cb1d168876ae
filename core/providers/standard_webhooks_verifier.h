#pragma once

// StandardWebhooksVerifier: the Standard Webhooks scheme (and Svix, which it came from):
// webhook-id / webhook-timestamp / webhook-signature "v1,<base64> v1,<base64>", HMAC-SHA256 keyed
// with the base64-decoded part after "whsec_" over "<id>.<timestamp>.<body>", timestamp within
// ±tolerance. Like the svix SDK, svix-id / svix-timestamp / svix-signature are accepted too.

#include "core/providers/verifier.h"

namespace hookbench::providers {

class StandardWebhooksVerifier final : public Verifier
{
public:
    QString name() const override;
    VerifyResult verify(const VerifyInput &input) const override;
    BodyFormat bodyFormat(const http::HttpRequest &request) const override;
    IdempotencyKey idempotencyKey(const http::HttpRequest &request, const ParsedBody &body) const override;
    QStringList defaultEntityPointers() const override;
    QString eventType(const http::HttpRequest &request, const ParsedBody &body,
                      const config::SourceConfig &source) const override;
    Result<http::HeaderList> signRequest(const SignInput &input) const override;
    Result<void> setIdempotencyKey(http::HttpRequest &request, const QByteArray &newKey) const override;
};

} // namespace hookbench::providers
