#pragma once

// JournalImport: writes journal entries, handler attempts and dead letters that come from
// elsewhere (a Hookbench session file) inside one writer job, so an import is one transaction:
// all of it or nothing. Entries get new ids; references between imported rows (derivedFrom,
// duplicateOf, an attempt's or dead letter's journal id, replayedAsJournalId) are mapped to the
// new ids, and references to entries that were not imported become 0. No dedup claim is made:
// imported entries are history, not deliveries.

#include <QHash>
#include <QList>

#include "core/store/journal_entry.h"
#include "core/store/processing_rows.h"
#include "core/util/result.h"

namespace hookbench::store {

class Database;

struct ImportedRows
{
    QList<JournalEntry> entries;      // with their original ids
    QList<AttemptRow> attempts;       // journalId = an original id
    QList<DeadLetterRow> deadLetters; // journalId = an original id
};

class JournalImport
{
public:
    // Inserts rows through `db` (call inside JournalWriter::write). Returns original id → new id.
    static Result<QHash<qint64, qint64>> insert(Database &db, const ImportedRows &rows);
};

} // namespace hookbench::store
