// End-to-end tests of the ingest pipeline on real parts: HTTP over loopback into the real
// receiver, SQLite in a temporary directory, the embedded librdkafka mock cluster, and a separate
// plain librdkafka consumer reading the topic back.

#include <algorithm>
#include <atomic>

#include <QCryptographicHash>
#include <QDateTime>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include "core/config/config_loader.h"
#include "core/kafka/embedded_cluster.h"
#include "core/kafka/murmur2.h"
#include "core/pipeline/ingest_pipeline.h"
#include "core/store/journal_query.h"
#include "core/store/journal_writer.h"
#include "test_client.h"

using namespace Qt::StringLiterals;
using namespace hookbench;

namespace {

const QByteArray stripeSecret = "whsec_pipeline_test_secret";

QByteArray fixture(const QString &relative)
{
    QFile file(QStringLiteral(HOOKBENCH_TEST_DATA_DIR) % u"/fixtures/"_s % relative);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture"); // test-only: the data is part of the repository
    return file.readAll();
}

// A Stripe event body with its own id (the fixtures share one id on purpose).
QByteArray stripeEvent(const QByteArray &eventId)
{
    QByteArray body = fixture(u"stripe/invoice.paid.json"_s);
    body.replace(QByteArray("\"evt_000000000000000000000000\""), QByteArray("\"" + eventId + "\""));
    return body;
}

config::Config testConfig(int produceWaitMs = 2000)
{
    const QByteArray json = R"({
        "sources": [
            {"name": "stripe", "provider": "stripe", "secrets": ["whsec_pipeline_test_secret"]},
            {"name": "plain", "provider": "none"}
        ],
        "kafka": {"mode": "embedded", "brokers": 3, "partitions": 6, "produce_wait_ms": )"
                            + QByteArray::number(produceWaitMs) + R"(},
        "limits": {"max_body_bytes": 65536, "max_header_bytes": 8192, "header_timeout_ms": 400},
        "listen": "127.0.0.1:0"
    })";
    auto config = config::ConfigLoader::parse(json, u"<test>"_s);
    if (!config)
        qFatal("%s", qPrintable(config.error().message));
    return *config;
}

std::unique_ptr<pipeline::IngestPipeline> startPipeline(const config::Config &config, const QString &dataDir)
{
    pipeline::PipelineOptions options;
    options.config = config;
    options.dataDir = dataDir;
    auto started = pipeline::IngestPipeline::start(options);
    if (!started) {
        qWarning("%s", qPrintable(started.error().message));
        return {};
    }
    return std::move(started.value());
}

RawResponse postStripe(quint16 port, const QByteArray &body, qint64 t = QDateTime::currentSecsSinceEpoch())
{
    return post(port, "/webhooks/stripe", body,
                {{"Content-Type", "application/json"}, {"Stripe-Signature", stripeSignature(stripeSecret, t, body)}});
}

QJsonObject json(const RawResponse &response)
{
    return QJsonDocument::fromJson(response.body).object();
}

// Whether the journal says entry `id` reached Kafka (after committing what the writer holds).
bool isProduced(pipeline::IngestPipeline &ingest, const store::JournalQuery &query, qint64 id)
{
    ingest.journalWriter().sync();
    const auto entry = query.entry(id);
    return entry && entry->has_value() && (*entry)->kafkaState == store::KafkaState::Produced;
}

QByteArray headerValue(const ConsumedRecord &record, const QByteArray &name)
{
    for (const auto &[key, value] : record.headers) {
        if (key == name)
            return value;
    }
    return "<absent>";
}

} // namespace

class TestPipeline final : public QObject
{
    Q_OBJECT

private slots:
    void acceptedEventLandsOnTopicByteForByte();
    void duplicateIsAnsweredAndJournaled();
    void concurrentCopiesYieldOneRecord();
    void rejections_data();
    void rejections();
    void slowClientGets408AndClose();
    void brokerDownAnswers202ThenProduces();
    void restartProducesPendingEntries();
    void healthzAndMetrics();
    void unknownSourcesShareOneMetricLabel();
    void rejectedSignatureIsNotStored();
    void externalModeUsesGivenBootstrapAndProperties();
    void invalidKafkaPropertyIsAStartupError();
};

