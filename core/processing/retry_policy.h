#pragma once

// RetryPolicy: exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff
// And Jitter"): the n-th retry waits random(0, min(cap, base * 2^(n-1))), divided by time_scale.
// Full jitter spreads the retries of many consumers that failed together, so a recovering target
// is not hit by a synchronised wave.
//
// Retry-After: the target's answer is a lower bound ("retry no earlier than"), so the delay is
// max(Retry-After, jittered delay), clamped to cap_ms — a target cannot park a record for longer
// than the configured schedule allows. Retry-After is scaled by time_scale like the rest of the
// schedule, so a compressed demo stays compressed.
//
// Not thread-safe with the default random source: one policy per consumer thread.

#include <functional>
#include <optional>

#include <QList>
#include <QtGlobal>

#include "core/processing/retry_settings.h"
#include "core/util/clock.h"

namespace hookbench::processing {

class RetryPolicy
{
public:
    // Returns a number in [0, 1). Inject a seeded one in tests and previews.
    using RandomSource = std::function<double()>;

    struct Decision
    {
        bool retry = false;  // false: attempts exhausted, dead-letter
        int nextAttempt = 0; // the attempt number the retry will be (attemptsSoFar + 1)
        qint64 delayMs = 0;  // effective delay, already divided by time_scale
        qint64 dueAtMs = 0;  // clock.nowMs() + delayMs (0 when retry is false)
    };

    // random empty = a generator seeded from the system's entropy.
    RetryPolicy(const RetrySettings &settings, const Clock &clock, RandomSource random = {});

    // After attemptsSoFar failed deliveries (1 after the first failure): retry or give up.
    // retryAfterMs: what the target asked for, if anything (FailureClassifier::parseRetryAfter).
    Decision next(int attemptsSoFar, std::optional<qint64> retryAfterMs = std::nullopt) const;

    // The ceiling of the retry after attemptsSoFar failures before jitter and scaling:
    // min(cap, base * 2^(attemptsSoFar-1)); never overflows, whatever attemptsSoFar is.
    qint64 ceilingMs(int attemptsSoFar) const;

    // The effective delays of every retry the schedule allows (max_attempts - 1 of them), drawn
    // from a generator seeded with seed: the same seed shows the same plan.
    QList<qint64> schedulePreview(quint64 seed) const;

    const RetrySettings &settings() const { return m_settings; }

    // A deterministic source of [0, 1) numbers (mt19937_64, 53 bits per draw).
    static RandomSource seededRandom(quint64 seed);

private:
    qint64 scaled(double ms) const;

    RetrySettings m_settings;
    const Clock &m_clock;
    RandomSource m_random;
};

} // namespace hookbench::processing
