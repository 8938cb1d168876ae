#pragma once

// AssignmentDiagram: the consumer group as boxes, one per member, holding chips for the
// partitions it owns (plus an "unassigned" box). When a rebalance moves partitions, the chips
// glide from their old box to the new one (QVariantAnimation, driven by Qt's animation timer at
// most 60 times a second and only while it runs).

#include <QHash>
#include <QList>
#include <QRectF>
#include <QVariantAnimation>
#include <QWidget>

#include "core/kafka/consumer_group_state.h"

namespace hookbench::ui {

class AssignmentDiagram final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AssignmentDiagram)

public:
    static constexpr int kAnimationMs = 700;

    explicit AssignmentDiagram(QWidget *parent = nullptr);

    void setState(const kafka::ConsumerGroupState &state);
    void setEmptyText(const QString &text);
    bool isAnimating() const { return m_animation.state() == QAbstractAnimation::Running; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    struct Box
    {
        QString memberId; // empty: the unassigned box
        QString title;
        QStringList chips; // "topic/partition" keys
    };
    struct Chip
    {
        QString label;
        qint64 lag = -1;
        bool busy = false; // a record in progress
    };
    // Rects for the boxes and every chip, for the given widget size.
    void layout(const QList<Box> &boxes, QList<QRectF> &boxRects, QHash<QString, QRectF> &chipRects) const;
    QHash<QString, QRectF> currentChipRects() const;

    QList<Box> m_boxes;
    QHash<QString, Chip> m_chips;
    QHash<QString, QRectF> m_from; // where moving chips start (pixels at the time of the change)
    QVariantAnimation m_animation;
    qreal m_progress = 1.0;
    QString m_emptyText;
};

} // namespace hookbench::ui
