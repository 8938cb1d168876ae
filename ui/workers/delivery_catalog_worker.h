#pragma once

// DeliveryCatalogWorker: the forward targets, event filters and subscriptions (the consumer
// side's delivery settings) as the settings dialog edits them: one row per subscription with its
// target and filter. Reads and writes through core's ProcessingStore on its own thread and
// connection — the same store the admin API uses — so the running consumers pick a change up
// on their next subscription refresh (within a second), with no restart.

#include <memory>

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include "core/http/http_request.h"

namespace hookbench::store {
class Database;
class ProcessingStore;
} // namespace hookbench::store

namespace hookbench::ui {

struct DeliveryRow
{
    qint64 subscriptionId = 0; // 0: a new subscription
    qint64 targetId = 0;
    qint64 filterId = 0; // 0: no filter, every event
    QString url;
    http::HeaderList headers;
    int timeoutMs = 10'000;
    QStringList events; // empty: every event type
    bool active = true;
};

class DeliveryCatalogWorker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeliveryCatalogWorker)

public:
    explicit DeliveryCatalogWorker(QString databasePath);
    ~DeliveryCatalogWorker() override;

    // Run on the worker's thread (post them with QMetaObject::invokeMethod). Each answers with
    // loaded() (the rows after the change) or failed().
    void load();
    // Creates (subscriptionId 0) or updates the subscription with its target and filter. The
    // row must be valid (DeliveryRowCheck in the page checks it with core's rules first).
    void save(const hookbench::ui::DeliveryRow &row);
    // Deletes the subscription, and its target and filter unless another subscription uses them.
    void remove(const hookbench::ui::DeliveryRow &row);

signals:
    void loaded(const QList<hookbench::ui::DeliveryRow> &rows);
    void saved(qint64 subscriptionId);
    void failed(const QString &message);

private:
    bool open();

    QString m_databasePath;
    std::unique_ptr<store::Database> m_db;
    std::unique_ptr<store::ProcessingStore> m_store;
};

} // namespace hookbench::ui
