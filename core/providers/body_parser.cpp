#include "core/providers/body_parser.h"

#include <QJsonParseError>

#include "core/providers/js_compat.h"

namespace hookbench::providers {

namespace {

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

QString decodeComponent(QByteArrayView raw)
{
    QByteArray bytes;
    bytes.reserve(raw.size());
    for (qsizetype i = 0; i < raw.size(); ++i) {
        const char c = raw[i];
        if (c == '+') {
            bytes.append(' ');
        } else if (c == '%' && i + 2 < raw.size() && hexValue(raw[i + 1]) >= 0 && hexValue(raw[i + 2]) >= 0) {
            bytes.append(static_cast<char>(hexValue(raw[i + 1]) * 16 + hexValue(raw[i + 2])));
            i += 2;
        } else {
            bytes.append(c);
        }
    }
    // Same replacement rules as Node's UTF-8 decoder, so keys match what the SDKs see.
    return QString::fromUtf8(JsCompat::utf8RoundTrip(bytes, false));
}

} // namespace

ParsedBody BodyParser::parse(const http::HttpRequest &request)
{
    ParsedBody parsed;
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &error);
    if (error.error == QJsonParseError::NoError && (document.isObject() || document.isArray())) {
        parsed.isJson = true;
        parsed.json = document;
    }
    if (isFormContentType(request)) {
        parsed.isForm = true;
        parsed.form = parseForm(request.body);
    }
    return parsed;
}

QList<QPair<QString, QString>> BodyParser::parseForm(QByteArrayView body)
{
    QList<QPair<QString, QString>> params;
    qsizetype begin = 0;
    while (begin <= body.size()) {
        qsizetype end = body.indexOf('&', begin);
        if (end < 0)
            end = body.size();
        const QByteArrayView pair = body.sliced(begin, end - begin);
        if (!pair.isEmpty()) {
            const qsizetype eq = pair.indexOf('=');
            if (eq < 0)
                params.append({decodeComponent(pair), QString()});
            else
                params.append({decodeComponent(pair.first(eq)), decodeComponent(pair.sliced(eq + 1))});
        }
        begin = end + 1;
    }
    return params;
}

QByteArray BodyParser::mediaType(const http::HttpRequest &request)
{
    QByteArray type = request.header("Content-Type");
    const qsizetype semicolon = type.indexOf(';');
    if (semicolon >= 0)
        type.truncate(semicolon);
    return type.trimmed().toLower();
}

bool BodyParser::isJsonContentType(const http::HttpRequest &request)
{
    const QByteArray type = mediaType(request);
    return type == "application/json" || type.endsWith("+json");
}

bool BodyParser::isFormContentType(const http::HttpRequest &request)
{
    return mediaType(request) == "application/x-www-form-urlencoded";
}

} // namespace hookbench::providers
