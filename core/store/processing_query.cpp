#include "core/store/processing_query.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMutex>

#include "core/store/database.h"
#include "core/store/processing_store.h"

using namespace Qt::StringLiterals;

namespace hookbench::store {

namespace {

// One statement for any number of ids: the ids arrive as one JSON array parameter (json_each),
// so the SQL text, and with it the cached statement, stays the same whatever their count.
// - "Done" is the processed-key row written for this very journal entry (the processor marks
//   (source, key) with the entry it handled); a duplicate or a skipped redelivery sharing the
//   key was not processed as itself.
// - The last failed attempt gives the error and the next due time; attempts are ordered like
//   ProcessingStore::attemptsFor (start time, attempt number, insertion).
// - The newest dead letter of the entry gives its DLQ state.
constexpr const char *kStatusSql = R"sql(
WITH ids(id) AS (SELECT DISTINCT CAST(value AS INTEGER) FROM json_each(?1))
SELECT ids.id,
       (SELECT count(*) FROM attempts WHERE journal_id = ids.id),
       la.started_at_ms,
       lf.error,
       lf.next_due_at_ms,
       p.processed_at_ms,
       d.id,
       d.status
FROM ids
LEFT JOIN journal j ON j.id = ids.id
LEFT JOIN processed p
       ON p.source = j.source AND p.idempotency_key = j.idempotency_key AND p.journal_id = ids.id
LEFT JOIN attempts la ON la.id = (SELECT id FROM attempts WHERE journal_id = ids.id
                                  ORDER BY started_at_ms DESC, attempt DESC, id DESC LIMIT 1)
LEFT JOIN attempts lf ON lf.id = (SELECT id FROM attempts WHERE journal_id = ids.id AND outcome <> 'success'
                                  ORDER BY started_at_ms DESC, attempt DESC, id DESC LIMIT 1)
LEFT JOIN dlq d ON d.id = (SELECT max(id) FROM dlq WHERE journal_id = ids.id)
)sql";

enum StatusColumn {
    ColId,
    ColAttempts,
    ColLastAttemptAt,
    ColLastError,
    ColNextDue,
    ColProcessedAt,
    ColDeadLetterId,
    ColDeadLetterStatus,
};

Result<ProcessingStatus> readStatus(const Statement &stmt)
{
    ProcessingStatus s;
    s.attempts = stmt.columnInt(ColAttempts);
    s.lastAttemptAtMs = stmt.columnInt64(ColLastAttemptAt);
    const bool failed = !stmt.columnIsNull(ColLastError);
    s.lastError = stmt.columnText(ColLastError);
    if (!stmt.columnIsNull(ColProcessedAt)) {
        // A dead-lettered record that a later redelivery handled is done: processing wins.
        s.state = ProcessingState::Done;
        s.processedAtMs = stmt.columnInt64(ColProcessedAt);
        return s;
    }
    if (!stmt.columnIsNull(ColDeadLetterId)) {
        s.deadLetterId = stmt.columnInt64(ColDeadLetterId);
        const QString name = stmt.columnText(ColDeadLetterStatus);
        const std::optional<DeadLetterStatus> status = parseDeadLetterStatus(name);
        if (!status) {
            return Result<ProcessingStatus>::failure(
                u"store_corrupt_row"_s, u"dead letter %1: unknown status \"%2\""_s.arg(s.deadLetterId).arg(name));
        }
        switch (*status) {
        case DeadLetterStatus::Dead: s.state = ProcessingState::DeadLettered; break;
        case DeadLetterStatus::Replayed: s.state = ProcessingState::Replayed; break;
        case DeadLetterStatus::Discarded: s.state = ProcessingState::Discarded; break;
        }
        return s;
    }
    if (failed) {
        s.state = ProcessingState::Retrying;
        s.nextDueAtMs = stmt.columnInt64(ColNextDue);
    }
    return s;
}

} // namespace

QString processingStateName(ProcessingState state)
{
    switch (state) {
    case ProcessingState::Pending: return u"pending"_s;
    case ProcessingState::Retrying: return u"retrying"_s;
    case ProcessingState::Done: return u"done"_s;
    case ProcessingState::DeadLettered: return u"dead_lettered"_s;
    case ProcessingState::Replayed: return u"replayed"_s;
    case ProcessingState::Discarded: return u"discarded"_s;
    }
    return u"pending"_s;
}

// ProcessingStore's reads work unchanged on a read-only connection; the mutex serialises them
// because a Database connection belongs to one thread at a time.
struct ProcessingQuery::Private
{
    QMutex mutex;
    std::unique_ptr<Database> db;
    std::unique_ptr<ProcessingStore> store;
};

ProcessingQuery::ProcessingQuery() : d(std::make_unique<Private>()) {}

ProcessingQuery::~ProcessingQuery() = default;

