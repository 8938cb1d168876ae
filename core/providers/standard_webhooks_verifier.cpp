#include "core/providers/standard_webhooks_verifier.h"

#include "core/providers/js_compat.h"
#include "core/util/crypto.h"

using namespace Qt::StringLiterals;

namespace hookbench::providers {

namespace {

struct Headers
{
    QByteArray id;
    QByteArray timestamp;
    QByteArray signature;
    QString brand; // "webhook" or "svix"
};

// The standardwebhooks SDK reads webhook-*; the svix SDK reads svix-* and falls back to
// webhook-* when one of its three is missing. A complete triple of either brand is used.
Headers findHeaders(const http::HttpRequest &request)
{
    for (const QByteArray &brand : {QByteArray("webhook"), QByteArray("svix")}) {
        Headers h{request.header(QByteArray(brand + "-id")), request.header(QByteArray(brand + "-timestamp")),
                  request.header(QByteArray(brand + "-signature")), QString::fromLatin1(brand)};
        if (!h.id.isEmpty() && !h.timestamp.isEmpty() && !h.signature.isEmpty())
            return h;
    }
    // Incomplete: report what the standard headers hold.
    return {request.header("webhook-id"), request.header("webhook-timestamp"), request.header("webhook-signature"),
            u"webhook"_s};
}

// new Webhook(secret): an optional "whsec_" prefix, then base64 of the key bytes.
QByteArray keyFromSecret(const QByteArray &secret)
{
    QByteArray encoded = secret;
    if (encoded.startsWith("whsec_"))
        encoded = encoded.mid(6);
    const auto decoded = QByteArray::fromBase64Encoding(encoded, QByteArray::AbortOnBase64DecodingErrors);
    return decoded ? *decoded : QByteArray();
}

QByteArray signedContent(const QByteArray &id, qint64 timestamp, const QByteArray &body)
{
    // The JavaScript SDKs sign payload.toString(): ill-formed UTF-8 becomes U+FFFD first.
    return id + '.' + QByteArray::number(timestamp) + '.' + JsCompat::utf8RoundTrip(body, false);
}

// Compared as padded base64 text: a signature without its '=' padding does not match.
QByteArray v1Base64(const QByteArray &key, const QByteArray &content)
{
    return util::Crypto::hmacSha256(key, content).toBase64();
}

// The header brand a request uses: svix-* when it carries svix-id and no webhook-id.
QByteArray brandOf(const http::HttpRequest &request)
{
    return request.hasHeader("svix-id") && !request.hasHeader("webhook-id") ? "svix" : "webhook";
}

} // namespace

QString StandardWebhooksVerifier::name() const
{
    return u"standard-webhooks"_s;
}

VerifyResult StandardWebhooksVerifier::verify(const VerifyInput &input) const
{
    VerifyResult result;
    const Headers h = findHeaders(input.request);
    result.received = h.signature;
    if (h.signature.isEmpty())
        return reject(result, reason::missingSignature,
                      u"The request has no webhook-signature (or svix-signature) header."_s);
    if (h.id.isEmpty() || h.timestamp.isEmpty()) {
        return reject(result, reason::missingHeaders,
                      u"webhook-id and webhook-timestamp (or svix-id and svix-timestamp) are both required."_s);
    }
    // parseInt, and the signed text uses the parsed number ("1700000000abc" signs "1700000000").
    const std::optional<qint64> timestamp = JsCompat::parseInt(h.timestamp);
    if (!timestamp) {
        return reject(result, reason::malformedSignatureHeader,
                      u"%1-timestamp \"%2\" is not a number."_s.arg(h.brand, QString::fromUtf8(h.timestamp)));
    }
    result.hasTimestamp = true;
    result.skewSeconds = input.nowSecs - *timestamp;
    const int tolerance = input.source.toleranceSeconds;
    if (result.skewSeconds > tolerance || -result.skewSeconds > tolerance) {
        return reject(result, reason::timestampOutOfTolerance,
                      u"%1-timestamp %2 is %3 s %4 the receiver's clock; Standard Webhooks allows ±%5 s."_s.arg(h.brand)
                          .arg(*timestamp)
                          .arg(qAbs(result.skewSeconds))
                          .arg(result.skewSeconds > 0 ? u"behind"_s : u"ahead of"_s)
                          .arg(tolerance));
    }

    // "v1,<sig> v1,<sig>": entries split on ' ', each on ',' into version and signature; only v1.
    QList<QByteArray> v1;
    bool wellFormed = false;
    for (const QByteArray &entry : h.signature.split(' ')) {
        const QList<QByteArray> parts = entry.split(',');
        if (parts.size() < 2)
            continue;
        wellFormed = true;
        if (parts.at(0) == "v1")
            v1.append(parts.at(1));
    }
    if (!wellFormed) {
        return reject(result, reason::malformedSignatureHeader,
                      u"%1-signature must be a space-separated list of <version>,<base64>."_s.arg(h.brand));
    }
    if (v1.isEmpty()) {
        return reject(result, reason::missingSignature,
                      u"%1-signature has no v1 entry; only v1 (HMAC-SHA256) is verified."_s.arg(h.brand));
    }

    result.signedContent = signedContent(h.id, *timestamp, input.request.body);
    if (input.source.secrets.isEmpty())
        return reject(result, reason::signatureMismatch, u"The source has no secret configured."_s);
    QStringList unusable;
    const bool matched = matchSignatures(result, input.source.secrets, v1, [&](const QByteArray &secret) -> QByteArray {
        const QByteArray key = keyFromSecret(secret);
        if (key.isEmpty()) {
            unusable.append(u"a secret is not whsec_<base64>"_s);
            return QByteArray();
        }
        return v1Base64(key, result.signedContent);
    });
    if (!result.expected.isEmpty())
        result.expected.prepend("v1,");
    if (!matched) {
        return reject(
            result, reason::signatureMismatch,
            u"None of the %1 v1 signature(s) matches HMAC-SHA256(base64-decoded secret, \"<id>.<timestamp>.<body>\") for any of the %2 secret(s)%3."_s
                .arg(v1.size())
                .arg(input.source.secrets.size())
                .arg(unusable.isEmpty() ? QString() : u" ("_s + unusable.constFirst() + u')'));
    }
    result.detail = u"v1 signature matches secret #%1 (%2-* headers)."_s.arg(result.matchedSecret).arg(h.brand);
    return result;
}

Result<http::HeaderList> StandardWebhooksVerifier::signRequest(const SignInput &input) const
{
    if (input.secret.isEmpty())
        return noSecretError(input);
    const QByteArray key = keyFromSecret(input.secret);
    if (key.isEmpty()) {
        return Error{
            u"unsupported"_s,
            u"source %1: the secret is not whsec_<base64>, so there is no key to sign with"_s.arg(input.source.name)};
    }
    const QByteArray brand = brandOf(input.request);
    const QByteArray id = input.request.header(QByteArray(brand + "-id"));
    if (id.isEmpty()) {
        return Error{u"unsupported"_s, u"the request has no %1-id header; the signature covers the message id"_s.arg(
                                           QString::fromLatin1(brand))};
    }
    const QByteArray signature = "v1," + v1Base64(key, signedContent(id, input.nowSecs, input.request.body));
    return http::HeaderList{{brand + "-id", id},
                            {brand + "-timestamp", QByteArray::number(input.nowSecs)},
                            {brand + "-signature", signature}};
}

Result<void> StandardWebhooksVerifier::setIdempotencyKey(http::HttpRequest &request, const QByteArray &newKey) const
{
    // The message id is the key and part of the signed content: sign again afterwards.
    replaceHeader(request.headers, QByteArray(brandOf(request) + "-id"), newKey);
    return {};
}

BodyFormat StandardWebhooksVerifier::bodyFormat(const http::HttpRequest &) const
{
    return BodyFormat::Json;
}

IdempotencyKey StandardWebhooksVerifier::idempotencyKey(const http::HttpRequest &request, const ParsedBody &) const
{
    if (const QByteArray id = request.header("webhook-id"); !id.isEmpty())
        return {id, u"header webhook-id"_s};
    if (const QByteArray id = request.header("svix-id"); !id.isEmpty())
        return {id, u"header svix-id"_s};
    return {};
}

QStringList StandardWebhooksVerifier::defaultEntityPointers() const
{
    return {u"/data/id"_s};
}

QString StandardWebhooksVerifier::eventType(const http::HttpRequest &, const ParsedBody &body,
                                            const config::SourceConfig &) const
{
    return QString::fromUtf8(pointerText(body, u"/type"));
}

} // namespace hookbench::providers
