#include "ui/panes/charts_pane.h"

#include <algorithm>
#include <cmath>

#include <QChart>
#include <QChartView>
#include <QCursor>
#include <QDateTime>
#include <QEvent>
#include <QGraphicsLayout>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QScatterSeries>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>

#include "core/metrics/metrics_registry.h"
#include "core/pipeline/ingest_pipeline.h"
#include "core/processing/event_processor.h"

using namespace Qt::StringLiterals;

namespace hookbench::ui {

namespace {

// Rounds an axis maximum up to 1, 2 or 5 times a power of ten so the axis does not jitter.
double niceCeiling(double value)
{
    if (value <= 1)
        return 1;
    const double magnitude = std::pow(10.0, std::floor(std::log10(value)));
    for (double step : {1.0, 2.0, 5.0, 10.0}) {
        if (value <= step * magnitude)
            return step * magnitude;
    }
    return 10 * magnitude;
}

QColor seriesColor(int series, bool dark)
{
    // Distinct hues; brighter on a dark background.
    static constexpr int hues[] = {210, 130, 45, 0, 270, 180, 30, 320};
    return QColor::fromHsv(hues[series], dark ? 150 : 200, dark ? 240 : 190);
}

} // namespace

ChartsPane::ChartsPane(pipeline::IngestPipeline &pipeline, QWidget *parent) : QWidget(parent), m_pipeline(pipeline)
{
    setObjectName(u"chartsPane"_s);
    setAccessibleName(tr("Rates"));
    for (metrics::RateSeries &rate : m_rates)
        rate = metrics::RateSeries(kWindowMs);

    auto *layout = new QVBoxLayout(this);
    m_summary = new QLabel(tr("No traffic yet — send a webhook"), this);
    m_summary->setAccessibleName(tr("Rates summary"));
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);

    m_chart = new QChart;
    // The pane usually sits in a short bottom dock: the legend goes beside the plot and the
    // margins go, so the lines keep most of the height.
    m_chart->legend()->setAlignment(Qt::AlignRight);
    m_chart->setMargins(QMargins(2, 2, 2, 2));
    m_chart->layout()->setContentsMargins(0, 0, 0, 0);
    m_chart->setBackgroundRoundness(0);
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_timeAxis = new QValueAxis(m_chart);
    m_timeAxis->setRange(-double(kWindowMs) / 1000.0, 0);
    m_timeAxis->setTitleText(tr("seconds ago"));
    m_timeAxis->setLabelFormat(u"%d"_s);
    m_timeAxis->setTickCount(6);
    m_rateAxis = new QValueAxis(m_chart);
    m_rateAxis->setRange(0, 1);
    m_rateAxis->setTitleText(tr("events / s"));
    m_rateAxis->setLabelFormat(u"%.1f"_s);
    m_rateAxis->setTickCount(6);
    m_lagAxis = new QValueAxis(m_chart);
    m_lagAxis->setRange(0, 1);
    m_lagAxis->setTitleText(tr("lag"));
    m_lagAxis->setLabelFormat(u"%d"_s);
    m_lagAxis->setTickCount(6);
    m_chart->addAxis(m_timeAxis, Qt::AlignBottom);
    m_chart->addAxis(m_rateAxis, Qt::AlignLeft);
    m_chart->addAxis(m_lagAxis, Qt::AlignRight);
    for (int i = 0; i < SeriesCount; ++i) {
        auto *line = new QLineSeries(m_chart);
        line->setName(seriesName(Series(i)));
        m_chart->addSeries(line);
        line->attachAxis(m_timeAxis);
        line->attachAxis(m_rateAxis);
        m_lines[size_t(i)] = line;
    }
    m_lagLine = new QLineSeries(m_chart);
    m_lagLine->setName(tr("Total lag"));
    m_chart->addSeries(m_lagLine);
    m_lagLine->attachAxis(m_timeAxis);
    m_lagLine->attachAxis(m_lagAxis);
    m_faultMarks = new QScatterSeries(m_chart);
    m_faultMarks->setName(tr("Faults"));
    m_faultMarks->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
    m_faultMarks->setMarkerSize(9);
    m_chart->addSeries(m_faultMarks);
    m_faultMarks->attachAxis(m_timeAxis);
    m_faultMarks->attachAxis(m_rateAxis);
    connect(m_faultMarks, &QScatterSeries::hovered, this, [this](const QPointF &point, bool state) {
        if (!state) {
            QToolTip::hideText();
            return;
        }
        // The marker's x is seconds before the last sample; name the fault nearest to it.
        const qint64 atMs = m_lastSampleMs + qint64(point.x() * 1000.0);
        const auto nearest = std::min_element(m_faults.cbegin(), m_faults.cend(), [atMs](const auto &a, const auto &b) {
            return std::abs(a.first - atMs) < std::abs(b.first - atMs);
        });
        if (nearest != m_faults.cend())
            QToolTip::showText(QCursor::pos(), nearest->second, m_view);
    });

