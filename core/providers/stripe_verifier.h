#pragma once

// StripeVerifier: Stripe-Signature "t=<unix>,v1=<hex>[,v1=<hex>...]", HMAC-SHA256 keyed with the
// whole "whsec_..." secret over "<t>.<body>", as stripe-node's webhooks.constructEvent does it,
// including its parsing quirks (see stripe_verifier.cpp).

#include "core/providers/verifier.h"

namespace hookbench::providers {

class StripeVerifier final : public Verifier
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
