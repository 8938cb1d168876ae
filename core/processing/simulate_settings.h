#pragma once

// SimulateSettings: the simulate handler's behaviour for one source. JSON shape:
//   {"latency_ms": 0, "failure_rate": 0.0, "failure": "transient"|"permanent",
//    "failing_keys": ["cus_1"], "poison": {"pointer": "/data/object/id", "value": "evt_bad"}}

#include <optional>

#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include "core/processing/failure_classifier.h"
#include "core/util/result.h"

namespace hookbench::processing {

struct SimulateSettings
{
    struct Poison
    {
        QString pointer;  // RFC 6901 JSON Pointer into the payload
        QJsonValue value; // a string, number or boolean; compared as key text (42 matches "42")
    };

    int latencyMs = 0;                          // every record takes this long
    double failureRate = 0.0;                   // share of records that fail, 0..1
    ErrorClass failure = ErrorClass::Transient; // class of random and failing-key failures
    QStringList failingKeys;                    // entity keys that always fail
    std::optional<Poison> poison;               // matching payloads fail permanently

    // Validates; errors name the field under fieldPath
    // ("sources[2].simulate.failure_rate: must be between 0 and 1, got 1.5").
    static Result<SimulateSettings> fromJson(const QJsonObject &object, const QString &fieldPath);
    QJsonObject toJson() const;
};

} // namespace hookbench::processing
