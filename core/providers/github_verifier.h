#pragma once

// GitHubVerifier: X-Hub-Signature-256 "sha256=<lowercase hex HMAC-SHA256(secret, body)>", compared
// as a whole string like @octokit/webhooks-methods verify(); the legacy X-Hub-Signature
// "sha1=<hex>" is used only when the sha256 header is absent.

#include "core/providers/verifier.h"

namespace hookbench::providers {

class GitHubVerifier final : public Verifier
{
public:
    QString name() const override;
    VerifyResult verify(const VerifyInput &input) const override;
    BodyFormat bodyFormat(const http::HttpRequest &request) const override;
    IdempotencyKey idempotencyKey(const http::HttpRequest &request, const ParsedBody &body) const override;
    QStringList defaultEntityPointers() const override;
    QByteArray entityKey(const http::HttpRequest &request, const ParsedBody &body,
                         const config::SourceConfig &source) const override;
    QString eventType(const http::HttpRequest &request, const ParsedBody &body,
                      const config::SourceConfig &source) const override;
    Result<http::HeaderList> signRequest(const SignInput &input) const override;
    Result<void> setIdempotencyKey(http::HttpRequest &request, const QByteArray &newKey) const override;
};

} // namespace hookbench::providers
