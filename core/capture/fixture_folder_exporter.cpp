#include "core/capture/fixture_folder_exporter.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include "core/capture/credential_redactor.h"

using namespace Qt::StringLiterals;

namespace hookbench::capture {

namespace {

QString eventName(const Capture &capture)
{
    for (QByteArrayView header : {QByteArrayView("X-GitHub-Event"), QByteArrayView("X-Shopify-Topic")}) {
        const QByteArray value = capture.header(header);
        if (!value.isEmpty())
            return QString::fromUtf8(value).replace(u'/', u'.');
    }
    return capture.source.isEmpty() ? u"capture"_s : capture.source;
}

Result<void> writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(bytes) != bytes.size())
        return Error{u"export_failed"_s, u"%1: cannot write: %2"_s.arg(path, file.errorString())};
    return {};
}

} // namespace

Result<QStringList> FixtureFolderExporter::write(const QList<Capture> &captures, const QString &dir)
{
    if (!QDir().mkpath(dir))
        return Error{u"export_failed"_s, u"%1: cannot create the folder"_s.arg(dir)};
    static const QRegularExpression unsafe(u"[^A-Za-z0-9._-]"_s);
    QStringList written;
    QJsonArray index;
    for (qsizetype i = 0; i < captures.size(); ++i) {
        const Capture &capture = captures.at(i);
        const bool form = capture.header("Content-Type").startsWith("application/x-www-form-urlencoded");
        const QString name = u"%1.%2.%3"_s.arg(eventName(capture).replace(unsafe, u"_"_s))
                                 .arg(i + 1, 3, 10, QChar(u'0'))
                                 .arg(form ? u"txt"_s : u"json"_s);
        const QString path = QDir(dir).filePath(name);
        if (auto ok = writeFile(path, capture.body); !ok)
            return ok.error();
        written.append(path);
        QJsonArray headers;
        for (const auto &[header, value] : CredentialRedactor::redact(capture.headers))
            headers.append(QJsonArray{QString::fromUtf8(header), QString::fromUtf8(value)});
        index.append(QJsonObject{{u"file"_s, name},
                                 {u"method"_s, QString::fromUtf8(capture.method)},
                                 {u"target"_s, QString::fromUtf8(capture.target())},
                                 {u"source"_s, capture.source},
                                 {u"headers"_s, headers}});
    }
    const QString indexPath = QDir(dir).filePath(u"headers.json"_s);
    if (auto ok = writeFile(indexPath, QJsonDocument(index).toJson(QJsonDocument::Indented)); !ok)
        return ok.error();
    written.append(indexPath);
    return written;
}

} // namespace hookbench::capture
