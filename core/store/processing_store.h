#pragma once

// ProcessingStore: the consumer side's tables (schema version 2) on one Database connection —
// forward targets, event filters and subscriptions (CRUD), handler attempts, the processed-key
// set that makes processing idempotent, and the dead-letter queue.
//
// Use it from the thread that owns the Database (the writer thread, or a connection of its own).
// Every write is one statement, so each is atomic by itself, and it joins the caller's
// transaction when one is open. Times are passed in (nowMs) so tests drive them.
//
// Error codes: "not_found" for an unknown id; "in_use" when deleting a target or filter that a
// subscription still references (the API answers 409); "invalid_reference" when a subscription
// names a target or filter that does not exist; "invalid_argument" for an empty key or URL;
// "store_query_failed" / "store_corrupt_row" for SQLite trouble.

#include <optional>

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

#include "core/store/processing_rows.h"
#include "core/util/result.h"

namespace hookbench::store {

class Database;

class ProcessingStore
{
public:
    // `database` must be at schema version 2 or later and outlive the store.
    explicit ProcessingStore(Database &database);
    ProcessingStore(const ProcessingStore &) = delete;
    ProcessingStore &operator=(const ProcessingStore &) = delete;

    // Targets. create ignores row.id and returns the new id; update changes every column but
    // id and createdAtMs.
    Result<qint64> createTarget(const TargetRow &row);
    Result<TargetRow> target(qint64 id);
    Result<QList<TargetRow>> targets(); // by id
    Result<void> updateTarget(const TargetRow &row);
    Result<void> deleteTarget(qint64 id);

    Result<qint64> createFilter(const FilterRow &row);
    Result<FilterRow> filter(qint64 id);
    Result<QList<FilterRow>> filters();
    Result<void> updateFilter(const FilterRow &row);
    Result<void> deleteFilter(qint64 id);

    Result<qint64> createSubscription(const SubscriptionRow &row);
    Result<SubscriptionRow> subscription(qint64 id);
    Result<QList<SubscriptionRow>> subscriptions();
    Result<void> updateSubscription(const SubscriptionRow &row); // target, filter, active
    Result<void> deleteSubscription(qint64 id);

    // Attempts: returns the new id. attemptsFor lists a journal entry's attempts in the order
    // they started (ties by attempt number, then insertion).
    Result<qint64> recordAttempt(const AttemptRow &row);
    Result<QList<AttemptRow>> attemptsFor(qint64 journalId);

    // Records that (source, key) has been processed. One atomic statement: true the first time,
    // false for a redelivery, also when two connections race on the same key.
    Result<bool> markProcessed(const QString &source, const QByteArray &idempotencyKey, qint64 journalId, qint64 nowMs);
    // Whether a consumed record was handled before: (source, key) is in the processed set, or the
    // journal entry of that source has a dead letter (a record read again after a rebalance took
    // its partition before the commit; a replay is a new entry). The source too, as records from
    // elsewhere (another data dir, a hand-made redrive of webhooks.dlq) may carry a journal id that
    // means another entry here. journalId <= 0 checks the processed set only. One statement, as
    // the consumer asks it for every record.
    Result<bool> isHandled(const QString &source, const QByteArray &idempotencyKey, qint64 journalId);

    // Dead letters. addDeadLetter ignores row.id and status fields: a new letter is "dead" as of
    // row.lastFailureAtMs. listDeadLetters pages by id: rows with id > afterId, oldest first, at
    // most `limit` (<= 0: no limit); no status lists all.
    Result<qint64> addDeadLetter(const DeadLetterRow &row);
    Result<QList<DeadLetterRow>> listDeadLetters(std::optional<DeadLetterStatus> status, int limit, qint64 afterId = 0);
    Result<DeadLetterRow> deadLetter(qint64 id);
    // replayedAsJournalId is kept only for Replayed (0 = unknown yet).
    Result<void> setDeadLetterStatus(qint64 id, DeadLetterStatus status, qint64 nowMs, qint64 replayedAsJournalId = 0);

    // Replay depth of each journal id: how many replays its lineage holds (journal.derived_from
    // followed back to the entry that came from a provider; 0 for an original). The DLQ's loop
    // guard reads it: a letter whose entry is a replay of a replay died again after replays.
    // Ids that are not in the journal are left out. One query per call.
    Result<QHash<qint64, int>> replayDepths(const QList<qint64> &journalIds);

private:
    Result<void> deleteReferenced(const char *table, const char *column, const QString &what, qint64 id);
    Error subscriptionReferenceError(const SubscriptionRow &row, const Error &original);

    Database &m_db;
};

} // namespace hookbench::store
