#include "core/providers/twilio_verifier.h"

#include <algorithm>

#include "core/providers/body_parser.h"
#include "core/util/crypto.h"

using namespace Qt::StringLiterals;

namespace hookbench::providers {

namespace {

struct UrlParts
{
    QByteArray scheme;   // lowercase, without "://"
    QByteArray userinfo; // with its trailing '@', or empty
    QByteArray host;     // lowercase
    QByteArray port;     // empty when absent or the scheme's default
    QByteArray rest;     // path (at least "/"), query and fragment, percent-encoded
};

QByteArray defaultPort(const QByteArray &scheme)
{
    return scheme == "https" ? "443" : "80";
}

// Bytes the WHATWG URL serialiser percent-encodes in a path / query / fragment of an http(s) URL.
bool mustEncode(unsigned char c, char part)
{
    if (c <= 0x20 || c >= 0x7F || c == '"' || c == '<' || c == '>')
        return true;
    switch (part) {
    case 'p': return c == '`' || c == '{' || c == '}';
    case 'q': return c == '\'';
    default: return c == '`';
    }
}

QByteArray encodeRest(QByteArrayView rest)
{
    QByteArray out;
    char part = 'p';
    for (const char ch : rest) {
        const auto c = static_cast<unsigned char>(ch);
        if (part == 'p' && c == '?') {
            part = 'q';
            out.append('?');
        } else if (part != 'f' && c == '#') {
            part = 'f';
            out.append('#');
        } else if (part == 'p' && c == '\\') {
            out.append('/'); // a backslash is a path separator in http(s) URLs
        } else if (mustEncode(c, part)) {
            out.append('%').append(QByteArray::number(c, 16).toUpper().rightJustified(2, '0'));
        } else {
            out.append(static_cast<char>(c));
        }
    }
    if (out.isEmpty() || out.front() != '/')
        out.prepend('/');
    return out;
}

UrlParts parseUrl(QByteArrayView url)
{
    UrlParts parts;
    const qsizetype schemeEnd = url.indexOf("://");
    QByteArrayView rest = url;
    if (schemeEnd > 0) {
        parts.scheme = url.first(schemeEnd).toByteArray().toLower();
        rest = url.sliced(schemeEnd + 3);
    }
    qsizetype authorityEnd = rest.size();
    for (const char stop : {'/', '?', '#'}) {
        const qsizetype at = rest.indexOf(stop);
        if (at >= 0 && at < authorityEnd)
            authorityEnd = at;
    }
    QByteArrayView authority = rest.first(authorityEnd);
    if (const qsizetype at = authority.lastIndexOf('@'); at >= 0) {
        parts.userinfo = authority.first(at + 1).toByteArray();
        authority = authority.sliced(at + 1);
    }
    qsizetype colon = authority.lastIndexOf(':');
    if (colon >= 0 && authority.indexOf(']', colon) >= 0)
        colon = -1; // the colon belongs to an IPv6 literal
    if (colon >= 0) {
        QByteArray port = authority.sliced(colon + 1).toByteArray();
        while (port.size() > 1 && port.front() == '0')
            port.remove(0, 1);
        parts.port = port == defaultPort(parts.scheme) ? QByteArray() : port;
        authority = authority.first(colon);
    }
    parts.host = authority.toByteArray().toLower();
    parts.rest = encodeRest(rest.sliced(authorityEnd));
    return parts;
}

QByteArray serialise(const UrlParts &parts, const QByteArray &port)
{
    QByteArray url = parts.scheme + "://" + parts.userinfo + parts.host;
    if (!port.isEmpty())
        url += ':' + port;
    return url + parts.rest;
}

QByteArray queryParam(QByteArrayView url, QStringView name)
{
    const qsizetype q = url.indexOf('?');
    if (q < 0)
        return {};
    QByteArrayView query = url.sliced(q + 1);
    if (const qsizetype hash = query.indexOf('#'); hash >= 0)
        query = query.first(hash);
    for (const auto &[key, value] : BodyParser::parseForm(query)) {
        if (key == name)
            return value.toUtf8();
    }
    return {};
}

} // namespace

QString TwilioVerifier::name() const
{
    return u"twilio"_s;
}

QByteArray TwilioVerifier::signedUrl(const http::HttpRequest &request, const config::SourceConfig &source)
{
    if (source.publicUrl.isEmpty())
        return "http://" + request.header("Host") + request.target;
    QByteArray url = source.publicUrl;
    const QByteArray query = request.query();
    if (query.isEmpty())
        return url;
    if (const qsizetype hash = url.indexOf('#'); hash >= 0)
        url.truncate(hash);
    if (const qsizetype q = url.indexOf('?'); q >= 0)
        url.truncate(q);
    return url + '?' + query;
}

QList<QByteArray> TwilioVerifier::urlCandidates(QByteArrayView url)
{
    const UrlParts parts = parseUrl(url);
    return {serialise(parts, {}), serialise(parts, parts.port.isEmpty() ? defaultPort(parts.scheme) : parts.port)};
}

QByteArray TwilioVerifier::signingString(QByteArrayView url, const QList<QPair<QString, QString>> &params)
{
    // Object.keys().sort() and Array.sort() compare UTF-16 code units, as QString's operator< does.
    QStringList names;
    for (const auto &param : params)
        names.append(param.first);
    names.sort();
    names.removeDuplicates();
    QString data = QString::fromUtf8(url);
    for (const QString &name : names) {
        QStringList values;
        for (const auto &[key, value] : params) {
            if (key == name)
                values.append(value);
        }
        values.sort();
        values.removeDuplicates();
        for (const QString &value : values)
            data += name + value;
    }
    return data.toUtf8();
}

VerifyResult TwilioVerifier::verify(const VerifyInput &input) const
{
    VerifyResult result;
    const http::HttpRequest &request = input.request;
    result.received = request.header("X-Twilio-Signature");
    if (result.received.isEmpty())
        return reject(result, reason::missingSignature, u"The request has no X-Twilio-Signature header."_s);

    const QByteArray url = signedUrl(request, input.source);
    const QList<QByteArray> candidates = urlCandidates(url);
    const QByteArray bodyHash = queryParam(url, u"bodySHA256");
    // twilio-node chooses body-hash validation when the URL carries bodySHA256.
    const bool jsonMode = !bodyHash.isEmpty();
    QList<QPair<QString, QString>> params;
    if (!jsonMode) {
        if (BodyParser::isFormContentType(request)) {
            params = BodyParser::parseForm(request.body);
        } else if (!request.body.isEmpty()) {
            // Twilio always adds bodySHA256 for a non-form body; without it nothing would cover
            // the body, so such a request is refused.
            result.signedContent = signingString(candidates.constFirst(), {});
            return reject(
                result, reason::signatureMismatch,
                u"The body is not form-encoded and the URL %1 has no bodySHA256 parameter, so the signature would not cover the body."_s
                    .arg(QString::fromUtf8(url)));
        }
    }

    result.signedContent = signingString(candidates.constFirst(), params);
    if (input.source.secrets.isEmpty())
        return reject(result, reason::signatureMismatch, u"The source has no secret configured."_s);
    result.matchedSecret = -1;
    for (qsizetype i = 0; i < input.source.secrets.size(); ++i) {
        const QByteArray &token = input.source.secrets.at(i);
        for (const QByteArray &candidate : candidates) {
            const QByteArray expected = util::Crypto::hmacSha1(token, signingString(candidate, params)).toBase64();
            if (result.expected.isEmpty())
                result.expected = expected;
            if (util::Crypto::constantTimeEquals(result.received, expected) && result.matchedSecret < 0)
                result.matchedSecret = static_cast<int>(i);
        }
    }
    if (result.matchedSecret < 0) {
        return reject(
            result, reason::signatureMismatch,
            u"X-Twilio-Signature does not match HMAC-SHA1(auth token, URL%1) for URL %2 or %3 with any of the %4 token(s); "
            "behind a proxy or tunnel set the source's public_url to the URL configured in Twilio."_s
                .arg(jsonMode ? QString() : u" + sorted form parameters"_s, QString::fromUtf8(candidates.at(0)),
                     QString::fromUtf8(candidates.at(1)))
                .arg(input.source.secrets.size()));
    }
    if (jsonMode) {
        const QByteArray actual = util::Crypto::sha256Hex(request.body);
        if (!util::Crypto::constantTimeEquals(bodyHash, actual)) {
            const int matchedSecret = result.matchedSecret;
            return reject(
                result, reason::signatureMismatch,
                u"The URL signature matches token #%1 but bodySHA256=%2 in the URL is not the SHA-256 of the body (%3)."_s
                    .arg(matchedSecret)
                    .arg(QString::fromUtf8(bodyHash), QString::fromLatin1(actual)));
        }
    }
    result.ok = true;
    result.detail = u"X-Twilio-Signature matches token #%1%2."_s.arg(result.matchedSecret)
                        .arg(jsonMode ? u" and bodySHA256 matches the body"_s : QString());
    return result;
}

Result<http::HeaderList> TwilioVerifier::signRequest(const SignInput &input) const
{
    if (input.secret.isEmpty())
        return noSecretError(input);
    const http::HttpRequest &request = input.request;
    const QByteArray url = signedUrl(request, input.source);
    QList<QPair<QString, QString>> params;
    // The same choice as verify(): a URL carrying bodySHA256 is signed alone, whatever the body.
    const QByteArray bodyHash = queryParam(url, u"bodySHA256");
    if (bodyHash.isEmpty() && BodyParser::isFormContentType(request)) {
        params = BodyParser::parseForm(request.body);
    } else if (!request.body.isEmpty()) {
        // twilio-node's validateRequestWithBody: the URL alone is signed and its bodySHA256
        // parameter covers the body, so it has to be the body's hash (see bindBody()).
        if (!util::Crypto::constantTimeEquals(bodyHash, util::Crypto::sha256Hex(request.body))) {
            return Error{u"unsupported"_s,
                         u"the signed URL %1 has no bodySHA256 parameter equal to the SHA-256 of the body, so a "
                         "signature would not cover the body"_s.arg(QString::fromUtf8(url))};
        }
    }
    // Twilio signs the URL as configured; the normalised form without a port is what it sends for
    // a default port, and verify() accepts either form.
    const QByteArray signature =
        util::Crypto::hmacSha1(input.secret, signingString(urlCandidates(url).constFirst(), params)).toBase64();
    return http::HeaderList{{"X-Twilio-Signature", signature}};
}

Result<void> TwilioVerifier::setIdempotencyKey(http::HttpRequest &request, const QByteArray &newKey) const
{
    // The header wins over any body-derived key (see idempotencyKey()).
    replaceHeader(request.headers, "I-Twilio-Idempotency-Token", newKey);
    return {};
}

void TwilioVerifier::bindBody(http::HttpRequest &request) const
{
    // A form body is covered by its parameters, unless the URL already carries bodySHA256
    // (verify() then checks the body's hash instead): that one is set to the body's hash too.
    if (request.body.isEmpty()
        || (BodyParser::isFormContentType(request) && queryParam(request.target, u"bodySHA256").isEmpty()))
        return;
    const QByteArray param = "bodySHA256=" + util::Crypto::sha256Hex(request.body);
    const QByteArray path = request.path();
    QList<QByteArray> items;
    bool replaced = false;
    for (const QByteArray &item : request.query().split('&')) {
        if (item.isEmpty())
            continue;
        if (item.startsWith("bodySHA256=") || item == "bodySHA256") {
            if (!replaced)
                items.append(param);
            replaced = true;
        } else {
            items.append(item);
        }
    }
    if (!replaced)
        items.append(param);
    request.target = path + '?' + items.join('&');
}

BodyFormat TwilioVerifier::bodyFormat(const http::HttpRequest &request) const
{
    return BodyParser::isJsonContentType(request) ? BodyFormat::Json : BodyFormat::Form;
}

IdempotencyKey TwilioVerifier::idempotencyKey(const http::HttpRequest &request, const ParsedBody &body) const
{
    if (const QByteArray token = request.header("I-Twilio-Idempotency-Token"); !token.isEmpty())
        return {token, u"header I-Twilio-Idempotency-Token"_s};
    if (body.isJson) {
        // Event Streams deliver CloudEvents, whose id is unique per event.
        if (const QByteArray id = pointerText(body, u"/id"); !id.isEmpty())
            return {id, u"body /id"_s};
        return {};
    }
    // Every status callback of one message (queued, sent, delivered, ...) carries the same
    // MessageSid, and so do those of one call with CallSid: keyed on the sid alone, everything
    // after the first callback would be dropped as a duplicate. The pair (sid, status) names one
    // callback, and a retry of that callback repeats it.
    for (const auto &[sid, status] :
         {std::pair{u"MessageSid"_s, u"MessageStatus"_s}, std::pair{u"CallSid"_s, u"CallStatus"_s}}) {
        const QString sidValue = formValue(body, sid);
        if (sidValue.isEmpty())
            continue;
        return {(sidValue + u':' + formValue(body, status)).toUtf8(), u"form %1+%2"_s.arg(sid, status)};
    }
    return {};
}

QStringList TwilioVerifier::defaultEntityPointers() const
{
    // Event Streams (CloudEvents JSON): messaging events name the message, Verify events the
    // verification.
    return {u"/data/messageSid"_s, u"/data/message_sid"_s, u"/data/verification_sid"_s, u"/data/callSid"_s};
}

QByteArray TwilioVerifier::entityKey(const http::HttpRequest &request, const ParsedBody &body,
                                     const config::SourceConfig &source) const
{
    if (source.entityKeyPointer.isEmpty() && !body.isJson) {
        for (const auto name : {u"MessageSid", u"CallSid"}) {
            if (const QString value = formValue(body, QStringView(name)); !value.isEmpty())
                return value.toUtf8();
        }
        return {};
    }
    return Verifier::entityKey(request, body, source);
}

QString TwilioVerifier::eventType(const http::HttpRequest &, const ParsedBody &body, const config::SourceConfig &) const
{
    if (body.isJson)
        return QString::fromUtf8(pointerText(body, u"/type"));
    for (const auto name : {u"MessageStatus", u"CallStatus"}) {
        if (const QString value = formValue(body, QStringView(name)); !value.isEmpty())
            return value;
    }
    return {};
}

} // namespace hookbench::providers
