#pragma once
// Paints a line of guidance over an item view while its model has no rows, so an empty pane
// says what would appear there and how to make it appear rather than showing a blank table.

#include <QObject>
#include <QString>

class QAbstractItemView;
class QEvent;
class QWidget;

namespace hookbench::ui {

class EmptyViewHint final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EmptyViewHint)

public:
    // Owned by view; the text is drawn centred in the viewport, in the placeholder colour.
    EmptyViewHint(QAbstractItemView *view, const QString &text);

    QString text() const { return m_text; }
    // Whether the hint is drawn now: the view's model has no rows.
    bool showing() const;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QAbstractItemView *m_view;
    QWidget *m_viewport; // the view's, a child of it: lives as long as this filter is installed
    QString m_text;
};

} // namespace hookbench::ui
