#include "core/providers/github_verifier.h"

#include "core/providers/body_parser.h"
#include "core/util/crypto.h"

#include <QJsonParseError>

using namespace Qt::StringLiterals;

namespace hookbench::providers {

namespace {

// With content type application/x-www-form-urlencoded GitHub sends the JSON document in the
// "payload" form parameter; keys are read from that document.
ParsedBody jsonView(const ParsedBody &body)
{
    if (body.isJson || !body.isForm)
        return body;
    ParsedBody view = body;
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(Verifier::formValue(body, u"payload").toUtf8(), &error);
    if (error.error == QJsonParseError::NoError && (document.isObject() || document.isArray())) {
        view.isJson = true;
        view.json = document;
    }
    return view;
}

} // namespace

QString GitHubVerifier::name() const
{
    return u"github"_s;
}

VerifyResult GitHubVerifier::verify(const VerifyInput &input) const
{
    VerifyResult result;
    const http::HttpRequest &request = input.request;
    QByteArray headerName = "X-Hub-Signature-256";
    QByteArray prefix = "sha256=";
    util::HashAlgorithm algorithm = util::HashAlgorithm::Sha256;
    if (!request.hasHeader(headerName) && request.hasHeader("X-Hub-Signature")) {
        headerName = "X-Hub-Signature";
        prefix = "sha1=";
        algorithm = util::HashAlgorithm::Sha1;
    }
    result.received = request.header(headerName);
    const QString header = QString::fromLatin1(headerName);
    if (result.received.isEmpty())
        return reject(result, reason::missingSignature,
                      u"The request has neither X-Hub-Signature-256 nor X-Hub-Signature."_s);
    if (request.body.isEmpty())
        return reject(result, reason::emptyBody,
                      u"The body is empty; @octokit/webhooks-methods refuses an empty payload."_s);
    if (!result.received.startsWith(prefix)) {
        return reject(
            result, reason::malformedSignatureHeader,
            u"%1 must start with \"%2\" followed by lowercase hex."_s.arg(header, QString::fromLatin1(prefix)));
    }
    result.signedContent = request.body;
    if (input.source.secrets.isEmpty())
        return reject(result, reason::signatureMismatch, u"The source has no secret configured."_s);
    // The whole header value is compared with "sha256=" + lowercase hex, as octokit does: an
    // uppercase digest does not match.
    const bool matched =
        matchSignatures(result, input.source.secrets, {result.received}, [&](const QByteArray &secret) -> QByteArray {
            return prefix + util::Crypto::hmac(algorithm, secret, request.body).toHex();
        });
    if (!matched) {
        return reject(result, reason::signatureMismatch,
                      u"%1 does not match HMAC-%2(secret, body) for any of the %3 secret(s)."_s
                          .arg(header, algorithm == util::HashAlgorithm::Sha1 ? u"SHA1"_s : u"SHA256"_s)
                          .arg(input.source.secrets.size()));
    }
    result.detail = u"%1 matches secret #%2."_s.arg(header).arg(result.matchedSecret);
    return result;
}

Result<http::HeaderList> GitHubVerifier::signRequest(const SignInput &input) const
{
    if (input.secret.isEmpty())
        return noSecretError(input);
    http::HeaderList headers{
        {"X-Hub-Signature-256", "sha256=" + util::Crypto::hmacSha256(input.secret, input.request.body).toHex()}};
    // GitHub still sends the legacy header to hooks that have it; a replay keeps the same shape.
    if (input.request.hasHeader("X-Hub-Signature"))
        headers.append({"X-Hub-Signature", "sha1=" + util::Crypto::hmacSha1(input.secret, input.request.body).toHex()});
    return headers;
}

Result<void> GitHubVerifier::setIdempotencyKey(http::HttpRequest &request, const QByteArray &newKey) const
{
    replaceHeader(request.headers, "X-GitHub-Delivery", newKey);
    return {};
}

BodyFormat GitHubVerifier::bodyFormat(const http::HttpRequest &request) const
{
    // A webhook may be configured with content type application/x-www-form-urlencoded, in which
    // case the JSON sits in a "payload" form parameter.
    return BodyParser::isFormContentType(request) ? BodyFormat::Form : BodyFormat::Json;
}

IdempotencyKey GitHubVerifier::idempotencyKey(const http::HttpRequest &request, const ParsedBody &) const
{
    const QByteArray delivery = request.header("X-GitHub-Delivery");
    if (delivery.isEmpty())
        return {};
    return {delivery, u"header X-GitHub-Delivery"_s};
}

QStringList GitHubVerifier::defaultEntityPointers() const
{
    // Organization-level events (no repository) fall back to the organization.
    return {u"/repository/full_name"_s, u"/organization/login"_s};
}

QByteArray GitHubVerifier::entityKey(const http::HttpRequest &request, const ParsedBody &body,
                                     const config::SourceConfig &source) const
{
    return Verifier::entityKey(request, jsonView(body), source);
}

QString GitHubVerifier::eventType(const http::HttpRequest &request, const ParsedBody &body,
                                  const config::SourceConfig &) const
{
    const QString event = QString::fromUtf8(request.header("X-GitHub-Event"));
    const QString action = QString::fromUtf8(pointerText(jsonView(body), u"/action"));
    if (event.isEmpty())
        return action;
    return action.isEmpty() ? event : event + u'.' + action;
}

} // namespace hookbench::providers
