#include "core/providers/stripe_verifier.h"

#include "core/providers/js_compat.h"
#include "core/providers/json_field_rewriter.h"
#include "core/util/crypto.h"

using namespace Qt::StringLiterals;

namespace hookbench::providers {

namespace {

// stripe-node hashes the body after decoding it as UTF-8 text (TextDecoder: ill-formed bytes
// become U+FFFD, a leading BOM is dropped), so that is what a valid signature covers.
QByteArray signedContent(qint64 timestamp, const QByteArray &body)
{
    return QByteArray::number(timestamp) + '.' + JsCompat::utf8RoundTrip(body, true);
}

QByteArray v1Signature(const QByteArray &secret, const QByteArray &content)
{
    return util::Crypto::hmacSha256(secret, content).toHex();
}

} // namespace

QString StripeVerifier::name() const
{
    return u"stripe"_s;
}

VerifyResult StripeVerifier::verify(const VerifyInput &input) const
{
    VerifyResult result;
    const QByteArray header = input.request.header("Stripe-Signature");
    result.received = header;
    if (header.isEmpty())
        return reject(result, reason::missingSignature, u"The request has no Stripe-Signature header."_s);
    if (input.request.body.isEmpty())
        return reject(result, reason::emptyBody, u"The body is empty; stripe-node refuses an empty payload."_s);

    // stripe-node's parseHeader: split on ',' then on '=', keys compared exactly (so " v1" after a
    // space is another key), the last "t" wins, "t" is read with parseInt and only "v1" counts.
    // The signed text uses the parsed number, so "t=0170..." signs "170...".
    std::optional<qint64> timestamp = -1;
    bool sawTimestamp = false;
    QList<QByteArray> signatures;
    QStringList otherKeys;
    for (const QByteArray &item : header.split(',')) {
        const QList<QByteArray> kv = item.split('=');
        const QByteArray value = kv.size() > 1 ? kv.at(1) : QByteArray();
        if (kv.at(0) == "t") {
            timestamp = JsCompat::parseInt(value);
            sawTimestamp = true;
        } else if (kv.at(0) == "v1") {
            signatures.append(value);
        } else {
            otherKeys.append(u"\"%1\""_s.arg(QString::fromUtf8(kv.at(0))));
        }
    }
    // t=-1 is stripe-node's own "no timestamp" marker, so it fails the same way.
    if (!sawTimestamp || (timestamp && *timestamp == -1)) {
        return reject(
            result, reason::malformedSignatureHeader,
            u"Stripe-Signature has no t=<timestamp> element (stripe-node: unable to extract timestamp and signatures from header)."_s);
    }
    if (!timestamp) {
        // Deliberate difference: stripe-node would sign "NaN.<body>" and skip the tolerance check
        // for a non-numeric t; a header like that is refused here.
        return reject(result, reason::malformedSignatureHeader, u"Stripe-Signature t= is not a number."_s);
    }
    result.hasTimestamp = true;
    result.skewSeconds = input.nowSecs - *timestamp;
    if (signatures.isEmpty()) {
        return reject(
            result, reason::missingSignature,
            u"Stripe-Signature has no v1= signature (keys seen: %1); only the v1 scheme counts, and a space after a comma makes \" v1\" a different key."_s
                .arg(otherKeys.join(u", ")));
    }

    result.signedContent = signedContent(*timestamp, input.request.body);
    if (input.source.secrets.isEmpty())
        return reject(result, reason::signatureMismatch, u"The source has no secret configured."_s);
    const bool matched =
        matchSignatures(result, input.source.secrets, signatures, [&](const QByteArray &secret) -> QByteArray {
            return v1Signature(secret, result.signedContent);
        });
    if (!matched) {
        return reject(
            result, reason::signatureMismatch,
            u"None of the %1 v1 signature(s) matches HMAC-SHA256(secret, \"<t>.<body>\") for any of the %2 secret(s)."_s
                .arg(signatures.size())
                .arg(input.source.secrets.size()));
    }
    // Stripe checks age only after the signature and only into the past: a timestamp from the
    // future is accepted.
    if (input.source.toleranceSeconds > 0 && result.skewSeconds > input.source.toleranceSeconds) {
        return reject(result, reason::timestampOutOfTolerance,
                      u"The signature is valid but t=%1 is %2 s old; the tolerance is %3 s."_s.arg(*timestamp)
                          .arg(result.skewSeconds)
                          .arg(input.source.toleranceSeconds));
    }
    result.detail = u"v1 signature matches secret #%1."_s.arg(result.matchedSecret);
    return result;
}

Result<http::HeaderList> StripeVerifier::signRequest(const SignInput &input) const
{
    if (input.secret.isEmpty())
        return noSecretError(input);
    // As stripe-node's generateTestHeaderString: "t=<unix>,v1=<hex>".
    const QByteArray signature = v1Signature(input.secret, signedContent(input.nowSecs, input.request.body));
    return http::HeaderList{{"Stripe-Signature", "t=" + QByteArray::number(input.nowSecs) + ",v1=" + signature}};
}

Result<void> StripeVerifier::setIdempotencyKey(http::HttpRequest &request, const QByteArray &newKey) const
{
    // The key is the event id in the body ("/id").
    auto body = JsonFieldRewriter::setTopLevelString(request.body, u"id"_s, QString::fromUtf8(newKey));
    if (!body)
        return body.error();
    request.body = std::move(body.value());
    return {};
}

BodyFormat StripeVerifier::bodyFormat(const http::HttpRequest &) const
{
    return BodyFormat::Json;
}

IdempotencyKey StripeVerifier::idempotencyKey(const http::HttpRequest &, const ParsedBody &body) const
{
    const QByteArray id = pointerText(body, u"/id");
    if (id.isEmpty())
        return {};
    return {id, u"body /id"_s};
}

QStringList StripeVerifier::defaultEntityPointers() const
{
    // Customer-level ordering where the object belongs to a customer, else the object itself.
    return {u"/data/object/customer"_s, u"/data/object/id"_s};
}

QString StripeVerifier::eventType(const http::HttpRequest &, const ParsedBody &body, const config::SourceConfig &) const
{
    return QString::fromUtf8(pointerText(body, u"/type"));
}

} // namespace hookbench::providers
