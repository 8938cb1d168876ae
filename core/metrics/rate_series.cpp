#include "core/metrics/rate_series.h"

#include <algorithm>

namespace hookbench::metrics {

RateSeries::RateSeries(qint64 windowMs) : m_windowMs(windowMs) {}

double RateSeries::addSample(qint64 timeMs, double cumulative)
{
    if (!m_hasPrevious || cumulative < m_previousValue || timeMs < m_previousMs) {
        // Nothing to compare with, the counter restarted or the clock went back: this sample is
        // the new baseline.
        m_hasPrevious = true;
        m_previousMs = timeMs;
        m_previousValue = cumulative;
        return 0;
    }
    if (timeMs == m_previousMs)
        return 0; // no interval to divide by
    const double rate = (cumulative - m_previousValue) * 1000.0 / double(timeMs - m_previousMs);
    m_previousMs = timeMs;
    m_previousValue = cumulative;
    m_points.push_back({timeMs, rate});
    while (!m_points.empty() && m_points.front().timeMs < timeMs - m_windowMs)
        m_points.pop_front();
    return rate;
}

double RateSeries::maximum() const
{
    double max = 0;
    for (const RatePoint &p : m_points)
        max = std::max(max, p.perSecond);
    return max;
}

void RateSeries::clear()
{
    m_hasPrevious = false;
    m_points.clear();
}

} // namespace hookbench::metrics
