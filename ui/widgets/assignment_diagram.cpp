#include "ui/widgets/assignment_diagram.h"

#include <algorithm>

#include <QEasingCurve>
#include <QPainter>
#include <QPainterPath>
#include <QSet>

using namespace Qt::StringLiterals;

namespace hookbench::ui {

namespace {

constexpr qreal kMargin = 8;
constexpr qreal kTitleHeight = 36;
constexpr qreal kChipHeight = 20;
constexpr qreal kChipGap = 4;
constexpr qreal kBoxMinWidth = 120;

QString chipKey(const QString &topic, int partition)
{
    return topic % u'/' % QString::number(partition);
}

QString shortTopic(const QString &topic)
{
    return topic.startsWith(u"webhooks."_s) ? topic.mid(9) : topic;
}

QRectF lerp(const QRectF &a, const QRectF &b, qreal t)
{
    return {a.x() + (b.x() - a.x()) * t, a.y() + (b.y() - a.y()) * t, a.width() + (b.width() - a.width()) * t,
            a.height() + (b.height() - a.height()) * t};
}

} // namespace

AssignmentDiagram::AssignmentDiagram(QWidget *parent) : QWidget(parent)
{
    setAccessibleName(tr("Partition assignment"));
    setAccessibleDescription(tr("Consumers and the partitions each one owns"));
    m_emptyText = tr("No consumers yet");
    m_animation.setStartValue(0.0);
    m_animation.setEndValue(1.0);
    m_animation.setDuration(kAnimationMs);
    m_animation.setEasingCurve(QEasingCurve::InOutCubic);
    connect(&m_animation, &QVariantAnimation::valueChanged, this, [this](const QVariant &value) {
        m_progress = value.toReal();
        update();
    });
    connect(&m_animation, &QVariantAnimation::finished, this, [this] {
        m_progress = 1.0;
        m_from.clear();
        update();
    });
}

void AssignmentDiagram::setEmptyText(const QString &text)
{
    m_emptyText = text;
    update();
}

QSize AssignmentDiagram::sizeHint() const
{
    int rows = 1;
    for (const Box &box : m_boxes)
        rows = std::max(rows, int(box.chips.size()));
    return {int(qreal(std::max<qsizetype>(2, m_boxes.size())) * (kBoxMinWidth + kMargin)),
            int(kTitleHeight + rows * (kChipHeight + kChipGap) + 3 * kMargin)};
}

QSize AssignmentDiagram::minimumSizeHint() const
{
    return {240, 120};
}

void AssignmentDiagram::setState(const kafka::ConsumerGroupState &state)
{
    QList<Box> boxes;
    QHash<QString, Chip> chips;
    for (const kafka::PartitionState &p : state.partitions)
        chips.insert(chipKey(p.topic, p.partition),
                     {shortTopic(p.topic) % u" · "_s % QString::number(p.partition), p.lag, p.inFlightOffset >= 0});
    QSet<QString> owned;
    for (const kafka::MemberState &member : state.members) {
        Box box;
        box.memberId = member.id;
        box.title = member.id;
        box.title += u'\n' + tr("%1 handled · %2 in flight").arg(member.handled).arg(member.inFlight);
        QList<kafka::TopicPartition> assigned = member.assigned;
        std::sort(assigned.begin(), assigned.end());
        for (const kafka::TopicPartition &tp : assigned) {
            const QString key = chipKey(tp.topic, tp.partition);
            box.chips.append(key);
            owned.insert(key);
            if (!chips.contains(key))
                chips.insert(key, {shortTopic(tp.topic) % u" · "_s % QString::number(tp.partition), -1, false});
        }
        boxes.append(box);
    }
    Box unassigned;
    unassigned.title = tr("Unassigned");
    for (const kafka::PartitionState &p : state.partitions) {
        const QString key = chipKey(p.topic, p.partition);
        if (!owned.contains(key))
            unassigned.chips.append(key);
    }
    if (!unassigned.chips.isEmpty())
        boxes.append(unassigned);

    // Animate only when chips change box (or boxes come and go); a refresh with the same
    // assignment repaints in place.
    auto boxOf = [](const QList<Box> &list) {
        QHash<QString, QString> where;
        for (const Box &box : list) {
            for (const QString &chip : box.chips)
                where.insert(chip, box.memberId.isEmpty() ? u"\x01unassigned"_s : box.memberId);
        }
        return where;
    };
    const QHash<QString, QString> before = boxOf(m_boxes);
    const QHash<QString, QString> after = boxOf(boxes);
    const bool layoutChanged = m_boxes.size() != boxes.size() || before != after;

    QHash<QString, QRectF> from;
    if (layoutChanged && !m_boxes.isEmpty() && isVisible())
        from = currentChipRects();
    m_boxes = boxes;
    m_chips = chips;
    if (!from.isEmpty()) {
        m_from = from;
        m_progress = 0;
        m_animation.stop();
        m_animation.start();
    }
    updateGeometry();
    update();
}

void AssignmentDiagram::layout(const QList<Box> &boxes, QList<QRectF> &boxRects,
                               QHash<QString, QRectF> &chipRects) const
{
    boxRects.clear();
    chipRects.clear();
    if (boxes.isEmpty())
        return;
    const qreal count = qreal(boxes.size());
    const qreal boxWidth = std::max<qreal>(60, (width() - kMargin * (count + 1)) / count);
    qreal x = kMargin;
    for (const Box &box : boxes) {
        const QRectF boxRect(x, kMargin, boxWidth, height() - 2 * kMargin);
        boxRects.append(boxRect);
        qreal y = boxRect.top() + kTitleHeight;
        for (const QString &chip : box.chips) {
            chipRects.insert(chip, QRectF(boxRect.left() + 6, y, boxRect.width() - 12, kChipHeight));
            y += kChipHeight + kChipGap;
        }
        x += boxWidth + kMargin;
    }
}

QHash<QString, QRectF> AssignmentDiagram::currentChipRects() const
{
    QList<QRectF> boxRects;
    QHash<QString, QRectF> rects;
    layout(m_boxes, boxRects, rects);
    if (m_progress < 1.0) {
        for (auto it = rects.begin(); it != rects.end(); ++it) {
            if (m_from.contains(it.key()))
                it.value() = lerp(m_from.value(it.key()), it.value(), m_progress);
        }
    }
    return rects;
}

void AssignmentDiagram::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QPalette &pal = palette();
    painter.fillRect(rect(), pal.color(QPalette::Base));
    if (m_boxes.isEmpty()) {
        painter.setPen(pal.color(QPalette::PlaceholderText));
        painter.drawText(rect().adjusted(8, 8, -8, -8), Qt::AlignCenter | Qt::TextWordWrap, m_emptyText);
        return;
    }

