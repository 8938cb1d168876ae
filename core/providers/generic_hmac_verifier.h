#pragma once

// GenericHmacVerifier: for senders with a plain "HMAC of the body in a header" scheme, configured
// per source (SourceConfig::genericHmac): header name, sha1|sha256, hex|base64, optional prefix
// such as "sha256=". No timestamp, so no replay protection beyond deduplication.

#include "core/providers/verifier.h"

namespace hookbench::providers {

class GenericHmacVerifier final : public Verifier
{
public:
    QString name() const override;
    VerifyResult verify(const VerifyInput &input) const override;
    Result<http::HeaderList> signRequest(const SignInput &input) const override;

    // The header value a sender puts on body with secret under config (prefix included).
    static QByteArray sign(const config::GenericHmacConfig &config, const QByteArray &secret, const QByteArray &body);
};

} // namespace hookbench::providers
