#include "core/store/dedup_store.h"

#include <limits>
#include <optional>

#include "core/store/database.h"

using namespace Qt::StringLiterals;

namespace hookbench::store {

namespace {

// The whole claim in one statement: insert, or take over the existing row only when it has
// expired. RETURNING yields a row exactly when this call wrote the claim.
constexpr const char *kClaimSql =
    "INSERT INTO dedup(source, key, journal_id, first_seen_ms, expires_at_ms) VALUES(?1, ?2, ?3, ?4, ?5) "
    "ON CONFLICT(source, key) DO UPDATE SET journal_id = excluded.journal_id, "
    "first_seen_ms = excluded.first_seen_ms, expires_at_ms = excluded.expires_at_ms "
    "WHERE dedup.expires_at_ms <= excluded.first_seen_ms "
    "RETURNING journal_id";

// Only reads: who holds the claim that made ours a duplicate.
constexpr const char *kHolderSql = "SELECT journal_id, first_seen_ms FROM dedup WHERE source = ?1 AND key = ?2";

// Small chunks keep the write lock short so ingest never waits long behind a purge.
constexpr const char *kPurgeSql =
    "DELETE FROM dedup WHERE (source, key) IN "
    "(SELECT source, key FROM dedup WHERE expires_at_ms <= ?1 ORDER BY expires_at_ms LIMIT ?2)";

} // namespace

DedupStore::DedupStore(Database &database) : m_db(database) {}

Result<ClaimResult> DedupStore::claim(const QString &source, const QByteArray &key, qint64 journalId, qint64 nowMs,
                                      qint64 ttlMs)
{
    if (key.isEmpty()) {
        return Result<ClaimResult>::failure(u"store_invalid_key"_s,
                                            u"cannot claim an empty idempotency key for source \"%1\""_s.arg(source));
    }
    // No surrounding transaction is needed: the upsert alone decides the claim atomically, and
    // the holder lookup after a lost claim only reads. Outside a transaction another connection
    // may purge or take over an expired holder in between; then the claim is simply retried.
    constexpr int kAttempts = 3;
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
        Result<std::optional<ClaimResult>> r = tryClaim(source, key, journalId, nowMs, ttlMs);
        if (!r)
            return r.error();
        if (*r)
            return **r;
    }
    return Result<ClaimResult>::failure(
        u"store_query_failed"_s,
        u"claim for key \"%1\" of source \"%2\" kept conflicting with a holder that vanished"_s.arg(
            QString::fromLatin1(key.toPercentEncoding()), source));
}

Result<std::optional<ClaimResult>> DedupStore::tryClaim(const QString &source, const QByteArray &key, qint64 journalId,
                                                        qint64 nowMs, qint64 ttlMs)
{
    Result<Statement *> claimStmt = m_db.cached(kClaimSql);
    if (!claimStmt)
        return claimStmt.error();
    Statement &claim = **claimStmt;
    // Saturate so a huge TTL means "never expires" instead of overflowing into the past.
    const qint64 expiresAt =
        ttlMs > std::numeric_limits<qint64>::max() - nowMs ? std::numeric_limits<qint64>::max() : nowMs + ttlMs;
    claim.bindText(1, source);
    claim.bindBlob(2, key);
    claim.bindInt64(3, journalId);
    claim.bindInt64(4, nowMs);
    claim.bindInt64(5, expiresAt);
    Result<bool> row = claim.step();
    if (!row)
        return row.error();
    const bool claimed = *row;
    // Step to completion so the statement is finished before the next one runs.
    if (Result<void> r = claim.exec(); !r)
        return r.error();
    if (claimed)
        return std::optional<ClaimResult>(ClaimResult{true, journalId, nowMs});

    Result<Statement *> holderStmt = m_db.cached(kHolderSql);
    if (!holderStmt)
        return holderStmt.error();
    Statement &holder = **holderStmt;
    holder.bindText(1, source);
    holder.bindBlob(2, key);
    Result<bool> found = holder.step();
    if (!found)
        return found.error();
    if (!*found)
        return std::optional<ClaimResult>(); // purged since the conflict: try again
    ClaimResult result{false, holder.columnInt64(0), holder.columnInt64(1)};
    holder.reset();
    return std::optional<ClaimResult>(result);
}

Result<int> DedupStore::purgeExpired(qint64 nowMs, int maxRows)
{
    Result<Statement *> stmt = m_db.cached(kPurgeSql);
    if (!stmt)
        return stmt.error();
    Statement &purge = **stmt;
    purge.bindInt64(1, nowMs);
    purge.bindInt(2, maxRows);
    if (Result<void> r = purge.exec(); !r)
        return r.error();
    return m_db.changes();
}

} // namespace hookbench::store
