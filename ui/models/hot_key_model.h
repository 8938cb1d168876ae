#pragma once

// HotKeyModel: the busiest entity keys per partition over the recent records — a hot key is
// what makes one partition (and its consumer) lag while the others idle.

#include <QAbstractTableModel>
#include <QByteArray>
#include <QList>
#include <QString>

#include "ui/models/recent_record.h"

namespace hookbench::ui {

struct HotKey
{
    QString topic;
    int partition = -1;
    QByteArray key;
    int count = 0;          // records with this key in the partition
    int partitionTotal = 0; // records in the partition

    friend bool operator==(const HotKey &, const HotKey &) = default;
};

class HotKeyModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HotKeyModel)

public:
    enum Column { Topic, Partition, Key, Count, Share, ColumnCount };
    static constexpr int KeyRole = Qt::UserRole + 1; // the key's bytes

    explicit HotKeyModel(QObject *parent = nullptr);

    // The top `perPartition` keys of every (topic, partition), ordered by topic, partition, then
    // count descending and key ascending. Records without a key are counted as the key "".
    static QList<HotKey> compute(const QList<RecentRecord> &records, int perPartition);

    void setHotKeys(const QList<HotKey> &hotKeys);
    const QList<HotKey> &hotKeys() const { return m_rows; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<HotKey> m_rows;
};

} // namespace hookbench::ui
