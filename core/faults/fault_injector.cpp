#include "core/faults/fault_injector.h"

#include <mutex>

#include <QHash>
#include <QThread>
#include <QTimer>

#include "core/kafka/embedded_cluster.h"
#include "core/processing/event_processor.h"

using namespace Qt::StringLiterals;

namespace hookbench::faults {

struct FaultInjector::Private
{
    FaultInjector *q = nullptr;
    kafka::EmbeddedCluster *cluster = nullptr;
    processing::EventProcessor *processor = nullptr;
    QStringList sources;
    const Clock *clock = nullptr;
    QThread thread;
    QObject *context = nullptr; // lives on `thread`; the faults run in its event loop

    mutable std::mutex mutex; // guards what follows
    QList<FaultEvent> timeline;
    QHash<int, int> rtt;
    // The simulate settings a source had before the first change here (for calm()).
    QHash<QString, std::optional<processing::SimulateSettings>> originalSimulate;

    // Runs fn on the injector's thread and records what it returns (an empty error: applied).
    void post(FaultEvent::Kind kind, const QString &description, std::function<Result<void>()> fn)
    {
        QMetaObject::invokeMethod(
            context,
            [this, kind, description, fn = std::move(fn)] {
                const Result<void> r = fn();
                record(kind, description, r ? QString() : r.error().message);
            },
            Qt::QueuedConnection);
    }
    void record(FaultEvent::Kind kind, const QString &description, const QString &error)
    {
        FaultEvent event{clock->nowMs(), kind, description, error.isEmpty(), error};
        {
            const std::lock_guard lock(mutex);
            timeline.append(event);
        }
        Q_EMIT q->recorded(event);
    }
    Result<void> needCluster() const
    {
        if (!cluster)
            return Error{u"no_embedded_cluster"_s, u"Kafka faults need the embedded cluster (kafka.mode embedded)"_s};
        return {};
    }
    Result<void> applySimulate(const QString &source, const std::optional<processing::SimulateSettings> &settings)
    {
        if (!processor)
            return Error{u"no_processor"_s, u"the consumer side is not running"_s};
        auto current = processor->sourceSettings(source);
        if (!current)
            return current.error();
        {
            const std::lock_guard lock(mutex);
            if (!originalSimulate.contains(source))
                originalSimulate.insert(source, current->second);
        }
        return processor->setSimulateSettings(source, settings);
    }
};

QString FaultInjector::errorName(int code)
{
    switch (code) {
    case kNotEnoughReplicas: return u"NOT_ENOUGH_REPLICAS (19)"_s;
    case kRequestTimedOut: return u"REQUEST_TIMED_OUT (7)"_s;
    case kNotLeader: return u"NOT_LEADER_OR_FOLLOWER (6)"_s;
    case kInvalidRecord: return u"INVALID_RECORD (87)"_s;
    default: return u"error "_s % QString::number(code);
    }
}

FaultInjector::FaultInjector(kafka::EmbeddedCluster *cluster, processing::EventProcessor *processor,
                             QStringList sources, const Clock &clock, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    qRegisterMetaType<FaultEvent>();
    d->q = this;
    d->cluster = cluster;
    d->processor = processor;
    d->sources = std::move(sources);
    d->clock = &clock;
    d->thread.setObjectName(u"faults"_s);
    d->context = new QObject();
    d->context->moveToThread(&d->thread);
    connect(&d->thread, &QThread::finished, d->context, &QObject::deleteLater);
    d->thread.start();
}

FaultInjector::~FaultInjector()
{
    d->thread.quit();
    d->thread.wait();
}

bool FaultInjector::hasCluster() const
{
    return d->cluster != nullptr;
}

QList<int> FaultInjector::brokerIds() const
{
    return d->cluster ? d->cluster->brokerIds() : QList<int>{};
}

bool FaultInjector::isBrokerUp(int brokerId) const
{
    return d->cluster && d->cluster->isBrokerUp(brokerId);
}

int FaultInjector::brokerRttMs(int brokerId) const
{
    const std::lock_guard lock(d->mutex);
    return d->rtt.value(brokerId, 0);
}

void FaultInjector::setBrokerDown(int brokerId)
{
    d->post(FaultEvent::Kind::BrokerDown, u"broker %1 down"_s.arg(brokerId), [this, brokerId]() -> Result<void> {
        if (auto r = d->needCluster(); !r)
            return r;
        return d->cluster->setBrokerDown(brokerId);
    });
}

void FaultInjector::setBrokerUp(int brokerId)
{
    d->post(FaultEvent::Kind::BrokerUp, u"broker %1 up"_s.arg(brokerId), [this, brokerId]() -> Result<void> {
        if (auto r = d->needCluster(); !r)
            return r;
        return d->cluster->setBrokerUp(brokerId);
    });
}

void FaultInjector::setBrokerRtt(int brokerId, int rttMs)
{
    d->post(FaultEvent::Kind::Rtt, u"broker %1 round trip +%2 ms"_s.arg(brokerId).arg(rttMs),
            [this, brokerId, rttMs]() -> Result<void> {
                if (auto r = d->needCluster(); !r)
                    return r;
                if (auto r = d->cluster->setBrokerRttMs(brokerId, rttMs); !r)
                    return r;
                const std::lock_guard lock(d->mutex);
                d->rtt.insert(brokerId, rttMs);
                return {};
            });
}

void FaultInjector::failProduce(int count, int errorCode)
{
    d->post(FaultEvent::Kind::ProduceErrors,
            u"next %1 produce requests fail with %2"_s.arg(count).arg(errorName(errorCode)),
            [this, count, errorCode]() -> Result<void> {
                if (auto r = d->needCluster(); !r)
                    return r;
                return d->cluster->failNextRequests(0, QList<int>(count, errorCode));
            });
}

void FaultInjector::failFetch(int count, int errorCode)
{
    d->post(FaultEvent::Kind::FetchErrors,
            u"next %1 fetch requests fail with %2"_s.arg(count).arg(errorName(errorCode)),
            [this, count, errorCode]() -> Result<void> {
                if (auto r = d->needCluster(); !r)
                    return r;
                return d->cluster->failNextRequests(1, QList<int>(count, errorCode));
            });
}

void FaultInjector::moveLeader(const QString &topic, int partition, int brokerId)
{
    d->post(FaultEvent::Kind::LeaderMove,
            u"leader of %1/%2 moved to broker %3"_s.arg(topic).arg(partition).arg(brokerId),
            [this, topic, partition, brokerId]() -> Result<void> {
                if (auto r = d->needCluster(); !r)
                    return r;
                return d->cluster->setPartitionLeader(topic, partition, brokerId);
            });
}

void FaultInjector::setSimulate(const QString &source, const std::optional<processing::SimulateSettings> &settings)
{
    QString description;
    if (!settings) {
        description = u"%1: simulate handler off"_s.arg(source);
    } else {
        description =
            u"%1: simulate %2 ms, %3 % %4 failures"_s.arg(source)
                .arg(settings->latencyMs)
                .arg(settings->failureRate * 100.0, 0, 'g', 3)
                .arg(settings->failure == processing::ErrorClass::Permanent ? u"permanent"_s : u"transient"_s);
        if (!settings->failingKeys.isEmpty())
            description += u", failing keys "_s % settings->failingKeys.join(u", "_s);
        if (settings->poison)
            description +=
                u", poison "_s % settings->poison->pointer % u" = "_s % settings->poison->value.toVariant().toString();
    }
    d->post(FaultEvent::Kind::Simulate, description,
            [this, source, settings] { return d->applySimulate(source, settings); });
}

void FaultInjector::applyChaos(const QString &topic, int downForMs)
{
    d->record(FaultEvent::Kind::Preset, u"chaos preset"_s, {});
    const QList<int> brokers = brokerIds();
    if (!brokers.isEmpty()) {
        setBrokerRtt(brokers.first(), 250);
        failProduce(5, kNotEnoughReplicas);
        if (!topic.isEmpty())
            moveLeader(topic, 0, brokers.last());
    }
    processing::SimulateSettings flaky;
    flaky.latencyMs = 50;
    flaky.failureRate = 0.2;
    for (const QString &source : std::as_const(d->sources))
        setSimulate(source, flaky);
    if (brokers.size() > 1) {
        const int victim = brokers.last();
        setBrokerDown(victim);
        QTimer::singleShot(downForMs, d->context, [this, victim] { setBrokerUp(victim); });
    }
}

void FaultInjector::calm()
{
    d->record(FaultEvent::Kind::Preset, u"calm preset"_s, {});
    for (int id : brokerIds()) {
        setBrokerUp(id);
        setBrokerRtt(id, 0);
    }
    QHash<QString, std::optional<processing::SimulateSettings>> originals;
    {
        const std::lock_guard lock(d->mutex);
        originals = d->originalSimulate;
    }
    for (auto it = originals.cbegin(); it != originals.cend(); ++it)
        setSimulate(it.key(), it.value());
}

QList<FaultEvent> FaultInjector::timeline() const
{
    const std::lock_guard lock(d->mutex);
    return d->timeline;
}

} // namespace hookbench::faults
