// Reliability of the receive → journal → Kafka path under large payloads and Kafka trouble: a
// real IngestPipeline on 127.0.0.1:0 with the embedded cluster and its fault API, SQLite in a
// temporary directory, real HTTP, a scripted target on loopback and a separate librdkafka
// consumer reading topics back.
//
// The figures these tests print (body size and time end to end, relay drain rate and live
// latencies) are what bench/run-reliability-bench.sh reports; the tests assert only what must
// hold, never a duration.

#include <algorithm>

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "core/config/config_loader.h"
#include "core/kafka/embedded_cluster.h"
#include "core/kafka/murmur2.h"
#include "core/metrics/metrics_registry.h"
#include "core/pipeline/ingest_pipeline.h"
#include "core/store/journal_query.h"
#include "core/store/journal_writer.h"
#include "tests/pipeline/test_client.h"
#include "tests/processing/scripted_http_server.h"

using namespace Qt::StringLiterals;
using namespace hookbench;

namespace {

constexpr int kPartitions = 4;

std::unique_ptr<pipeline::IngestPipeline> startPipeline(const QByteArray &json, const QString &dataDir)
{
    auto config = config::ConfigLoader::parse(json, u"<reliability test>"_s);
    if (!config) {
        qWarning("%s", qPrintable(config.error().message));
        return {};
    }
    pipeline::PipelineOptions options;
    options.config = *config;
    options.dataDir = dataDir;
    auto started = pipeline::IngestPipeline::start(options);
    if (!started) {
        qWarning("%s", qPrintable(started.error().message));
        return {};
    }
    return std::move(started.value());
}

QJsonObject jsonOf(const RawResponse &response)
{
    return QJsonDocument::fromJson(response.body).object();
}

RawResponse postJson(quint16 port, const QByteArray &body, int timeoutMs = 30000)
{
    return post(port, "/webhooks/test", body, {{"Content-Type", "application/json"}}, timeoutMs);
}

// A JSON object of exactly `size` bytes whose "id" is `id` (the entity key of the test source).
QByteArray jsonBody(const QByteArray &id, qsizetype size)
{
    const QByteArray head = R"({"id":")" + id + R"(","pad":")";
    const QByteArray tail = R"("})";
    QByteArray pad(size - head.size() - tail.size(), 'x');
    for (qsizetype i = 0; i < pad.size(); i += 997) // not one repeated byte: catches shifted copies
        pad[i] = char('a' + (i / 997) % 26);
    return head + pad + tail;
}

qint64 count(pipeline::IngestPipeline &ingest, const store::JournalQuery &query, store::KafkaState state)
{
    ingest.journalWriter().sync();
    store::JournalFilter filter;
    filter.kafkaState = state;
    filter.limit = 0;
    const auto n = query.count(filter);
    return n ? *n : -1;
}

QByteArray headerOf(const ConsumedRecord &record, const QByteArray &name)
{
    for (const auto &[key, value] : record.headers) {
        if (key == name)
            return value;
    }
    return {};
}

double percentile(QList<qint64> values, double p)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    const auto index = std::min<qsizetype>(values.size() - 1, qsizetype(p * double(values.size())));
    return double(values.at(index));
}

} // namespace

class TestReliability final : public QObject
{
    Q_OBJECT

private slots:
    void largeBodiesReachTargetAndTopicByteForByte();
    void refusedEventSaysWhyEverywhere();
    void brokersDownLongerThanTheQueueHolds();
    void fatalProducerErrorRecreatesTheProducer();
    void relayDrainsWhileLiveTrafficIsServed();
};