void TestPipeline::acceptedEventLandsOnTopicByteForByte()
{
    QTemporaryDir dir;
    auto ingest = startPipeline(testConfig(), dir.path());
    QVERIFY(ingest);

    const QByteArray body = stripeEvent("evt_accepted_1");
    const RawResponse response = postStripe(ingest->port(), body);
    QCOMPARE(response.status, 200);
    const QJsonObject answer = json(response);
    QCOMPARE(answer.value(u"status"_s).toString(), u"accepted"_s);
    QCOMPARE(answer.value(u"idempotency_key"_s).toString(), u"evt_accepted_1"_s);
    QCOMPARE(answer.value(u"topic"_s).toString(), u"webhooks.stripe"_s);
    const int partition = answer.value(u"partition"_s).toInt(-1);
    QCOMPARE(partition, kafka::murmur2Partition("cus_00000000000000", 6));
    QCOMPARE(answer.value(u"offset"_s).toInteger(-1), 0);

    const QList<ConsumedRecord> records = consumeTopic(ingest->bootstrap(), u"webhooks.stripe"_s, 1);
    QCOMPARE(records.size(), 1);
    const ConsumedRecord &record = records.first();
    QCOMPARE(record.value, body); // byte for byte
    QCOMPARE(record.key, QByteArray("cus_00000000000000"));
    QCOMPARE(record.partition, partition);
    QCOMPARE(headerValue(record, "hookbench-source"), QByteArray("stripe"));
    QCOMPARE(headerValue(record, "idempotency-key"), QByteArray("evt_accepted_1"));
    QCOMPARE(headerValue(record, "content-type"), QByteArray("application/json"));
    QCOMPARE(headerValue(record, "event-type"), QByteArray("invoice.paid"));
    QVERIFY(headerValue(record, "received-at").endsWith('Z'));
    QVERIFY(headerValue(record, "hookbench-journal-id").toLongLong() > 0);

    // The journal holds the request as received and where it landed.
    ingest->journalWriter().sync();
    auto query = store::JournalQuery::open(ingest->databasePath());
    QVERIFY(query);
    const qint64 id = answer.value(u"id"_s).toInteger();
    QTRY_VERIFY_WITH_TIMEOUT(isProduced(*ingest, **query, id), 5000);
    const auto entry = (*query)->entry(id);
    QCOMPARE((*entry)->body, body);
    QCOMPARE((*entry)->verdict, store::Verdict::Accepted);
    QCOMPARE((*entry)->httpStatus, 200);
    QCOMPARE((*entry)->partition, partition);
    QCOMPARE((*entry)->offset, 0);
    QCOMPARE((*entry)->entityKey, QByteArray("cus_00000000000000"));
    QCOMPARE((*entry)->eventType, u"invoice.paid"_s);
}

void TestPipeline::duplicateIsAnsweredAndJournaled()
{
    QTemporaryDir dir;
    auto ingest = startPipeline(testConfig(), dir.path());
    QVERIFY(ingest);
    const QByteArray body = stripeEvent("evt_dup_1");
    const RawResponse first = postStripe(ingest->port(), body);
    QCOMPARE(first.status, 200);
    QCOMPARE(json(first).value(u"status"_s).toString(), u"accepted"_s);
    const RawResponse second = postStripe(ingest->port(), body);
    QCOMPARE(second.status, 200);
    QCOMPARE(json(second).value(u"status"_s).toString(), u"duplicate"_s);
    QCOMPARE(json(second).value(u"duplicate_of"_s).toInteger(), json(first).value(u"id"_s).toInteger());

    ingest->journalWriter().sync();
    auto query = store::JournalQuery::open(ingest->databasePath());
    QVERIFY(query);
    const auto dup = (*query)->entry(json(second).value(u"id"_s).toInteger());
    QVERIFY(dup && dup->has_value());
    QCOMPARE((*dup)->verdict, store::Verdict::Duplicate);
    // Only one record on the topic.
    QCOMPARE(consumeTopic(ingest->bootstrap(), u"webhooks.stripe"_s, 2, 3000).size(), 1);
}

