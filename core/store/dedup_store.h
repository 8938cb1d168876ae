#pragma once

// DedupStore: idempotency-key claims in the `dedup` table. A claim is one atomic SQL statement
// (an upsert that only takes over an expired row), so two connections racing on the same key
// cannot both win — the check-then-set race of "exists, then insert" cannot happen. Keys are
// scoped by source: the same delivery id under two sources is two keys.
//
// Times are passed in (nowMs) so tests drive expiry with a ManualClock. Internal to core/store;
// the pipeline claims through JournalWriter::ingest.

#include <optional>

#include <QByteArray>
#include <QString>

#include "core/util/result.h"

namespace hookbench::store {

class Database;

struct ClaimResult
{
    bool claimed = false;      // this call now holds the key
    qint64 firstJournalId = 0; // journal id holding the claim (this one when claimed)
    qint64 firstSeenMs = 0;    // when the holder claimed it
};

class DedupStore
{
public:
    // `database` must outlive the store and be used by one thread at a time.
    explicit DedupStore(Database &database);
    DedupStore(const DedupStore &) = delete;
    DedupStore &operator=(const DedupStore &) = delete;

    // Claims (source, key) for journalId until nowMs + ttlMs. A live claim (expires_at_ms >
    // nowMs) makes this a duplicate; an expired one is taken over. Runs in the caller's
    // transaction if one is open (the journal writer), else as its own atomic statement.
    Result<ClaimResult> claim(const QString &source, const QByteArray &key, qint64 journalId, qint64 nowMs,
                              qint64 ttlMs);

    // Deletes at most maxRows claims that expired at or before nowMs; returns how many were
    // deleted. Callers loop (between other work) until it returns less than maxRows.
    Result<int> purgeExpired(qint64 nowMs, int maxRows);

private:
    // nullopt: the claim lost, but its holder was gone before it could be read.
    Result<std::optional<ClaimResult>> tryClaim(const QString &source, const QByteArray &key, qint64 journalId,
                                                qint64 nowMs, qint64 ttlMs);

    Database &m_db;
};

} // namespace hookbench::store