void TestReliability::largeBodiesReachTargetAndTopicByteForByte()
{
    QTemporaryDir dir;
    ScriptedHttpServer target;
    QVERIFY(target.listen());
    // The default body limit (10 MiB) and librdkafka's own defaults everywhere else.
    auto ingest = startPipeline(R"({
        "sources": [{"name": "test", "provider": "none", "entity_key": "/id"}],
        "kafka": {"mode": "embedded", "brokers": 1, "partitions": 4, "produce_wait_ms": 10000},
        "consumers": {"count": 1},
        "listen": "127.0.0.1:0"
    })",
                                dir.path());
    QVERIFY(ingest);
    const quint16 port = ingest->port();
    const QByteArray token = ingest->adminToken();
    auto api = [port, token](const QByteArray &path, const QByteArray &body) {
        return post(port, path, body, {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + token}});
    };
    const RawResponse created =
        api("/api/targets", R"({"url": "http://127.0.0.1:)" + QByteArray::number(target.port()) + R"(/hook"})");
    QCOMPARE(created.status, 201);
    const RawResponse subscribed =
        api("/api/subscriptions",
            R"({"target_id": )" + QByteArray::number(jsonOf(created).value(u"id"_s).toInteger()) + "}");
    QCOMPARE(subscribed.status, 201);

    // The embedded cluster keeps 5 MiB per partition and, in librdkafka 2.0.2, a batch that
    // pushes out every older batch of its partition becomes unreadable (embedded_cluster.h):
    // give each body a partition of its own, as a user with distinct entity keys would get.
    const qint64 maxBody = ingest->config().limits.maxBodyBytes;
    const QList<qsizetype> sizes = {3'000'000, 9'000'000, qsizetype(maxBody)};
    QList<QByteArray> ids;
    QSet<int> partitions;
    for (int n = 0; ids.size() < sizes.size(); ++n) {
        const QByteArray id = "big-" + QByteArray::number(n);
        if (!partitions.contains(kafka::murmur2Partition(id, kPartitions))) {
            partitions.insert(kafka::murmur2Partition(id, kPartitions));
            ids.append(id);
        }
    }

    QList<QByteArray> bodies;
    for (qsizetype i = 0; i < sizes.size(); ++i) {
        const QByteArray body = jsonBody(ids.at(i), sizes.at(i));
        bodies.append(body);
        QElapsedTimer elapsed;
        elapsed.start();
        const RawResponse answer = postJson(port, body);
        QCOMPARE(answer.status, 200);
        QCOMPARE(jsonOf(answer).value(u"status"_s).toString(), u"accepted"_s);
        const qint64 acceptedMs = elapsed.elapsed();
        QTRY_COMPARE_WITH_TIMEOUT(target.requests.size(), int(i) + 1, 60000);
        QVERIFY(target.requests.last().body == body); // not QCOMPARE: no 9 MB diff on failure
        qInfo("large body: %lld bytes accepted (200, produced) in %lld ms, at the target in %lld ms",
              qint64(body.size()), acceptedMs, elapsed.elapsed());
    }

    // A separate consumer reads each record back, value byte for byte.
    const QList<ConsumedRecord> records =
        consumeTopic(ingest->bootstrap(), u"webhooks.test"_s, int(sizes.size()), 60000);
    QCOMPARE(records.size(), sizes.size());
    for (qsizetype i = 0; i < sizes.size(); ++i) {
        const auto it =
            std::find_if(records.begin(), records.end(), [&](const ConsumedRecord &r) { return r.key == ids.at(i); });
        QVERIFY(it != records.end());
        QVERIFY(it->value == bodies.at(i));
    }
    QCOMPARE(ingest->metrics().counterTotal(u"webhook_produce_errors_total"_s), 0.0);
}