Result<std::unique_ptr<ProcessingQuery>> ProcessingQuery::open(const QString &databasePath)
{
    Result<std::unique_ptr<Database>> db = Database::open(databasePath, OpenMode::ReadOnly);
    if (!db)
        return db.error();
    std::unique_ptr<ProcessingQuery> query(new ProcessingQuery);
    query->d->db = std::move(*db);
    query->d->store = std::make_unique<ProcessingStore>(*query->d->db);
    return query;
}

Result<QHash<qint64, ProcessingStatus>> ProcessingQuery::statusOf(const QList<qint64> &journalIds) const
{
    QHash<qint64, ProcessingStatus> statuses;
    if (journalIds.isEmpty())
        return statuses;
    QJsonArray ids;
    for (qint64 id : journalIds)
        ids.append(id);

    QMutexLocker lock(&d->mutex);
    Result<Statement *> stmt = d->db->cached(kStatusSql);
    if (!stmt)
        return stmt.error();
    Statement &select = **stmt;
    select.bindText(1, QString::fromUtf8(QJsonDocument(ids).toJson(QJsonDocument::Compact)));
    for (;;) {
        Result<bool> row = select.step();
        if (!row)
            return row.error();
        if (!*row)
            break;
        Result<ProcessingStatus> status = readStatus(select);
        if (!status) {
            select.reset();
            return status.error();
        }
        statuses.insert(select.columnInt64(ColId), *status);
    }
    select.reset(); // end the read transaction now rather than at the next call
    return statuses;
}

Result<QList<AttemptRow>> ProcessingQuery::attemptsFor(qint64 journalId) const
{
    QMutexLocker lock(&d->mutex);
    return d->store->attemptsFor(journalId);
}

Result<std::optional<DeadLetterRow>> ProcessingQuery::deadLetterFor(qint64 journalId) const
{
    using R = Result<std::optional<DeadLetterRow>>;
    QMutexLocker lock(&d->mutex);
    Result<Statement *> stmt = d->db->cached("SELECT max(id) FROM dlq WHERE journal_id = ?1");
    if (!stmt)
        return stmt.error();
    (*stmt)->bindInt64(1, journalId);
    Result<bool> row = (*stmt)->step();
    if (!row)
        return row.error();
    const qint64 id = *row && !(*stmt)->columnIsNull(0) ? (*stmt)->columnInt64(0) : 0;
    (*stmt)->reset();
    if (id == 0)
        return R(std::optional<DeadLetterRow>());
    // Letters are never deleted (discarding keeps them), so the id read above still exists.
    Result<DeadLetterRow> letter = d->store->deadLetter(id);
    if (!letter)
        return letter.error();
    return R(std::optional<DeadLetterRow>(std::move(*letter)));
}

Result<DeadLetterRow> ProcessingQuery::deadLetter(qint64 id) const
{
    QMutexLocker lock(&d->mutex);
    return d->store->deadLetter(id);
}

Result<QList<DeadLetterRow>> ProcessingQuery::deadLetters(std::optional<DeadLetterStatus> status, int limit,
                                                          qint64 afterId) const
{
    QMutexLocker lock(&d->mutex);
    return d->store->listDeadLetters(status, limit, afterId);
}

Result<QList<qint64>> ProcessingQuery::replaysOf(qint64 journalId) const
{
    QMutexLocker lock(&d->mutex);
    Result<Statement *> stmt = d->db->cached("SELECT id FROM journal WHERE derived_from = ?1 ORDER BY id");
    if (!stmt)
        return stmt.error();
    (*stmt)->bindInt64(1, journalId);
    QList<qint64> ids;
    for (;;) {
        Result<bool> row = (*stmt)->step();
        if (!row)
            return row.error();
        if (!*row)
            break;
        ids.append((*stmt)->columnInt64(0));
    }
    (*stmt)->reset();
    return ids;
}

Result<QHash<qint64, int>> ProcessingQuery::replayDepths(const QList<qint64> &journalIds) const
{
    QMutexLocker lock(&d->mutex);
    return d->store->replayDepths(journalIds);
}

Result<QList<qint64>> ProcessingQuery::processedOrder(const QString &source, const QByteArray &entityKey,
                                                      int limit) const
{
    QMutexLocker lock(&d->mutex);
    // processed is a rowid table and a key is inserted once (markProcessed), so rowid order is
    // the order in which events were finally processed.
    Result<Statement *> stmt =
        d->db->cached("SELECT p.journal_id FROM processed p JOIN journal j ON j.id = p.journal_id "
                      "WHERE p.source = ?1 AND j.entity_key = ?2 ORDER BY p.rowid LIMIT ?3");
    if (!stmt)
        return stmt.error();
    Statement &select = **stmt;
    select.bindText(1, source);
    select.bindBlob(2, entityKey);
    select.bindInt(3, limit > 0 ? limit : -1);
    QList<qint64> ids;
    for (;;) {
        Result<bool> row = select.step();
        if (!row)
            return row.error();
        if (!*row)
            break;
        ids.append(select.columnInt64(0));
    }
    select.reset();
    return ids;
}

} // namespace hookbench::store
