#include "core/store/processing_store.h"

#include <QJsonArray>
#include <QJsonDocument>

#include "core/store/database.h"
#include "core/store/header_codec.h"

using namespace Qt::StringLiterals;

namespace hookbench::store {

namespace {

constexpr const char *kTargetColumns = "SELECT id, url, headers, timeout_ms, created_at_ms FROM targets";
constexpr const char *kFilterColumns = "SELECT id, events FROM filters";
constexpr const char *kSubscriptionColumns =
    "SELECT id, target_id, filter_id, active, created_at_ms FROM subscriptions";
constexpr const char *kAttemptColumns =
    "SELECT id, journal_id, source, idempotency_key, topic, kafka_partition, kafka_offset, attempt, consumer, "
    "started_at_ms, finished_at_ms, outcome, http_status, error, next_due_at_ms, subscription_id FROM attempts";
constexpr const char *kDeadLetterColumns =
    "SELECT id, journal_id, source, topic, kafka_partition, kafka_offset, key, headers, value, error, error_class, "
    "attempts, first_failure_at_ms, last_failure_at_ms, consumer, status, status_changed_at_ms, "
    "replayed_as_journal_id FROM dlq";

QByteArray sql(const char *select, const char *rest)
{
    return QByteArray(select) + ' ' + rest;
}

Error notFound(const QString &what, qint64 id)
{
    return Error{u"not_found"_s, u"%1 %2 does not exist"_s.arg(what, QString::number(id))};
}

Error corruptRow(const QString &what, qint64 id, const QString &why)
{
    return Error{u"store_corrupt_row"_s, u"%1 %2: %3"_s.arg(what, QString::number(id), why)};
}

void bindIdOrNull(Statement &stmt, int index, qint64 id)
{
    if (id > 0)
        stmt.bindInt64(index, id);
    else
        stmt.bindNull(index);
}

// Keeps Kafka's null (no key / tombstone) distinct from an empty byte string.
void bindBytesKeepingNull(Statement &stmt, int index, const QByteArray &bytes)
{
    if (bytes.isNull())
        stmt.bindNull(index);
    else
        stmt.bindBlob(index, bytes);
}

QByteArray columnBytesKeepingNull(const Statement &stmt, int column)
{
    if (stmt.columnIsNull(column))
        return QByteArray();
    QByteArray bytes = stmt.columnBlob(column);
    // SQLite hands out a null pointer for a zero-length blob; an empty value is not a null one.
    return bytes.isNull() ? QByteArray("") : bytes;
}

QByteArray encodeEvents(const QStringList &events)
{
    return QJsonDocument(QJsonArray::fromStringList(events)).toJson(QJsonDocument::Compact);
}

Result<TargetRow> readTarget(const Statement &stmt)
{
    TargetRow row;
    row.id = stmt.columnInt64(0);
    row.url = stmt.columnText(1);
    Result<http::HeaderList> headers = decodeHeaders(stmt.columnBlob(2));
    if (!headers)
        return corruptRow(u"target"_s, row.id, headers.error().message);
    row.headers = std::move(*headers);
    row.timeoutMs = stmt.columnInt(3);
    row.createdAtMs = stmt.columnInt64(4);
    return row;
}

Result<FilterRow> readFilter(const Statement &stmt)
{
    FilterRow row;
    row.id = stmt.columnInt64(0);
    const QJsonDocument doc = QJsonDocument::fromJson(stmt.columnBlob(1));
    if (!doc.isArray())
        return corruptRow(u"filter"_s, row.id, u"events is not a JSON array"_s);
    for (const QJsonValue &value : doc.array()) {
        if (!value.isString())
            return corruptRow(u"filter"_s, row.id, u"events holds a value that is not a string"_s);
        row.events.append(value.toString());
    }
    return row;
}

SubscriptionRow readSubscription(const Statement &stmt)
{
    SubscriptionRow row;
    row.id = stmt.columnInt64(0);
    row.targetId = stmt.columnInt64(1);
    row.filterId = stmt.columnInt64(2); // NULL reads as 0
    row.active = stmt.columnInt(3) != 0;
    row.createdAtMs = stmt.columnInt64(4);
    return row;
}

Result<AttemptRow> readAttempt(const Statement &stmt)
{
    AttemptRow row;
    row.id = stmt.columnInt64(0);
    row.journalId = stmt.columnInt64(1);
    row.source = stmt.columnText(2);
    row.idempotencyKey = stmt.columnBlob(3);
    row.topic = stmt.columnText(4);
    row.partition = stmt.columnInt(5);
    row.offset = stmt.columnInt64(6);
    row.attempt = stmt.columnInt(7);
    row.consumer = stmt.columnText(8);
    row.startedAtMs = stmt.columnInt64(9);
    row.finishedAtMs = stmt.columnInt64(10);
    const QString outcome = stmt.columnText(11);
    const std::optional<AttemptOutcome> parsed = parseAttemptOutcome(outcome);
    if (!parsed) // the CHECK constraint makes this unreachable unless the file was edited by hand
        return corruptRow(u"attempt"_s, row.id, u"unknown outcome \"%1\""_s.arg(outcome));
    row.outcome = *parsed;
    row.httpStatus = stmt.columnInt(12);
    row.error = stmt.columnText(13);
    row.nextDueAtMs = stmt.columnInt64(14);
    row.subscriptionId = stmt.columnInt64(15);
    return row;
}

Result<DeadLetterRow> readDeadLetter(const Statement &stmt)
{
    DeadLetterRow row;
    row.id = stmt.columnInt64(0);
    row.journalId = stmt.columnInt64(1);
    row.source = stmt.columnText(2);
    row.topic = stmt.columnText(3);
    row.partition = stmt.columnInt(4);
    row.offset = stmt.columnInt64(5);
    row.key = columnBytesKeepingNull(stmt, 6);
    Result<http::HeaderList> headers = decodeHeaders(stmt.columnBlob(7));
    if (!headers)
        return corruptRow(u"dead letter"_s, row.id, headers.error().message);
    row.headers = std::move(*headers);
    row.value = columnBytesKeepingNull(stmt, 8);
    row.error = stmt.columnText(9);
    row.errorClass = stmt.columnText(10);
    row.attempts = stmt.columnInt(11);
    row.firstFailureAtMs = stmt.columnInt64(12);
    row.lastFailureAtMs = stmt.columnInt64(13);
    row.consumer = stmt.columnText(14);
    const QString status = stmt.columnText(15);
    const std::optional<DeadLetterStatus> parsed = parseDeadLetterStatus(status);
    if (!parsed)
        return corruptRow(u"dead letter"_s, row.id, u"unknown status \"%1\""_s.arg(status));
    row.status = *parsed;
    row.statusChangedAtMs = stmt.columnInt64(16);
    row.replayedAsJournalId = stmt.columnInt64(17);
    return row;
}

// Runs a prepared SELECT to the end, reading each row with `read`.
template <typename Row, typename Read>
Result<QList<Row>> readAll(Statement &stmt, Read read)
{
    QList<Row> rows;
    for (;;) {
        Result<bool> step = stmt.step();
        if (!step)
            return step.error();
        if (!*step)
            return rows;
        Result<Row> row = read(stmt);
        if (!row) {
            stmt.reset();
            return row.error();
        }
        rows.append(std::move(*row));
    }
}

// Runs a prepared SELECT expected to yield at most one row.
template <typename Row, typename Read>
Result<Row> readOne(Statement &stmt, Read read, const QString &what, qint64 id)
{
    Result<bool> step = stmt.step();
    if (!step)
        return step.error();
    if (!*step)
        return notFound(what, id);
    Result<Row> row = read(stmt);
    stmt.reset();
    return row;
}

} // namespace

ProcessingStore::ProcessingStore(Database &database) : m_db(database) {}

// ---- targets ----

Result<qint64> ProcessingStore::createTarget(const TargetRow &row)
{
    if (row.url.isEmpty())
        return Result<qint64>::failure(u"invalid_argument"_s, u"cannot create a target without a URL"_s);
    Result<Statement *> stmt =
        m_db.cached("INSERT INTO targets(url, headers, timeout_ms, created_at_ms) VALUES(?1, ?2, ?3, ?4)");
    if (!stmt)
        return stmt.error();
    Statement &insert = **stmt;
    insert.bindText(1, row.url);
    insert.bindBlob(2, encodeHeaders(row.headers));
    insert.bindInt(3, row.timeoutMs);
    insert.bindInt64(4, row.createdAtMs);
    if (Result<void> r = insert.exec(); !r)
        return r.error();
    return m_db.lastInsertRowId();
}

Result<TargetRow> ProcessingStore::target(qint64 id)
{
    Result<Statement *> stmt = m_db.cached(sql(kTargetColumns, "WHERE id = ?1"));
    if (!stmt)
        return stmt.error();
    (*stmt)->bindInt64(1, id);
    return readOne<TargetRow>(**stmt, readTarget, u"target"_s, id);
}

Result<QList<TargetRow>> ProcessingStore::targets()
{
    Result<Statement *> stmt = m_db.cached(sql(kTargetColumns, "ORDER BY id"));
    if (!stmt)
        return stmt.error();
    return readAll<TargetRow>(**stmt, readTarget);
}

Result<void> ProcessingStore::updateTarget(const TargetRow &row)
{
    if (row.url.isEmpty()) {
        return Result<void>::failure(u"invalid_argument"_s, u"cannot update target %1: the URL is empty"_s.arg(row.id));
    }
    Result<Statement *> stmt = m_db.cached("UPDATE targets SET url = ?2, headers = ?3, timeout_ms = ?4 WHERE id = ?1");
    if (!stmt)
        return stmt.error();
    Statement &update = **stmt;
    update.bindInt64(1, row.id);
    update.bindText(2, row.url);
    update.bindBlob(3, encodeHeaders(row.headers));
    update.bindInt(4, row.timeoutMs);
    if (Result<void> r = update.exec(); !r)
        return r;
    if (m_db.changes() == 0)
        return notFound(u"target"_s, row.id);
    return {};
}

Result<void> ProcessingStore::deleteTarget(qint64 id)
{
    return deleteReferenced("targets", "target_id", u"target"_s, id);
}

// ---- filters ----

Result<qint64> ProcessingStore::createFilter(const FilterRow &row)
{
    Result<Statement *> stmt = m_db.cached("INSERT INTO filters(events) VALUES(?1)");
    if (!stmt)
        return stmt.error();
    (*stmt)->bindBlob(1, encodeEvents(row.events));
    if (Result<void> r = (*stmt)->exec(); !r)
        return r.error();
    return m_db.lastInsertRowId();
}

Result<FilterRow> ProcessingStore::filter(qint64 id)
{
    Result<Statement *> stmt = m_db.cached(sql(kFilterColumns, "WHERE id = ?1"));
    if (!stmt)
        return stmt.error();
    (*stmt)->bindInt64(1, id);
    return readOne<FilterRow>(**stmt, readFilter, u"filter"_s, id);
}

Result<QList<FilterRow>> ProcessingStore::filters()
{
    Result<Statement *> stmt = m_db.cached(sql(kFilterColumns, "ORDER BY id"));
    if (!stmt)
        return stmt.error();
    return readAll<FilterRow>(**stmt, readFilter);
}

Result<void> ProcessingStore::updateFilter(const FilterRow &row)
{
    Result<Statement *> stmt = m_db.cached("UPDATE filters SET events = ?2 WHERE id = ?1");
    if (!stmt)
        return stmt.error();
    (*stmt)->bindInt64(1, row.id);
    (*stmt)->bindBlob(2, encodeEvents(row.events));
    if (Result<void> r = (*stmt)->exec(); !r)
        return r;
    if (m_db.changes() == 0)
        return notFound(u"filter"_s, row.id);
    return {};
}

Result<void> ProcessingStore::deleteFilter(qint64 id)
{
    return deleteReferenced("filters", "filter_id", u"filter"_s, id);
}

// The foreign key (ON DELETE RESTRICT) is what guarantees a referenced row stays; the lookup
// only names the subscriptions in the message. It runs again after a failed DELETE because
// another connection may have subscribed in between.
Result<void> ProcessingStore::deleteReferenced(const char *table, const char *column, const QString &what, qint64 id)
{
    auto users = [&]() -> Result<QString> {
        const QByteArray select = QByteArray("SELECT group_concat(id, ', ') FROM (SELECT id FROM subscriptions WHERE ")
                                  + column + " = ?1 ORDER BY id)";
        Result<Statement *> stmt = m_db.cached(select);
        if (!stmt)
            return stmt.error();
        (*stmt)->bindInt64(1, id);
        Result<bool> step = (*stmt)->step();
        if (!step)
            return step.error();
        const QString ids = *step ? (*stmt)->columnText(0) : QString();
        (*stmt)->reset();
        return ids;
    };
    auto inUse = [&](const QString &ids) {
        return Error{u"in_use"_s, u"cannot delete %1 %2: subscription %3 still uses it; delete or change those "
                                  "subscriptions first"_s.arg(what, QString::number(id), ids)};
    };

    Result<QString> before = users();
    if (!before)
        return before.error();
    if (!before->isEmpty())
        return inUse(*before);

    const QByteArray remove = QByteArray("DELETE FROM ") + table + " WHERE id = ?1";
    Result<Statement *> stmt = m_db.cached(remove);
    if (!stmt)
        return stmt.error();
    (*stmt)->bindInt64(1, id);
    if (Result<void> r = (*stmt)->exec(); !r) {
        Result<QString> after = users();
        if (after && !after->isEmpty())
            return inUse(*after);
        return r;
    }
    if (m_db.changes() == 0)
        return notFound(what, id);
    return {};
}

// ---- subscriptions ----

Error ProcessingStore::subscriptionReferenceError(const SubscriptionRow &row, const Error &original)
{
    if (Result<TargetRow> t = target(row.targetId); !t && t.error().code == u"not_found"_s) {
        return Error{u"invalid_reference"_s, u"subscription names target %1, which does not exist"_s.arg(row.targetId)};
    }
    if (row.filterId > 0) {
        if (Result<FilterRow> f = filter(row.filterId); !f && f.error().code == u"not_found"_s) {
            return Error{u"invalid_reference"_s,
                         u"subscription names filter %1, which does not exist"_s.arg(row.filterId)};
        }
    }
    return original;
}

Result<qint64> ProcessingStore::createSubscription(const SubscriptionRow &row)
{
    Result<Statement *> stmt =
        m_db.cached("INSERT INTO subscriptions(target_id, filter_id, active, created_at_ms) VALUES(?1, ?2, ?3, ?4)");
    if (!stmt)
        return stmt.error();
    Statement &insert = **stmt;
    insert.bindInt64(1, row.targetId);
    bindIdOrNull(insert, 2, row.filterId);
    insert.bindInt(3, row.active ? 1 : 0);
    insert.bindInt64(4, row.createdAtMs);
    if (Result<void> r = insert.exec(); !r)
        return subscriptionReferenceError(row, r.error());
    return m_db.lastInsertRowId();
}

Result<SubscriptionRow> ProcessingStore::subscription(qint64 id)
{
    Result<Statement *> stmt = m_db.cached(sql(kSubscriptionColumns, "WHERE id = ?1"));
    if (!stmt)
        return stmt.error();
    (*stmt)->bindInt64(1, id);
    auto read = [](const Statement &s) { return Result<SubscriptionRow>(readSubscription(s)); };
    return readOne<SubscriptionRow>(**stmt, read, u"subscription"_s, id);
}

Result<QList<SubscriptionRow>> ProcessingStore::subscriptions()
{
    Result<Statement *> stmt = m_db.cached(sql(kSubscriptionColumns, "ORDER BY id"));
    if (!stmt)
        return stmt.error();
    auto read = [](const Statement &s) { return Result<SubscriptionRow>(readSubscription(s)); };
    return readAll<SubscriptionRow>(**stmt, read);
}

Result<void> ProcessingStore::updateSubscription(const SubscriptionRow &row)
{
    Result<Statement *> stmt =
        m_db.cached("UPDATE subscriptions SET target_id = ?2, filter_id = ?3, active = ?4 WHERE id = ?1");
    if (!stmt)
        return stmt.error();
    Statement &update = **stmt;
    update.bindInt64(1, row.id);
    update.bindInt64(2, row.targetId);
    bindIdOrNull(update, 3, row.filterId);
    update.bindInt(4, row.active ? 1 : 0);
    if (Result<void> r = update.exec(); !r)
        return subscriptionReferenceError(row, r.error());
    if (m_db.changes() == 0)
        return notFound(u"subscription"_s, row.id);
    return {};
}

Result<void> ProcessingStore::deleteSubscription(qint64 id)
{
    Result<Statement *> stmt = m_db.cached("DELETE FROM subscriptions WHERE id = ?1");
    if (!stmt)
        return stmt.error();
    (*stmt)->bindInt64(1, id);
    if (Result<void> r = (*stmt)->exec(); !r)
        return r;
    if (m_db.changes() == 0)
        return notFound(u"subscription"_s, id);
    return {};
}

// ---- attempts and processed keys ----

Result<qint64> ProcessingStore::recordAttempt(const AttemptRow &row)
{
    Result<Statement *> stmt = m_db.cached(
        "INSERT INTO attempts(journal_id, source, idempotency_key, topic, kafka_partition, kafka_offset, attempt, "
        "consumer, started_at_ms, finished_at_ms, outcome, http_status, error, next_due_at_ms, subscription_id) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)");
    if (!stmt)
        return stmt.error();
    Statement &insert = **stmt;
    insert.bindInt64(1, row.journalId);
    insert.bindText(2, row.source);
    insert.bindBlobOrNull(3, row.idempotencyKey);
    insert.bindText(4, row.topic);
    insert.bindInt(5, row.partition);
    insert.bindInt64(6, row.offset);
    insert.bindInt(7, row.attempt);
    insert.bindText(8, row.consumer);
    insert.bindInt64(9, row.startedAtMs);
    insert.bindInt64(10, row.finishedAtMs);
    insert.bindText(11, attemptOutcomeName(row.outcome));
    insert.bindInt(12, row.httpStatus);
    insert.bindText(13, row.error);
    insert.bindInt64(14, row.nextDueAtMs);
    bindIdOrNull(insert, 15, row.subscriptionId);
    if (Result<void> r = insert.exec(); !r)
        return r.error();
    return m_db.lastInsertRowId();
}

Result<QList<AttemptRow>> ProcessingStore::attemptsFor(qint64 journalId)
{
    Result<Statement *> stmt =
        m_db.cached(sql(kAttemptColumns, "WHERE journal_id = ?1 ORDER BY started_at_ms, attempt, id"));
    if (!stmt)
        return stmt.error();
    (*stmt)->bindInt64(1, journalId);
    return readAll<AttemptRow>(**stmt, readAttempt);
}

Result<bool> ProcessingStore::markProcessed(const QString &source, const QByteArray &idempotencyKey, qint64 journalId,
                                            qint64 nowMs)
{
    if (idempotencyKey.isEmpty()) {
        return Result<bool>::failure(
            u"invalid_argument"_s,
            u"cannot mark journal entry %1 of source \"%2\" processed: its idempotency key is empty"_s.arg(
                QString::number(journalId), source));
    }
    // One statement decides: the insert either writes the row (first time) or does nothing
    // because the key is there. No "SELECT, then INSERT" window for a second consumer.
    Result<Statement *> stmt =
        m_db.cached("INSERT INTO processed(source, idempotency_key, processed_at_ms, journal_id) "
                    "VALUES(?1, ?2, ?3, ?4) ON CONFLICT(source, idempotency_key) DO NOTHING");
    if (!stmt)
        return stmt.error();
    Statement &insert = **stmt;
    insert.bindText(1, source);
    insert.bindBlob(2, idempotencyKey);
    insert.bindInt64(3, nowMs);
    insert.bindInt64(4, journalId);
    if (Result<void> r = insert.exec(); !r)
        return r.error();
    return m_db.changes() == 1;
}

Result<bool> ProcessingStore::isHandled(const QString &source, const QByteArray &idempotencyKey, qint64 journalId)
{
    Result<Statement *> stmt =
        m_db.cached("SELECT EXISTS(SELECT 1 FROM processed WHERE source = ?1 AND idempotency_key = ?2) "
                    "OR (?3 > 0 AND EXISTS(SELECT 1 FROM dlq WHERE journal_id = ?3 AND source = ?1))");
    if (!stmt)
        return stmt.error();
    Statement &select = **stmt;
    select.bindText(1, source);
    select.bindBlob(2, idempotencyKey);
    select.bindInt64(3, journalId);
    Result<bool> row = select.step();
    if (!row) {
        select.reset();
        return row.error();
    }
    const bool handled = *row && select.columnInt64(0) != 0;
    // A statement left on its row keeps the connection's read transaction, and with it an old
    // WAL snapshot, open until the next call: checkpoints could not copy past it.
    select.reset();
    return handled;
}

// ---- dead letters ----

Result<qint64> ProcessingStore::addDeadLetter(const DeadLetterRow &row)
{
    Result<Statement *> stmt = m_db.cached(
        "INSERT INTO dlq(journal_id, source, topic, kafka_partition, kafka_offset, key, headers, value, error, "
        "error_class, attempts, first_failure_at_ms, last_failure_at_ms, consumer, status, status_changed_at_ms) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, 'dead', ?13)");
    if (!stmt)
        return stmt.error();
    Statement &insert = **stmt;
    insert.bindInt64(1, row.journalId);
    insert.bindText(2, row.source);
    insert.bindText(3, row.topic);
    insert.bindInt(4, row.partition);
    insert.bindInt64(5, row.offset);
    bindBytesKeepingNull(insert, 6, row.key);
    insert.bindBlob(7, encodeHeaders(row.headers));
    bindBytesKeepingNull(insert, 8, row.value);
    insert.bindText(9, row.error);
    insert.bindText(10, row.errorClass);
    insert.bindInt(11, row.attempts);
    insert.bindInt64(12, row.firstFailureAtMs);
    insert.bindInt64(13, row.lastFailureAtMs);
    insert.bindText(14, row.consumer);
    if (Result<void> r = insert.exec(); !r)
        return r.error();
    return m_db.lastInsertRowId();
}

Result<QList<DeadLetterRow>> ProcessingStore::listDeadLetters(std::optional<DeadLetterStatus> status, int limit,
                                                              qint64 afterId)
{
    // Two statements rather than "status = ?1 OR ?1 IS NULL", so the status index is usable.
    Result<Statement *> stmt =
        status ? m_db.cached(sql(kDeadLetterColumns, "WHERE status = ?1 AND id > ?2 ORDER BY id LIMIT ?3"))
               : m_db.cached(sql(kDeadLetterColumns, "WHERE id > ?2 ORDER BY id LIMIT ?3"));
    if (!stmt)
        return stmt.error();
    Statement &select = **stmt;
    if (status)
        select.bindText(1, deadLetterStatusName(*status));
    select.bindInt64(2, afterId);
    select.bindInt(3, limit > 0 ? limit : -1); // a negative LIMIT is no limit in SQLite
    return readAll<DeadLetterRow>(select, readDeadLetter);
}

Result<DeadLetterRow> ProcessingStore::deadLetter(qint64 id)
{
    Result<Statement *> stmt = m_db.cached(sql(kDeadLetterColumns, "WHERE id = ?1"));
    if (!stmt)
        return stmt.error();
    (*stmt)->bindInt64(1, id);
    return readOne<DeadLetterRow>(**stmt, readDeadLetter, u"dead letter"_s, id);
}

Result<void> ProcessingStore::setDeadLetterStatus(qint64 id, DeadLetterStatus status, qint64 nowMs,
                                                  qint64 replayedAsJournalId)
{
    Result<Statement *> stmt =
        m_db.cached("UPDATE dlq SET status = ?2, status_changed_at_ms = ?3, replayed_as_journal_id = ?4 WHERE id = ?1");
    if (!stmt)
        return stmt.error();
    Statement &update = **stmt;
    update.bindInt64(1, id);
    update.bindText(2, deadLetterStatusName(status));
    update.bindInt64(3, nowMs);
    bindIdOrNull(update, 4, status == DeadLetterStatus::Replayed ? replayedAsJournalId : 0);
    if (Result<void> r = update.exec(); !r)
        return r;
    if (m_db.changes() == 0)
        return notFound(u"dead letter"_s, id);
    return {};
}

Result<QHash<qint64, int>> ProcessingStore::replayDepths(const QList<qint64> &journalIds)
{
    QHash<qint64, int> depths;
    if (journalIds.isEmpty())
        return depths;
    QJsonArray ids;
    for (qint64 id : journalIds)
        ids.append(id);
    // The ids arrive as one JSON array (json_each), so the cached statement fits any count. The
    // depth bound stops a corrupt cycle in derived_from from recursing forever.
    Result<Statement *> stmt = m_db.cached(R"sql(
WITH RECURSIVE
ids(id) AS (SELECT DISTINCT CAST(value AS INTEGER) FROM json_each(?1)),
chain(start, cur, depth) AS (
    SELECT ids.id, ids.id, 0 FROM ids JOIN journal j ON j.id = ids.id
    UNION ALL
    SELECT chain.start, j.derived_from, chain.depth + 1
    FROM chain JOIN journal j ON j.id = chain.cur
    WHERE j.derived_from IS NOT NULL AND chain.depth < 10000
)
SELECT start, max(depth) FROM chain GROUP BY start
)sql");
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
        depths.insert(select.columnInt64(0), select.columnInt(1));
    }
    select.reset();
    return depths;
}

} // namespace hookbench::store
