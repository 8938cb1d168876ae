#pragma once

// JournalQuery: reads the journal for the pipeline, the UI and tests, on its own read-only
// SQLite connection. WAL lets it read while the JournalWriter commits, and it sees every
// committed batch. Results are ordered by id, oldest first; paging works in both directions
// with beforeId / afterId so a view can page older rows in and follow newer ones.
//
// Thread-safe (calls are serialised on the connection), but each call blocks on SQLite: keep
// big reads off the GUI thread.

#include <memory>
#include <optional>

#include <QByteArray>
#include <QList>
#include <QString>

#include "core/store/journal_entry.h"
#include "core/store/processing_query.h"
#include "core/util/result.h"

namespace hookbench::store {

struct JournalFilter
{
    QString source{}; // exact; empty = any
    std::optional<Verdict> verdict{};
    std::optional<KafkaState> kafkaState{};
    // Consumer-side state, decided like ProcessingQuery::statusOf (done, then the newest dead
    // letter, then failed attempts). Pending matches only entries produced to Kafka: an entry
    // that never reached Kafka has nothing to process.
    std::optional<ProcessingState> processingState{};
    QString eventType{};       // exact; empty = any
    QByteArray keySubstring{}; // bytes contained in the idempotency key or entity key
    qint64 sinceMs = 0;        // received_at_ms >= sinceMs, when > 0
    qint64 untilMs = 0;        // received_at_ms < untilMs, when > 0
    // Paging. afterId > 0: the `limit` entries right after afterId (page forward, newer rows),
    // also bounded by beforeId when set. Otherwise the `limit` entries right before beforeId
    // (page backward), or the newest `limit` entries when beforeId is 0 too.
    qint64 beforeId = 0;
    qint64 afterId = 0;
    int limit = 100;         // <= 0: no limit
    bool withBodies = false; // false: body left empty (bodySize is still set)
};

class JournalQuery
{
public:
    // Opens a read-only connection to a journal that a JournalWriter has created.
    static Result<std::unique_ptr<JournalQuery>> open(const QString &databasePath);
    ~JournalQuery();
    JournalQuery(const JournalQuery &) = delete;
    JournalQuery &operator=(const JournalQuery &) = delete;

    // One entry with its body; nullopt when there is no entry with this id.
    Result<std::optional<JournalEntry>> entry(qint64 id) const;
    // Entries matching the filter, ordered by id ascending (see JournalFilter for paging).
    Result<QList<JournalEntry>> list(const JournalFilter &filter) const;
    // How many entries match; honours beforeId/afterId, ignores limit.
    Result<qint64> count(const JournalFilter &filter) const;
    // Entries recorded as duplicates of entry `id`, oldest first, without bodies.
    Result<QList<JournalEntry>> duplicatesOf(qint64 id) const;
    // Whether entry `id` is in the journal. A lineage id (derived_from, duplicate_of) that is
    // not was deleted by the data retention: views show it as purged.
    Result<bool> contains(qint64 id) const;

    QString databasePath() const;

private:
    JournalQuery();
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace hookbench::store
