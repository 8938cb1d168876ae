#include "ui/format/state_style.h"

#include <QHash>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

using namespace Qt::StringLiterals;

namespace hookbench::ui {

namespace {

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

} // namespace

StateStyle::Tone StateStyle::verdictTone(store::Verdict verdict)
{
    switch (verdict) {
    case store::Verdict::Accepted: return Tone::Good;
    case store::Verdict::Duplicate: return Tone::Muted;
    case store::Verdict::Queued: return Tone::Warning;
    case store::Verdict::Rejected: return Tone::Bad;
    }
    return Tone::Muted;
}

StateStyle::Tone StateStyle::processingTone(FeedProcessing state)
{
    switch (state) {
    case FeedProcessing::Pending: return Tone::Busy;
    case FeedProcessing::Retrying: return Tone::Warning;
    case FeedProcessing::Done: return Tone::Good;
    case FeedProcessing::DeadLettered: return Tone::Bad;
    case FeedProcessing::Replayed: return Tone::Busy;
    case FeedProcessing::Discarded: return Tone::Muted;
    case FeedProcessing::Unknown: return Tone::Muted;
    }
    return Tone::Muted;
}

QColor StateStyle::colour(Tone tone, const QPalette &palette)
{
    // Hue says the tone; lightness follows the palette so the text keeps its contrast.
    const bool dark = isDark(palette);
    const int lightness = dark ? 170 : 85;
    switch (tone) {
    case Tone::Good: return QColor::fromHsl(130, 150, lightness);
    case Tone::Busy: return QColor::fromHsl(210, 160, dark ? 180 : 100);
    case Tone::Warning: return QColor::fromHsl(35, 200, dark ? 160 : 80);
    case Tone::Bad: return QColor::fromHsl(0, 170, dark ? 175 : 100);
    case Tone::Muted: return palette.color(QPalette::Disabled, QPalette::Text);
    }
    return palette.color(QPalette::Text);
}

QIcon StateStyle::icon(Tone tone, const QPalette &palette)
{
    static QHash<int, QIcon> cache; // GUI thread only
    const int key = int(tone) * 2 + (isDark(palette) ? 1 : 0);
    if (auto it = cache.constFind(key); it != cache.cend())
        return *it;

    const QColor c = colour(tone, palette);
    QPixmap pixmap(32, 32);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(c, 3));
    switch (tone) {
    case Tone::Good:
        p.setBrush(c);
        p.drawEllipse(QRectF(6, 6, 20, 20));
        break;
    case Tone::Busy:
        p.setBrush(Qt::NoBrush);
        p.drawEllipse(QRectF(7, 7, 18, 18));
        break;
    case Tone::Warning: {
        QPainterPath triangle;
        triangle.moveTo(16, 4);
        triangle.lineTo(29, 27);
        triangle.lineTo(3, 27);
        triangle.closeSubpath();
        p.setBrush(c);
        p.drawPath(triangle);
        break;
    }
    case Tone::Bad:
        p.setBrush(Qt::NoBrush);
        p.drawRect(QRectF(6, 6, 20, 20));
        p.drawLine(QPointF(11, 11), QPointF(21, 21));
        p.drawLine(QPointF(21, 11), QPointF(11, 21));
        break;
    case Tone::Muted: p.drawLine(QPointF(8, 16), QPointF(24, 16)); break;
    }
    p.end();
    QIcon result(pixmap);
    cache.insert(key, result);
    return result;
}

QString StateStyle::processingText(FeedProcessing state, int attempts)
{
    switch (state) {
    case FeedProcessing::Pending: return u"pending"_s;
    case FeedProcessing::Retrying: return u"retrying (%1 attempts)"_s.arg(attempts);
    case FeedProcessing::Done: return u"done"_s;
    case FeedProcessing::DeadLettered: return u"dead-lettered"_s;
    case FeedProcessing::Replayed: return u"replayed"_s;
    case FeedProcessing::Discarded: return u"discarded"_s;
    case FeedProcessing::Unknown: return u"unknown"_s;
    }
    return u"unknown"_s;
}

} // namespace hookbench::ui