void TestPipeline::concurrentCopiesYieldOneRecord()
{
    QTemporaryDir dir;
    auto ingest = startPipeline(testConfig(), dir.path());
    QVERIFY(ingest);
    const QByteArray body = stripeEvent("evt_concurrent_1");
    const QByteArray request = "POST /webhooks/stripe HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                               "Stripe-Signature: "
                               + stripeSignature(stripeSecret, QDateTime::currentSecsSinceEpoch(), body)
                               + "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;

    // 50 connections, all connected first, then every copy written before any answer is read.
    constexpr int copies = 50;
    std::vector<std::unique_ptr<QTcpSocket>> sockets;
    for (int i = 0; i < copies; ++i) {
        sockets.push_back(std::make_unique<QTcpSocket>());
        sockets.back()->connectToHost(QHostAddress::LocalHost, ingest->port());
        QVERIFY(sockets.back()->waitForConnected(5000));
    }
    for (auto &socket : sockets) {
        socket->write(request);
        socket->flush();
    }
    int accepted = 0;
    int duplicates = 0;
    for (auto &socket : sockets) {
        QByteArray answer;
        QDeadlineTimer deadline(10000);
        while (!answer.contains("}\n") && !deadline.hasExpired()
               && socket->waitForReadyRead(int(std::max<qint64>(1, deadline.remainingTime()))))
            answer += socket->readAll();
        if (answer.contains("\"status\":\"accepted\""))
            ++accepted;
        else if (answer.contains("\"status\":\"duplicate\""))
            ++duplicates;
    }
    QCOMPARE(accepted, 1);
    QCOMPARE(duplicates, copies - 1);
    QCOMPARE(consumeTopic(ingest->bootstrap(), u"webhooks.stripe"_s, 2, 3000).size(), 1);
}

void TestPipeline::rejections_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<bool>("closes");

    const QByteArray body = stripeEvent("evt_reject_1");
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    auto stripeRequest = [&](const QByteArray &signatureHeader, const QByteArray &payload) -> QByteArray {
        QByteArray r = "POST /webhooks/stripe HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n";
        if (!signatureHeader.isNull())
            r += "Stripe-Signature: " + signatureHeader + "\r\n";
        return r + "Content-Length: " + QByteArray::number(payload.size()) + "\r\n\r\n" + payload;
    };

    QTest::newRow("unknown source") << QByteArray(
        "POST /webhooks/nope HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
                                    << 404 << u"unknown_source"_s << false;
    QTest::newRow("not POST") << QByteArray("GET /webhooks/stripe HTTP/1.1\r\nHost: x\r\n\r\n") << 405
                              << u"method_not_allowed"_s << false;
    QTest::newRow("body over the limit") << QByteArray(
        "POST /webhooks/plain HTTP/1.1\r\nHost: x\r\nContent-Length: 70000\r\n\r\n")
                                         << 413 << u"body_too_large"_s << true;
    QTest::newRow("headers over the limit")
        << QByteArray("POST /webhooks/plain HTTP/1.1\r\nHost: x\r\nX-Big: " + QByteArray(9000, 'a') + "\r\n\r\n") << 431
        << u"headers_too_large"_s << true;
    QTest::newRow("malformed HTTP") << QByteArray("BLAH\x01 / HTTP/9\r\n\r\n") << 400 << u"malformed_request"_s << true;
    QTest::newRow("missing signature") << stripeRequest({}, body) << 401 << u"missing_signature"_s << false;
    QTest::newRow("bad signature") << stripeRequest(stripeSignature("whsec_wrong", now, body), body) << 401
                                   << u"signature_mismatch"_s << false;
    QTest::newRow("stale timestamp") << stripeRequest(stripeSignature(stripeSecret, now - 3600, body), body) << 401
                                     << u"timestamp_out_of_tolerance"_s << false;
    QTest::newRow("malformed signature header")
        << stripeRequest("garbage", body) << 401 << u"malformed_signature_header"_s << false;
    QTest::newRow("invalid JSON") << stripeRequest(stripeSignature(stripeSecret, now, "{not json"), "{not json") << 400
                                  << u"invalid_json"_s << false;
}

