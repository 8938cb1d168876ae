#pragma once

// RebalanceTableModel: the consumer group's rebalance log, newest first (time, member, protocol,
// partitions revoked, partitions assigned).

#include <QAbstractTableModel>
#include <QList>

#include "core/kafka/consumer_group_state.h"

namespace hookbench::ui {

class RebalanceTableModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RebalanceTableModel)

public:
    enum Column { Time, Member, Revoked, Assigned, Protocol, ColumnCount };

    explicit RebalanceTableModel(QObject *parent = nullptr);

    // The log as the snapshot keeps it (oldest first); new events are inserted at the top.
    void setEvents(const QList<kafka::RebalanceEvent> &events);

    // "stripe-0, stripe-3" for partitions of webhooks.stripe; "—" for none.
    static QString describe(const QList<kafka::TopicPartition> &partitions);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<kafka::RebalanceEvent> m_events; // newest first
};

} // namespace hookbench::ui
