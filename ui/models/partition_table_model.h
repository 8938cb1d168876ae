#pragma once

// PartitionTableModel: one row per partition of the consumer group's topics (topic, partition,
// leader, high watermark, committed offset, lag, owning consumer), fed with snapshots.
// setState() updates rows in place (dataChanged over the changed range) while the set of
// partitions stays the same, and resets the model only when partitions appear or disappear.

#include <QAbstractTableModel>
#include <QList>

#include "core/kafka/consumer_group_state.h"

namespace hookbench::ui {

class PartitionTableModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PartitionTableModel)

public:
    enum Column { Topic, Partition, Leader, HighWatermark, Committed, Lag, Owner, ColumnCount };
    // Raw values for sorting and tests: qint64 for numbers (-1 unknown), QString otherwise.
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit PartitionTableModel(QObject *parent = nullptr);

    void setState(const kafka::ConsumerGroupState &state);
    const QList<kafka::PartitionState> &partitions() const { return m_rows; }
    // Partition count of a topic in the last state (0 when unknown).
    int partitionCount(const QString &topic) const;
    QStringList topics() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<kafka::PartitionState> m_rows;
};

} // namespace hookbench::ui
