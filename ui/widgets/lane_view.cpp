#include "ui/widgets/lane_view.h"

#include <algorithm>

#include <QCryptographicHash>
#include <QHash>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

using namespace Qt::StringLiterals;

namespace hookbench::ui {

namespace {

constexpr int kLabelWidth = 44;
constexpr int kMarkWidth = 10;
constexpr int kMarkGap = 3;
constexpr int kMaxLaneHeight = 30;
constexpr int kMinLaneHeight = 14;

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

} // namespace

LaneView::LaneView(QWidget *parent) : QWidget(parent)
{
    setAccessibleName(tr("Partition lanes"));
    setAccessibleDescription(tr("Recent records per partition, coloured by entity key"));
    setMouseTracking(false);
    setFocusPolicy(Qt::ClickFocus);
    m_emptyText = tr("No records yet — send a webhook");
    m_repaint.setSingleShot(true);
    m_repaint.setInterval(kRepaintIntervalMs);
    connect(&m_repaint, &QTimer::timeout, this, [this] {
        if (m_dirty) {
            m_dirty = false;
            update();
        }
    });
}

void LaneView::setRecords(int partitionCount, const QList<RecentRecord> &records)
{
    m_partitionCount = std::max(0, partitionCount);
    m_records = records;
    // Marks in a lane follow offset order, which is the order the consumers see them.
    std::stable_sort(m_records.begin(), m_records.end(), [](const RecentRecord &a, const RecentRecord &b) {
        return a.partition != b.partition ? a.partition < b.partition : a.offset < b.offset;
    });
    for (const RecentRecord &r : std::as_const(m_records))
        m_partitionCount = std::max(m_partitionCount, r.partition + 1);
    if (m_partitionCount > 0)
        setMinimumHeight(std::min(m_partitionCount, 24) * kMinLaneHeight + 8);
    scheduleRepaint();
}

void LaneView::setSelectedKey(const QByteArray &key)
{
    if (key == m_selectedKey)
        return;
    m_selectedKey = key;
    update(); // user-driven: immediate
}

void LaneView::setEmptyText(const QString &text)
{
    m_emptyText = text;
    scheduleRepaint();
}

QColor LaneView::keyColor(const QByteArray &key, bool dark)
{
    if (key.isEmpty())
        return dark ? QColor(140, 140, 140) : QColor(150, 150, 150);
    // A digest, not qHash: qHash may be seeded per process, and a customer should keep its colour
    // from one run to the next.
    const QByteArray digest = QCryptographicHash::hash(key, QCryptographicHash::Md5);
    quint32 h = 0;
    for (int i = 0; i < 4; ++i)
        h = (h << 8) | quint8(digest.at(i));
    const int hue = int(h % 360);
    const int saturation = 150 + int((h >> 12) % 80);
    const int value = dark ? 200 + int((h >> 20) % 55) : 150 + int((h >> 20) % 60);
    return QColor::fromHsv(hue, saturation, value);
}

QSize LaneView::sizeHint() const
{
    return {600, std::max(1, std::min(m_partitionCount, 12)) * 24 + 8};
}

QSize LaneView::minimumSizeHint() const
{
    return {200, 3 * kMinLaneHeight};
}

void LaneView::scheduleRepaint()
{
    m_dirty = true;
    if (!m_repaint.isActive())
        m_repaint.start();
}

QRect LaneView::laneRect(int lane) const
{
    const int available = height() - 8;
    const int laneHeight = std::clamp(m_partitionCount > 0 ? available / m_partitionCount : kMaxLaneHeight,
                                      kMinLaneHeight, kMaxLaneHeight);
    return {0, 4 + lane * laneHeight, width(), laneHeight};
}

void LaneView::layoutMarks()
{
    m_marks.clear();
    const int capacity = std::max(1, (width() - kLabelWidth - 8) / (kMarkWidth + kMarkGap));
    qsizetype begin = 0;
    while (begin < m_records.size()) {
        const int partition = m_records.at(begin).partition;
        qsizetype end = begin;
        while (end < m_records.size() && m_records.at(end).partition == partition)
            ++end;
        if (partition >= 0) {
            // The newest `capacity` records of this lane, right-aligned so the newest is at the edge.
            const qsizetype first = std::max(begin, end - capacity);
            const QRect lane = laneRect(partition);
            const int count = int(end - first);
            int x = width() - 6 - count * (kMarkWidth + kMarkGap);
            for (qsizetype i = first; i < end; ++i) {
                m_marks.append({QRect(x, lane.top() + 3, kMarkWidth, lane.height() - 6), int(i)});
                x += kMarkWidth + kMarkGap;
            }
        }
        begin = end;
    }
}

void LaneView::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    const QPalette &pal = palette();
    const bool dark = isDark(pal);
    painter.fillRect(rect(), pal.color(QPalette::Base));

