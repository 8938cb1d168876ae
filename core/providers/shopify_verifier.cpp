#include "core/providers/shopify_verifier.h"

#include "core/util/crypto.h"

using namespace Qt::StringLiterals;

namespace hookbench::providers {

QString ShopifyVerifier::name() const
{
    return u"shopify"_s;
}

VerifyResult ShopifyVerifier::verify(const VerifyInput &input) const
{
    VerifyResult result;
    const http::HttpRequest &request = input.request;
    // Same order as validateHmacFromRequest: body, then HMAC header, then the HMAC itself.
    result.received = request.header("X-Shopify-Hmac-Sha256");
    if (request.body.isEmpty())
        return reject(result, reason::emptyBody,
                      u"The body is empty; @shopify/shopify-api refuses it (missing_body)."_s);
    if (result.received.isEmpty())
        return reject(result, reason::missingSignature, u"The request has no X-Shopify-Hmac-Sha256 header."_s);
    result.signedContent = request.body;
    if (input.source.secrets.isEmpty())
        return reject(result, reason::signatureMismatch, u"The source has no secret configured."_s);
    const bool matched =
        matchSignatures(result, input.source.secrets, {result.received}, [&](const QByteArray &secret) -> QByteArray {
            return util::Crypto::hmacSha256(secret, request.body).toBase64();
        });
    if (!matched) {
        return reject(
            result, reason::signatureMismatch,
            u"X-Shopify-Hmac-Sha256 does not equal base64(HMAC-SHA256(client secret, body)) for any of the %1 secret(s) (a hex digest never matches)."_s
                .arg(input.source.secrets.size()));
    }
    // Then checkWebhookHeaders: a valid HMAC without these is still refused (missing_headers).
    QStringList missing;
    for (const char *name :
         {"X-Shopify-Topic", "X-Shopify-Shop-Domain", "X-Shopify-API-Version", "X-Shopify-Webhook-Id"}) {
        if (request.header(name).isEmpty())
            missing.append(QString::fromLatin1(name));
    }
    if (!missing.isEmpty()) {
        const int matchedSecret = result.matchedSecret;
        result = reject(result, reason::missingHeaders,
                        u"The HMAC matches secret #%1 but required header(s) are missing: %2."_s.arg(matchedSecret)
                            .arg(missing.join(u", ")));
        return result;
    }
    result.detail = u"X-Shopify-Hmac-Sha256 matches secret #%1."_s.arg(result.matchedSecret);
    return result;
}

Result<http::HeaderList> ShopifyVerifier::signRequest(const SignInput &input) const
{
    if (input.secret.isEmpty())
        return noSecretError(input);
    return http::HeaderList{
        {"X-Shopify-Hmac-Sha256", util::Crypto::hmacSha256(input.secret, input.request.body).toBase64()}};
}

Result<void> ShopifyVerifier::setIdempotencyKey(http::HttpRequest &request, const QByteArray &newKey) const
{
    replaceHeader(request.headers, "X-Shopify-Webhook-Id", newKey);
    return {};
}

BodyFormat ShopifyVerifier::bodyFormat(const http::HttpRequest &) const
{
    return BodyFormat::Json;
}

IdempotencyKey ShopifyVerifier::idempotencyKey(const http::HttpRequest &request, const ParsedBody &) const
{
    // X-Shopify-Webhook-Id is per delivery attempt series; X-Shopify-Event-Id is shared by every
    // webhook one merchant action triggers (several topics), so it is not a dedup key.
    const QByteArray id = request.header("X-Shopify-Webhook-Id");
    if (id.isEmpty())
        return {};
    return {id, u"header X-Shopify-Webhook-Id"_s};
}

QStringList ShopifyVerifier::defaultEntityPointers() const
{
    return {u"/id"_s};
}

QString ShopifyVerifier::eventType(const http::HttpRequest &request, const ParsedBody &,
                                   const config::SourceConfig &) const
{
    return QString::fromUtf8(request.header("X-Shopify-Topic"));
}

} // namespace hookbench::providers
