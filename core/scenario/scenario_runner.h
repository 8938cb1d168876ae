#pragma once

// ScenarioRunner: runs a Scenario against a running pipeline through its receiver, over loopback
// HTTP (replay::LoopbackClient), and reports what the pipeline did by reading the journal and the
// processing tables (JournalQuery, ProcessingQuery), not by trusting what it sent.
//  - run(): the scenario's events (per-entity sequence numbers in the payload, duplicates,
//    shuffles, a rate), then waits until every accepted event is processed or dead-lettered, and
//    compares each entity's processing order with its log order. finished(ScenarioReport).
//  - dedup race: N concurrent deliveries of one signed event; which one won the claim and what
//    the others were answered. demoFinished(report JSON).
//  - provider retry: one event re-delivered on its provider's retry schedule (ProviderSchedule),
//    compressed in time, re-signed for each attempt as the provider does. demoFinished().
// Before a run, the scenario's retry and simulate settings are applied to its sources through the
// EventProcessor (live), when one is given.
//
// Threads: everything happens on the runner's thread, and each call blocks on SQLite for a
// moment: give the runner a thread of its own in a GUI (moveToThread), call its slots through
// QMetaObject::invokeMethod. One run at a time; a call while busy reports "busy".

#include <memory>

#include <QJsonObject>
#include <QObject>
#include <QString>

#include "core/config/config.h"
#include "core/scenario/scenario.h"
#include "core/scenario/scenario_report.h"
#include "core/util/clock.h"

namespace hookbench::processing {
class EventProcessor;
} // namespace hookbench::processing

namespace hookbench::scenario {

struct ScenarioTarget
{
    QString listenAddress;                           // the receiver, "127.0.0.1:PORT"
    config::Config config;                           // its sources (provider, secrets, entity key pointer)
    QString databasePath;                            // the pipeline's hookbench.db
    processing::EventProcessor *processor = nullptr; // to apply retry/simulate settings; may be null
    const Clock *clock = &SystemClock::instance();
};

class ScenarioRunner final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ScenarioRunner)

public:
    explicit ScenarioRunner(ScenarioTarget target, QObject *parent = nullptr);
    ~ScenarioRunner() override;

    bool isBusy() const;

public slots:
    // Runs scenario.kind: Events → finished(); DedupRace, ProviderRetry → demoFinished().
    void start(const hookbench::scenario::Scenario &scenario);
    // Stops sending and waiting (for a demo's next attempt, for processing to settle); the report
    // then covers what was sent and what had been processed by then.
    void cancel();

signals:
    void progress(const QString &phase, int done, int total);
    void finished(const hookbench::scenario::ScenarioReport &report);
    void demoFinished(const QJsonObject &report);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace hookbench::scenario

Q_DECLARE_METATYPE(hookbench::scenario::Scenario)
Q_DECLARE_METATYPE(hookbench::scenario::ScenarioReport)
