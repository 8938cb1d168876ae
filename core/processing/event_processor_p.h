#pragma once

// EventProcessor::Private: the processor's state and record flow, shared by event_processor.cpp
// (the public class: creation, threads, snapshots) and event_processor_private.cpp (what happens
// to each record: dedup check, deliveries, attempts, retries, DLQ). Internal to core/processing.

#include <functional>
#include <map>
#include <memory>
#include <mutex>

#include <QHash>
#include <QList>
#include <QLoggingCategory>
#include <QSet>
#include <QString>

#include "core/kafka/consumer_group.h"
#include "core/kafka/producer.h"
#include "core/metrics/metrics_registry.h"
#include "core/processing/delivery_planner.h"
#include "core/processing/event_processor.h"
#include "core/processing/forward_outcome.h"
#include "core/processing/record_envelope.h"
#include "core/processing/retry_policy.h"
#include "core/processing/store_batcher.h"
#include "core/store/database.h"
#include "core/store/processing_store.h"

Q_DECLARE_LOGGING_CATEGORY(lcProcessor)

class QTimer;

namespace hookbench::processing {

class HttpForwarder;
class SimulateHandler;

namespace detail {

inline constexpr int kActivityBatchMs = 100;
inline constexpr int kSubscriptionRefreshMs = 1000;
inline constexpr int kStoreRetryMs = 500; // a locked or failing database: the write is tried again

inline QString dlqTopic()
{
    return QStringLiteral("webhooks.dlq");
}

inline QString retryTopic(const QString &source, int n)
{
    return QStringLiteral("webhooks.") + source + QStringLiteral(".retry.") + QString::number(n);
}

struct Outcome
{
    Delivery delivery;
    ForwardOutcome outcome;
    qint64 finishedAtMs = 0;
};

struct Job
{
    quint64 id = 0;
    kafka::ConsumedRecord record;
    kafka::Completion completion;
    RecordEnvelope envelope;
    QList<Delivery> pending; // deliveries that have not succeeded yet
    int attempt = 1;         // the attempt running or next to run
    int attemptsMade = 0;    // finished attempts, counting those of earlier retry-topic copies
    qint64 attemptStartedAtMs = 0;
    int outstanding = 0; // deliveries of the running attempt without an outcome yet
    QList<Outcome> outcomes;
    qint64 firstFailureAtMs = 0;
    qint64 lastFailureAtMs = 0;
    QString lastError;
    // Set while the job waits for a due time (waitFor): what to run then. waitToken tells a
    // stale timer from the current wait after "retry now" or "give up" ended it early.
    std::function<void()> resume;
    qint64 waitDueAtMs = 0;
    quint64 waitToken = 0;
    bool waitingOnRetryTopic = false;
};

using KeyId = QPair<QString, QByteArray>; // (source, idempotency key)

struct PendingProduce
{
    enum class Kind { Retry, DeadLetter };
    Kind kind = Kind::Retry;
    quint64 jobId = 0;
    kafka::ProduceRequest request;
    RecordEnvelope::DeadLetter letter; // DeadLetter only
};

} // namespace detail

struct EventProcessor::Private
{
    using Job = detail::Job;
    using KeyId = detail::KeyId;
    using PendingProduce = detail::PendingProduce;

    EventProcessor *q = nullptr;
    ProcessorEnvironment env;
    std::unique_ptr<store::Database> db;
    std::unique_ptr<store::ProcessingStore> store;
    // Every write of the processor goes through it: one transaction per event-loop turn.
    std::unique_ptr<StoreBatcher> batcher;
    std::unique_ptr<DeliveryPlanner> planner;
    std::unique_ptr<kafka::Producer> producer; // null while it is recreated after a fatal error
    kafka::ProducerSettings producerSettings;
    std::unique_ptr<kafka::ConsumerGroup> group;
    HttpForwarder *forwarder = nullptr; // child of q
    QTimer *activityTimer = nullptr;    // child of q
    QHash<QString, std::shared_ptr<SimulateHandler>> simulators;
    QHash<QString, std::shared_ptr<RetryPolicy>> policies;
    std::shared_ptr<RetryPolicy> defaultPolicy;