    m_view = new QChartView(m_chart, this);
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setAccessibleName(tr("Rates over the last 5 minutes"));
    m_view->setAccessibleDescription(tr("Events per second by stage, and the consumer group's total lag"));
    m_view->setMinimumSize(320, 220);
    layout->addWidget(m_view, 1);
    applyTheme();

    m_timer.setInterval(kSampleIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &ChartsPane::sampleNow);
    m_timer.start();
    sampleNow(); // the baseline
}

ChartsPane::~ChartsPane() = default;

QString ChartsPane::seriesName(Series which)
{
    switch (which) {
    case Received: return tr("Received");
    case Accepted: return tr("Accepted");
    case Duplicates: return tr("Duplicates");
    case Rejected: return tr("Rejected");
    case Produced: return tr("Produced");
    case Processed: return tr("Processed");
    case Retried: return tr("Retried");
    case DeadLettered: return tr("Dead-lettered");
    case SeriesCount: break;
    }
    return {};
}

ChartsPane::CounterSample ChartsPane::readCounters() const
{
    const metrics::MetricsRegistry &m = m_pipeline.metrics();
    CounterSample sample;
    sample.totals[Received] = m.counterTotal(u"webhook_received_total"_s);
    sample.totals[Duplicates] = m.counterTotal(u"webhook_duplicates_total"_s);
    sample.totals[Rejected] = m.counterTotal(u"webhook_rejected_total"_s);
    // Counted where the 200 accepted answers are sent; 202 queued ones are not accepted (yet).
    sample.totals[Accepted] = m.counterTotal(u"webhook_accepted_total"_s);
    sample.totals[Produced] = m.counterTotal(u"webhook_produced_total"_s);
    sample.totals[Processed] = m.counterTotal(u"events_processed_total"_s);
    sample.totals[Retried] = m.counterTotal(u"events_retried_total"_s);
    sample.totals[DeadLettered] = m.counterTotal(u"dlq_events_total"_s);
    if (processing::EventProcessor *processor = m_pipeline.processor()) {
        for (const kafka::PartitionState &p : processor->snapshot().partitions)
            sample.lag += double(std::max<qint64>(0, p.lag));
    } else {
        sample.lag = m.counterTotal(u"consumer_lag"_s);
    }
    return sample;
}

void ChartsPane::addFault(qint64 timeMs, const QString &description)
{
    m_faults.emplace_back(timeMs, description);
    // Shown at once rather than with the next sample: the user just pressed the button.
    redraw(std::max(m_lastSampleMs, timeMs));
}

int ChartsPane::faultMarkerCount() const
{
    return int(m_faultMarks->count());
}

void ChartsPane::sampleNow()
{
    addSample(QDateTime::currentMSecsSinceEpoch(), readCounters());
}

void ChartsPane::addSample(qint64 timeMs, const CounterSample &sample)
{
    for (size_t i = 0; i < m_rates.size(); ++i)
        m_rates[i].addSample(timeMs, sample.totals[i]);
    m_lag.emplace_back(timeMs, sample.lag);
    while (!m_lag.empty() && m_lag.front().first < timeMs - kWindowMs)
        m_lag.pop_front();
    if (sample.totals[Received] > 0 || sample.totals[Processed] > 0 || sample.lag > 0)
        m_anyTraffic = true;
    redraw(timeMs);
}

