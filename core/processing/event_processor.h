#pragma once

// EventProcessor: the consumer side of the pipeline (DESIGN steps 6–8). It owns the
// ConsumerGroup over webhooks.* and, for every record it is handed:
//   1. reads the hookbench-* headers (source, idempotency-key, event-type, content-type,
//      hookbench-journal-id; on retry topics also hookbench-attempt, hookbench-due-at and the
//      hookbench-original-{topic,partition,offset} headers it wrote itself);
//   2. skips a record whose (source, idempotency key) is already processed, or whose journal
//      entry of that source is already dead-lettered: recorded as a redelivery (activity
//      Redelivered), not handled twice;
//   3. fans out to one delivery per matching active subscription (HttpForwarder) plus the
//      source's simulate handler when configured; no handler at all: marked processed at once;
//   4. records every attempt (ProcessingStore::recordAttempt: time, consumer, outcome, error,
//      next due time, subscription);
//   5. on success of every delivery: markProcessed, then the record's Completion (offset commit);
//   6. on a transient failure, per the source's effective RetrySettings:
//      - blocking: waits the RetryPolicy delay on a timer and retries in place (the partition
//        waits, so per-entity order holds), only the deliveries that have not succeeded yet;
//      - topics: produces the record (same key, value bytes and headers, plus hookbench-attempt,
//        hookbench-due-at, hookbench-original-*, hookbench-pending-subscriptions) to
//        webhooks.<source>.retry.<n> (n = the attempt it will be, capped at max_attempts - 1),
//        and completes the original once the delivery report says it is there. A record read
//        from a retry topic before its due time waits (timer) before it is attempted;
//   7. on a permanent failure or when attempts are exhausted: produces to webhooks.dlq (same
//      key and value bytes; the original headers plus hookbench-dlq-original-topic,
//      -original-partition, -original-offset, -error, -error-class, -attempts,
//      -first-failure-at, -last-failure-at, -consumer), stores the dead letter
//      (ProcessingStore::addDeadLetter) and completes after the delivery report.
// Nothing is committed before its outcome is durable: at-least-once, idempotent in effect.
// The SQLite writes of the records that finish in one event-loop turn share one transaction
// (StoreBatcher); a record is completed only after its transaction committed.
//
// Topics: webhooks.dlq and the retry topics are created (EmbeddedCluster::ensureTopic when a
// cluster is given, else the cluster's auto-creation) before the first produce to them.
//
// Threads: create() it on the thread that will run it (the pipeline's processing thread); the
// handlers, timers and SQLite writes (its own connection to the database) run there. snapshot(),
// stats() and setConsumerCount() may be called from any thread.

#include <functional>
#include <memory>
#include <optional>

#include <QObject>
#include <QPair>

#include "core/config/config.h"
#include "core/kafka/consumer_group_state.h"
#include "core/processing/processing_activity.h"
#include "core/processing/retry_settings.h"
#include "core/processing/simulate_settings.h"
#include "core/util/clock.h"
#include "core/util/result.h"

namespace hookbench::kafka {
class EmbeddedCluster;
} // namespace hookbench::kafka
namespace hookbench::store {
class JournalWriter;
} // namespace hookbench::store
namespace hookbench::metrics {
class MetricsRegistry;
} // namespace hookbench::metrics

