#include "ui/workers/delivery_catalog_worker.h"

#include <QDateTime>
#include <QHash>

#include "core/store/database.h"
#include "core/store/processing_store.h"

using namespace Qt::StringLiterals;

namespace hookbench::ui {

DeliveryCatalogWorker::DeliveryCatalogWorker(QString databasePath) : m_databasePath(std::move(databasePath)) {}

DeliveryCatalogWorker::~DeliveryCatalogWorker() = default;

bool DeliveryCatalogWorker::open()
{
    if (m_store)
        return true;
    auto db = store::Database::open(m_databasePath);
    if (!db) {
        emit failed(tr("Cannot open the database for targets and subscriptions: %1").arg(db.error().message));
        return false;
    }
    m_db = std::move(db.value());
    m_store = std::make_unique<store::ProcessingStore>(*m_db);
    return true;
}

void DeliveryCatalogWorker::load()
{
    if (!open())
        return;
    auto subscriptions = m_store->subscriptions();
    auto targets = m_store->targets();
    auto filters = m_store->filters();
    for (const Error *e : {subscriptions ? nullptr : &subscriptions.error(), targets ? nullptr : &targets.error(),
                           filters ? nullptr : &filters.error()}) {
        if (e)
            return emit failed(tr("Cannot read targets and subscriptions: %1").arg(e->message));
    }
    QHash<qint64, store::TargetRow> targetById;
    for (const store::TargetRow &t : *targets)
        targetById.insert(t.id, t);
    QHash<qint64, QStringList> eventsById;
    for (const store::FilterRow &f : *filters)
        eventsById.insert(f.id, f.events);
    QList<DeliveryRow> rows;
    for (const store::SubscriptionRow &s : *subscriptions) {
        DeliveryRow row;
        row.subscriptionId = s.id;
        row.targetId = s.targetId;
        row.filterId = s.filterId;
        row.active = s.active;
        const store::TargetRow target = targetById.value(s.targetId);
        row.url = target.url;
        row.headers = target.headers;
        row.timeoutMs = target.timeoutMs;
        row.events = eventsById.value(s.filterId);
        rows.append(row);
    }
    emit loaded(rows);
}

void DeliveryCatalogWorker::save(const DeliveryRow &row)
{
    if (!open())
        return;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    auto fail = [this](const Error &e) { emit failed(tr("Saving the subscription failed: %1").arg(e.message)); };

    store::TargetRow target;
    target.id = row.targetId;
    target.url = row.url;
    target.headers = row.headers;
    target.timeoutMs = row.timeoutMs;
    target.createdAtMs = now;
    if (target.id == 0) {
        auto created = m_store->createTarget(target);
        if (!created)
            return fail(created.error());
        target.id = *created;
    } else if (auto updated = m_store->updateTarget(target); !updated) {
        return fail(updated.error());
    }

    // The filter follows the events: none for every event, created, updated, or dropped.
    qint64 filterId = row.filterId;
    qint64 dropFilter = 0;
    if (!row.events.isEmpty()) {
        store::FilterRow filter;
        filter.id = filterId;
        filter.events = row.events;
        if (filterId == 0) {
            auto created = m_store->createFilter(filter);
            if (!created)
                return fail(created.error());
            filterId = *created;
        } else if (auto updated = m_store->updateFilter(filter); !updated) {
            return fail(updated.error());
        }
    } else if (filterId != 0) {
        dropFilter = filterId;
        filterId = 0;
    }

    store::SubscriptionRow subscription;
    subscription.id = row.subscriptionId;
    subscription.targetId = target.id;
    subscription.filterId = filterId;
    subscription.active = row.active;
    subscription.createdAtMs = now;
    if (subscription.id == 0) {
        auto created = m_store->createSubscription(subscription);
        if (!created)
            return fail(created.error());
        subscription.id = *created;
    } else if (auto updated = m_store->updateSubscription(subscription); !updated) {
        return fail(updated.error());
    }
    if (dropFilter != 0)
        (void)m_store->deleteFilter(dropFilter); // in_use: another subscription still filters with it
    emit saved(subscription.id);
    load();
}

void DeliveryCatalogWorker::remove(const DeliveryRow &row)
{
    if (!open())
        return;
    if (auto removed = m_store->deleteSubscription(row.subscriptionId); !removed)
        return emit failed(
            tr("Removing subscription %1 failed: %2").arg(row.subscriptionId).arg(removed.error().message));
    // Shared with another subscription: the store answers in_use and keeps them.
    (void)m_store->deleteTarget(row.targetId);
    if (row.filterId != 0)
        (void)m_store->deleteFilter(row.filterId);
    load();
}

} // namespace hookbench::ui
