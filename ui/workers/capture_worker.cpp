#include "ui/workers/capture_worker.h"

#include <QFile>

#include "core/capture/capture_signer.h"
#include "core/capture/curl_exporter.h"
#include "core/capture/fixture_folder_exporter.h"
#include "core/capture/har_exporter.h"
#include "core/capture/journal_export.h"
#include "core/capture/session_file.h"

using namespace Qt::StringLiterals;

namespace hookbench::ui {

CaptureWorker::CaptureWorker(config::Config config, QString databasePath, store::JournalWriter *writer)
    : m_config(std::move(config))
    , m_databasePath(std::move(databasePath))
    , m_writer(writer)
{}

template <typename T>
void CaptureWorker::run(QObject *context, std::function<Result<T>()> work, std::function<void(const Result<T> &)> done)
{
    QPointer<QObject> ctx(context);
    QMetaObject::invokeMethod(
        this,
        [ctx, work = std::move(work), done = std::move(done)] {
            Result<T> result = work();
            if (!ctx)
                return;
            QMetaObject::invokeMethod(
                ctx.data(), [done, result] { done(result); }, Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

void CaptureWorker::load(const QString &path, const QString &fixtureSource, QObject *context,
                         std::function<void(const Result<capture::LoadedInput> &)> done)
{
    run<capture::LoadedInput>(
        context, [this, path, fixtureSource] { return capture::InputLoader::load(path, m_config, fixtureSource); },
        std::move(done));
}

void CaptureWorker::captures(const QList<qint64> &ids, QObject *context,
                             std::function<void(const Result<QList<capture::Capture>> &)> done)
{
    run<QList<capture::Capture>>(
        context,
        [this, ids]() -> Result<QList<capture::Capture>> {
            auto rows = capture::JournalExport::select(m_databasePath, ids, {});
            if (!rows)
                return rows.error();
            return capture::JournalExport::toCaptures(rows->entries);
        },
        std::move(done));
}

void CaptureWorker::curl(const QList<qint64> &ids, bool resign, const QByteArray &baseUrl, QObject *context,
                         std::function<void(const Result<QString> &)> done)
{
    run<QString>(
        context,
        [this, ids, resign, baseUrl]() -> Result<QString> {
            auto rows = capture::JournalExport::select(m_databasePath, ids, {});
            if (!rows)
                return rows.error();
            QList<capture::Capture> list = capture::JournalExport::toCaptures(rows->entries);
            if (resign) {
                for (capture::Capture &c : list) {
                    if (auto signedAgain = capture::CaptureSigner::resign(c, m_config); !signedAgain)
                        return signedAgain.error();
                }
            }
            return QString::fromUtf8(capture::CurlExporter::toCurl(list, baseUrl));
        },
        std::move(done));
}

void CaptureWorker::exportEntries(const QList<qint64> &ids, const QString &format, const QString &path,
                                  const QByteArray &baseUrl, QObject *context,
                                  std::function<void(const Result<QString> &)> done)
{
    run<QString>(
        context,
        [this, ids, format, path, baseUrl]() -> Result<QString> {
            auto rows = capture::JournalExport::select(m_databasePath, ids, {});
            if (!rows)
                return rows.error();
            const QList<capture::Capture> list = capture::JournalExport::toCaptures(rows->entries);
            if (format == u"session"_s) {
                if (auto written = capture::SessionFile::write(*rows, path); !written)
                    return written.error();
            } else if (format == u"fixtures"_s) {
                if (auto written = capture::FixtureFolderExporter::write(list, path); !written)
                    return written.error();
            } else {
                const QByteArray bytes = format == u"har"_s ? capture::HarExporter::write(list, baseUrl)
                                                            : capture::CurlExporter::toCurl(list, baseUrl);
                QFile file(path);
                if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(bytes) != bytes.size())
                    return Error{u"export_failed"_s, u"%1: %2"_s.arg(path, file.errorString())};
            }
            return u"exported %1 entries as %2 to %3"_s.arg(rows->entries.size()).arg(format, path);
        },
        std::move(done));
}

void CaptureWorker::importSession(const QString &path, QObject *context,
                                  std::function<void(const Result<capture::SessionImportResult> &)> done)
{
    run<capture::SessionImportResult>(
        context,
        [this, path]() -> Result<capture::SessionImportResult> {
            if (!m_writer)
                return Error{u"journal_unavailable"_s, u"no journal to import %1 into"_s.arg(path)};
            auto rows = capture::SessionFile::read(path);
            if (!rows)
                return rows.error();
            return capture::SessionImporter::importInto(*m_writer, *rows);
        },
        std::move(done));
}

} // namespace hookbench::ui
