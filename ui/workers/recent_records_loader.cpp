#include "ui/workers/recent_records_loader.h"

#include <QDateTime>

#include "core/store/journal_query.h"

namespace hookbench::ui {

namespace {

// An entry still pending after this long is in the outbox (Kafka unreachable): stop waiting for
// it so newer records keep flowing; it shows up in the views after a restart of the feed.
constexpr qint64 kPendingPatienceMs = 10'000;
constexpr int kPageSize = 1000;

} // namespace

RecentRecordsLoader::RecentRecordsLoader(QString databasePath, int initialLimit, QObject *parent)
    : QObject(parent)
    , m_databasePath(std::move(databasePath))
    , m_initialLimit(initialLimit)
{}

RecentRecordsLoader::~RecentRecordsLoader() = default;

void RecentRecordsLoader::fetch()
{
    if (!m_query) {
        auto opened = store::JournalQuery::open(m_databasePath);
        if (!opened) {
            emit failed(opened.error().message);
            return;
        }
        m_query = std::move(opened).value();
    }

    store::JournalFilter filter;
    if (m_cursor < 0) {
        filter.limit = m_initialLimit; // the newest entries
    } else {
        filter.afterId = m_cursor;
        filter.limit = kPageSize;
    }
    auto listed = m_query->list(filter);
    if (!listed) {
        emit failed(listed.error().message);
        return;
    }
    if (m_cursor < 0)
        m_cursor = 0;

    // Entries are journaled before Kafka answers and marked produced later, not necessarily in id
    // order, so the cursor only moves past entries that are settled; produced entries above a
    // pending one are remembered so they are emitted once.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    bool blocked = false;
    QList<RecentRecord> records;
    for (const store::JournalEntry &entry : *listed) {
        const bool pending = entry.kafkaState == store::KafkaState::Pending;
        if (pending && now - entry.receivedAtMs < kPendingPatienceMs) {
            blocked = true;
            continue;
        }
        if (entry.kafkaState == store::KafkaState::Produced && !m_emittedAbove.contains(entry.id)) {
            RecentRecord record;
            record.journalId = entry.id;
            record.source = entry.source;
            record.topic = entry.topic;
            record.partition = entry.partition;
            record.offset = entry.offset;
            record.entityKey = entry.entityKey;
            record.eventType = entry.eventType;
            record.receivedAtMs = entry.receivedAtMs;
            records.append(record);
            if (blocked)
                m_emittedAbove.insert(entry.id);
        }
        if (!blocked) {
            m_cursor = entry.id;
            m_emittedAbove.remove(entry.id);
        }
    }
    if (!records.isEmpty())
        emit fetched(records);
}

} // namespace hookbench::ui
