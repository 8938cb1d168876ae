// libFuzzer target: one provider's verifier on a hostile request — its signature header parser
// first (Stripe-Signature, X-Hub-Signature-256, X-Shopify-Hmac-Sha256, X-Slack-Signature with its
// timestamp, X-Twilio-Signature with the URL and form, webhook-signature, the generic header),
// then the idempotency key, entity key and event type it reads from headers and body.
// Built once per provider: HOOKBENCH_FUZZ_PROVIDER names it.
//
// Input: "<request-target>\n" then header lines "Name: value\n", an empty line, then the body
// (seeds come from tests/data/vectors/signatures.json, see make_corpus.py).

#include <cstddef>
#include <cstdint>

#include <QByteArray>

#include "core/config/config.h"
#include "core/http/http_request.h"
#include "core/providers/body_parser.h"
#include "core/providers/provider_registry.h"
#include "core/providers/verifier.h"

#ifndef HOOKBENCH_FUZZ_PROVIDER
#error "HOOKBENCH_FUZZ_PROVIDER must name the provider"
#endif

using namespace hookbench;

namespace {

// The secrets of the signing vectors, so that seeds verify and mutations start from accepted
// requests (deeper paths: rotation, timestamps, form parameters).
config::SourceConfig makeSource()
{
    config::SourceConfig source;
    source.name = QStringLiteral("fuzz");
    source.provider = QStringLiteral(HOOKBENCH_FUZZ_PROVIDER);
    const QByteArray provider = source.provider.toLatin1();
    if (provider == "stripe")
        source.secrets = {"whsec_hookbench_stripe_test_secret", "whsec_hookbench_stripe_OLD_secret"};
    else if (provider == "github")
        source.secrets = {"hookbench-github-secret"};
    else if (provider == "shopify")
        source.secrets = {"hookbench-shopify-client-secret"};
    else if (provider == "slack")
        source.secrets = {"8f742231b10e8888abcd99yyyzzz85a5"};
    else if (provider == "twilio") {
        source.secrets = {"12345"};
        source.publicUrl = "https://example.com/webhooks/twilio?source=hookbench";
    } else if (provider == "standard-webhooks")
        source.secrets = {"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_aG9va2JlbmNoLW9sZC1zZWNyZXQtMzItYnl0ZXMh"};
    else if (provider == "generic-hmac") {
        source.secrets = {"generic-secret"};
        source.genericHmac.prefix = "sha256=";
    }
    source.entityKeyPointer = QStringLiteral("/data/object/customer");
    return source;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const config::SourceConfig source = makeSource();
    static const providers::Verifier *verifier = providers::ProviderRegistry::find(source.provider);
    if (!verifier)
        __builtin_trap(); // the build names a provider the registry does not know

    const QByteArray input = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    http::HttpRequest request;
    request.method = "POST";
    qsizetype pos = input.indexOf('\n');
    request.target = pos < 0 ? input : input.left(pos);
    pos = pos < 0 ? input.size() : pos + 1;
    while (pos < input.size()) {
        qsizetype end = input.indexOf('\n', pos);
        if (end < 0)
            end = input.size();
        const QByteArray line = input.mid(pos, end - pos);
        pos = end + 1;
        if (line.isEmpty())
            break;
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            request.headers.append({line.left(colon), line.mid(colon + 1).trimmed()});
    }
    if (pos < input.size())
        request.body = input.mid(pos);

    const providers::VerifyResult result = verifier->verify(providers::VerifyInput{request, source, 1700000005});
    if (result.ok && result.matchedSecret < 0)
        __builtin_trap(); // accepted without saying which secret matched
    const providers::ParsedBody body = providers::BodyParser::parse(request);
    (void)verifier->idempotencyKey(request, body);
    (void)verifier->entityKey(request, body, source);
    (void)verifier->eventType(request, body, source);
    return 0;
}
