#pragma once

// FaultInjector: the fault-injection facade for demos — the embedded cluster's faults (broker
// down/up, round-trip delay, errors for the next requests of an API, partition leader moves) and
// the simulate handler's settings of each source, live — with a timeline of what was injected.
//
// The mock cluster's calls block until librdkafka's mock thread applied them, so every call here
// is posted to the injector's own thread and returns at once; recorded() reports the outcome.
// Callable from any thread. In external Kafka mode (no cluster) the Kafka faults are refused with
// "no_embedded_cluster"; the simulate settings still work.

#include <memory>
#include <optional>

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include "core/faults/fault_event.h"
#include "core/processing/simulate_settings.h"
#include "core/util/clock.h"

namespace hookbench::kafka {
class EmbeddedCluster;
} // namespace hookbench::kafka
namespace hookbench::processing {
class EventProcessor;
} // namespace hookbench::processing

namespace hookbench::faults {

class FaultInjector final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FaultInjector)

public:
    // Kafka protocol error codes offered for request errors.
    static constexpr int kNotEnoughReplicas = 19; // retriable: the producer retries, latency grows
    static constexpr int kRequestTimedOut = 7;    // retriable
    static constexpr int kNotLeader = 6;          // retriable: metadata refresh, then retry
    static constexpr int kInvalidRecord = 87;     // not retriable: the batch fails, events queue
    static QString errorName(int code);           // "NOT_ENOUGH_REPLICAS (19)"

    // Both may be null (then those faults are refused); they must outlive the injector. sources:
    // the names the presets change the simulate settings of.
    FaultInjector(kafka::EmbeddedCluster *cluster, processing::EventProcessor *processor, QStringList sources,
                  const Clock &clock = SystemClock::instance(), QObject *parent = nullptr);
    ~FaultInjector() override; // waits for a fault being applied

    bool hasCluster() const;
    QList<int> brokerIds() const; // empty without a cluster
    bool isBrokerUp(int brokerId) const;
    int brokerRttMs(int brokerId) const; // as last set here

    void setBrokerDown(int brokerId);
    void setBrokerUp(int brokerId);
    void setBrokerRtt(int brokerId, int rttMs);
    // The next `count` requests of Produce (API 0) / Fetch (API 1) fail with errorCode.
    void failProduce(int count, int errorCode);
    void failFetch(int count, int errorCode);
    void moveLeader(const QString &topic, int partition, int brokerId);
    // nullopt: the source's simulate handler is switched off.
    void setSimulate(const QString &source, const std::optional<processing::SimulateSettings> &settings);

    // Chaos: broker 1 +250 ms round trip, the next 5 produce requests fail (retriable), every
    // source fails 20 % of records transiently after 50 ms, partition 0 of `topic`
    // moves to the last broker, and the last broker goes down for downForMs, then up again.
    void applyChaos(const QString &topic, int downForMs = 10'000);
    // Calm: every broker up, no extra round trip, the simulate settings the sources started with.
    void calm();

    QList<FaultEvent> timeline() const; // thread-safe copy, oldest first

signals:
    void recorded(const hookbench::faults::FaultEvent &event);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace hookbench::faults
