#pragma once

// Test support for the event processor tests: events with the ingest headers, an HTTP target
// that fails its first requests, and the fixture of real parts every processor test starts from.

#include <algorithm>
#include <memory>

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QMap>
#include <QSignalSpy>
#include <QString>
#include <QTemporaryDir>
#include <QTest>

#include "core/http/http_request.h"
#include "core/kafka/embedded_cluster.h"
#include "core/kafka/producer.h"
#include "core/metrics/metrics_registry.h"
#include "core/processing/event_processor.h"
#include "core/processing/processing_activity.h"
#include "core/store/database.h"
#include "core/store/journal_writer.h"
#include "core/store/processing_store.h"
#include "tests/processing/scripted_http_server.h"

using namespace Qt::StringLiterals;

namespace hookbench::tests {

using processing::ProcessingActivity;

inline constexpr int kPartitions = 3;
inline const QString kSource = u"shop"_s;
inline const QString kTopic = u"webhooks.shop"_s;

// Mock-cluster timing (see tests/consumer): the first join waits 3000 ms, so the session must be
// longer than that; every later rebalance waits session.timeout.ms - 1000 ms.
inline const QMap<QString, QString> kFastGroup = {
    {u"session.timeout.ms"_s, u"4000"_s},
    {u"heartbeat.interval.ms"_s, u"200"_s},
    {u"reconnect.backoff.max.ms"_s, u"500"_s},
};

struct Event
{
    qint64 journalId = 0;
    QByteArray entityKey;
    QByteArray idempotencyKey;
    QString eventType = u"customer.updated"_s;
    QByteArray body;
};

inline http::HeaderList ingestHeaders(const Event &e)
{
    return {
        {"hookbench-source", kSource.toUtf8()},      {"idempotency-key", e.idempotencyKey},
        {"received-at", "2024-01-02T03:04:05.678Z"}, {"content-type", "application/json"},
        {"event-type", e.eventType.toUtf8()},        {"hookbench-journal-id", QByteArray::number(e.journalId)},
    };
}

inline Event makeEvent(qint64 journalId, const QByteArray &entityKey)
{
    Event e;
    e.journalId = journalId;
    e.entityKey = entityKey;
    e.idempotencyKey = "evt_" + QByteArray::number(journalId);
    // Bytes a careless pipeline would change: CRLF, NUL, invalid UTF-8.
    e.body = "{\"id\":\"evt_" + QByteArray::number(journalId) + "\",\r\n\"x\":\"\xff\"}" + QByteArray("\0!", 2);
    return e;
}

// A target that answers `status` to the first `failures` requests, then 200.
class FlakyTarget
{
public:
    explicit FlakyTarget(int failures, int status = 503, QList<QPair<QByteArray, QByteArray>> headers = {})
        : m_failures(failures)
    {
        server.script(failures > 0 ? status : 200, std::move(headers));
        QObject::connect(&server, &ScriptedHttpServer::requestReceived, &server, [this] {
            // Emitted after the answer is written: the next request gets the new script.
            if (server.requests.size() == m_failures)
                server.script(200);
        });
    }
    ScriptedHttpServer server;

private:
    int m_failures;
};

inline QList<ProcessingActivity> flatten(const QSignalSpy &spy)
{
    QList<ProcessingActivity> all;
    for (const QList<QVariant> &args : spy)
        all += args.at(0).value<QList<ProcessingActivity>>();
    return all;
}

inline int countKind(const QList<ProcessingActivity> &all, ProcessingActivity::Kind kind)
{
    return int(std::count_if(all.begin(), all.end(), [kind](const ProcessingActivity &a) { return a.kind == kind; }));
}

// What differs between the processor test classes that share ProcessorFixture.
struct ProcessorFixtureOptions
{
    int partitions = kPartitions; // of the source topic
    QString group;                // consumer group id of the processor
    int stateRefreshMs = 300;
    int produceTimeoutMs = 10000; // to wait for every delivery report
};

// The real parts of a processor test: a SQLite file in a temporary directory, the mock cluster
// with the source topic, the processing store, metrics and a producer. A test class derives from
// it, calls setUp() from init() and tearDown() from cleanup().
class ProcessorFixture
{
public:
    explicit ProcessorFixture(ProcessorFixtureOptions options) : m_options(std::move(options)) {}

protected:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<kafka::EmbeddedCluster> m_cluster;
    std::unique_ptr<store::Database> m_db;
    std::unique_ptr<store::ProcessingStore> m_store;
    std::unique_ptr<store::JournalWriter> m_writer; // opened by startProcessor(..., true)
    std::unique_ptr<metrics::MetricsRegistry> m_metrics;
    std::unique_ptr<kafka::Producer> m_producer;
    QHash<qint64, QPair<int, qint64>> m_placement; // journal id -> (partition, offset)

