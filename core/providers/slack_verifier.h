#pragma once

// SlackVerifier: X-Slack-Signature "v0=<hex HMAC-SHA256(signing secret, "v0:<ts>:<body>")>" with
// X-Slack-Request-Timestamp, as @slack/bolt's verifySlackRequest checks it: the timestamp must
// not be older than the tolerance (a timestamp in the future passes), then the signature.

#include "core/providers/verifier.h"

namespace hookbench::providers {

class SlackVerifier final : public Verifier
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
