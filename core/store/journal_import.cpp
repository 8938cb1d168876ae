#include "core/store/journal_import.h"

#include "core/store/database.h"
#include "core/store/journal_table.h"
#include "core/store/processing_store.h"

namespace hookbench::store {

Result<QHash<qint64, qint64>> JournalImport::insert(Database &db, const ImportedRows &rows)
{
    QHash<qint64, qint64> ids;
    auto stmt = db.cached(JournalTable::insertSql());
    if (!stmt)
        return stmt.error();
    // Entries first, in id order, so a reference to an earlier entry can be mapped; a reference
    // forward (rare: an entry replayed later is always newer) is fixed below.
    for (const JournalEntry &original : rows.entries) {
        JournalEntry entry = original;
        entry.derivedFrom = ids.value(original.derivedFrom, 0);
        entry.duplicateOf = ids.value(original.duplicateOf, 0);
        (*stmt)->reset();
        JournalTable::bindInsert(**stmt, entry);
        if (auto done = (*stmt)->exec(); !done)
            return done.error();
        ids.insert(original.id, db.lastInsertRowId());
    }
    ProcessingStore processing(db);
    for (AttemptRow attempt : rows.attempts) {
        attempt.id = 0;
        attempt.journalId = ids.value(attempt.journalId, 0);
        attempt.subscriptionId = 0; // subscriptions are configuration of the exporting machine
        if (auto added = processing.recordAttempt(attempt); !added)
            return added.error();
    }
    for (DeadLetterRow letter : rows.deadLetters) {
        letter.id = 0;
        letter.journalId = ids.value(letter.journalId, 0);
        letter.replayedAsJournalId = ids.value(letter.replayedAsJournalId, 0);
        auto added = processing.addDeadLetter(letter);
        if (!added)
            return added.error();
        // addDeadLetter records a new letter; a replayed one also names its replay.
        if (letter.replayedAsJournalId > 0) {
            if (auto marked = processing.setDeadLetterStatus(*added, letter.status, letter.statusChangedAtMs,
                                                             letter.replayedAsJournalId);
                !marked)
                return marked.error();
        }
    }
    return ids;
}

} // namespace hookbench::store
