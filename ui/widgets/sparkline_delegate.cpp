#include "ui/widgets/sparkline_delegate.h"

#include <algorithm>

#include <QPainter>
#include <QPainterPath>

namespace hookbench::ui {

SparklineDelegate::SparklineDelegate(int role, QObject *parent) : QStyledItemDelegate(parent), m_role(role) {}

void SparklineDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyledItemDelegate::paint(painter, option, index); // background, selection
    const QList<qreal> values = index.data(m_role).value<QList<qreal>>();
    if (values.size() < 2)
        return;
    const qreal max = std::max<qreal>(1, *std::max_element(values.cbegin(), values.cend()));
    const QRectF r = QRectF(option.rect).adjusted(4, 3, -4, -3);
    const qreal step = r.width() / qreal(values.size() - 1);
    QPainterPath path;
    for (qsizetype i = 0; i < values.size(); ++i) {
        const QPointF p(r.left() + step * qreal(i), r.bottom() - r.height() * values.at(i) / max);
        if (i == 0)
            path.moveTo(p);
        else
            path.lineTo(p);
    }
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const bool selected = option.state.testFlag(QStyle::State_Selected);
    painter->setPen(QPen(option.palette.color(selected ? QPalette::HighlightedText : QPalette::Highlight), 1.5));
    painter->drawPath(path);
    painter->restore();
}

QSize SparklineDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setWidth(std::max(size.width(), 140));
    return size;
}

} // namespace hookbench::ui
