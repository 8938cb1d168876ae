#include "core/capture/session_importer.h"

#include <memory>

#include <QMutex>

#include "core/capture/journal_export.h"
#include "core/store/journal_writer.h"

using namespace Qt::StringLiterals;

namespace hookbench::capture {

Result<SessionImportResult> SessionImporter::importInto(store::JournalWriter &writer, const store::ImportedRows &rows)
{
    struct Shared
    {
        QMutex mutex;
        std::optional<Result<QHash<qint64, qint64>>> outcome;
    };
    auto shared = std::make_shared<Shared>();
    writer.write(
        [shared, rows](store::Database &db) -> Result<void> {
            auto ids = store::JournalImport::insert(db, rows);
            const QMutexLocker lock(&shared->mutex);
            shared->outcome = ids; // a retried job overwrites its first try
            if (!ids)
                return ids.error();
            return {};
        },
        nullptr, {});
    writer.sync();
    const QMutexLocker lock(&shared->mutex);
    if (!shared->outcome)
        return Error{u"journal_unavailable"_s, u"the journal writer did not run the import"_s};
    if (!*shared->outcome)
        return Error{u"import_failed"_s,
                     u"importing the session failed, nothing was imported: %1"_s.arg(shared->outcome->error().message)};
    SessionImportResult result;
    result.ids = shared->outcome->value();
    result.entries = static_cast<int>(rows.entries.size());
    result.attempts = static_cast<int>(rows.attempts.size());
    result.deadLetters = static_cast<int>(rows.deadLetters.size());
    return result;
}

ImportReport SessionImporter::toReport(const store::ImportedRows &rows, const QString &origin)
{
    ImportReport report;
    report.origin = origin;
    report.format = u"session"_s;
    for (const store::JournalEntry &entry : rows.entries) {
        Capture capture = JournalExport::toCapture(entry);
        capture.origin = origin;
        QString reason;
        if (entry.verdict == store::Verdict::Rejected) {
            capture.selected = false;
            reason = u"rejected on the exporting machine (%1)"_s.arg(entry.reason);
        }
        const QString label = u"journal %1: %2 %3"_s.arg(entry.id).arg(QString::fromUtf8(capture.method),
                                                                       QString::fromUtf8(entry.target));
        report.take(std::move(capture), label, reason);
    }
    return report;
}

} // namespace hookbench::capture
