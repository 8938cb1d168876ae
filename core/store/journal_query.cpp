#include "core/store/journal_query.h"

#include <algorithm>
#include <variant>
#include <vector>

#include <QMutex>

#include "core/store/database.h"
#include "core/store/journal_table.h"

using namespace Qt::StringLiterals;

namespace hookbench::store {

namespace {

using Param = std::variant<qint64, QString, QByteArray>;

// WHERE clause and its parameters for a filter; paging ids only when withIds.
struct Where
{
    QByteArray sql;
    std::vector<Param> params;

    void add(QByteArray c, Param param)
    {
        params.push_back(std::move(param));
        // Each condition names its parameter as "?", numbered here so one value can be reused.
        c.replace("?", QByteArray('?' + QByteArray::number(qsizetype(params.size()))));
        add(c);
    }
    // A condition without parameters.
    void add(const QByteArray &condition) { sql += (sql.isEmpty() ? " WHERE " : " AND ") + condition; }
};

// The processing-state conditions, in ProcessingQuery::statusOf's precedence. "Done" is the
// processed-key row written for this very entry (matched on the primary key, so it is an index
// lookup); the newest dead letter decides the DLQ states; a failed attempt without either means
// retrying.
constexpr const char *kProcessed = "EXISTS (SELECT 1 FROM processed p WHERE p.source = journal.source "
                                   "AND p.idempotency_key = journal.idempotency_key AND p.journal_id = journal.id)";
constexpr const char *kNewestDeadLetterStatus =
    "(SELECT status FROM dlq WHERE dlq.journal_id = journal.id ORDER BY dlq.id DESC LIMIT 1)";
constexpr const char *kDeadLettered = "EXISTS (SELECT 1 FROM dlq WHERE dlq.journal_id = journal.id)";
constexpr const char *kFailedAttempt =
    "EXISTS (SELECT 1 FROM attempts a WHERE a.journal_id = journal.id AND a.outcome <> 'success')";

void addProcessingState(Where &w, ProcessingState state)
{
    const QByteArray notDone = QByteArray("NOT ") + kProcessed;
    switch (state) {
    case ProcessingState::Done: w.add(kProcessed); return;
    case ProcessingState::DeadLettered:
    case ProcessingState::Replayed:
    case ProcessingState::Discarded: {
        const DeadLetterStatus status = state == ProcessingState::DeadLettered ? DeadLetterStatus::Dead
                                        : state == ProcessingState::Replayed   ? DeadLetterStatus::Replayed
                                                                               : DeadLetterStatus::Discarded;
        w.add(notDone);
        w.add(QByteArray(kNewestDeadLetterStatus) + " = ?", deadLetterStatusName(status));
        return;
    }
    case ProcessingState::Retrying:
        w.add(notDone);
        w.add(QByteArray("NOT ") + kDeadLettered);
        w.add(kFailedAttempt);
        return;
    case ProcessingState::Pending:
        w.add("kafka_state = 'produced'");
        w.add(notDone);
        w.add(QByteArray("NOT ") + kDeadLettered);
        w.add(QByteArray("NOT ") + kFailedAttempt);
        return;
    }
}

Where buildWhere(const JournalFilter &f)
{
    Where w;
    if (!f.source.isEmpty())
        w.add("source = ?", f.source);
    if (f.verdict)
        w.add("verdict = ?", verdictName(*f.verdict));
    if (f.kafkaState)
        w.add("kafka_state = ?", kafkaStateName(*f.kafkaState));
    if (f.processingState)
        addProcessingState(w, *f.processingState);
    if (!f.eventType.isEmpty())
        w.add("event_type = ?", f.eventType);
    if (!f.keySubstring.isEmpty()) {
        // instr() on two BLOBs compares bytes: no LIKE wildcards to escape, binary keys work.
        w.add("(instr(idempotency_key, ?) > 0 OR instr(entity_key, ?) > 0)", f.keySubstring);
    }
    if (f.sinceMs > 0)
        w.add("received_at_ms >= ?", f.sinceMs);
    if (f.untilMs > 0)
        w.add("received_at_ms < ?", f.untilMs);
    if (f.afterId > 0)
        w.add("id > ?", f.afterId);
    if (f.beforeId > 0)
        w.add("id < ?", f.beforeId);
    return w;
}

void bindParams(Statement &stmt, const std::vector<Param> &params)
{
    for (size_t i = 0; i < params.size(); ++i) {
        const int index = int(i) + 1;
        if (const auto *n = std::get_if<qint64>(&params[i]))
            stmt.bindInt64(index, *n);
        else if (const auto *s = std::get_if<QString>(&params[i]))
            stmt.bindText(index, *s);
        else
            stmt.bindBlob(index, std::get<QByteArray>(params[i]));
    }
}

Result<QList<JournalEntry>> readAll(Statement &stmt)
{
    QList<JournalEntry> entries;
    for (;;) {
        Result<bool> row = stmt.step();
        if (!row)
            return row.error();
        if (!*row)
            return entries;
        Result<JournalEntry> entry = JournalTable::read(stmt);
        if (!entry)
            return entry.error();
        entries.append(std::move(*entry));
    }
}

} // namespace

struct JournalQuery::Private
{
    QMutex mutex;
    std::unique_ptr<Database> db;
};

JournalQuery::JournalQuery() : d(std::make_unique<Private>()) {}

JournalQuery::~JournalQuery() = default;

Result<std::unique_ptr<JournalQuery>> JournalQuery::open(const QString &databasePath)
{
    Result<std::unique_ptr<Database>> db = Database::open(databasePath, OpenMode::ReadOnly);
    if (!db)
        return db.error();
    std::unique_ptr<JournalQuery> query(new JournalQuery);
    query->d->db = std::move(*db);
    return query;
}

QString JournalQuery::databasePath() const
{
    return d->db->path();
}

Result<std::optional<JournalEntry>> JournalQuery::entry(qint64 id) const
{
    using R = Result<std::optional<JournalEntry>>;
    QMutexLocker lock(&d->mutex);
    Result<Statement *> stmt = d->db->cached(QByteArray(JournalTable::selectSql(true) + " WHERE id = ?1"));
    if (!stmt)
        return stmt.error();
    Statement &select = **stmt;
    select.bindInt64(1, id);
    Result<bool> row = select.step();
    if (!row)
        return row.error();
    if (!*row)
        return R(std::optional<JournalEntry>());
    Result<JournalEntry> entry = JournalTable::read(select);
    select.reset(); // end the read transaction now rather than at the next call
    if (!entry)
        return entry.error();
    return R(std::optional<JournalEntry>(std::move(*entry)));
}

Result<QList<JournalEntry>> JournalQuery::list(const JournalFilter &filter) const
{
    const Where where = buildWhere(filter);
    // Paging backward reads newest-first from the boundary, then flips to id order.
    const bool forward = filter.afterId > 0;
    const QByteArray sql = JournalTable::selectSql(filter.withBodies) + where.sql
                           + (forward ? " ORDER BY id ASC" : " ORDER BY id DESC") + " LIMIT "
                           + QByteArray::number(filter.limit > 0 ? filter.limit : -1);

    QMutexLocker lock(&d->mutex);
    Result<Statement> stmt = d->db->prepare(sql);
    if (!stmt)
        return stmt.error();
    bindParams(*stmt, where.params);
    Result<QList<JournalEntry>> entries = readAll(*stmt);
    if (entries && !forward)
        std::reverse(entries->begin(), entries->end());
    return entries;
}

Result<qint64> JournalQuery::count(const JournalFilter &filter) const
{
    const Where where = buildWhere(filter);
    QMutexLocker lock(&d->mutex);
    Result<Statement> stmt = d->db->prepare(QByteArray("SELECT count(*) FROM journal" + where.sql));
    if (!stmt)
        return stmt.error();
    bindParams(*stmt, where.params);
    Result<bool> row = stmt->step();
    if (!row)
        return row.error();
    return *row ? stmt->columnInt64(0) : 0;
}

Result<QList<JournalEntry>> JournalQuery::duplicatesOf(qint64 id) const
{
    QMutexLocker lock(&d->mutex);
    Result<Statement *> stmt =
        d->db->cached(QByteArray(JournalTable::selectSql(false) + " WHERE duplicate_of = ?1 ORDER BY id"));
    if (!stmt)
        return stmt.error();
    (*stmt)->bindInt64(1, id);
    Result<QList<JournalEntry>> entries = readAll(**stmt);
    (*stmt)->reset();
    return entries;
}

Result<bool> JournalQuery::contains(qint64 id) const
{
    QMutexLocker lock(&d->mutex);
    Result<Statement *> stmt = d->db->cached("SELECT 1 FROM journal WHERE id = ?1");
    if (!stmt)
        return stmt.error();
    (*stmt)->bindInt64(1, id);
    Result<bool> row = (*stmt)->step();
    (*stmt)->reset();
    return row;
}

} // namespace hookbench::store
