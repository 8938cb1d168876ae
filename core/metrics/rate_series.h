#pragma once

// RateSeries: turns samples of a cumulative counter (as MetricsRegistry keeps them) into a
// per-second rate over a sliding window, for charts. A counter that goes down (a restart or a
// reset) starts over instead of producing a negative rate. Not thread-safe: one owner samples it.

#include <deque>

#include <QtGlobal>

namespace hookbench::metrics {

struct RatePoint
{
    qint64 timeMs = 0;
    double perSecond = 0;
};

class RateSeries final
{
public:
    explicit RateSeries(qint64 windowMs = 5 * 60 * 1000);

    // Adds a sample of the cumulative value at timeMs and returns the rate since the previous
    // sample (events per second). The first sample, a sample at the previous one's time, and a
    // counter or a clock that went back (a new baseline) give no point and return 0.
    double addSample(qint64 timeMs, double cumulative);

    // Oldest first; points older than the window before the newest sample are dropped.
    const std::deque<RatePoint> &points() const { return m_points; }
    double latest() const { return m_points.empty() ? 0.0 : m_points.back().perSecond; }
    double maximum() const;
    bool hasBaseline() const { return m_hasPrevious; }
    void clear();

private:
    qint64 m_windowMs;
    bool m_hasPrevious = false;
    qint64 m_previousMs = 0;
    double m_previousValue = 0;
    std::deque<RatePoint> m_points;
};

} // namespace hookbench::metrics
