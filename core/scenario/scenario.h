#pragma once

// Scenario: a scripted run of provider-shaped events through the receiver, to demonstrate
// deduplication and per-entity ordering (ScenarioRunner runs it). Saved as JSON:
//   {"kind": "scenario" | "dedup_race" | "provider_retry", "name": "...",
//    "providers": ["stripe"],   templates (resources/templates) whose sources receive the events
//    "events": 200, "entities": 10, "duplicate_rate": 0.1,
//    "out_of_order_rate": 0.2, "out_of_order_window": 5,
//    "rate": 100, "duration_s": 0, "concurrency": 8, "seed": 1,
//    "retry": {RetrySettings}, "simulate": {SimulateSettings},  applied to those sources first
//    "settle_timeout_s": 60, "expect_order": "any" | "preserved" | "violated",
//    "deliveries": 8,                                             dedup_race
//    "schedule": "stripe" | "standard-webhooks", "compression": 3600, "late_arrival_s": 0}
//                                                                 provider_retry
// Each event of an entity carries its sequence number in the payload (hookbench_scenario.seq),
// so the report can read the processing order back from the journal.

#include <optional>

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include "core/processing/retry_settings.h"
#include "core/processing/simulate_settings.h"
#include "core/util/result.h"

namespace hookbench::scenario {

struct Scenario
{
    enum class Kind { Events, DedupRace, ProviderRetry };
    enum class ExpectOrder { Any, Preserved, Violated };

    Kind kind = Kind::Events;
    QString name = QStringLiteral("scenario");
    QStringList providers{QStringLiteral("stripe")};
    int events = 100;                               // unique events; 0 with rate and duration_s: rate * duration_s
    int entities = 10;                              // entity keys the events are spread over
    double duplicateRate = 0.0;                     // share of events delivered a second time (same bytes)
    double outOfOrderRate = 0.0;                    // share of events swapped with a later one of the window
    int outOfOrderWindow = 5;                       // how far (in sends) an event may move
    double rate = 0.0;                              // events per second; 0 = as fast as `concurrency` allows
    double durationS = 0.0;                         // with events 0: how long to send at `rate`
    int concurrency = 8;                            // requests in flight at once
    quint32 seed = 1;                               // for the entity, duplicate and shuffle choices
    std::optional<processing::RetrySettings> retry; // for the run's sources, if set
    std::optional<processing::SimulateSettings> simulate; // for the run's sources, if set
    int settleTimeoutS = 60;                              // how long to wait for processing to finish
    ExpectOrder expectOrder = ExpectOrder::Any;

    int deliveries = 8; // dedup race: concurrent deliveries of one event

    QString schedule = QStringLiteral("standard-webhooks"); // provider retry: whose schedule
    double compression = 3600.0;                            // provider retry: 3600 = an hour a second
    double lateArrivalS = 0.0; // provider retry: one more delivery this long after the first; 0 = none

    // The number of unique events the run sends.
    int totalEvents() const;

    // Validates; errors ("config_invalid") name the field ("scenario.duplicate_rate: ...").
    static Result<Scenario> fromJson(const QJsonObject &object, const QString &path = QStringLiteral("scenario"));
    QJsonObject toJson() const;
    static Result<Scenario> load(const QString &file);
    Result<void> save(const QString &file) const;

    static QString kindName(Kind kind);
    static QString expectOrderName(ExpectOrder expect);
};

} // namespace hookbench::scenario
