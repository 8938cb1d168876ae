#include "core/pipeline/ingest_pipeline.h"

#include <algorithm>

#include <QDir>
#include <QFileInfo>
#include <QJsonObject>
#include <QMutex>
#include <QMutexLocker>
#include <QThread>

#include "core/api/admin_api.h"
#include "core/kafka/embedded_cluster.h"
#include "core/metrics/metrics_registry.h"
#include "core/pipeline/ingest_worker.h"
#include "core/processing/event_processor.h"
#include "core/replay/replay_lineage.h"
#include "core/replay/replay_service.h"
#include "core/store/journal_writer.h"
#include "core/util/private_path.h"

using namespace Qt::StringLiterals;

namespace hookbench::pipeline {

struct IngestPipeline::Private
{
    PipelineOptions options;
    std::unique_ptr<metrics::MetricsRegistry> metrics;
    std::unique_ptr<kafka::EmbeddedCluster> cluster;
    std::unique_ptr<store::JournalWriter> writer;
    std::unique_ptr<QThread> thread;
    // Lives on `thread`, deleted there. Guarded by workerMutex for produceJournaled(), which
    // other threads call; stop() clears it before the worker goes away.
    IngestWorker *worker = nullptr;
    QMutex workerMutex;
    // The service thread: the replay service (and the admin API) live there. `anchor` is a plain
    // object on that thread to run creation and destruction on it.
    std::unique_ptr<QThread> serviceThread;
    QObject *serviceAnchor = nullptr;
    replay::ReplayLineage lineage;
    QString bootstrap;
    QString listenAddress;
    quint16 port = 0;
    bool stopped = false;
    // The consumer side on a thread of its own: its handlers, timers and SQLite writes never
    // wait behind ingest, and ingest never waits behind a slow target.
    std::unique_ptr<QThread> processingThread;
    QObject *processingAnchor = nullptr;
    processing::EventProcessor *processor = nullptr; // lives on processingThread
    replay::ReplayService *replay = nullptr;         // lives on serviceThread
    // Lives on serviceThread. The ingest thread reads it for every /api/ request, and stop()
    // clears it before deleting the API, hence the mutex.
    api::AdminApi *api = nullptr;
    QMutex apiMutex;
    QByteArray adminToken;
    KafkaHealth kafkaHealth; // as the worker last reported it
    mutable QMutex healthMutex;
};

namespace {

constexpr qint64 kDayMs = 24LL * 3600 * 1000;

void describeMetrics(metrics::MetricsRegistry &m)
{
    m.describeCounter(u"webhook_received_total"_s, u"Webhook requests received for a configured source"_s);
    m.describeCounter(u"webhook_duplicates_total"_s, u"Deliveries answered as duplicates of an earlier one"_s);
    m.describeCounter(u"webhook_rejected_total"_s, u"Requests rejected, by source and reason"_s);
    m.describeCounter(u"webhook_accepted_total"_s,
                      u"Answers 200 accepted (Kafka's delivery report came within the produce wait), by source"_s);
    m.describeCounter(u"webhook_queued_total"_s,
                      u"Answers 202 queued (durable in the journal, produced later by the relay), by source"_s);
    m.describeCounter(u"webhook_produced_total"_s, u"Events Kafka acknowledged (delivery report), by source"_s);
    m.describeCounter(
        u"webhook_produce_errors_total"_s,
        u"Produce calls or delivery reports that failed, by reason (queue_full, message_too_large, timed_out, "
        "fatal, purged, not_authorized, other); the event stays in the journal"_s);
    m.describeCounter(u"journal_transactions_total"_s,
                      u"SQLite transactions the journal writer committed (each holds a group of writes)"_s);
    m.describeCounter(u"journal_writes_total"_s,
                      u"Writes the journal writer ran (journal inserts, delivery marks, processing records)"_s);
    m.describeCounter(u"journal_purged_total"_s,
                      u"Journal entries the data retention deleted (finished work older than store.retention_days)"_s);
    m.describeCounter(u"journal_wal_checkpoints_total"_s, u"WAL checkpoints run beside the writer"_s);
    m.describeCounter(u"journal_wal_frames_checkpointed_total"_s,
                      u"WAL frames those checkpoints copied into the database file"_s);
    m.describeCounter(u"journal_wal_checkpoint_failures_total"_s,
                      u"WAL checkpoints SQLite refused (busy or I/O); retried on the next request"_s);
    m.describeCounter(
        u"journal_wal_writer_waits_total"_s,
        u"Commits after which the writer waited for a checkpoint (the WAL had grown past 4x its threshold)"_s);
    m.describeCounter(u"kafka_producer_fatal_errors_total"_s,
                      u"Fatal errors of a Kafka producer (receiver or processor); each one recreates it"_s);
    m.describeCounter(u"kafka_producer_recreated_total"_s,
                      u"Kafka producers (receiver or processor) recreated after a fatal error"_s);
    m.describeHistogram(u"webhook_produce_latency_ms"_s, u"Time from produce to delivery report, milliseconds"_s,
                        {1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000});
}

Result<void> prepareDataDir(const QString &dataDir)
{
    if (dataDir.isEmpty())
        return Error{u"data_dir_invalid"_s, u"no data directory given"_s};
    QDir dir(dataDir);
    if (!dir.exists() && !util::PrivatePath::makeDir(dataDir))
        return Error{u"data_dir_unwritable"_s, dataDir % u": cannot create the data directory"_s};
    const QFileInfo info(dataDir);
    if (!info.isDir())
        return Error{u"data_dir_invalid"_s, dataDir % u": exists but is not a directory"_s};
    if (!info.isWritable())
        return Error{u"data_dir_unwritable"_s, dataDir % u": the data directory is not writable"_s};
    return {};
}

} // namespace

IngestPipeline::IngestPipeline() : d(std::make_unique<Private>()) {}

IngestPipeline::~IngestPipeline()
{
    stop();
}

Result<std::unique_ptr<IngestPipeline>> IngestPipeline::start(PipelineOptions options)
{
    std::unique_ptr<IngestPipeline> pipeline(new IngestPipeline);
    Private &p = *pipeline->d;
    p.options = std::move(options);
    const config::Config &config = p.options.config;

    if (auto ready = prepareDataDir(p.options.dataDir); !ready)
        return ready.error();
    auto writer = store::JournalWriter::open(QDir(p.options.dataDir).filePath(u"hookbench.db"_s),
                                             config.store.synchronous == u"normal"_s ? store::Durability::Normal
                                                                                     : store::Durability::Full);
    if (!writer)
        return writer.error();
    p.writer = std::move(writer.value());
    p.writer->setRetention(qint64(config.store.retentionDays) * kDayMs);

    p.metrics = std::make_unique<metrics::MetricsRegistry>();
    describeMetrics(*p.metrics);

    if (config.kafka.mode == u"embedded"_s) {
        auto cluster =
            kafka::EmbeddedCluster::start(config.kafka.brokers, config.kafka.partitions, config.maxRecordBytes());
        if (!cluster)
            return cluster.error();
        p.cluster = std::move(cluster.value());
        for (const config::SourceConfig &source : config.sources) {
            if (auto created = p.cluster->createTopic(source.effectiveTopic(), config.kafka.partitions); !created)
                return created.error();
        }
        p.bootstrap = p.cluster->bootstrap();
    } else {
        p.bootstrap = config.kafka.bootstrap;
    }

    WorkerEnvironment env;
    env.config = config;
    env.writer = p.writer.get();
    env.metrics = p.metrics.get();
    env.clock = p.options.clock;
    env.bootstrap = p.bootstrap;
    env.kafkaMode = config.kafka.mode;
    env.logRequests = p.options.logRequests;
    env.lineage = &p.lineage;
    env.api = [&p](const http::HttpRequest &request, const http::Responder &responder) {
        const QMutexLocker lock(&p.apiMutex);
        if (p.api) {
            p.api->handle(request, responder);
            return;
        }
        responder.send(http::HttpResponse::json(
            503, QJsonObject{{u"error"_s, u"api_unavailable"_s}, {u"message"_s, u"the admin API is not running"_s}}));
    };

    p.thread = std::make_unique<QThread>();
    p.thread->setObjectName(u"hookbench-ingest"_s);
    p.worker = new IngestWorker(std::move(env));
    p.worker->moveToThread(p.thread.get());
    IngestPipeline *self = pipeline.get();
    QObject::connect(p.worker, &IngestWorker::kafkaHealthChanged, self,
                     [self](const QString &state, const QString &reason) {
                         {
                             const QMutexLocker lock(&self->d->healthMutex);
                             KafkaHealth health;
                             for (auto s : {KafkaHealth::State::Unreachable, KafkaHealth::State::QueueFull,
                                            KafkaHealth::State::ProducerFatal}) {
                                 if (KafkaHealth::stateName(s) == state)
                                     health.state = s;
                             }
                             health.reason = reason;
                             self->d->kafkaHealth = health;
                         }
                         emit self->kafkaHealthChanged(state, reason);
                     });
    QObject::connect(p.thread.get(), &QThread::finished, p.worker, &QObject::deleteLater);
    p.thread->start();

    Result<void> started;
    // The worker by value: p.worker belongs to workerMutex's users (stop() clears it).
    IngestWorker *worker = p.worker;
    QMetaObject::invokeMethod(
        worker,
        [&p, &started, worker] {
            started = worker->start();
            p.listenAddress = worker->listenAddress();
            p.port = worker->port();
        },
        Qt::BlockingQueuedConnection);
    if (!started) {
        pipeline->stop(0);
        return started.error();
    }
    if (auto processing = startProcessingThread(*pipeline); !processing) {
        pipeline->stop(0);
        return processing.error();
    }
    if (auto service = startServiceThread(*pipeline); !service) {
        pipeline->stop(0);
        return service.error();
    }
    return pipeline;
}

Result<void> IngestPipeline::startProcessingThread(IngestPipeline &pipeline)
{
    Private &p = *pipeline.d;
    p.processingThread = std::make_unique<QThread>();
    p.processingThread->setObjectName(u"hookbench-processing"_s);
    p.processingAnchor = new QObject;
    p.processingAnchor->moveToThread(p.processingThread.get());
    QObject::connect(p.processingThread.get(), &QThread::finished, p.processingAnchor, &QObject::deleteLater);
    p.processingThread->start();

    processing::ProcessorEnvironment env;
    env.config = p.options.config;
    env.bootstrap = p.bootstrap;
    env.databasePath = p.writer->databasePath();
    env.metrics = p.metrics.get();
    env.clock = p.options.clock;
    env.cluster = p.cluster.get();
    env.writer = p.writer.get();
    Result<void> created;
    QMetaObject::invokeMethod(
        p.processingAnchor,
        [&p, &created, &env] {
            auto processor = processing::EventProcessor::create(std::move(env));
            if (!processor)
                created = processor.error();
            else
                p.processor = processor.value().release(); // deleted on this thread by stop()
        },
        Qt::BlockingQueuedConnection);
    return created;
}

Result<void> IngestPipeline::startServiceThread(IngestPipeline &pipeline)
{
    Private &p = *pipeline.d;
    p.serviceThread = std::make_unique<QThread>();
    p.serviceThread->setObjectName(u"hookbench-service"_s);
    p.serviceAnchor = new QObject;
    p.serviceAnchor->moveToThread(p.serviceThread.get());
    QObject::connect(p.serviceThread.get(), &QThread::finished, p.serviceAnchor, &QObject::deleteLater);
    p.serviceThread->start();

    replay::ReplayEnvironment env;
    env.config = p.options.config;
    env.databasePath = p.writer->databasePath();
    env.writer = p.writer.get();
    env.lineage = &p.lineage;
    env.listenAddress = p.listenAddress; // known: the worker listens already
    env.clock = p.options.clock;
    IngestPipeline *self = &pipeline; // outlives the service: stop() destroys it first
    env.produce = [self](const store::JournalEntry &entry, http::Responder responder) {
        self->produceJournaled(entry, std::move(responder));
    };
    Result<void> created;
    QMetaObject::invokeMethod(
        p.serviceAnchor,
        [&p, &created, &env] {
            auto service = replay::ReplayService::create(std::move(env));
            if (!service)
                created = service.error();
            else
                p.replay = service.value().release(); // deleted on this thread by stop()
        },
        Qt::BlockingQueuedConnection);
    if (!created)
        return created;

    auto token = api::AdminApi::loadOrCreateToken(p.options.dataDir);
    if (!token)
        return token.error();
    p.adminToken = token.value();
    api::AdminEnvironment apiEnv;
    apiEnv.databasePath = p.writer->databasePath();
    apiEnv.token = p.adminToken;
    apiEnv.clock = p.options.clock;
    apiEnv.replay = p.replay;
    // The processor outlives the API: stop() deletes the API first.
    if (processing::EventProcessor *processor = p.processor) {
        apiEnv.consumers = [processor] { return processor->snapshot(); };
        apiEnv.setConsumerCount = [processor](int count) { return processor->setConsumerCount(count); };
    }
    QMetaObject::invokeMethod(
        p.serviceAnchor,
        [&p, &created, &apiEnv] {
            auto api = api::AdminApi::create(std::move(apiEnv));
            if (!api) {
                created = api.error();
                return;
            }
            const QMutexLocker lock(&p.apiMutex);
            p.api = api.value().release(); // deleted on this thread by stop()
        },
        Qt::BlockingQueuedConnection);
    return created;
}

void IngestPipeline::produceJournaled(const store::JournalEntry &entry, http::Responder responder)
{
    {
        const QMutexLocker lock(&d->workerMutex);
        if (d->worker) {
            IngestWorker *worker = d->worker;
            QMetaObject::invokeMethod(
                worker, [worker, entry, responder] { worker->produceEntry(entry, responder); }, Qt::QueuedConnection);
            return;
        }
    }
    // Stopped: the entry stays pending in the journal and the next run's relay produces it.
    responder.send(http::HttpResponse::json(
        503, QJsonObject{{u"status"_s, u"error"_s}, {u"reason"_s, u"stopping"_s}, {u"id"_s, entry.id}}));
}

void IngestPipeline::stop(int drainMs)
{
    if (d->stopped)
        return;
    d->stopped = true;
    // The service first: it produces through the worker and reads the processor.
    if (d->serviceThread) {
        api::AdminApi *adminApi = nullptr;
        {
            const QMutexLocker lock(&d->apiMutex);
            adminApi = std::exchange(d->api, nullptr);
        }
        if (d->serviceThread->isRunning())
            QMetaObject::invokeMethod(
                d->serviceAnchor,
                [this, adminApi] {
                    delete adminApi;
                    delete d->replay;
                },
                Qt::BlockingQueuedConnection);
        d->replay = nullptr;
        d->serviceThread->quit();
        d->serviceThread->wait();
        d->serviceAnchor = nullptr; // deleted on its thread when the thread finished
        d->serviceThread.reset();
    }
    // Then the consumer side: records in progress are not committed and come again next run.
    if (d->processingThread) {
        if (d->processor && d->processingThread->isRunning())
            QMetaObject::invokeMethod(
                d->processingAnchor,
                [this, drainMs] {
                    d->processor->stop(std::min(drainMs, 2000));
                    delete d->processor;
                },
                Qt::BlockingQueuedConnection);
        d->processor = nullptr;
        d->processingThread->quit();
        d->processingThread->wait();
        d->processingAnchor = nullptr;
        d->processingThread.reset();
    }
    if (d->thread) {
        IngestWorker *worker = nullptr;
        {
            const QMutexLocker lock(&d->workerMutex);
            worker = std::exchange(d->worker, nullptr);
        }
        if (d->thread->isRunning() && worker)
            QMetaObject::invokeMethod(
                worker, [worker, drainMs] { worker->drain(drainMs); }, Qt::BlockingQueuedConnection);
        // The worker is deleted on its own thread when the thread finishes.
        d->thread->quit();
        d->thread->wait();
        d->thread.reset();
    }
    if (d->writer)
        d->writer->sync();
    // Order matters: the producer (gone with the worker) before the cluster it talks to.
    d->cluster.reset();
}

QString IngestPipeline::listenAddress() const
{
    return d->listenAddress;
}
quint16 IngestPipeline::port() const
{
    return d->port;
}
QString IngestPipeline::kafkaMode() const
{
    return d->options.config.kafka.mode;
}
QString IngestPipeline::bootstrap() const
{
    return d->bootstrap;
}
QString IngestPipeline::databasePath() const
{
    return d->writer ? d->writer->databasePath() : QString();
}
const config::Config &IngestPipeline::config() const
{
    return d->options.config;
}
kafka::EmbeddedCluster *IngestPipeline::embeddedCluster() const
{
    return d->cluster.get();
}
metrics::MetricsRegistry &IngestPipeline::metrics() const
{
    return *d->metrics;
}
KafkaReading IngestPipeline::readKafka() const
{
    KafkaReading reading;
    if (kafka::EmbeddedCluster *cluster = d->cluster.get()) {
        reading.embedded = true;
        const QList<int> ids = cluster->brokerIds();
        reading.brokers = int(ids.size());
        for (int id : ids)
            reading.brokersUp += cluster->isBrokerUp(id) ? 1 : 0;
    }
    reading.produceErrors = d->metrics->counterTotal(u"webhook_produce_errors_total"_s);
    reading.queuedAnswers = d->metrics->counterTotal(u"webhook_queued_total"_s);
    reading.produced = d->metrics->counterTotal(u"webhook_produced_total"_s);
    return reading;
}

store::JournalWriter &IngestPipeline::journalWriter() const
{
    return *d->writer;
}

processing::EventProcessor *IngestPipeline::processor() const
{
    return d->processor;
}

replay::ReplayService *IngestPipeline::replayService() const
{
    return d->replay;
}

KafkaHealth IngestPipeline::kafkaHealth() const
{
    const QMutexLocker lock(&d->healthMutex);
    return d->kafkaHealth;
}

QByteArray IngestPipeline::adminToken() const
{
    return d->adminToken;
}

QString IngestPipeline::dataDir() const
{
    return d->options.dataDir;
}

QString IngestPipeline::configPath() const
{
    return d->options.configPath;
}

void IngestPipeline::setRetentionDays(int days)
{
    if (!d->writer)
        return;
    d->writer->setRetention(qint64(std::max(days, 0)) * kDayMs);
    // At once rather than at the next hourly run, so a shorter retention shows what it deletes.
    d->writer->purgeRetained(d->options.clock->nowMs());
}

} // namespace hookbench::pipeline