void TestPipeline::rejections()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QFETCH(QString, reason);
    QFETCH(bool, closes);

    QTemporaryDir dir;
    auto ingest = startPipeline(testConfig(), dir.path());
    QVERIFY(ingest);
    const RawResponse response = sendRaw(ingest->port(), request);
    QCOMPARE(response.status, status);
    QCOMPARE(json(response).value(u"status"_s).toString(), u"rejected"_s);
    QCOMPARE(json(response).value(u"reason"_s).toString(), reason);
    if (status == 405)
        QCOMPARE(response.header("Allow"), QByteArray("POST"));
    if (closes)
        QVERIFY(response.closed);

    // Every request, accepted or not, is in the journal with its verdict.
    auto query = store::JournalQuery::open(ingest->databasePath());
    QVERIFY(query);
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            ingest->journalWriter().sync();
            store::JournalFilter filter;
            filter.verdict = store::Verdict::Rejected;
            auto rows = (*query)->list(filter);
            return rows && rows->size() == 1 && rows->first().reason == reason && rows->first().httpStatus == status;
        }(),
        5000);
}

void TestPipeline::slowClientGets408AndClose()
{
    QTemporaryDir dir;
    auto ingest = startPipeline(testConfig(), dir.path());
    QVERIFY(ingest);
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, ingest->port());
    QVERIFY(socket.waitForConnected(5000));
    socket.write("POST /webhooks/plain HTTP/1.1\r\nHost: x\r\n"); // headers never finish
    socket.flush();
    QByteArray answer;
    QDeadlineTimer deadline(5000);
    while (socket.state() == QAbstractSocket::ConnectedState && !deadline.hasExpired()) {
        if (socket.waitForReadyRead(200))
            answer += socket.readAll();
    }
    answer += socket.readAll();
    QVERIFY2(answer.startsWith("HTTP/1.1 408"), answer.constData());
    QVERIFY(answer.contains("header_timeout"));
    QCOMPARE(socket.state(), QAbstractSocket::UnconnectedState);
}

void TestPipeline::brokerDownAnswers202ThenProduces()
{
    QTemporaryDir dir;
    // The produce wait covers the first produce's connection set-up, not a broker outage.
    auto ingest = startPipeline(testConfig(1500), dir.path());
    QVERIFY(ingest);
    kafka::EmbeddedCluster *cluster = ingest->embeddedCluster();
    QVERIFY(cluster);
    // Warm up so the producer knows the topic, then take every broker down.
    QCOMPARE(postStripe(ingest->port(), stripeEvent("evt_warm")).status, 200);
    for (int broker : cluster->brokerIds())
        QVERIFY(cluster->setBrokerDown(broker));

    const RawResponse queued = postStripe(ingest->port(), stripeEvent("evt_while_down"));
    QCOMPARE(queued.status, 202);
    QCOMPARE(json(queued).value(u"status"_s).toString(), u"queued"_s);
    const qint64 id = json(queued).value(u"id"_s).toInteger();

    for (int broker : cluster->brokerIds())
        QVERIFY(cluster->setBrokerUp(broker));

    // Once Kafka is back, the queued event is produced and the journal says where.
    auto query = store::JournalQuery::open(ingest->databasePath());
    QVERIFY(query);
    QTRY_VERIFY_WITH_TIMEOUT(isProduced(*ingest, **query, id), 30000);
    const QList<ConsumedRecord> records = consumeTopic(ingest->bootstrap(), u"webhooks.stripe"_s, 2);
    QCOMPARE(records.size(), 2);
    QVERIFY(std::any_of(records.begin(), records.end(),
                        [](const ConsumedRecord &r) { return headerValue(r, "idempotency-key") == "evt_while_down"; }));
    const auto entry = (*query)->entry(id);
    QCOMPARE((*entry)->verdict, store::Verdict::Queued);
}

