#pragma once

// ProcessingQuery: read-only view of the consumer side's tables for the admin API and the GUI,
// on its own read-only connection (WAL: reads never block the writers). Thread-safe (calls are
// serialised), but each call blocks on SQLite: keep it off the GUI thread for big reads.

#include <memory>
#include <optional>

#include <QHash>
#include <QList>

#include "core/store/processing_rows.h"
#include "core/util/result.h"

namespace hookbench::store {

enum class ProcessingState {
    Pending,      // nothing recorded yet (not consumed, or the first attempt is running)
    Retrying,     // attempts failed transiently, no final outcome yet
    Done,         // processed (handled, or no handler)
    DeadLettered, // in the DLQ, status dead
    Replayed,     // in the DLQ and replayed since (see DeadLetterRow::replayedAsJournalId)
    Discarded,    // in the DLQ and discarded
};
QString processingStateName(ProcessingState state); // "pending", "retrying", "done", "dead_lettered", ...

struct ProcessingStatus
{
    ProcessingState state = ProcessingState::Pending;
    int attempts = 0;  // recorded attempts, every subscription
    QString lastError; // of the last failed attempt
    qint64 lastAttemptAtMs = 0;
    qint64 nextDueAtMs = 0;   // Retrying: when the next attempt is due
    qint64 processedAtMs = 0; // Done
    qint64 deadLetterId = 0;  // DeadLettered / Replayed / Discarded
};

class ProcessingQuery
{
public:
    static Result<std::unique_ptr<ProcessingQuery>> open(const QString &databasePath);
    ~ProcessingQuery();
    ProcessingQuery(const ProcessingQuery &) = delete;
    ProcessingQuery &operator=(const ProcessingQuery &) = delete;

    // Status of each journal id (ids with nothing recorded are Pending). One query per call.
    Result<QHash<qint64, ProcessingStatus>> statusOf(const QList<qint64> &journalIds) const;
    Result<QList<AttemptRow>> attemptsFor(qint64 journalId) const;
    Result<std::optional<DeadLetterRow>> deadLetterFor(qint64 journalId) const; // the newest
    Result<DeadLetterRow> deadLetter(qint64 id) const;                          // "not_found"
    Result<QList<DeadLetterRow>> deadLetters(std::optional<DeadLetterStatus> status, int limit,
                                             qint64 afterId = 0) const;
    // Journal ids of the entries replayed from journalId (JournalEntry::derivedFrom), oldest first.
    Result<QList<qint64>> replaysOf(qint64 journalId) const;
    // How many replays each entry's lineage holds (ProcessingStore::replayDepths).
    Result<QHash<qint64, int>> replayDepths(const QList<qint64> &journalIds) const;
    // Journal ids of one entity's events in the order they were finally processed (the processed
    // table's insertion order), oldest first, at most limit.
    Result<QList<qint64>> processedOrder(const QString &source, const QByteArray &entityKey, int limit = 1000) const;

private:
    ProcessingQuery();
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace hookbench::store
