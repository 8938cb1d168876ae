#include "core/providers/provider_registry.h"

#include <array>

#include "core/providers/generic_hmac_verifier.h"
#include "core/providers/github_verifier.h"
#include "core/providers/none_verifier.h"
#include "core/providers/shopify_verifier.h"
#include "core/providers/slack_verifier.h"
#include "core/providers/standard_webhooks_verifier.h"
#include "core/providers/stripe_verifier.h"
#include "core/providers/twilio_verifier.h"

namespace hookbench::providers {

namespace {

// Function-local statics: constructed once, thread-safe, never destroyed before use ends.
const std::array<const Verifier *, 8> &all()
{
    static const StripeVerifier stripe;
    static const GitHubVerifier github;
    static const ShopifyVerifier shopify;
    static const SlackVerifier slack;
    static const TwilioVerifier twilio;
    static const StandardWebhooksVerifier standardWebhooks;
    static const GenericHmacVerifier genericHmac;
    static const NoneVerifier none;
    static const std::array<const Verifier *, 8> verifiers{&stripe, &github,           &shopify,     &slack,
                                                           &twilio, &standardWebhooks, &genericHmac, &none};
    return verifiers;
}

} // namespace

const Verifier *ProviderRegistry::find(const QString &provider)
{
    for (const Verifier *verifier : all()) {
        if (verifier->name() == provider)
            return verifier;
    }
    return nullptr;
}

QStringList ProviderRegistry::names()
{
    QStringList list;
    for (const Verifier *verifier : all())
        list.append(verifier->name());
    return list;
}

} // namespace hookbench::providers
