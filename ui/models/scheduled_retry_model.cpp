#include "ui/models/scheduled_retry_model.h"

#include <QSet>

using namespace Qt::StringLiterals;

namespace hookbench::ui {

ScheduledRetryModel::ScheduledRetryModel(processing::EventProcessor *processor, const Clock &clock, QObject *parent)
    : QAbstractTableModel(parent)
    , m_processor(processor)
    , m_clock(clock)
{
    m_timer.setInterval(kRefreshMs);
    connect(&m_timer, &QTimer::timeout, this, &ScheduledRetryModel::refresh);
    if (m_processor) {
        m_timer.start();
        refresh();
    }
}

void ScheduledRetryModel::refresh()
{
    if (m_processor)
        apply(m_processor->scheduledRetries());
}

void ScheduledRetryModel::apply(const QList<processing::ScheduledRetry> &retries)
{
    QSet<quint64> incoming;
    for (const processing::ScheduledRetry &r : retries)
        incoming.insert(r.jobId);
    // Removed: from the bottom up, one beginRemoveRows per contiguous run.
    for (int r = int(m_rows.size()) - 1; r >= 0;) {
        if (incoming.contains(m_rows.at(r).jobId)) {
            --r;
            continue;
        }
        int first = r;
        while (first > 0 && !incoming.contains(m_rows.at(first - 1).jobId))
            --first;
        beginRemoveRows({}, first, r);
        m_rows.remove(first, r - first + 1);
        endRemoveRows();
        r = first - 1;
    }
    // Kept rows take their new values (a job's attempt and due time change between waits).
    QHash<quint64, int> rowOf;
    for (int r = 0; r < m_rows.size(); ++r)
        rowOf.insert(m_rows.at(r).jobId, r);
    QList<processing::ScheduledRetry> added;
    for (const processing::ScheduledRetry &r : retries) {
        const auto it = rowOf.constFind(r.jobId);
        if (it == rowOf.constEnd())
            added.append(r);
        else
            m_rows[*it] = r;
    }
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
    if (!added.isEmpty()) {
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + added.size() - 1));
        m_rows.append(added);
        endInsertRows();
    }
}

QString ScheduledRetryModel::countdown(qint64 ms)
{
    if (ms <= 0)
        return tr("due now");
    if (ms < 60'000)
        return tr("in %1 s").arg(double(ms) / 1000.0, 0, 'f', 1);
    const qint64 s = ms / 1000;
    if (s < 3600)
        return tr("in %1 min %2 s").arg(s / 60).arg(s % 60);
    return tr("in %1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
}

int ScheduledRetryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ScheduledRetryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ScheduledRetryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const processing::ScheduledRetry &r = m_rows.at(index.row());
    switch (role) {
    case JobIdRole: return QVariant::fromValue(r.jobId);
    case JournalIdRole: return r.journalId;
    case DueAtRole: return r.dueAtMs;
    case Qt::ToolTipRole:
        if (index.column() == LastError)
            return r.lastError;
        if (index.column() == Strategy)
            return r.strategy == processing::ScheduledRetry::Strategy::Blocking
                       ? tr("Waits in place: its partition waits with it (order per entity holds)")
                       : tr("A copy read from a retry topic before its due time: that retry partition waits");
        return {};
    case Qt::DisplayRole: break;
    default: return {};
    }
    switch (Column(index.column())) {
    case DueIn: return countdown(r.dueAtMs - m_clock.nowMs());
    case Attempt: return r.attempt;
    case Source: return r.source;
    case EventType: return r.eventType;
    case EntityKey: return QString::fromUtf8(r.entityKey);
    case LastError: return r.lastError.isEmpty() ? tr("(see the inspector's attempts)") : r.lastError;
    case Strategy:
        return r.strategy == processing::ScheduledRetry::Strategy::Blocking ? tr("blocking") : tr("retry topic");
    case Record: return u"%1 / %2 @ %3 · entry #%4"_s.arg(r.topic).arg(r.partition).arg(r.offset).arg(r.journalId);
    case ColumnCount: break;
    }
    return {};
}

QVariant ScheduledRetryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case DueIn: return tr("Due");
    case Attempt: return tr("Attempt");
    case Source: return tr("Source");
    case EventType: return tr("Event type");
    case EntityKey: return tr("Entity key");
    case LastError: return tr("Last error");
    case Strategy: return tr("Waits as");
    case Record: return tr("Record");
    case ColumnCount: break;
    }
    return {};
}

} // namespace hookbench::ui
