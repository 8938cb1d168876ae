#pragma once

// DeliveryPlanner: which deliveries a record gets. One per active subscription whose filter
// matches the record's event type (subscriptions are not tied to a source), plus the simulate
// handler (subscription id 0) when the record's source has simulate settings.
//
// Subscriptions, targets and filters are read from the ProcessingStore; the admin API changes
// them at runtime on another connection, so the cached copy is re-read when it is older than
// refreshMs. A failed re-read keeps the previous copy (SQLite busy is not a reason to stall).
//
// Use from one thread (the processor's).

#include <QElapsedTimer>
#include <QHash>
#include <QList>

#include "core/processing/event_filter.h"
#include "core/processing/target_settings.h"
#include "core/util/result.h"

namespace hookbench::store {
class ProcessingStore;
} // namespace hookbench::store

namespace hookbench::processing {

struct Delivery
{
    qint64 subscriptionId = 0; // 0: the simulate handler
    TargetSettings target;     // forwards only

    bool isSimulate() const { return subscriptionId == 0; }
};

class DeliveryPlanner
{
public:
    DeliveryPlanner(store::ProcessingStore &store, int refreshMs);

    // Re-reads the store if the cache is older than refreshMs (or was never read).
    Result<void> refreshIfStale();
    Result<void> refresh();

    // Every matching active subscription, by id, then simulate when `simulate`.
    QList<Delivery> plan(const QString &eventType, bool simulate) const;
    // The deliveries still pending from a retry-topic copy: ids that are gone or inactive now are
    // dropped (the user detached them), 0 stays only when `simulate`.
    QList<Delivery> planPending(const QList<qint64> &subscriptionIds, bool simulate) const;

private:
    struct Entry
    {
        qint64 subscriptionId = 0;
        TargetSettings target;
        EventFilter filter;
    };

    store::ProcessingStore &m_store;
    int m_refreshMs;
    QElapsedTimer m_age;
    QList<Entry> m_entries; // active subscriptions only
};

} // namespace hookbench::processing
