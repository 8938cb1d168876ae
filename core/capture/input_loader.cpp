#include "core/capture/input_loader.h"

#include <QFile>
#include <QFileInfo>

#include "core/capture/curl_importer.h"
#include "core/capture/fixture_folder_importer.h"
#include "core/capture/har_importer.h"
#include "core/capture/session_file.h"
#include "core/capture/session_importer.h"

using namespace Qt::StringLiterals;

namespace hookbench::capture {

Result<LoadedInput> InputLoader::load(const QString &path, const config::Config &config, const QString &fixtureSource)
{
    const QFileInfo info(path);
    LoadedInput loaded;
    if (info.isDir()) {
        if (fixtureSource.isEmpty())
            return Error{u"invalid_argument"_s,
                         u"%1 is a fixture folder: name the source to sign its payloads for (--source)"_s.arg(path)};
        const config::SourceConfig *source = config.source(fixtureSource);
        if (!source)
            return Error{u"invalid_argument"_s, u"there is no source \"%1\" in the config"_s.arg(fixtureSource)};
        auto report = FixtureFolderImporter::importFolder(path, *source);
        if (!report)
            return report.error();
        loaded.report = std::move(report.value());
        return loaded;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{u"file_unreadable"_s, u"%1: cannot read: %2"_s.arg(path, file.errorString())};
    const QByteArray bytes = file.readAll();
    if (SessionFile::looksLikeSession(bytes)) {
        auto rows = SessionFile::decode(bytes, path);
        if (!rows)
            return rows.error();
        loaded.report = SessionImporter::toReport(*rows, path);
        return loaded;
    }
    if (ReplayCollection::looksLikeCollection(bytes.left(4096))) {
        auto collection = ReplayCollection::fromJson(bytes, path);
        if (!collection)
            return collection.error();
        loaded.report.origin = path;
        loaded.report.format = u"collection"_s;
        for (Capture capture : collection->captures) {
            const QString label = QString::fromUtf8(capture.method + ' ' + capture.url);
            loaded.report.take(std::move(capture), label);
        }
        loaded.options = collection->options;
        return loaded;
    }
    const QByteArray head = bytes.left(4096).trimmed();
    if (info.suffix().compare(u"har"_s, Qt::CaseInsensitive) == 0
        || (head.startsWith('{') && head.contains("\"log\""))) {
        auto report = HarImporter::parse(bytes, path);
        if (!report)
            return report.error();
        loaded.report = std::move(report.value());
        return loaded;
    }
    if (head.startsWith("curl") || head.startsWith("$ curl") || head.startsWith('#')) {
        auto report = CurlImporter::parse(bytes, path, info.absolutePath());
        if (!report)
            return report.error();
        loaded.report = std::move(report.value());
        return loaded;
    }
    return Error{u"unknown_input"_s, u"%1: not a HAR file, a Hookbench session or collection, a fixture folder or curl "
                                     "commands"_s.arg(path)};
}

} // namespace hookbench::capture
