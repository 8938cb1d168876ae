#include "core/providers/slack_verifier.h"

#include "core/providers/body_parser.h"
#include "core/providers/js_compat.h"
#include "core/providers/json_field_rewriter.h"
#include "core/util/crypto.h"

using namespace Qt::StringLiterals;

namespace hookbench::providers {

namespace {

QByteArray signedContent(qint64 timestamp, const QByteArray &body)
{
    return "v0:" + QByteArray::number(timestamp) + ':' + body;
}

QByteArray v0Hex(const QByteArray &secret, const QByteArray &content)
{
    return util::Crypto::hmacSha256(secret, content).toHex();
}

} // namespace

QString SlackVerifier::name() const
{
    return u"slack"_s;
}

VerifyResult SlackVerifier::verify(const VerifyInput &input) const
{
    VerifyResult result;
    const http::HttpRequest &request = input.request;
    result.received = request.header("X-Slack-Signature");
    const QByteArray timestampHeader = request.header("X-Slack-Request-Timestamp");
    if (result.received.isEmpty())
        return reject(result, reason::missingSignature, u"The request has no X-Slack-Signature header."_s);
    if (timestampHeader.isEmpty())
        return reject(result, reason::missingHeaders, u"The request has no X-Slack-Request-Timestamp header."_s);
    // Bolt reads the header with parseInt and signs the number it got.
    const std::optional<qint64> timestamp = JsCompat::parseInt(timestampHeader);
    if (!timestamp) {
        return reject(result, reason::malformedSignatureHeader,
                      u"X-Slack-Request-Timestamp \"%1\" is not a number."_s.arg(QString::fromUtf8(timestampHeader)));
    }
    result.hasTimestamp = true;
    result.skewSeconds = input.nowSecs - *timestamp;
    if (input.source.toleranceSeconds > 0 && result.skewSeconds > input.source.toleranceSeconds) {
        return reject(result, reason::timestampOutOfTolerance,
                      u"X-Slack-Request-Timestamp %1 is %2 s old; the tolerance is %3 s."_s.arg(*timestamp)
                          .arg(result.skewSeconds)
                          .arg(input.source.toleranceSeconds));
    }
    // Bolt: signature.split('=') gives [version, hash]; only v0 is known.
    const QList<QByteArray> parts = result.received.split('=');
    if (parts.at(0) != "v0" || parts.size() < 2) {
        return reject(result, reason::malformedSignatureHeader,
                      u"X-Slack-Signature must look like v0=<hex>; the version \"%1\" is unknown."_s.arg(
                          QString::fromUtf8(parts.at(0))));
    }
    result.signedContent = signedContent(*timestamp, request.body);
    if (input.source.secrets.isEmpty())
        return reject(result, reason::signatureMismatch, u"The source has no secret configured."_s);
    const bool matched =
        matchSignatures(result, input.source.secrets, {parts.at(1)},
                        [&](const QByteArray &secret) -> QByteArray { return v0Hex(secret, result.signedContent); });
    result.expected = "v0=" + result.expected;
    if (!matched) {
        return reject(
            result, reason::signatureMismatch,
            u"X-Slack-Signature does not match HMAC-SHA256(signing secret, \"v0:<ts>:<body>\") for any of the %1 secret(s)."_s
                .arg(input.source.secrets.size()));
    }
    result.detail = u"v0 signature matches secret #%1."_s.arg(result.matchedSecret);
    return result;
}

Result<http::HeaderList> SlackVerifier::signRequest(const SignInput &input) const
{
    if (input.secret.isEmpty())
        return noSecretError(input);
    const QByteArray timestamp = QByteArray::number(input.nowSecs);
    return http::HeaderList{
        {"X-Slack-Request-Timestamp", timestamp},
        {"X-Slack-Signature", "v0=" + v0Hex(input.secret, signedContent(input.nowSecs, input.request.body))}};
}

Result<void> SlackVerifier::setIdempotencyKey(http::HttpRequest &request, const QByteArray &newKey) const
{
    // Events API: the key is the body's event_id. Slash commands key on trigger_id, which Slack
    // mints per invocation; rewriting a form body is left to an explicit body edit.
    if (BodyParser::isFormContentType(request)) {
        return Error{u"unsupported"_s,
                     u"slack form bodies (slash commands, interactivity) are keyed on trigger_id; edit the body to "
                     "change it"_s};
    }
    auto body = JsonFieldRewriter::setTopLevelString(request.body, u"event_id"_s, QString::fromUtf8(newKey));
    if (!body)
        return body.error();
    request.body = std::move(body.value());
    return {};
}

BodyFormat SlackVerifier::bodyFormat(const http::HttpRequest &request) const
{
    // Events API posts JSON; slash commands and interactivity post forms.
    return BodyParser::isJsonContentType(request) ? BodyFormat::Json : BodyFormat::Form;
}

IdempotencyKey SlackVerifier::idempotencyKey(const http::HttpRequest &, const ParsedBody &body) const
{
    // Events API retries (X-Slack-Retry-Num) repeat event_id; slash commands carry a trigger_id
    // unique per invocation. url_verification has neither: the body hash is used.
    if (const QByteArray id = pointerText(body, u"/event_id"); !id.isEmpty() && body.isJson)
        return {id, u"body /event_id"_s};
    if (const QString trigger = formValue(body, u"trigger_id"); !trigger.isEmpty())
        return {trigger.toUtf8(), u"form trigger_id"_s};
    return {};
}

QStringList SlackVerifier::defaultEntityPointers() const
{
    // A one-token pointer also reads the form parameter of the same name (slash commands).
    return {u"/team_id"_s};
}

QString SlackVerifier::eventType(const http::HttpRequest &, const ParsedBody &body, const config::SourceConfig &) const
{
    if (const QByteArray inner = pointerText(body, u"/event/type"); !inner.isEmpty())
        return QString::fromUtf8(inner);
    if (body.isForm && !body.isJson) {
        if (const QString command = formValue(body, u"command"); !command.isEmpty())
            return command;
    }
    return QString::fromUtf8(pointerText(body, u"/type"));
}

} // namespace hookbench::providers
