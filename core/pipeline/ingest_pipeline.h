#pragma once

// IngestPipeline: the facade the app and the GUI use. start() opens the data directory and the
// journal, brings up Kafka (the embedded mock cluster, or an external cluster) and starts the
// ingest thread that receives, verifies, deduplicates, journals and produces. Everything slow
// runs off the caller's thread; stop() drains in-flight produces before returning.

#include <memory>

#include <QObject>
#include <QString>

#include "core/config/config.h"
#include "core/http/http_server.h"
#include "core/pipeline/kafka_health.h"
#include "core/util/clock.h"
#include "core/util/result.h"

namespace hookbench::kafka {
class EmbeddedCluster;
} // namespace hookbench::kafka
namespace hookbench::store {
class JournalWriter;
struct JournalEntry;
} // namespace hookbench::store
namespace hookbench::metrics {
class MetricsRegistry;
} // namespace hookbench::metrics
namespace hookbench::processing {
class EventProcessor;
} // namespace hookbench::processing
namespace hookbench::replay {
class ReplayService;
} // namespace hookbench::replay

namespace hookbench::pipeline {

struct PipelineOptions
{
    config::Config config;
    QString dataDir; // created if missing; holds hookbench.db
    const Clock *clock = &SystemClock::instance();
    bool logRequests = false; // one JSON log line per answered webhook
    QString configPath;       // the file the config came from (the settings dialog saves there)
};

// What the pipeline knows about Kafka without asking it: the embedded cluster's broker flags
// and the producer's running totals (failed produce calls or delivery reports, 202 queued
// answers, acknowledged events). Two readings apart tell whether Kafka answered in between.
struct KafkaReading
{
    bool embedded = false;
    int brokers = 0;   // embedded only
    int brokersUp = 0; // embedded only
    double produceErrors = 0;
    double queuedAnswers = 0;
    double produced = 0;
};

class IngestPipeline final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IngestPipeline)

public:
    // Start-up errors say what failed and why (unwritable data dir, corrupt database, port in
    // use, Kafka property rejected); nothing is left running after a failure.
    static Result<std::unique_ptr<IngestPipeline>> start(PipelineOptions options);
    ~IngestPipeline() override;

    // Stop accepting, wait up to drainMs for outstanding delivery reports, commit the journal.
    // Blocks the caller: call it at shutdown.
    void stop(int drainMs = 5000);

    QString listenAddress() const; // "127.0.0.1:PORT"
    quint16 port() const;
    QString kafkaMode() const;
    QString bootstrap() const;
    QString databasePath() const;
    const config::Config &config() const;

    // The embedded cluster (fault injection for demos and tests), or nullptr in external mode.
    kafka::EmbeddedCluster *embeddedCluster() const;
    metrics::MetricsRegistry &metrics() const;
    // Cheap, any thread: read from the cluster's flags and the metrics registry.
    KafkaReading readKafka() const;
    store::JournalWriter &journalWriter() const;

    // The consumer side (always running; config.consumers.count members, 0 allowed). Lives on
    // the processing thread: use its thread-safe calls and connect its signals queued.
    processing::EventProcessor *processor() const;
    // Replays and DLQ discards; lives on the service thread (replay() is callable from any thread).
    replay::ReplayService *replayService() const;
    // Produces an entry that is already in the journal (kafka_state pending) the way an ingested
    // event is produced, and answers through the responder with the receiver's JSON (accepted
    // with topic/partition/offset, or queued). Thread-safe: hops to the ingest thread. After
    // stop() the responder gets 503 {"status":"error","reason":"stopping"}.
    void produceJournaled(const store::JournalEntry &entry, http::Responder responder);

    // What the receiver's producer and the cluster report (thread-safe). Not Ok: events wait in
    // the outbox, and the reason says why (all brokers down, a full queue, a fatal producer
    // error being recovered from).
    KafkaHealth kafkaHealth() const;

    // The bearer token of the admin API (<dataDir>/admin-token).
    QByteArray adminToken() const;
    QString dataDir() const;
    // PipelineOptions::configPath; empty when the config did not come from a file.
    QString configPath() const;
    // The data retention (store.retention_days; 0 keeps everything), applied live: the journal
    // writer uses it from now on, and a purge runs at once. Thread-safe.
    void setRetentionDays(int days);

signals:
    // Emitted on the pipeline's thread when kafkaHealth() changes; state is
    // KafkaHealth::stateName(), reason empty when ok.
    void kafkaHealthChanged(const QString &state, const QString &reason);

private:
    IngestPipeline();
    // Starts the service thread and creates the replay service on it (after the worker listens).
    static Result<void> startProcessingThread(IngestPipeline &pipeline);
    static Result<void> startServiceThread(IngestPipeline &pipeline);
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace hookbench::pipeline