    const auto drawEmptyText = [&] {
        painter.setPen(pal.color(QPalette::PlaceholderText));
        painter.drawText(rect().adjusted(kLabelWidth, 8, -8, -8), Qt::AlignCenter | Qt::TextWordWrap, m_emptyText);
    };
    if (m_partitionCount == 0) {
        m_marks.clear();
        drawEmptyText();
        return;
    }

    painter.setRenderHint(QPainter::Antialiasing);
    for (int lane = 0; lane < m_partitionCount; ++lane) {
        const QRect r = laneRect(lane);
        if (r.top() > height())
            break;
        if (lane % 2 == 1)
            painter.fillRect(r, pal.color(QPalette::AlternateBase));
        painter.setPen(pal.color(QPalette::Text));
        painter.drawText(QRect(6, r.top(), kLabelWidth - 8, r.height()), Qt::AlignVCenter | Qt::AlignLeft,
                         u"P"_s + QString::number(lane));
    }
    if (m_records.isEmpty()) {
        // Over the lanes, which would otherwise paint across it.
        m_marks.clear();
        drawEmptyText();
        return;
    }

    layoutMarks();
    const bool selecting = !m_selectedKey.isEmpty();
    QHash<QByteArray, QColor> colors; // a few keys, many marks
    for (const Mark &mark : std::as_const(m_marks)) {
        const RecentRecord &record = m_records.at(mark.recordIndex);
        if (mark.rect.left() < kLabelWidth)
            continue;
        auto cached = colors.find(record.entityKey);
        if (cached == colors.end())
            cached = colors.insert(record.entityKey, keyColor(record.entityKey, dark));
        QColor color = *cached;
        const bool selected = selecting && record.entityKey == m_selectedKey;
        if (selecting && !selected)
            color.setAlpha(55);
        painter.setPen(selected ? QPen(pal.color(QPalette::Highlight), 2) : Qt::NoPen);
        painter.setBrush(color);
        painter.drawRoundedRect(mark.rect, 2, 2);
    }
}

int LaneView::markAt(const QPoint &pos) const
{
    for (const Mark &mark : m_marks) {
        if (mark.rect.adjusted(-1, 0, 1, 0).contains(pos) && mark.rect.left() >= kLabelWidth)
            return mark.recordIndex;
    }
    return -1;
}

void LaneView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return QWidget::mousePressEvent(event);
    const int index = markAt(event->position().toPoint());
    const QByteArray key = index >= 0 ? m_records.at(index).entityKey : QByteArray();
    setSelectedKey(key);
    emit keyClicked(key);
}

bool LaneView::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const int index = markAt(help->pos());
        if (index < 0) {
            QToolTip::hideText();
            event->ignore();
            return true;
        }
        const RecentRecord &r = m_records.at(index);
        const QString key = r.entityKey.isEmpty() ? tr("(no key)") : QString::fromUtf8(r.entityKey);
        QToolTip::showText(help->globalPos(),
                           tr("Key %1\n%2 partition %3, offset %4\n%5 · journal #%6")
                               .arg(key, r.topic, QString::number(r.partition), QString::number(r.offset),
                                    r.eventType.isEmpty() ? tr("no event type") : r.eventType,
                                    QString::number(r.journalId)),
                           this);
        return true;
    }
    if (event->type() == QEvent::PaletteChange)
        update();
    return QWidget::event(event);
}

} // namespace hookbench::ui
