#include "core/processing/retry_policy.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <random>

#include <QRandomGenerator>

namespace hookbench::processing {

RetryPolicy::RandomSource RetryPolicy::seededRandom(quint64 seed)
{
    // shared_ptr: std::function must be copyable, and copies share one stream.
    auto engine = std::make_shared<std::mt19937_64>(seed);
    return [engine] {
        // The top 53 bits scaled by 2^-53: uniform in [0, 1) and the same on every standard
        // library (std::uniform_real_distribution is implementation-defined).
        return static_cast<double>((*engine)() >> 11) * 0x1.0p-53;
    };
}

RetryPolicy::RetryPolicy(const RetrySettings &settings, const Clock &clock, RandomSource random)
    : m_settings(settings)
    , m_clock(clock)
    , m_random(std::move(random))
{
    if (!m_random)
        m_random = seededRandom(QRandomGenerator::system()->generate64());
    // Defensive: settings from code (not fromJson) could hold nonsense; keep the arithmetic sane.
    m_settings.capMs = std::clamp<qint64>(m_settings.capMs, 1, RetrySettings::maxCapMs);
    m_settings.baseMs = std::clamp<qint64>(m_settings.baseMs, 1, m_settings.capMs);
    if (!(m_settings.timeScale > 0.0) || !std::isfinite(m_settings.timeScale))
        m_settings.timeScale = 1.0;
}

qint64 RetryPolicy::ceilingMs(int attemptsSoFar) const
{
    const int shift = std::max(attemptsSoFar, 1) - 1;
    // base << shift <= cap exactly when base <= cap >> shift; checking it this way round never
    // shifts a value past 63 bits.
    if (shift < 63 && m_settings.baseMs <= (m_settings.capMs >> shift))
        return m_settings.baseMs << shift;
    return m_settings.capMs;
}

qint64 RetryPolicy::scaled(double ms) const
{
    // floor keeps the effective delay within ceiling / time_scale.
    return static_cast<qint64>(std::floor(ms / m_settings.timeScale));
}

RetryPolicy::Decision RetryPolicy::next(int attemptsSoFar, std::optional<qint64> retryAfterMs) const
{
    Decision d;
    if (attemptsSoFar >= m_settings.maxAttempts)
        return d;
    const qint64 ceiling = ceilingMs(attemptsSoFar);
    double u = m_random();
    if (!(u >= 0.0 && u < 1.0)) // a broken injected source must not break the bound
        u = 0.0;
    double delay = std::floor(u * static_cast<double>(ceiling));
    if (retryAfterMs && *retryAfterMs > 0)
        delay = std::max(delay, static_cast<double>(std::min(*retryAfterMs, m_settings.capMs)));
    d.retry = true;
    d.nextAttempt = std::max(attemptsSoFar, 0) + 1;
    d.delayMs = scaled(delay);
    d.dueAtMs = m_clock.nowMs() + d.delayMs;
    return d;
}

QList<qint64> RetryPolicy::schedulePreview(quint64 seed) const
{
    const RetryPolicy preview(m_settings, m_clock, seededRandom(seed));
    QList<qint64> delays;
    for (int attempt = 1; attempt < m_settings.maxAttempts; ++attempt)
        delays.append(preview.next(attempt).delayMs);
    return delays;
}

} // namespace hookbench::processing
