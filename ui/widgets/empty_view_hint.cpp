#include "ui/widgets/empty_view_hint.h"

#include <QAbstractItemModel>
#include <QAbstractItemView>
#include <QEvent>
#include <QPainter>

namespace hookbench::ui {

EmptyViewHint::EmptyViewHint(QAbstractItemView *view, const QString &text)
    : QObject(view)
    , m_view(view)
    , m_viewport(view->viewport())
    , m_text(text)
{
    m_viewport->installEventFilter(this);
}

bool EmptyViewHint::showing() const
{
    return !m_view->model() || m_view->model()->rowCount() == 0;
}

bool EmptyViewHint::eventFilter(QObject *watched, QEvent *event)
{
    // The viewport still sends events (hide, child removal) while the view is being destroyed,
    // when calling into the view is undefined: look at the event before touching the view.
    if (watched != m_viewport || event->type() != QEvent::Paint || !showing())
        return QObject::eventFilter(watched, event);
    QPainter painter(m_viewport);
    painter.setPen(m_view->palette().color(QPalette::PlaceholderText));
    painter.drawText(m_viewport->rect().adjusted(12, 12, -12, -12), Qt::AlignCenter | Qt::TextWordWrap, m_text);
    return true;
}

} // namespace hookbench::ui