void TestPipeline::restartProducesPendingEntries()
{
    QTemporaryDir dir;
    qint64 id = 0;
    {
        auto ingest = startPipeline(testConfig(300), dir.path());
        QVERIFY(ingest);
        for (int broker : ingest->embeddedCluster()->brokerIds())
            QVERIFY(ingest->embeddedCluster()->setBrokerDown(broker));
        const RawResponse queued = postStripe(ingest->port(), stripeEvent("evt_before_restart"));
        QCOMPARE(queued.status, 202);
        id = json(queued).value(u"id"_s).toInteger();
        ingest->stop(100);
    }
    {
        auto query = store::JournalQuery::open(QDir(dir.path()).filePath(u"hookbench.db"_s));
        QVERIFY(query);
        const auto entry = (*query)->entry(id);
        QVERIFY(entry && entry->has_value());
        QCOMPARE((*entry)->kafkaState, store::KafkaState::Pending);
    }
    // A new run (a new, empty embedded cluster) produces what the journal still holds as pending.
    auto ingest = startPipeline(testConfig(300), dir.path());
    QVERIFY(ingest);
    auto query = store::JournalQuery::open(ingest->databasePath());
    QVERIFY(query);
    QTRY_VERIFY_WITH_TIMEOUT(isProduced(*ingest, **query, id), 30000);
    const QList<ConsumedRecord> records = consumeTopic(ingest->bootstrap(), u"webhooks.stripe"_s, 1);
    QCOMPARE(records.size(), 1);
    QCOMPARE(headerValue(records.first(), "idempotency-key"), QByteArray("evt_before_restart"));
    QCOMPARE(records.first().value, stripeEvent("evt_before_restart"));
}

void TestPipeline::healthzAndMetrics()
{
    QTemporaryDir dir;
    auto ingest = startPipeline(testConfig(), dir.path());
    QVERIFY(ingest);
    const RawResponse health = get(ingest->port(), "/healthz");
    QCOMPARE(health.status, 200);
    const QJsonObject h = json(health);
    QCOMPARE(h.value(u"status"_s).toString(), u"ok"_s);
    QCOMPARE(h.value(u"listen"_s).toString(), u"127.0.0.1:"_s % QString::number(ingest->port()));
    QCOMPARE(h.value(u"kafka"_s).toObject().value(u"mode"_s).toString(), u"embedded"_s);
    QCOMPARE(h.value(u"kafka"_s).toObject().value(u"bootstrap"_s).toString().split(u',').size(), 3);

    QCOMPARE(postStripe(ingest->port(), stripeEvent("evt_metrics_1")).status, 200);
    QCOMPARE(postStripe(ingest->port(), stripeEvent("evt_metrics_1")).status, 200);
    QCOMPARE(post(ingest->port(), "/webhooks/stripe", "{}", {}).status, 401);
    const RawResponse metrics = get(ingest->port(), "/metrics");
    QCOMPARE(metrics.status, 200);
    QVERIFY(metrics.body.contains("webhook_received_total{source=\"stripe\"} 3"));
    QVERIFY(metrics.body.contains("webhook_duplicates_total{source=\"stripe\"} 1"));
    QVERIFY(metrics.body.contains("webhook_rejected_total{source=\"stripe\",reason=\"missing_signature\"} 1"));
    QVERIFY(metrics.body.contains("webhook_produce_latency_ms_count 1"));
    QVERIFY(metrics.body.contains("# TYPE webhook_produce_errors_total counter"));

    // The writer's own totals: both answered webhooks were journaled before their answer, in at
    // least one transaction; the WAL counters are listed (a short test grows no WAL to checkpoint).
    const auto value = [&metrics](const char *name) {
        static const QRegularExpression line(u"^([a-z_]+) ([0-9.e+]+)$"_s, QRegularExpression::MultilineOption);
        for (auto it = line.globalMatch(QString::fromUtf8(metrics.body)); it.hasNext();) {
            const QRegularExpressionMatch match = it.next();
            if (match.captured(1) == QLatin1StringView(name))
                return match.captured(2).toDouble();
        }
        return -1.0;
    };
    QVERIFY(value("journal_transactions_total") >= 1);
    QVERIFY(value("journal_writes_total") >= 2);
    QVERIFY(value("journal_writes_total") >= value("journal_transactions_total"));
    QCOMPARE(value("journal_wal_checkpoint_failures_total"), 0.0);
    QVERIFY(metrics.body.contains("# TYPE journal_wal_writer_waits_total counter"));
    QVERIFY(metrics.body.contains("# TYPE journal_wal_checkpoints_total counter"));
}