void ChartsPane::redraw(qint64 nowMs)
{
    m_lastSampleMs = nowMs;
    double rateMax = 0;
    for (size_t i = 0; i < m_rates.size(); ++i) {
        QList<QPointF> points;
        points.reserve(qsizetype(m_rates[i].points().size()));
        for (const metrics::RatePoint &p : m_rates[i].points())
            points.append({double(p.timeMs - nowMs) / 1000.0, p.perSecond});
        rateMax = std::max(rateMax, m_rates[i].maximum());
        m_lines[i]->replace(points); // one repaint per series per sample
    }
    QList<QPointF> lagPoints;
    double lagMax = 0;
    for (const auto &[t, lag] : m_lag) {
        lagPoints.append({double(t - nowMs) / 1000.0, lag});
        lagMax = std::max(lagMax, lag);
    }
    m_lagLine->replace(lagPoints);
    // Ceilings of 1, 2 or 5 × 10^k split into 5 intervals without odd fractions; lag is whole records.
    const double rateTop = niceCeiling(rateMax * 1.1);
    m_rateAxis->setRange(0, rateTop);
    // Decimals only where the ticks need them: "8000" reads better than "8000.0".
    m_rateAxis->setLabelFormat(rateTop >= 10 ? u"%.0f"_s : u"%.1f"_s);
    m_lagAxis->setRange(0, std::max(5.0, niceCeiling(lagMax * 1.1)));
    // Faults sit on the top edge of the plot, where no rate line can hide them.
    while (!m_faults.empty() && m_faults.front().first < nowMs - kWindowMs)
        m_faults.pop_front();
    QList<QPointF> marks;
    size_t used = 0;
    for (const auto &fault : m_faults) {
        const double x = double(fault.first - nowMs) / 1000.0;
        marks.append({x, rateTop * 0.96}); // just below the edge, where it is not clipped
        if (used == m_faultLines.size()) {
            auto *line = new QLineSeries(m_chart);
            m_chart->addSeries(line);
            line->attachAxis(m_timeAxis);
            line->attachAxis(m_rateAxis);
            line->setPen(QPen(m_faultColour, 1, Qt::DashLine));
            for (QLegendMarker *marker : m_chart->legend()->markers(line))
                marker->setVisible(false); // "Faults" has one entry, the scatter's
            m_faultLines.push_back(line);
        }
        m_faultLines[used++]->replace({{x, 0}, {x, rateTop}});
    }
    for (size_t i = used; i < m_faultLines.size(); ++i)
        m_faultLines[i]->clear();
    m_faultMarks->replace(marks);

    if (!m_anyTraffic) {
        m_summary->setText(tr("No traffic yet — send a webhook; rates appear here, sampled every second"));
        return;
    }
    QStringList parts;
    for (int i = 0; i < SeriesCount; ++i)
        parts.append(u"%1 %2/s"_s.arg(seriesName(Series(i)), QString::number(m_rates[size_t(i)].latest(), 'f', 1)));
    parts.append(tr("lag %1").arg(m_lag.empty() ? 0.0 : m_lag.back().second, 0, 'f', 0));
    m_summary->setText(parts.join(u" · "_s));
}

void ChartsPane::applyTheme()
{
    const QPalette &pal = palette();
    const bool dark = pal.color(QPalette::Window).lightness() < 128;
    // Follow the window palette rather than a fixed chart theme, so the chart blends in.
    m_chart->setBackgroundBrush(pal.color(QPalette::Base));
    m_chart->setBackgroundRoundness(0);
    m_chart->setPlotAreaBackgroundVisible(false);
    m_chart->legend()->setLabelColor(pal.color(QPalette::Text));
    m_view->setBackgroundBrush(pal.color(QPalette::Window));
    for (QValueAxis *axis : {m_timeAxis, m_rateAxis, m_lagAxis}) {
        axis->setLabelsColor(pal.color(QPalette::Text));
        axis->setTitleBrush(pal.color(QPalette::Text));
        axis->setLinePenColor(pal.color(QPalette::Mid));
        axis->setGridLineColor(pal.color(dark ? QPalette::Mid : QPalette::Midlight));
    }
    for (int i = 0; i < SeriesCount; ++i)
        m_lines[size_t(i)]->setPen(QPen(seriesColor(i, dark), 1.6));
    m_lagLine->setPen(QPen(pal.color(QPalette::Text), 2, Qt::DashLine));
    m_faultColour = dark ? QColor(0xff, 0x60, 0x60) : QColor(0xc0, 0x10, 0x10);
    m_faultMarks->setColor(m_faultColour);
    m_faultMarks->setBorderColor(m_faultColour);
    for (QLineSeries *line : m_faultLines)
        line->setPen(QPen(m_faultColour, 1, Qt::DashLine));
}

void ChartsPane::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        applyTheme();
    QWidget::changeEvent(event);
}

} // namespace hookbench::ui
