#include "core/pipeline/ingest_pipeline.h"

#include <QDir>
#include <QFileInfo>
#include <QThread>

#include "core/kafka/embedded_cluster.h"
#include "core/metrics/metrics_registry.h"
#include "core/pipeline/ingest_worker.h"
#include "core/store/journal_writer.h"

using namespace Qt::StringLiterals;

namespace hookbench::pipeline {

struct IngestPipeline::Private
{
    PipelineOptions options;
    std::unique_ptr<metrics::MetricsRegistry> metrics;
    std::unique_ptr<kafka::EmbeddedCluster> cluster;
    std::unique_ptr<store::JournalWriter> writer;
    std::unique_ptr<QThread> thread;
    IngestWorker *worker = nullptr; // lives on `thread`, deleted there
    QString bootstrap;
    QString listenAddress;
    quint16 port = 0;
    bool stopped = false;
    processing::EventProcessor *processor = nullptr; // wired with the consumer side
    replay::ReplayService *replay = nullptr;
    QByteArray adminToken;
};

namespace {

void describeMetrics(metrics::MetricsRegistry &m)
{
    m.describeCounter(u"webhook_received_total"_s, u"Webhook requests received for a configured source"_s);
    m.describeCounter(u"webhook_duplicates_total"_s, u"Deliveries answered as duplicates of an earlier one"_s);
    m.describeCounter(u"webhook_rejected_total"_s, u"Requests rejected, by source and reason"_s);
    m.describeCounter(u"webhook_produced_total"_s, u"Events Kafka acknowledged (delivery report), by source"_s);
    m.describeCounter(u"webhook_produce_errors_total"_s,
                      u"Produce calls or delivery reports that failed (the event stays pending in the journal)"_s);
    m.describeHistogram(u"webhook_produce_latency_ms"_s, u"Time from produce to delivery report, milliseconds"_s,
                        {1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000});
}

Result<void> prepareDataDir(const QString &dataDir)
{
    if (dataDir.isEmpty())
        return Error{u"data_dir_invalid"_s, u"no data directory given"_s};
    QDir dir(dataDir);
    if (!dir.exists() && !QDir().mkpath(dataDir))
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
    auto writer = store::JournalWriter::open(QDir(p.options.dataDir).filePath(u"hookbench.db"_s));
    if (!writer)
        return writer.error();
    p.writer = std::move(writer.value());

    p.metrics = std::make_unique<metrics::MetricsRegistry>();
    describeMetrics(*p.metrics);

    if (config.kafka.mode == u"embedded"_s) {
        auto cluster = kafka::EmbeddedCluster::start(config.kafka.brokers, config.kafka.partitions);
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

    p.thread = std::make_unique<QThread>();
    p.thread->setObjectName(u"hookbench-ingest"_s);
    p.worker = new IngestWorker(std::move(env));
    p.worker->moveToThread(p.thread.get());
    QObject::connect(p.thread.get(), &QThread::finished, p.worker, &QObject::deleteLater);
    p.thread->start();

    Result<void> started;
    QMetaObject::invokeMethod(
        p.worker,
        [&p, &started] {
            started = p.worker->start();
            p.listenAddress = p.worker->listenAddress();
            p.port = p.worker->port();
        },
        Qt::BlockingQueuedConnection);
    if (!started) {
        pipeline->stop(0);
        return started.error();
    }
    return pipeline;
}

void IngestPipeline::stop(int drainMs)
{
    if (d->stopped)
        return;
    d->stopped = true;
    if (d->thread) {
        if (d->thread->isRunning() && d->worker)
            QMetaObject::invokeMethod(
                d->worker, [this, drainMs] { d->worker->drain(drainMs); }, Qt::BlockingQueuedConnection);
        // The worker is deleted on its own thread when the thread finishes.
        d->thread->quit();
        d->thread->wait();
        d->worker = nullptr;
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

QByteArray IngestPipeline::adminToken() const
{
    return d->adminToken;
}

QString IngestPipeline::dataDir() const
{
    return d->options.dataDir;
}

} // namespace hookbench::pipeline