void TestPipeline::unknownSourcesShareOneMetricLabel()
{
    // Any name in the path used to become a label set of its own: unbounded series for anyone who
    // can send requests. Unconfigured names share one label; the journal keeps the real name.
    QTemporaryDir dir;
    auto ingest = startPipeline(testConfig(), dir.path());
    QVERIFY(ingest);
    constexpr int names = 30;
    for (int i = 0; i < names; ++i)
        QCOMPARE(post(ingest->port(), "/webhooks/probe" + QByteArray::number(i), "{}", {}).status, 404);
    // A server rejection (headers over the limit) on an unknown name too.
    const RawResponse big = sendRaw(
        ingest->port(), "POST /webhooks/other HTTP/1.1\r\nHost: x\r\nX-Big: " + QByteArray(9000, 'a') + "\r\n\r\n");
    QCOMPARE(big.status, 431);
    const RawResponse metrics = get(ingest->port(), "/metrics");
    const QByteArray unknownSeries =
        QByteArray("webhook_rejected_total{source=\"unknown\",reason=\"unknown_source\"} ") + QByteArray::number(names);
    QVERIFY2(metrics.body.contains(unknownSeries), metrics.body.constData());
    QVERIFY(metrics.body.contains("webhook_rejected_total{source=\"unknown\",reason=\"headers_too_large\"} 1"));
    QVERIFY(!metrics.body.contains("probe"));
    QVERIFY(!metrics.body.contains("source=\"other\""));

    auto query = store::JournalQuery::open(ingest->databasePath());
    QVERIFY(query);
    ingest->journalWriter().sync();
    store::JournalFilter filter;
    filter.verdict = store::Verdict::Rejected;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            ingest->journalWriter().sync();
            auto rows = (*query)->list(filter);
            return rows && rows->size() == names + 1;
        }(),
        5000);
    const auto rows = (*query)->list(filter);
    QVERIFY(std::any_of(rows->cbegin(), rows->cend(), [](const auto &row) { return row.source == u"probe7"_s; }));
}

