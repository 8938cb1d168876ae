#include "core/capture/fixture_folder_importer.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include "core/providers/provider_registry.h"
#include "core/samples/sample_event_factory.h"

using namespace Qt::StringLiterals;

namespace hookbench::capture {

namespace {

// "pull_request.opened.json" → "pull_request"; "orders.create.json" → "orders.create".
QString baseName(const QString &fileName)
{
    return QFileInfo(fileName).completeBaseName();
}

} // namespace

Result<Capture> FixtureFolderImporter::makeCapture(const QByteArray &body, const QString &fileName,
                                                   const config::SourceConfig &source, const Clock &clock)
{
    const providers::Verifier *verifier = providers::ProviderRegistry::find(source.provider);
    if (!verifier)
        return Error{u"unknown_provider"_s, u"source %1: provider %2 is unknown"_s.arg(source.name, source.provider)};
    const samples::SampleEventFactory factory(clock);
    auto event = factory.build(source);
    if (!event)
        return event.error();
    http::HttpRequest request = event->request;
    request.body = body;
    const bool form = fileName.endsWith(u".txt"_s, Qt::CaseInsensitive);
    providers::Verifier::replaceHeader(request.headers, "Content-Type",
                                       form ? QByteArray("application/x-www-form-urlencoded")
                                            : QByteArray("application/json"));
    const QString name = baseName(fileName);
    if (source.provider == u"github"_s) {
        providers::Verifier::replaceHeader(request.headers, "X-GitHub-Event", name.section(u'.', 0, 0).toUtf8());
    } else if (source.provider == u"shopify"_s) {
        // orders.create → orders/create; app.uninstalled → app/uninstalled.
        const QStringList parts = name.split(u'.');
        if (parts.size() >= 2)
            providers::Verifier::replaceHeader(request.headers, "X-Shopify-Topic",
                                               (parts.at(0) % u'/' % parts.at(1)).toUtf8());
    }
    if (source.provider != u"none"_s) {
        if (source.secrets.isEmpty())
            return Error{u"no_secret"_s, u"source %1 has no secret to sign %2 with"_s.arg(source.name, fileName)};
        verifier->bindBody(request);
        const auto signature =
            verifier->signRequest(providers::SignInput{request, source, source.secrets.constFirst(), clock.nowSecs()});
        if (!signature)
            return Error{signature.error().code, u"signing %1 for source %2 failed: %3"_s.arg(
                                                     fileName, source.name, signature.error().message)};
        for (const auto &[header, value] : *signature)
            providers::Verifier::replaceHeader(request.headers, header, value);
    }
    Capture capture;
    capture.method = "POST";
    capture.url = request.target;
    capture.headers = request.headers;
    capture.body = request.body;
    capture.timeMs = clock.nowMs();
    capture.source = source.name;
    return capture;
}

Result<ImportReport> FixtureFolderImporter::importFolder(const QString &dir, const config::SourceConfig &source,
                                                         const Clock &clock)
{
    QDir folder(dir);
    if (!folder.exists())
        return Error{u"fixtures_invalid"_s, u"%1: no such folder"_s.arg(dir)};
    if (folder.exists(source.provider) && QFileInfo(folder.filePath(source.provider)).isDir())
        folder.cd(source.provider);

    ImportReport report;
    report.origin = folder.path();
    report.format = u"fixtures"_s;
    const QFileInfoList files = folder.entryInfoList(QDir::Files, QDir::Name);
    int index = 0;
    for (const QFileInfo &info : files) {
        const QString label = folder.dirName() % u'/' % info.fileName();
        const QString suffix = info.suffix().toLower();
        if (info.fileName() == u"headers.json"_s) {
            report.skip(index++, label, u"the header index of a fixture export, not a payload"_s);
            continue;
        }
        if (suffix != u"json"_s && suffix != u"txt"_s) {
            report.skip(index++, label, u"not a payload file (.json or form-encoded .txt)"_s);
            continue;
        }
        QFile file(info.filePath());
        if (!file.open(QIODevice::ReadOnly)) {
            report.skip(index++, label, u"cannot read it: %1"_s.arg(file.errorString()));
            continue;
        }
        auto capture = makeCapture(file.readAll(), info.fileName(), source, clock);
        if (!capture)
            return capture.error();
        capture->origin = info.filePath();
        capture->entryIndex = index++;
        report.take(std::move(capture.value()), label);
    }
    if (report.captures.isEmpty())
        return Error{u"fixtures_invalid"_s,
                     u"%1: no .json or .txt payload file for provider %2"_s.arg(folder.path(), source.provider)};
    return report;
}

} // namespace hookbench::capture