void TestReliability::refusedEventSaysWhyEverywhere()
{
    QTemporaryDir dir;
    // A cluster that takes smaller records than the receiver accepts, as an external one may.
    auto ingest = startPipeline(R"({
        "sources": [{"name": "test", "provider": "none"}],
        "kafka": {"mode": "embedded", "brokers": 1, "partitions": 1, "produce_wait_ms": 2000,
                  "properties": {"message.max.bytes": "2000"}},
        "consumers": {"count": 0},
        "listen": "127.0.0.1:0"
    })",
                                dir.path());
    QVERIFY(ingest);
    const RawResponse answer = postJson(ingest->port(), jsonBody("too-big", 5000));
    QCOMPARE(answer.status, 202);
    QCOMPARE(jsonOf(answer).value(u"status"_s).toString(), u"failed"_s);
    QCOMPARE(jsonOf(answer).value(u"reason"_s).toString(), u"kafka_message_too_large"_s);
    const qint64 id = jsonOf(answer).value(u"id"_s).toInteger();

    // The admin API (and with it the window's inspector) shows why, from the journal.
    ingest->journalWriter().sync();
    const RawResponse event = get(ingest->port(), "/api/events/" + QByteArray::number(id));
    QCOMPARE(event.status, 401); // the token is required
    const RawResponse authorized = sendRaw(ingest->port(), "GET /api/events/" + QByteArray::number(id)
                                                               + " HTTP/1.1\r\nHost: x\r\n"
                                                                 "Authorization: Bearer "
                                                               + ingest->adminToken() + "\r\n\r\n");
    QCOMPARE(authorized.status, 200);
    const QJsonObject entry = jsonOf(authorized);
    QCOMPARE(entry.value(u"kafka_state"_s).toString(), u"pending"_s);
    QVERIFY2(entry.value(u"kafka_error"_s).toString().contains(u"message.max.bytes"_s), authorized.body.constData());
    QCOMPARE(ingest->metrics().counterValue(u"webhook_produce_errors_total"_s, {{u"reason"_s, u"message_too_large"_s}}),
             1.0);

    // Smaller events still flow; the refused one keeps its reason (the relay skips it: see
    // TestJournalWriter::loadPendingSkipsRefusedAndBoundsBytes).
    QCOMPARE(postJson(ingest->port(), R"({"small":true})").status, 200);
    auto query = store::JournalQuery::open(ingest->databasePath());
    QVERIFY(query);
    ingest->journalWriter().sync();
    QVERIFY((*query)->entry(id).value()->kafkaError.contains(u"message.max.bytes"_s));
}

void TestReliability::brokersDownLongerThanTheQueueHolds()
{
    QTemporaryDir dir;
    // librdkafka's queue holds 5 messages: the outage outlasts it after the fifth webhook.
    auto ingest = startPipeline(R"({
        "sources": [{"name": "test", "provider": "none"}],
        "kafka": {"mode": "embedded", "brokers": 1, "partitions": 4, "produce_wait_ms": 300,
                  "properties": {"queue.buffering.max.messages": "5"}},
        "consumers": {"count": 0},
        "listen": "127.0.0.1:0"
    })",
                                dir.path());
    QVERIFY(ingest);
    // The first produce also sets up the connection, which may outlast the produce wait.
    QVERIFY(postJson(ingest->port(), R"({"warm":true})").status / 100 == 2);
    QTRY_COMPARE_WITH_TIMEOUT(ingest->metrics().counterTotal(u"webhook_produced_total"_s), 1.0, 15000);
    QSignalSpy health(ingest.get(), &pipeline::IngestPipeline::kafkaHealthChanged);
    QVERIFY(ingest->embeddedCluster()->setBrokerDown(1));

    constexpr int kEvents = 40;
    qint64 slowest = 0;
    for (int i = 0; i < kEvents; ++i) {
        QElapsedTimer elapsed;
        elapsed.start();
        const RawResponse answer = postJson(ingest->port(), R"({"n":)" + QByteArray::number(i) + "}");
        QCOMPARE(answer.status, 202);
        QCOMPARE(jsonOf(answer).value(u"status"_s).toString(), u"queued"_s);
        slowest = std::max(slowest, elapsed.elapsed());
    }
    qInfo("outage: %d webhooks answered 202, slowest in %lld ms (produce wait 300 ms)", kEvents, slowest);
    // The window and /healthz learn why events wait.
    QTRY_VERIFY_WITH_TIMEOUT(!ingest->kafkaHealth().ok(), 15000);
    const QJsonObject healthz = jsonOf(get(ingest->port(), "/healthz"));
    QCOMPARE(healthz.value(u"status"_s).toString(), u"degraded"_s);
    QVERIFY(!healthz.value(u"kafka"_s).toObject().value(u"reason"_s).toString().isEmpty());
    QVERIFY(ingest->metrics().counterValue(u"webhook_produce_errors_total"_s, {{u"reason"_s, u"queue_full"_s}}) > 0);

    QVERIFY(ingest->embeddedCluster()->setBrokerUp(1));
    auto query = store::JournalQuery::open(ingest->databasePath());
    QVERIFY(query);
    QTRY_COMPARE_WITH_TIMEOUT(count(*ingest, **query, store::KafkaState::Pending), 0, 60000);
    QCOMPARE(count(*ingest, **query, store::KafkaState::Produced), kEvents + 1);
    QTRY_VERIFY_WITH_TIMEOUT(ingest->kafkaHealth().ok(), 15000);
    QVERIFY(health.count() >= 2);

    // Exactly once on the topic: every event, none twice.
    const QList<ConsumedRecord> records = consumeTopic(ingest->bootstrap(), u"webhooks.test"_s, kEvents + 1);
    QCOMPARE(records.size(), kEvents + 1);
    QSet<QByteArray> keys;
    for (const ConsumedRecord &record : records)
        keys.insert(headerOf(record, "idempotency-key"));
    QCOMPARE(keys.size(), kEvents + 1);
}

