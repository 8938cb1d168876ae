#include "core/processing/delivery_planner.h"

#include <QUrl>

#include "core/store/processing_store.h"

namespace hookbench::processing {

DeliveryPlanner::DeliveryPlanner(store::ProcessingStore &store, int refreshMs) : m_store(store), m_refreshMs(refreshMs)
{}

Result<void> DeliveryPlanner::refreshIfStale()
{
    if (m_age.isValid() && m_age.elapsed() < m_refreshMs)
        return {};
    return refresh();
}

Result<void> DeliveryPlanner::refresh()
{
    // Restart the clock even on failure: a locked database is retried after refreshMs, not for
    // every record.
    m_age.start();
    Result<QList<store::SubscriptionRow>> subscriptions = m_store.subscriptions();
    if (!subscriptions)
        return subscriptions.error();
    Result<QList<store::TargetRow>> targets = m_store.targets();
    if (!targets)
        return targets.error();
    Result<QList<store::FilterRow>> filters = m_store.filters();
    if (!filters)
        return filters.error();

    QHash<qint64, store::TargetRow> targetById;
    for (const store::TargetRow &row : *targets)
        targetById.insert(row.id, row);
    QHash<qint64, QStringList> filterById;
    for (const store::FilterRow &row : *filters)
        filterById.insert(row.id, row.events);

    QList<Entry> entries;
    for (const store::SubscriptionRow &sub : *subscriptions) {
        if (!sub.active || !targetById.contains(sub.targetId))
            continue;
        const store::TargetRow &target = targetById[sub.targetId];
        Entry entry;
        entry.subscriptionId = sub.id;
        entry.target.url = QUrl(target.url);
        entry.target.headers = target.headers;
        entry.target.timeoutMs = target.timeoutMs;
        // filter_id 0 (NULL) is no filter; an unknown filter id cannot happen (foreign key).
        entry.filter = EventFilter(filterById.value(sub.filterId));
        entries.append(std::move(entry));
    }
    m_entries = std::move(entries);
    return {};
}

QList<Delivery> DeliveryPlanner::plan(const QString &eventType, bool simulate) const
{
    QList<Delivery> out;
    for (const Entry &entry : m_entries) {
        if (entry.filter.matches(eventType))
            out.append(Delivery{entry.subscriptionId, entry.target});
    }
    if (simulate)
        out.append(Delivery{});
    return out;
}

QList<Delivery> DeliveryPlanner::planPending(const QList<qint64> &subscriptionIds, bool simulate) const
{
    QList<Delivery> out;
    for (const qint64 id : subscriptionIds) {
        if (id == 0) {
            if (simulate)
                out.append(Delivery{});
            continue;
        }
        for (const Entry &entry : m_entries) {
            if (entry.subscriptionId == id) {
                out.append(Delivery{entry.subscriptionId, entry.target});
                break;
            }
        }
    }
    return out;
}

} // namespace hookbench::processing
