#pragma once

// SparklineDelegate: paints a QList<qreal> (from a model role) as a small line chart in a cell,
// scaled to the series' own maximum, in the palette's highlight colour.

#include <QStyledItemDelegate>

namespace hookbench::ui {

class SparklineDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SparklineDelegate)

public:
    explicit SparklineDelegate(int role, QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    int m_role;
};

} // namespace hookbench::ui
