#include "core/store/journal_retention.h"

#include <QList>

#include "core/store/database.h"

using namespace Qt::StringLiterals;

namespace hookbench::store {

namespace {

// Finished entries, oldest first through journal_received_at. kafka_state is never 'pending';
// a dead letter still 'dead' keeps its entry; a produced entry needs its key in `processed`
// (the processor marks every key it is done with, also "no handler") or a dead letter the user
// replayed or discarded.
constexpr const char *kSelectSql =
    "SELECT id FROM journal j WHERE received_at_ms < ?1 AND kafka_state <> 'pending' "
    "AND NOT EXISTS (SELECT 1 FROM dlq d WHERE d.journal_id = j.id AND d.status = 'dead') "
    "AND (kafka_state = 'none' "
    "  OR EXISTS (SELECT 1 FROM processed p WHERE p.source = j.source AND p.idempotency_key = j.idempotency_key) "
    "  OR EXISTS (SELECT 1 FROM dlq d WHERE d.journal_id = j.id)) "
    "ORDER BY received_at_ms LIMIT ?2";

// Processed marks are keyed by (source, key); only the mark that names this entry goes with it.
constexpr const char *kDeleteProcessedSql =
    "DELETE FROM processed WHERE journal_id = ?1 AND (source, idempotency_key) IN "
    "(SELECT source, idempotency_key FROM journal WHERE id = ?1 AND idempotency_key IS NOT NULL)";
constexpr const char *kDeleteAttemptsSql = "DELETE FROM attempts WHERE journal_id = ?1";
constexpr const char *kDeleteDeadLettersSql = "DELETE FROM dlq WHERE journal_id = ?1 AND status <> 'dead'";
constexpr const char *kDeleteEntrySql = "DELETE FROM journal WHERE id = ?1";

} // namespace

JournalRetention::JournalRetention(Database &database) : m_db(database) {}

Result<RetentionCounts> JournalRetention::purgeStep(qint64 cutoffMs, int maxEntries)
{
    Result<Statement *> select = m_db.cached(kSelectSql);
    if (!select)
        return select.error();
    (*select)->bindInt64(1, cutoffMs);
    (*select)->bindInt(2, maxEntries);
    QList<qint64> ids;
    for (;;) {
        Result<bool> row = (*select)->step();
        if (!row)
            return row.error();
        if (!*row)
            break;
        ids.append((*select)->columnInt64(0));
    }
    (*select)->reset();

    RetentionCounts counts;
    // Dependent rows first: the entry row is what the processed mark is found through.
    const struct
    {
        const char *sql;
        qint64 RetentionCounts::*count;
    } steps[] = {
        {kDeleteAttemptsSql, &RetentionCounts::attempts},
        {kDeleteProcessedSql, &RetentionCounts::processed},
        {kDeleteDeadLettersSql, &RetentionCounts::deadLetters},
        {kDeleteEntrySql, &RetentionCounts::entries},
    };
    for (qint64 id : std::as_const(ids)) {
        for (const auto &step : steps) {
            Result<Statement *> stmt = m_db.cached(step.sql);
            if (!stmt)
                return stmt.error();
            (*stmt)->bindInt64(1, id);
            if (Result<void> r = (*stmt)->exec(); !r)
                return r.error();
            counts.*step.count += m_db.changes();
        }
    }
    return counts;
}

Result<void> JournalRetention::releaseFreePages()
{
    if (m_autoVacuum < 0) {
        Result<QString> mode = m_db.pragmaText("auto_vacuum");
        if (!mode)
            return mode.error();
        m_autoVacuum = mode->toInt();
    }
    constexpr int kIncremental = 2;
    if (m_autoVacuum != kIncremental)
        return {};
    return m_db.exec("PRAGMA incremental_vacuum");
}

} // namespace hookbench::store
