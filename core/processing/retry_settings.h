#pragma once

// RetrySettings: how a consumer retries transient failures. JSON shape:
//   {"strategy": "blocking"|"topics", "base_ms": 1000, "cap_ms": 86400000, "max_attempts": 8,
//    "time_scale": 1.0}
// blocking = retry in place (keeps per-entity order, stalls the partition); topics = retry topics
// webhooks.<source>.retry.<n> (keeps the partition moving, breaks order).

#include <QJsonObject>
#include <QString>

#include "core/util/result.h"

namespace hookbench::processing {

struct RetrySettings
{
    enum class Strategy { Blocking, Topics };

    static constexpr qint64 maxCapMs = 7LL * 24 * 3600 * 1000; // a week: beyond any sender's retry window

    Strategy strategy = Strategy::Blocking;
    qint64 baseMs = 1000;      // ceiling of the first retry's delay
    qint64 capMs = 86'400'000; // no single delay is longer than this (24 h)
    int maxAttempts = 8;       // deliveries in total, the first one included
    double timeScale = 1.0;    // effective delay = delay / timeScale (1440: 24 h run in a minute)

    // Validates; errors name the field under fieldPath ("sources[2].retry.cap_ms: ...").
    static Result<RetrySettings> fromJson(const QJsonObject &object, const QString &fieldPath);
    QJsonObject toJson() const;

    static QString strategyName(Strategy strategy);
};

} // namespace hookbench::processing