namespace hookbench::processing {

struct ProcessorEnvironment
{
    config::Config config; // sources (retry, simulate), consumers {group, count}, kafka.properties
    QString bootstrap;     // Kafka bootstrap servers
    QString databasePath;  // hookbench.db (created and migrated by the JournalWriter)
    metrics::MetricsRegistry *metrics = nullptr; // must outlive the processor
    const Clock *clock = &SystemClock::instance();
    kafka::EmbeddedCluster *cluster = nullptr; // to create retry/DLQ topics; nullptr in external mode
    int stateRefreshMs = 1000;                 // ConsumerGroupSettings::stateRefreshMs
    // The pipeline's writer: processed marks, attempts and dead letters then join its group
    // commits instead of competing with them for SQLite's write lock. Must outlive the processor.
    // Without one the processor writes through a connection of its own.
    store::JournalWriter *writer = nullptr;
};

struct ProcessorStats
{
    qint64 processed = 0;    // records marked processed (handled or no handler)
    qint64 redelivered = 0;  // records skipped as already processed or dead-lettered
    qint64 attempts = 0;     // handler attempts recorded
    qint64 retries = 0;      // transient failures that were retried
    qint64 deadLettered = 0; // records sent to webhooks.dlq
    int inProgress = 0;      // records handed to the processor and not completed yet
    // SQLite: transactions committed (writes of one event-loop turn share one), writes committed
    // in them (processed marks, attempts, dead letters), and failed transactions or writes.
    qint64 storeTransactions = 0;
    qint64 storeWrites = 0;
    qint64 storeFailures = 0;
};

// A record waiting for its next attempt (the Retries view). Blocking: the job waits in place on
// a timer (its partition waits with it). Retry topics: the copy read from
// webhooks.<source>.retry.<n> before its due time waits the same way; copies behind it on that
// partition are still in Kafka and are not listed until they are read.
struct ScheduledRetry
{
    enum class Strategy { Blocking, RetryTopic };
    quint64 jobId = 0; // names it for retryNow() and giveUp()
    qint64 journalId = 0;
    QString source;
    QByteArray entityKey;
    QString eventType;
    QString topic; // where the waiting record was read
    int partition = -1;
    qint64 offset = -1;
    int attempt = 1; // the attempt that is due
    qint64 dueAtMs = 0;
    QString lastError; // known for blocking waits; retry-topic copies: read the attempts table
    Strategy strategy = Strategy::Blocking;
};

class EventProcessor final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventProcessor)

public:
    // Opens its database connection, its producer (retry topics, DLQ) and the consumer group with
    // config.consumers.count members. Errors name what failed.
    static Result<std::unique_ptr<EventProcessor>> create(ProcessorEnvironment env);
    ~EventProcessor() override; // stops consuming; in-progress records are redelivered later

    // Thread-safe: posted to the processor's thread; the result says whether the count is valid
    // (0..kafka::ConsumerGroup::kMaxMembers). Each change is a real rebalance.
    Result<void> setConsumerCount(int count);
    // Thread-safe: posted to the processor's thread. The retry settings of later decisions: the
    // global ones (config.retry) and each running source's effective ones (matched by name, set
    // through the per-source call below). Records already waiting for a retry keep the due time
    // they were given. `config` must be valid (ConfigLoader).
    void setRetrySettings(const config::Config &config);
    // Thread-safe, live: a source's retry settings and simulate handler (nullopt: none) from the
    // next decision on — a record in progress keeps its attempt count and continues under the
    // new strategy. Switching to topics makes sure of the retry topics first. "not_found" for a
    // source the config does not have.
    Result<void> setRetrySettings(const QString &source, const RetrySettings &settings);
    Result<void> setSimulateSettings(const QString &source, const std::optional<SimulateSettings> &settings);
    // Thread-safe: the settings in effect (as last set) for a source; "not_found" when unknown.
    Result<QPair<RetrySettings, std::optional<SimulateSettings>>> sourceSettings(const QString &source) const;

    // Thread-safe copies, refreshed on the processor's thread whenever the group state changes.
    kafka::ConsumerGroupState snapshot() const;
    ProcessorStats stats() const;
    // Thread-safe copy of the records waiting for a retry now, soonest first.
    QList<ScheduledRetry> scheduledRetries() const;
    // Thread-safe; the answer comes on the context's thread. retryNow: the waiting record is
    // attempted at once (a retry-topic copy ignores its due time). giveUp: it goes to
    // webhooks.dlq now as exhausted, with the attempts made so far. "not_found" when the job is
    // no longer waiting (it was attempted or finished meanwhile).
    void retryNow(quint64 jobId, QObject *context, std::function<void(const Result<void> &)> done);
    void giveUp(quint64 jobId, QObject *context, std::function<void(const Result<void> &)> done);

    // Stop taking records and wait up to timeoutMs for in-progress ones (shutdown, tests).
    void stop(int timeoutMs);

signals:
    // Batched: at most one emission per ~100 ms, with everything that happened since.
    void activity(const QList<hookbench::processing::ProcessingActivity> &batch);
    // Coalesced: the group's members, assignment, offsets or lag changed; read snapshot().
    void stateChanged();
    // A source's retry or simulate settings were changed (setRetrySettings/setSimulateSettings).
    void settingsChanged(const QString &source);

private:
    explicit EventProcessor(QObject *parent = nullptr);
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace hookbench::processing
