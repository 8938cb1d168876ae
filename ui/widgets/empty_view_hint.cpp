#include "ui/widgets/empty_view_hint.h"

#include <QAbstractItemModel>
#include <QAbstractItemView>
#include <QEvent>
#include <QPainter>

namespace hookbench::ui {

EmptyViewHint::EmptyViewHint(QAbstractItemView *view, const QString &text) : QObject(view), m_view(view), m_text(text)
{
    m_view->viewport()->installEventFilter(this);
}

bool EmptyViewHint::showing() const
{
    return !m_view->model() || m_view->model()->rowCount() == 0;
}

bool EmptyViewHint::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_view->viewport() || event->type() != QEvent::Paint || !showing())
        return QObject::eventFilter(watched, event);
    QPainter painter(m_view->viewport());
    painter.setPen(m_view->palette().color(QPalette::PlaceholderText));
    painter.drawText(m_view->viewport()->rect().adjusted(12, 12, -12, -12), Qt::AlignCenter | Qt::TextWordWrap, m_text);
    return true;
}

} // namespace hookbench::ui
