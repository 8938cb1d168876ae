#pragma once

// ShopifyVerifier: X-Shopify-Hmac-Sha256 = base64 HMAC-SHA256(client secret, body), compared as
// the padded base64 string, then the delivery headers that @shopify/shopify-api's
// webhooks.validate() requires (topic, shop domain, API version, webhook id).

#include "core/providers/verifier.h"

namespace hookbench::providers {

class ShopifyVerifier final : public Verifier
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
