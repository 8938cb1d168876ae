#pragma once

// ChartsPane: rates over the last 5 minutes (received, accepted, duplicates, rejected, produced,
// processed, retried, dead-lettered) and total consumer lag, sampled from the metrics once a
// second; the chart is redrawn once per sample, never faster. Injected faults show as markers
// along the top of the plot (legend "Faults"), so a dip or a lag spike can be read against its cause.

#include <array>
#include <deque>
#include <vector>

#include <QColor>
#include <QPointer>
#include <QTimer>
#include <QWidget>

#include "core/metrics/rate_series.h"

class QChart;
class QChartView;
class QLabel;
class QLineSeries;
class QScatterSeries;
class QValueAxis;

namespace hookbench::pipeline {
class IngestPipeline;
} // namespace hookbench::pipeline

namespace hookbench::ui {

class ChartsPane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChartsPane)

public:
    enum Series { Received, Accepted, Duplicates, Rejected, Produced, Processed, Retried, DeadLettered, SeriesCount };
    static constexpr int kSampleIntervalMs = 1000;
    static constexpr qint64 kWindowMs = 5 * 60 * 1000;

    // The cumulative counters one sample reads (accepted = received - duplicates - rejected).
    struct CounterSample
    {
        std::array<double, SeriesCount> totals{};
        double lag = 0;
    };

    explicit ChartsPane(pipeline::IngestPipeline &pipeline, QWidget *parent = nullptr);
    ~ChartsPane() override;

    // Reads the counters now, from the pipeline's metrics (and the consumer group's lag).
    CounterSample readCounters() const;
    // Adds one sample taken at timeMs and redraws; the timer calls it every kSampleIntervalMs.
    void addSample(qint64 timeMs, const CounterSample &sample);
    const metrics::RateSeries &series(Series which) const { return m_rates.at(size_t(which)); }
    static QString seriesName(Series which);

    // A fault applied at timeMs (wall clock), marked on the chart until it leaves the window.
    void addFault(qint64 timeMs, const QString &description);
    int faultMarkerCount() const; // markers now drawn

protected:
    void changeEvent(QEvent *event) override;

private:
    void sampleNow();
    void redraw(qint64 nowMs);
    void applyTheme();

    pipeline::IngestPipeline &m_pipeline;
    std::array<metrics::RateSeries, SeriesCount> m_rates;
    std::deque<std::pair<qint64, double>> m_lag;
    QChart *m_chart = nullptr;
    QChartView *m_view = nullptr;
    std::array<QLineSeries *, SeriesCount> m_lines{};
    QLineSeries *m_lagLine = nullptr;
    QScatterSeries *m_faultMarks = nullptr;  // the legend entry, a marker on top (hover: what it was)
    std::vector<QLineSeries *> m_faultLines; // a dashed vertical line per fault, reused
    QColor m_faultColour;
    std::deque<std::pair<qint64, QString>> m_faults; // time, description; oldest first
    qint64 m_lastSampleMs = 0;
    QValueAxis *m_timeAxis = nullptr;
    QValueAxis *m_rateAxis = nullptr;
    QValueAxis *m_lagAxis = nullptr;
    QLabel *m_summary = nullptr;
    QTimer m_timer;
    bool m_anyTraffic = false;
};

} // namespace hookbench::ui
