#pragma once

// JournalExport: reads a selection of journal entries (explicit ids, or a JournalFilter) with
// their handler attempts and dead letters from a data directory's database, for the session,
// HAR, fixture and curl exports. Blocks on SQLite: call it off the GUI thread.

#include <QList>
#include <QString>

#include "core/capture/capture.h"
#include "core/store/journal_import.h"
#include "core/store/journal_query.h"
#include "core/util/result.h"

namespace hookbench::capture {

class JournalExport
{
public:
    // ids non-empty: those entries (in id order; an unknown id is "not_found"); else the filter
    // (bodies are always read). Up to `limit` entries when the filter has none.
    static Result<store::ImportedRows> select(const QString &databasePath, const QList<qint64> &ids,
                                              const store::JournalFilter &filter);
    // A journal entry as a capture (origin "journal", entryIndex = its id).
    static Capture toCapture(const store::JournalEntry &entry);
    static QList<Capture> toCaptures(const QList<store::JournalEntry> &entries);
};

} // namespace hookbench::capture