    QList<QRectF> boxRects;
    QHash<QString, QRectF> chipRects;
    layout(m_boxes, boxRects, chipRects);

    const QColor frame = pal.color(QPalette::Mid);
    for (qsizetype i = 0; i < m_boxes.size(); ++i) {
        const Box &box = m_boxes.at(i);
        const QRectF r = boxRects.at(i);
        painter.setPen(QPen(frame, 1, box.memberId.isEmpty() ? Qt::DashLine : Qt::SolidLine));
        painter.setBrush(box.memberId.isEmpty() ? Qt::NoBrush : QBrush(pal.color(QPalette::AlternateBase)));
        painter.drawRoundedRect(r, 6, 6);
        painter.setPen(pal.color(QPalette::Text));
        const QStringList lines = box.title.split(u'\n');
        QFont bold = font();
        bold.setBold(true);
        painter.setFont(bold);
        painter.drawText(QRectF(r.left() + 8, r.top() + 3, r.width() - 16, 16), Qt::AlignLeft | Qt::AlignVCenter,
                         painter.fontMetrics().elidedText(lines.value(0), Qt::ElideRight, int(r.width() - 16)));
        painter.setFont(font());
        if (lines.size() > 1) {
            painter.setPen(pal.color(QPalette::PlaceholderText));
            painter.drawText(QRectF(r.left() + 8, r.top() + 18, r.width() - 16, 15), Qt::AlignLeft | Qt::AlignVCenter,
                             painter.fontMetrics().elidedText(lines.at(1), Qt::ElideRight, int(r.width() - 16)));
        }
    }

    const QColor chipColor = pal.color(QPalette::Button);
    const QColor moving = pal.color(QPalette::Highlight);
    for (auto it = chipRects.cbegin(); it != chipRects.cend(); ++it) {
        QRectF r = it.value();
        const bool animating = m_progress < 1.0 && m_from.contains(it.key()) && m_from.value(it.key()) != r;
        if (animating)
            r = lerp(m_from.value(it.key()), r, m_progress);
        const Chip chip = m_chips.value(it.key());
        painter.setPen(QPen(animating ? moving : frame, animating ? 2 : 1));
        painter.setBrush(chipColor);
        painter.drawRoundedRect(r, 4, 4);
        painter.setPen(pal.color(QPalette::ButtonText));
        const QString lag = chip.lag > 0 ? tr("lag %1").arg(chip.lag) : QString();
        painter.drawText(r.adjusted(6, 0, -6, 0), Qt::AlignLeft | Qt::AlignVCenter,
                         (chip.busy ? u"● "_s : QString()) + chip.label);
        if (!lag.isEmpty()) {
            painter.setPen(pal.color(QPalette::PlaceholderText));
            painter.drawText(r.adjusted(6, 0, -6, 0), Qt::AlignRight | Qt::AlignVCenter, lag);
        }
    }
}

} // namespace hookbench::ui
