#include "ui/models/dead_letter_filter.h"

#include "ui/models/dead_letter_model.h"

namespace hookbench::ui {

DeadLetterFilter::DeadLetterFilter(QObject *parent) : QSortFilterProxyModel(parent) {}

void DeadLetterFilter::setErrorGroup(const QString &group)
{
    if (group == m_group)
        return;
    m_group = group;
    invalidateRowsFilter();
}

void DeadLetterFilter::setDeadOnly(bool deadOnly)
{
    if (deadOnly == m_deadOnly)
        return;
    m_deadOnly = deadOnly;
    invalidateRowsFilter();
}

bool DeadLetterFilter::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (m_deadOnly && !index.data(DeadLetterModel::DeadRole).toBool())
        return false;
    return m_group.isEmpty() || index.data(DeadLetterModel::ErrorGroupRole).toString() == m_group;
}

} // namespace hookbench::ui