void TestPipeline::rejectedSignatureIsNotStored()
{
    // The signature that would have been valid over the rejected bytes is a forgery waiting to be
    // copied: the journal keeps what explains the rejection, not the signature itself.
    QTemporaryDir dir;
    auto ingest = startPipeline(testConfig(), dir.path());
    QVERIFY(ingest);
    const QByteArray body = stripeEvent("evt_forgery");
    const qint64 t = QDateTime::currentSecsSinceEpoch();
    const RawResponse response =
        post(ingest->port(), "/webhooks/stripe", body,
             {{"Content-Type", "application/json"}, {"Stripe-Signature", stripeSignature("whsec_wrong", t, body)}});
    QCOMPARE(response.status, 401);

    auto query = store::JournalQuery::open(ingest->databasePath());
    QVERIFY(query);
    store::JournalFilter filter;
    filter.verdict = store::Verdict::Rejected;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            ingest->journalWriter().sync();
            auto rows = (*query)->list(filter);
            return rows && rows->size() == 1;
        }(),
        5000);
    const qint64 id = (*query)->list(filter)->first().id;
    const auto entry = (*query)->entry(id);
    QVERIFY(entry && entry->has_value());
    const QJsonObject v = QJsonDocument::fromJson((*entry)->verification).object();
    const QByteArray signedContent = QByteArray::number(t) + '.' + body;
    const QByteArray valid = stripeSignature(stripeSecret, t, body); // "t=...,v1=<hex>"
    const QByteArray validHex = valid.mid(valid.indexOf("v1=") + 3);
    QCOMPARE(v.value(u"reason"_s).toString(), u"signature_mismatch"_s);
    QVERIFY(!v.contains(u"expected"_s));
    QVERIFY(!(*entry)->verification.contains(validHex));
    QCOMPARE(v.value(u"secrets_tried"_s).toInt(), 1);
    QCOMPARE(v.value(u"signed_content_length"_s).toInteger(), signedContent.size());
    QCOMPARE(v.value(u"signed_content_sha256"_s).toString(),
             QString::fromLatin1(QCryptographicHash::hash(signedContent, QCryptographicHash::Sha256).toHex()));
    QCOMPARE(v.value(u"expected_fingerprint"_s).toString(),
             QString::fromLatin1(QCryptographicHash::hash(validHex, QCryptographicHash::Sha256).toHex().left(8)));
    QVERIFY(v.value(u"received"_s).toString().contains(u"v1="_s));

    // Files are the owner's only from the start: the data directory, the journal and its WAL files.
    const auto mode = [](const QString &path) {
        return QFile::permissions(path)
               & (QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup | QFileDevice::ReadOther
                  | QFileDevice::WriteOther | QFileDevice::ExeOther);
    };
    const QString db = ingest->databasePath();
    for (const QString &path : QStringList{db, db + u"-wal"_s, db + u"-shm"_s}) {
        QVERIFY2(QFile::exists(path), qPrintable(path));
        QVERIFY2(mode(path) == 0, qPrintable(path));
    }
}

void TestPipeline::externalModeUsesGivenBootstrapAndProperties()
{
    // "External" Kafka here is a second, independent mock cluster: the pipeline only gets its
    // bootstrap address and pass-through properties, as it would for a real cluster.
    auto external = kafka::EmbeddedCluster::start(3, 6);
    QVERIFY(external);
    QVERIFY((*external)->createTopic(u"webhooks.plain"_s, 3));
    config::Config config = testConfig();
    config.kafka.mode = u"external"_s;
    config.kafka.bootstrap = (*external)->bootstrap();
    config.kafka.properties.insert(u"client.id"_s, u"hookbench-external-test"_s);
    QTemporaryDir dir;
    auto ingest = startPipeline(config, dir.path());
    QVERIFY(ingest);
    QVERIFY(ingest->embeddedCluster() == nullptr);
    QCOMPARE(ingest->bootstrap(), (*external)->bootstrap());
    const RawResponse health = get(ingest->port(), "/healthz");
    QCOMPARE(json(health).value(u"kafka"_s).toObject().value(u"mode"_s).toString(), u"external"_s);

    const QByteArray body = R"({"type":"thing.happened","id":"x1"})";
    const RawResponse response = post(ingest->port(), "/webhooks/plain", body, {{"Content-Type", "application/json"}});
    QCOMPARE(response.status, 200);
    const QList<ConsumedRecord> records = consumeTopic((*external)->bootstrap(), u"webhooks.plain"_s, 1);
    QCOMPARE(records.size(), 1);
    QCOMPARE(records.first().value, body);
    QCOMPARE(headerValue(records.first(), "event-type"), QByteArray("thing.happened"));
    ingest->stop(1000);
}

void TestPipeline::invalidKafkaPropertyIsAStartupError()
{
    config::Config config = testConfig();
    config.kafka.properties.insert(u"no.such.property"_s, u"1"_s);
    QTemporaryDir dir;
    pipeline::PipelineOptions options;
    options.config = config;
    options.dataDir = dir.path();
    auto started = pipeline::IngestPipeline::start(options);
    QVERIFY(!started);
    QVERIFY2(started.error().message.contains(u"no.such.property"_s), qPrintable(started.error().message));
}

QTEST_GUILESS_MAIN(TestPipeline)
#include "test_pipeline.moc"
