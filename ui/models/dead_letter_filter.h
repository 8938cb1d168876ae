#pragma once

// DeadLetterFilter: the DLQ view's filter over DeadLetterModel — one error group (empty: all)
// and whether letters already replayed or discarded are shown.

#include <QSortFilterProxyModel>

namespace hookbench::ui {

class DeadLetterFilter final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeadLetterFilter)

public:
    explicit DeadLetterFilter(QObject *parent = nullptr);

    void setErrorGroup(const QString &group);
    QString errorGroup() const { return m_group; }
    void setDeadOnly(bool deadOnly);
    bool deadOnly() const { return m_deadOnly; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_group;
    bool m_deadOnly = true;
};

} // namespace hookbench::ui
