#include "ui/models/lag_table_model.h"

#include <cmath>

#include <QLocale>

using namespace Qt::StringLiterals;

namespace hookbench::ui {

LagTableModel::LagTableModel(QObject *parent) : QAbstractTableModel(parent) {}

void LagTableModel::addSnapshot(const kafka::ConsumerGroupState &state, qint64 nowMs)
{
    bool sameSet = state.partitions.size() == m_rows.size();
    for (qsizetype i = 0; sameSet && i < m_rows.size(); ++i)
        sameSet = m_rows.at(i).topic == state.partitions.at(i).topic
                  && m_rows.at(i).partition == state.partitions.at(i).partition;
    if (!sameSet) {
        // Keep the history of partitions that stay.
        QHash<QString, Row> old;
        for (Row &row : m_rows)
            old.insert(row.topic % u'/' % QString::number(row.partition), std::move(row));
        beginResetModel();
        m_rows.clear();
        for (const kafka::PartitionState &p : state.partitions) {
            Row row = old.take(p.topic % u'/' % QString::number(p.partition));
            row.topic = p.topic;
            row.partition = p.partition;
            m_rows.append(std::move(row));
        }
        endResetModel();
    }
    for (qsizetype i = 0; i < m_rows.size(); ++i) {
        Row &row = m_rows[i];
        const kafka::PartitionState &p = state.partitions.at(i);
        row.lag = p.lag;
        if (p.lag >= 0 && (row.history.empty() || nowMs - row.history.back().timeMs >= 1000)) {
            row.history.push_back({nowMs, p.lag, p.committed});
            while (row.history.size() > size_t(kHistorySize))
                row.history.pop_front();
        } else if (p.lag >= 0) {
            row.history.back().lag = p.lag; // within the second: the latest value wins
            row.history.back().committed = p.committed;
        }
    }
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, Lag), index(int(m_rows.size()) - 1, Drain));
}

double LagTableModel::drainSeconds(qint64 lag, double perSecond)
{
    if (lag <= 0)
        return 0;
    if (perSecond <= 0)
        return -1;
    return double(lag) / perSecond;
}

QString LagTableModel::formatDuration(double seconds)
{
    if (seconds < 0)
        return tr("never at this rate");
    const qint64 s = qint64(std::ceil(seconds));
    if (s < 60)
        return tr("%1 s").arg(s);
    if (s < 3600)
        return tr("%1 min %2 s").arg(s / 60).arg(s % 60);
    return tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
}

double LagTableModel::consumptionRate(int row) const
{
    const std::deque<Sample> &h = m_rows.at(row).history;
    if (h.size() < 2)
        return 0;
    const Sample &last = h.back();
    // The oldest sample inside the window (with a committed offset) is the baseline.
    for (const Sample &s : h) {
        if (s.committed < 0 || last.timeMs - s.timeMs > kRateWindowMs)
            continue;
        if (s.timeMs >= last.timeMs || last.committed < s.committed)
            return 0;
        return double(last.committed - s.committed) * 1000.0 / double(last.timeMs - s.timeMs);
    }
    return 0;
}

int LagTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int LagTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LagTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    if (role == HistoryRole) {
        QList<qreal> values;
        for (const Sample &s : row.history)
            values.append(qreal(s.lag));
        return QVariant::fromValue(values);
    }
    if (role == Qt::TextAlignmentRole && index.column() != Partition && index.column() != Trend)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && index.column() == Drain)
        return tr("Lag divided by the committed offsets per second over the last %1 s").arg(kRateWindowMs / 1000);
    if (role != Qt::DisplayRole && role != Qt::AccessibleTextRole)
        return {};
    const QString topic = row.topic.startsWith(u"webhooks."_s) ? row.topic.mid(9) : row.topic;
    switch (index.column()) {
    case Partition: return QString(topic % u'-' % QString::number(row.partition));
    case Lag: return row.lag < 0 ? u"—"_s : QLocale().toString(row.lag);
    case Trend:
        return role == Qt::AccessibleTextRole ? tr("%n sample(s)", nullptr, int(row.history.size())) : QVariant();
    case Rate: return QLocale().toString(consumptionRate(index.row()), 'f', 1);
    case Drain:
        if (row.lag < 0)
            return u"—"_s;
        if (row.lag == 0)
            return tr("drained");
        return formatDuration(drainSeconds(row.lag, consumptionRate(index.row())));
    }
    return {};
}

QVariant LagTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Partition: return tr("Partition");
    case Lag: return tr("Lag");
    case Trend: return tr("Lag, last 2 min");
    case Rate: return tr("Consumed/s");
    case Drain: return tr("Time to drain");
    }
    return {};
}

} // namespace hookbench::ui
