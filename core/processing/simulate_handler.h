#pragma once

// SimulateHandler: a stand-in for the developer's app, to watch retries, ordering and the DLQ
// without writing one. Per source: a latency, a random failure rate, entity keys that always
// fail and a poison payload (a JSON Pointer and a value) that fails permanently.
//
// Checks, first match wins: poison (permanent), failing key, random failure (both of the
// configured class). Outcomes have httpStatus 0 and an error that says why.
//
// Not thread-safe with the default random source: one handler per consumer thread.

#include <functional>

#include <QObject>

#include "core/processing/forward_outcome.h"
#include "core/processing/processing_record.h"
#include "core/processing/simulate_settings.h"

namespace hookbench::processing {

class SimulateHandler
{
public:
    // Returns a number in [0, 1) (see RetryPolicy::seededRandom); empty = seeded from the system.
    using RandomSource = std::function<double()>;

    explicit SimulateHandler(SimulateSettings settings, RandomSource random = {});

    // The outcome now, without the latency (consumes one random draw when 0 < failure_rate < 1).
    ForwardOutcome evaluate(const ProcessingRecord &record) const;

    // The outcome after latency_ms, delivered by a single-shot timer in context's thread; always
    // asynchronous, even with latency 0. Dropped if context is destroyed first.
    void handle(const ProcessingRecord &record, QObject *context,
                std::function<void(const ForwardOutcome &)> done) const;

    const SimulateSettings &settings() const { return m_settings; }

private:
    SimulateSettings m_settings;
    RandomSource m_random;
};

} // namespace hookbench::processing