void TestReliability::fatalProducerErrorRecreatesTheProducer()
{
    QTemporaryDir dir;
    auto ingest = startPipeline(R"({
        "sources": [{"name": "test", "provider": "none"}],
        "kafka": {"mode": "embedded", "brokers": 1, "partitions": 1, "produce_wait_ms": 1000},
        "consumers": {"count": 0},
        "listen": "127.0.0.1:0"
    })",
                                dir.path());
    QVERIFY(ingest);
    QSignalSpy health(ingest.get(), &pipeline::IngestPipeline::kafkaHealthChanged);
    // The head-of-line ProduceRequest of an idempotent producer failing with
    // OUT_OF_ORDER_SEQUENCE_NUMBER is fatal in librdkafka (the producer's guarantee is lost).
    QVERIFY(ingest->embeddedCluster()->failNextRequests(0, {45}));

    const RawResponse first = postJson(ingest->port(), R"({"n":"first"})");
    QCOMPARE(first.status, 202);
    const qint64 firstId = jsonOf(first).value(u"id"_s).toInteger();

    QTRY_COMPARE_WITH_TIMEOUT(ingest->metrics().counterTotal(u"kafka_producer_recreated_total"_s), 1.0, 15000);
    QCOMPARE(ingest->metrics().counterTotal(u"kafka_producer_fatal_errors_total"_s), 1.0);
    QTRY_VERIFY_WITH_TIMEOUT(!health.isEmpty(), 5000);
    QCOMPARE(health.first().at(0).toString(), u"producer_fatal"_s);
    QVERIFY(health.first().at(1).toString().contains(u"OUT_OF_ORDER_SEQUENCE_NUMBER"_s));
    QTRY_VERIFY_WITH_TIMEOUT(ingest->kafkaHealth().ok(), 5000);

    // The new producer answers new webhooks, and the relay produces the one left pending.
    const RawResponse second = postJson(ingest->port(), R"({"n":"second"})");
    QCOMPARE(second.status, 200);
    auto query = store::JournalQuery::open(ingest->databasePath());
    QVERIFY(query);
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            ingest->journalWriter().sync();
            const auto entry = (*query)->entry(firstId);
            return entry && entry->has_value() && (*entry)->kafkaState == store::KafkaState::Produced;
        }(),
        30000);
    const QList<ConsumedRecord> records = consumeTopic(ingest->bootstrap(), u"webhooks.test"_s, 2);
    QCOMPARE(records.size(), 2);
}

