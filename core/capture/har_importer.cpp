#include "core/capture/har_importer.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

#include "core/capture/json_position.h"

using namespace Qt::StringLiterals;

namespace hookbench::capture {

namespace {

Error harError(const QString &origin, const QString &where, const QString &why)
{
    return Error{u"har_invalid"_s, u"%1: %2: %3"_s.arg(origin, where, why)};
}

// postData.params → an x-www-form-urlencoded body, in order.
QByteArray formBody(const QJsonArray &params)
{
    QByteArray out;
    for (const auto &param : params) {
        const QJsonObject p = param.toObject();
        if (!out.isEmpty())
            out += '&';
        out += QUrl::toPercentEncoding(p.value(u"name"_s).toString()) + '='
               + QUrl::toPercentEncoding(p.value(u"value"_s).toString());
    }
    return out;
}

} // namespace

Result<ImportReport> HarImporter::importFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{u"file_unreadable"_s, u"%1: cannot read the HAR file: %2"_s.arg(path, file.errorString())};
    return parse(file.readAll(), path);
}

Result<ImportReport> HarImporter::parse(const QByteArray &json, const QString &origin)
{
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return harError(origin, JsonPosition::describe(json, parseError.offset),
                        u"not JSON (%1)"_s.arg(parseError.errorString()));
    if (!doc.isObject())
        return harError(origin, u"top level"_s, u"a HAR file is a JSON object with a \"log\""_s);
    const QJsonValue log = doc.object().value(u"log"_s);
    if (!log.isObject())
        return harError(origin, u"log"_s, u"missing or not an object; is this a HAR file?"_s);
    const QJsonValue entriesValue = log.toObject().value(u"entries"_s);
    if (!entriesValue.isArray())
        return harError(origin, u"log.entries"_s, u"missing or not an array"_s);

    ImportReport report;
    report.origin = origin;
    report.format = u"har"_s;
    const QJsonArray entries = entriesValue.toArray();
    for (int i = 0; i < entries.size(); ++i) {
        const QString where = u"log.entries[%1]"_s.arg(i);
        if (!entries.at(i).isObject()) {
            report.skip(i, where, u"not an object"_s);
            continue;
        }
        const QJsonObject entry = entries.at(i).toObject();
        const QJsonObject request = entry.value(u"request"_s).toObject();
        const QString method = request.value(u"method"_s).toString();
        const QString url = request.value(u"url"_s).toString();
        if (method.isEmpty() || url.isEmpty()) {
            report.skip(i, where, u"request.method or request.url is missing"_s);
            continue;
        }
        const QString label = method % u' ' % url;

        Capture capture;
        capture.method = method.toUtf8();
        capture.url = url.toUtf8();
        capture.origin = origin;
        capture.entryIndex = i;
        const QDateTime started =
            QDateTime::fromString(entry.value(u"startedDateTime"_s).toString(), Qt::ISODateWithMs);
        capture.timeMs = started.isValid() ? started.toMSecsSinceEpoch() : 0;
        int pseudo = 0;
        bool headersOk = true;
        for (const auto &headerValue : request.value(u"headers"_s).toArray()) {
            const QJsonObject header = headerValue.toObject();
            if (!header.value(u"name"_s).isString() || !header.value(u"value"_s).isString()) {
                headersOk = false;
                break;
            }
            const QString name = header.value(u"name"_s).toString();
            if (name.startsWith(u':')) {
                ++pseudo;
                continue;
            }
            capture.headers.append({name.toUtf8(), header.value(u"value"_s).toString().toUtf8()});
        }
        if (!headersOk) {
            report.skip(i, label, u"request.headers has an entry without string name and value"_s);
            continue;
        }

        const QJsonObject postData = request.value(u"postData"_s).toObject();
        if (postData.contains(u"text"_s)) {
            const QString text = postData.value(u"text"_s).toString();
            if (postData.value(u"encoding"_s).toString() == u"base64"_s) {
                auto decoded = QByteArray::fromBase64Encoding(text.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
                if (!decoded) {
                    report.skip(i, label, u"postData.text is not valid base64 although encoding says base64"_s);
                    continue;
                }
                capture.body = *decoded;
            } else {
                capture.body = text.toUtf8();
            }
        } else if (postData.contains(u"params"_s)) {
            capture.body = formBody(postData.value(u"params"_s).toArray());
        }
        if (!postData.isEmpty() && capture.header("Content-Type").isEmpty() && postData.value(u"mimeType"_s).isString())
            capture.headers.append({"Content-Type", postData.value(u"mimeType"_s).toString().toUtf8()});

        QString reason;
        if (capture.method != "POST") {
            capture.selected = false;
            reason = u"not a webhook: %1 request"_s.arg(method);
        }
        if (pseudo > 0) {
            const QString note = u"%1 HTTP/2 pseudo header(s) dropped"_s.arg(pseudo);
            capture.notes = reason.isEmpty() ? note : reason % u"; "_s % note;
        }
        capture.source = capture.sourceFromTarget();
        report.take(std::move(capture), label, reason);
    }
    return report;
}

} // namespace hookbench::capture