    // Fails the current test (so QtTest skips it) when a part does not start.
    void setUp()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        auto cluster = kafka::EmbeddedCluster::start(1, m_options.partitions);
        QVERIFY2(cluster, cluster ? "" : qPrintable(cluster.error().message));
        m_cluster = std::move(*cluster);
        QVERIFY(m_cluster->ensureTopic(kTopic));
        auto db = store::Database::open(m_dir->filePath(u"hookbench.db"_s));
        QVERIFY2(db, db ? "" : qPrintable(db.error().message));
        m_db = std::move(*db);
        m_store = std::make_unique<store::ProcessingStore>(*m_db);
        m_metrics = std::make_unique<metrics::MetricsRegistry>();
        kafka::ProducerSettings settings;
        settings.bootstrap = m_cluster->bootstrap();
        auto producer = kafka::Producer::create(settings);
        QVERIFY2(producer, producer ? "" : qPrintable(producer.error().message));
        m_producer = std::move(*producer);
    }

    void tearDown()
    {
        m_writer.reset();
        m_producer.reset();
        m_store.reset();
        m_db.reset();
        m_metrics.reset();
        m_cluster.reset();
        m_dir.reset();
        m_placement.clear();
    }

    // One source without a provider, one consumer.
    config::Config baseConfig() const
    {
        config::Config config;
        config::SourceConfig source;
        source.name = kSource;
        source.provider = u"none"_s;
        config.sources = {source};
        config.consumers.group = m_options.group;
        config.consumers.count = 1;
        config.kafka.properties = kFastGroup;
        return config;
    }

    // throughWriter: the processor's writes go through a JournalWriter, as in the pipeline.
    std::unique_ptr<processing::EventProcessor> startProcessor(const config::Config &config, bool throughWriter = false)
    {
        if (throughWriter && !m_writer) {
            auto writer = store::JournalWriter::open(m_dir->filePath(u"hookbench.db"_s));
            if (!writer) {
                qWarning() << writer.error().message;
                return {};
            }
            m_writer = std::move(*writer);
        }
        processing::ProcessorEnvironment env;
        env.writer = throughWriter ? m_writer.get() : nullptr;
        env.config = config;
        env.bootstrap = m_cluster->bootstrap();
        env.databasePath = m_dir->filePath(u"hookbench.db"_s);
        env.metrics = m_metrics.get();
        env.cluster = m_cluster.get();
        env.stateRefreshMs = m_options.stateRefreshMs;
        auto processor = processing::EventProcessor::create(std::move(env));
        if (!processor) {
            qWarning() << processor.error().message;
            return {};
        }
        return std::move(*processor);
    }

    // Produces the events in order and waits for every delivery report; records where each landed.
    bool produce(const QList<Event> &events)
    {
        QSignalSpy spy(m_producer.get(), &kafka::Producer::delivered);
        for (const Event &e : events) {
            const Result<void> r =
                m_producer->produce(kafka::ProduceRequest{kTopic, e.entityKey, e.body, ingestHeaders(e), e.journalId});
            if (!r)
                return false;
        }
        qsizetype acked = 0;
        QElapsedTimer clock;
        clock.start();
        while (acked < events.size() && clock.elapsed() < m_options.produceTimeoutMs) {
            if (spy.isEmpty() && !spy.wait(1000))
                continue;
            for (const kafka::DeliveryReport &report : spy.takeFirst().at(0).value<QList<kafka::DeliveryReport>>()) {
                if (!report.ok)
                    return false;
                m_placement.insert(report.opaque, {report.partition, report.offset});
                ++acked;
            }
        }
        return acked == events.size();
    }

    // Journal ids in the processed table, in the order they were marked.
    QList<qint64> processedIds()
    {
        QList<qint64> ids;
        Result<store::Statement> stmt = m_db->prepare("SELECT journal_id FROM processed ORDER BY rowid");
        if (!stmt)
            return ids;
        while (true) {
            const Result<bool> row = stmt->step();
            if (!row || !*row)
                break;
            ids.append(stmt->columnInt64(0));
        }
        return ids;
    }

private:
    ProcessorFixtureOptions m_options;
};

} // namespace hookbench::tests
