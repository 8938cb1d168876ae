#include "ui/models/hot_key_model.h"

#include <algorithm>
#include <map>
#include <tuple>

#include <QLocale>

namespace hookbench::ui {

HotKeyModel::HotKeyModel(QObject *parent) : QAbstractTableModel(parent) {}

QList<HotKey> HotKeyModel::compute(const QList<RecentRecord> &records, int perPartition)
{
    // (topic, partition) → key → count; std::map keeps the output order deterministic.
    std::map<std::pair<QString, int>, std::map<QByteArray, int>> counts;
    for (const RecentRecord &r : records) {
        if (r.partition >= 0)
            ++counts[{r.topic, r.partition}][r.entityKey];
    }
    QList<HotKey> result;
    for (const auto &[where, keys] : counts) {
        int total = 0;
        QList<HotKey> rows;
        for (const auto &[key, count] : keys) {
            total += count;
            rows.append({where.first, where.second, key, count, 0});
        }
        std::sort(rows.begin(), rows.end(),
                  [](const HotKey &a, const HotKey &b) { return std::tie(b.count, a.key) < std::tie(a.count, b.key); });
        if (rows.size() > perPartition)
            rows.resize(std::max(0, perPartition));
        for (HotKey &row : rows)
            row.partitionTotal = total;
        result.append(rows);
    }
    return result;
}

void HotKeyModel::setHotKeys(const QList<HotKey> &hotKeys)
{
    if (hotKeys == m_rows)
        return;
    if (hotKeys.size() == m_rows.size()) {
        m_rows = hotKeys;
        if (!m_rows.isEmpty())
            emit dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_rows = hotKeys;
    endResetModel();
}

int HotKeyModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int HotKeyModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant HotKeyModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const HotKey &row = m_rows.at(index.row());
    if (role == KeyRole)
        return row.key;
    if (role == Qt::TextAlignmentRole && index.column() != Topic && index.column() != Key)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::AccessibleTextRole)
        return {};
    switch (index.column()) {
    case Topic: return row.topic;
    case Partition: return row.partition;
    case Key: return row.key.isEmpty() ? tr("(no key)") : QString::fromUtf8(row.key);
    case Count: return QLocale().toString(row.count);
    case Share:
        return row.partitionTotal > 0 ? QLocale().toString(100.0 * row.count / row.partitionTotal, 'f', 0) + u'%'
                                      : QString();
    }
    return {};
}

QVariant HotKeyModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Topic: return tr("Topic");
    case Partition: return tr("Partition");
    case Key: return tr("Key");
    case Count: return tr("Records");
    case Share: return tr("Share of partition");
    }
    return {};
}

} // namespace hookbench::ui
