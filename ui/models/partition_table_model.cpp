#include "ui/models/partition_table_model.h"

#include <QLocale>

using namespace Qt::StringLiterals;

namespace hookbench::ui {

namespace {

bool sameSet(const QList<kafka::PartitionState> &a, const QList<kafka::PartitionState> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (a.at(i).topic != b.at(i).topic || a.at(i).partition != b.at(i).partition)
            return false;
    }
    return true;
}

bool sameValues(const kafka::PartitionState &a, const kafka::PartitionState &b)
{
    return a.highWatermark == b.highWatermark && a.committed == b.committed && a.lag == b.lag && a.owner == b.owner
           && a.lowWatermark == b.lowWatermark && a.inFlightOffset == b.inFlightOffset && a.leader == b.leader;
}

QString number(qint64 value)
{
    return value < 0 ? u"—"_s : QLocale().toString(value);
}

} // namespace

PartitionTableModel::PartitionTableModel(QObject *parent) : QAbstractTableModel(parent) {}

void PartitionTableModel::setState(const kafka::ConsumerGroupState &state)
{
    if (!sameSet(m_rows, state.partitions)) {
        beginResetModel();
        m_rows = state.partitions;
        endResetModel();
        return;
    }
    int first = -1;
    int last = -1;
    for (qsizetype i = 0; i < m_rows.size(); ++i) {
        if (sameValues(m_rows.at(i), state.partitions.at(i)))
            continue;
        m_rows[i] = state.partitions.at(i);
        if (first < 0)
            first = int(i);
        last = int(i);
    }
    // One range: a snapshot changes a handful of partitions at once (Convention 13).
    if (first >= 0)
        emit dataChanged(index(first, Leader), index(last, Owner));
}

int PartitionTableModel::partitionCount(const QString &topic) const
{
    int count = 0;
    for (const kafka::PartitionState &p : m_rows) {
        if (p.topic == topic)
            ++count;
    }
    return count;
}

QStringList PartitionTableModel::topics() const
{
    QStringList topics;
    for (const kafka::PartitionState &p : m_rows) {
        if (topics.isEmpty() || topics.last() != p.topic)
            topics.append(p.topic);
    }
    topics.removeDuplicates();
    return topics;
}

int PartitionTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int PartitionTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PartitionTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const kafka::PartitionState &p = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Topic: return p.topic;
        case Partition: return p.partition;
        case Leader: return p.leader < 0 ? u"—"_s : tr("broker %1").arg(p.leader);
        case HighWatermark: return number(p.highWatermark);
        case Committed: return number(p.committed);
        case Lag: return number(p.lag);
        case Owner: return p.owner.isEmpty() ? tr("unassigned") : p.owner;
        }
        break;
    case SortRole:
        switch (index.column()) {
        case Topic: return p.topic;
        case Partition: return qint64(p.partition);
        case Leader: return qint64(p.leader);
        case HighWatermark: return p.highWatermark;
        case Committed: return p.committed;
        case Lag: return p.lag;
        case Owner: return p.owner;
        }
        break;
    case Qt::TextAlignmentRole:
        if (index.column() != Topic && index.column() != Owner)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case Qt::ToolTipRole:
        switch (index.column()) {
        case Leader:
            return p.leader < 0 ? tr("The cluster metadata names no leader for this partition (yet)")
                                : tr("Broker that leads this partition, from the last metadata read");
        case Committed: return p.committed < 0 ? tr("Nothing committed yet") : tr("Next offset the group will consume");
        case Lag: return tr("High watermark minus committed offset");
        case Owner: return p.owner.isEmpty() ? tr("No consumer holds this partition") : QVariant();
        }
        break;
    case Qt::AccessibleTextRole: return data(index, Qt::DisplayRole);
    }
    return {};
}

QVariant PartitionTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Topic: return tr("Topic");
    case Partition: return tr("Partition");
    case Leader: return tr("Leader");
    case HighWatermark: return tr("High watermark");
    case Committed: return tr("Committed");
    case Lag: return tr("Lag");
    case Owner: return tr("Owner");
    }
    return {};
}

} // namespace hookbench::ui