    std::map<quint64, std::unique_ptr<Job>> jobs;
    QHash<KeyId, quint64> activeByKey;      // the job handling a key now
    QHash<KeyId, QList<quint64>> parked;    // later records of that key, waiting for it
    QHash<qint64, PendingProduce> produces; // by opaque
    QSet<QString> createdTopics;            // retry/DLQ topics made sure of
    QSet<QString> subscribedTopics;         // topics the group was told about
    quint64 nextJobId = 1;
    qint64 nextOpaque = 1;
    bool stopping = false;
    QList<ProcessingActivity> activityBuffer;

    mutable std::mutex mutex; // guards snapshot, stats, scheduled and liveSettings
    kafka::ConsumerGroupState snapshot;
    ProcessorStats stats;
    QList<ScheduledRetry> scheduled;
    // Copies of each source's settings for sourceSettings() on other threads.
    QHash<QString, QPair<RetrySettings, std::optional<SimulateSettings>>> liveSettings;

    qint64 now() const { return env.clock->nowMs(); }
    Job *job(quint64 id)
    {
        const auto it = jobs.find(id);
        return it == jobs.end() ? nullptr : it->second.get();
    }
    template <typename F>
    void updateStats(F f)
    {
        const std::lock_guard lock(mutex);
        f(stats);
        stats.inProgress = int(jobs.size());
    }
    void count(const QString &name, const metrics::Labels &labels)
    {
        if (env.metrics)
            env.metrics->increment(name, labels);
    }
    const RetryPolicy &policy(const QString &source) const
    {
        const auto it = policies.constFind(source);
        return it != policies.constEnd() ? **it : *defaultPolicy;
    }
    RetrySettings::Strategy strategy(const QString &source) const { return policy(source).settings().strategy; }

    void describeMetrics();
    void ensureTopic(const QString &topic);
    // On the processor's thread: the source's settings from now on (see setRetrySettings).
    void applyRetry(const QString &source, const RetrySettings &settings);
    void applySimulate(const QString &source, const std::optional<SimulateSettings> &settings);
    void refreshSnapshot();
    void later(int ms, std::function<void()> fn);
    void at(qint64 dueAtMs, std::function<void()> fn);
    // Waits for dueAtMs like at(), listed in scheduledRetries() meanwhile.
    void waitFor(quint64 id, qint64 dueAtMs, bool retryTopic, std::function<void()> fn);
    bool endWait(Job &job); // false when the job was not waiting
    void resumeWait(quint64 id, quint64 token);
    void publishScheduled();
    Result<void> retryNow(quint64 id);
    Result<void> giveUp(quint64 id);

    ProcessingActivity activityFor(ProcessingActivity::Kind kind, const Job &job) const;
    void emitActivity(ProcessingActivity activity);

    void onRecord(const kafka::ConsumedRecord &record, kafka::Completion completion);
    void begin(quint64 id);
    void attempt(quint64 id);
    void onOutcome(quint64 id, const Delivery &delivery, const ForwardOutcome &outcome);
    void concludeAttempt(quint64 id);
    void markDone(quint64 id, ProcessingActivity::Kind kind);
    void produceRetry(quint64 id, const RetryPolicy::Decision &decision);
    void deadLetter(quint64 id, const QString &error, ErrorClass cls);
    void send(qint64 opaque);
    Result<void> createProducer();
    // After a fatal error: purge, destroy and create the producer anew (librdkafka's recipe).
    // The purged copies come back as failed reports and are produced again by the new one.
    void recreateProducer();
    void onDelivered(const QList<kafka::DeliveryReport> &reports);
    void storeDeadLetter(const PendingProduce &produce);
    void finish(quint64 id);
};

} // namespace hookbench::processing