void TestReliability::relayDrainsWhileLiveTrafficIsServed()
{
    QTemporaryDir dir;
    constexpr int kPending = 10'000;
    const QString dbPath = QDir(dir.path()).filePath(u"hookbench.db"_s);
    {
        // What a long outage leaves behind: 10,000 events journaled as pending.
        auto writer = store::JournalWriter::open(dbPath);
        QVERIFY(writer);
        const qint64 then = QDateTime::currentMSecsSinceEpoch() - 60'000;
        for (int i = 0; i < kPending; ++i) {
            store::JournalEntry e;
            e.receivedAtMs = then + i / 100;
            e.source = u"test"_s;
            e.method = "POST";
            e.target = "/webhooks/test";
            e.headers = {{"Content-Type", "application/json"}};
            e.body = R"({"backlog":)" + QByteArray::number(i) + R"(,"pad":")" + QByteArray(900, 'p') + "\"}";
            e.verdict = store::Verdict::Queued;
            e.httpStatus = 202;
            e.idempotencyKey = "backlog-" + QByteArray::number(i);
            e.idempotencyOrigin = u"test"_s;
            e.topic = u"webhooks.test"_s;
            e.kafkaState = store::KafkaState::Pending;
            (*writer)->ingest(std::move(e), false, 0, nullptr, {});
        }
        (*writer)->sync();
    }

    QElapsedTimer drain;
    drain.start();
    auto ingest = startPipeline(R"({
        "sources": [{"name": "test", "provider": "none"}],
        "kafka": {"mode": "embedded", "brokers": 3, "partitions": 6, "produce_wait_ms": 2000},
        "consumers": {"count": 0},
        "listen": "127.0.0.1:0"
    })",
                                dir.path());
    QVERIFY(ingest);
    auto query = store::JournalQuery::open(ingest->databasePath());
    QVERIFY(query);

    // Live webhooks one after another while the relay drains; each answer is timed. The first
    // one also waits for the producer's connection set-up, so it is reported on its own.
    qint64 firstMs = -1;
    QList<qint64> latencies;
    qint64 pending = kPending;
    int whileDraining = 0;
    qint64 drainMs = 0;
    const QDeadlineTimer deadline(120'000);
    for (int i = 0; pending > 0 && !deadline.hasExpired(); ++i) {
        QElapsedTimer elapsed;
        elapsed.start();
        const RawResponse answer = postJson(ingest->port(), R"({"live":)" + QByteArray::number(i) + "}");
        if (firstMs < 0)
            firstMs = elapsed.elapsed();
        else
            latencies.append(elapsed.elapsed());
        QVERIFY2(answer.status == 200 || answer.status == 202, answer.body.constData());
        if (i % 5 == 0) {
            pending = count(*ingest, **query, store::KafkaState::Pending);
            if (pending > 0)
                whileDraining = i + 1;
        }
    }
    QTRY_COMPARE_WITH_TIMEOUT(count(*ingest, **query, store::KafkaState::Pending), 0, 60000);
    drainMs = drain.elapsed();
    QVERIFY2(whileDraining > 0, "no live request was answered while the relay drained");
    QCOMPARE(count(*ingest, **query, store::KafkaState::Produced), kPending + latencies.size() + 1);
    qInfo("relay drain: %d pending entries in %lld ms (%.0f/s, pipeline start included); "
          "live webhooks meanwhile: the first in %lld ms, then %lld: p50 %.0f ms, p99 %.0f ms, max %.0f ms",
          kPending, drainMs, kPending * 1000.0 / double(std::max<qint64>(1, drainMs)), firstMs,
          qint64(latencies.size()), percentile(latencies, 0.50), percentile(latencies, 0.99),
          percentile(latencies, 1.0));
}

QTEST_GUILESS_MAIN(TestReliability)
#include "test_reliability.moc"
