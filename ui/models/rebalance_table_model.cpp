#include "ui/models/rebalance_table_model.h"

#include <algorithm>

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace hookbench::ui {

namespace {

bool sameEvent(const kafka::RebalanceEvent &a, const kafka::RebalanceEvent &b)
{
    return a.timeMs == b.timeMs && a.memberId == b.memberId && a.revoked == b.revoked && a.assigned == b.assigned;
}

} // namespace

RebalanceTableModel::RebalanceTableModel(QObject *parent) : QAbstractTableModel(parent) {}

void RebalanceTableModel::setEvents(const QList<kafka::RebalanceEvent> &events)
{
    QList<kafka::RebalanceEvent> newestFirst(events.crbegin(), events.crend());
    // Common case: the log grew at its end (our top) and nothing else changed.
    if (!m_events.isEmpty() && newestFirst.size() > m_events.size()) {
        const qsizetype added = newestFirst.size() - m_events.size();
        if (sameEvent(newestFirst.at(added), m_events.first()) && sameEvent(newestFirst.last(), m_events.last())) {
            beginInsertRows({}, 0, int(added) - 1);
            m_events = newestFirst;
            endInsertRows();
            return;
        }
    }
    if (newestFirst.size() == m_events.size()
        && std::equal(newestFirst.cbegin(), newestFirst.cend(), m_events.cbegin(), sameEvent))
        return;
    beginResetModel();
    m_events = newestFirst;
    endResetModel();
}

QString RebalanceTableModel::describe(const QList<kafka::TopicPartition> &partitions)
{
    if (partitions.isEmpty())
        return u"—"_s;
    QList<kafka::TopicPartition> sorted = partitions;
    std::sort(sorted.begin(), sorted.end());
    QStringList parts;
    for (const kafka::TopicPartition &tp : sorted) {
        const QString topic = tp.topic.startsWith(u"webhooks."_s) ? tp.topic.mid(9) : tp.topic;
        parts.append(topic % u'-' % QString::number(tp.partition));
    }
    return parts.join(u", "_s);
}

int RebalanceTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_events.size());
}

int RebalanceTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RebalanceTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const kafka::RebalanceEvent &e = m_events.at(index.row());
    if (role == Qt::ToolTipRole && index.column() == Revoked && e.lost)
        return tr("Lost: the member's session timed out, nothing was committed");
    if (role == Qt::ToolTipRole && (index.column() == Revoked || index.column() == Assigned))
        return describe(index.column() == Revoked ? e.revoked : e.assigned);
    if (role != Qt::DisplayRole && role != Qt::AccessibleTextRole)
        return {};
    switch (index.column()) {
    case Time: return QDateTime::fromMSecsSinceEpoch(e.timeMs).toString(u"HH:mm:ss.zzz"_s);
    case Member: return e.memberId;
    case Revoked: return e.lost ? tr("lost: %1").arg(describe(e.revoked)) : describe(e.revoked);
    case Assigned: return describe(e.assigned);
    case Protocol: return e.protocol;
    }
    return {};
}

QVariant RebalanceTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time: return tr("Time");
    case Member: return tr("Member");
    case Revoked: return tr("Revoked");
    case Assigned: return tr("Assigned");
    case Protocol: return tr("Protocol");
    }
    return {};
}

} // namespace hookbench::ui
