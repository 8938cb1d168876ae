#pragma once

// JournalRetention: deletes journal entries older than the data retention whose work is finished,
// with the rows that hang off them (attempts, processed marks, dead letters already replayed or
// discarded). "Finished" is strict, because the journal is the outbox: an entry still pending in
// Kafka is never deleted (an acknowledged webhook is never lost), nor one whose dead letter still
// waits for the user; a produced entry goes only once its key is processed or its dead letter was
// replayed or discarded. Entries that never reached Kafka (rejected, duplicates) are finished.
//
// What stays pointing at a deleted entry does so on purpose and is read as "purged": a replay's
// derived_from, a duplicate's duplicate_of, a dedup claim's journal_id (claims expire on their
// own TTL; deleting one early would let a duplicate through).
//
// Internal to core/store; JournalWriter runs it in bounded steps on its thread.

#include <QtGlobal>

#include "core/util/result.h"

namespace hookbench::store {

class Database;

struct RetentionCounts
{
    qint64 entries = 0;     // journal rows deleted
    qint64 attempts = 0;    // attempts rows deleted with them
    qint64 processed = 0;   // processed marks deleted with them
    qint64 deadLetters = 0; // replayed or discarded dead letters deleted with them

    RetentionCounts &operator+=(const RetentionCounts &o)
    {
        entries += o.entries;
        attempts += o.attempts;
        processed += o.processed;
        deadLetters += o.deadLetters;
        return *this;
    }
};

class JournalRetention
{
public:
    // `database` must be at the latest schema, outlive this object and be used by one thread.
    explicit JournalRetention(Database &database);
    JournalRetention(const JournalRetention &) = delete;
    JournalRetention &operator=(const JournalRetention &) = delete;

    // Deletes at most maxEntries finished entries received before cutoffMs, oldest first, and
    // their rows, in the caller's transaction. Callers loop (between other work) while
    // counts.entries == maxEntries.
    Result<RetentionCounts> purgeStep(qint64 cutoffMs, int maxEntries);

    // Hands free pages back to the file system when the database was created with
    // auto_vacuum = INCREMENTAL; otherwise SQLite reuses them for new rows and nothing is done
    // (switching an existing file's auto_vacuum needs a full VACUUM, which is not done here).
    Result<void> releaseFreePages();

private:
    Database &m_db;
    int m_autoVacuum = -1; // PRAGMA auto_vacuum, read once
};

} // namespace hookbench::store
