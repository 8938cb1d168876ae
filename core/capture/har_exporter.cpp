#include "core/capture/har_exporter.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

#include "core/capture/credential_redactor.h"

using namespace Qt::StringLiterals;

namespace hookbench::capture {

QByteArray HarExporter::write(const QList<Capture> &captures, const QByteArray &baseUrl)
{
    QJsonArray entries;
    for (const Capture &capture : captures) {
        QByteArray url = capture.url;
        if (url.startsWith('/')) {
            QByteArray base = baseUrl;
            while (base.endsWith('/'))
                base.chop(1);
            url = base + url;
        }
        QJsonArray headers;
        QString mimeType;
        for (const auto &[name, value] : CredentialRedactor::redact(capture.headers)) {
            headers.append(QJsonObject{{u"name"_s, QString::fromUtf8(name)}, {u"value"_s, QString::fromUtf8(value)}});
            if (name.compare("Content-Type", Qt::CaseInsensitive) == 0 && mimeType.isEmpty())
                mimeType = QString::fromUtf8(value);
        }
        QJsonArray queryString;
        const QByteArray target = capture.target();
        if (const qsizetype q = target.indexOf('?'); q >= 0) {
            for (const QByteArray &pair : target.mid(q + 1).split('&')) {
                const qsizetype eq = pair.indexOf('=');
                queryString.append(QJsonObject{
                    {u"name"_s,
                     QString::fromUtf8(QByteArray::fromPercentEncoding(pair.left(eq < 0 ? pair.size() : eq)))},
                    {u"value"_s,
                     eq < 0 ? QString() : QString::fromUtf8(QByteArray::fromPercentEncoding(pair.mid(eq + 1)))}});
            }
        }
        QJsonObject request{{u"method"_s, QString::fromUtf8(capture.method)},
                            {u"url"_s, QString::fromUtf8(url)},
                            {u"httpVersion"_s, u"HTTP/1.1"_s},
                            {u"cookies"_s, QJsonArray()},
                            {u"headers"_s, headers},
                            {u"queryString"_s, queryString},
                            {u"headersSize"_s, -1},
                            {u"bodySize"_s, capture.body.size()}};
        if (!capture.body.isEmpty() || capture.method == "POST") {
            const bool text = QString::fromUtf8(capture.body).toUtf8() == capture.body;
            QJsonObject postData{{u"mimeType"_s, mimeType}};
            if (text) {
                postData.insert(u"text"_s, QString::fromUtf8(capture.body));
            } else {
                postData.insert(u"text"_s, QString::fromLatin1(capture.body.toBase64()));
                postData.insert(u"encoding"_s, u"base64"_s);
            }
            request.insert(u"postData"_s, postData);
        }
        const qint64 timeMs = capture.timeMs > 0 ? capture.timeMs : QDateTime::currentMSecsSinceEpoch();
        QJsonObject entry{
            {u"startedDateTime"_s, QDateTime::fromMSecsSinceEpoch(timeMs, Qt::UTC).toString(Qt::ISODateWithMs)},
            {u"time"_s, 0},
            {u"request"_s, request},
            {u"response"_s, QJsonObject{{u"status"_s, 0},
                                        {u"statusText"_s, QString()},
                                        {u"httpVersion"_s, u"HTTP/1.1"_s},
                                        {u"cookies"_s, QJsonArray()},
                                        {u"headers"_s, QJsonArray()},
                                        {u"content"_s, QJsonObject{{u"size"_s, 0}, {u"mimeType"_s, QString()}}},
                                        {u"redirectURL"_s, QString()},
                                        {u"headersSize"_s, -1},
                                        {u"bodySize"_s, -1}}},
            {u"cache"_s, QJsonObject()},
            {u"timings"_s, QJsonObject{{u"send"_s, 0}, {u"wait"_s, 0}, {u"receive"_s, 0}}}};
        if (!capture.notes.isEmpty())
            entry.insert(u"comment"_s, capture.notes);
        entries.append(entry);
    }
    const QJsonObject log{{u"version"_s, u"1.2"_s},
                          {u"creator"_s, QJsonObject{{u"name"_s, u"Hookbench"_s},
                                                     {u"version"_s, QCoreApplication::applicationVersion()}}},
                          {u"pages"_s, QJsonArray()},
                          {u"entries"_s, entries}};
    return QJsonDocument(QJsonObject{{u"log"_s, log}}).toJson(QJsonDocument::Indented);
}

} // namespace hookbench::capture
