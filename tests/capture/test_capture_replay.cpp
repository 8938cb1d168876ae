// Captures end to end on real parts: a real IngestPipeline on 127.0.0.1:0 with the embedded
// cluster and SQLite in temporary directories; captures are imported from real files, replayed
// by the ReplayRunner (through the receiver over loopback HTTP, or straight to the topic), and a
// separate librdkafka consumer reads the topics back.

#include <QDateTime>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "core/capture/fixture_folder_importer.h"
#include "core/capture/har_importer.h"
#include "core/capture/journal_export.h"
#include "core/capture/replay_runner.h"
#include "core/capture/session_file.h"
#include "core/capture/session_importer.h"
#include "core/config/config_loader.h"
#include "core/pipeline/ingest_pipeline.h"
#include "core/replay/loopback_pool.h"
#include "core/store/journal_query.h"
#include "core/store/journal_writer.h"
#include "core/store/processing_query.h"
#include "core/store/processing_store.h"
#include "test_client.h"

using namespace Qt::StringLiterals;
using namespace hookbench;
using namespace hookbench::capture;

namespace {

constexpr int kDeadlineMs = 60'000;

config::Config makeConfig(const QByteArray &extraStripe = {}, int consumers = 0)
{
    const QByteArray json = R"({
        "sources": [
            {"name": "stripe", "provider": "stripe", "secrets": ["whsec_capture_replay"])"
                            + extraStripe + R"(},
            {"name": "github", "provider": "github", "secrets": ["gh_capture_replay"]}
        ],
        "kafka": {"mode": "embedded", "brokers": 1, "partitions": 3, "produce_wait_ms": 10000},
        "consumers": {"count": )"
                            + QByteArray::number(consumers) + R"(},
        "listen": "127.0.0.1:0"
    })";
    auto config = config::ConfigLoader::parse(json, u"<test>"_s);
    if (!config)
        qWarning("%s", qPrintable(config.error().message));
    return config ? *config : config::Config{};
}

std::unique_ptr<pipeline::IngestPipeline> startPipeline(const QString &dataDir, const config::Config &config)
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

std::optional<ReplayReport> run(pipeline::IngestPipeline &ingest, ReplayCollection collection)
{
    ReplayRunnerEnvironment env;
    env.config = ingest.config();
    env.receiverAddress = ingest.listenAddress();
    env.pipeline = &ingest;
    ReplayRunner runner(std::move(collection), env);
    QSignalSpy finished(&runner, &ReplayRunner::finished);
    QSignalSpy progress(&runner, &ReplayRunner::progress);
    runner.start();
    if (finished.isEmpty() && !finished.wait(kDeadlineMs))
        return std::nullopt;
    if (progress.isEmpty())
        return std::nullopt;
    return finished.constFirst().constFirst().value<ReplayReport>();
}

// The HAR's webhook POSTs for the sources of the config (stripe, github).
ReplayCollection harCollection()
{
    auto report = HarImporter::importFile(QStringLiteral(HOOKBENCH_TEST_DATA_DIR "/har/chromium-webhooks.har"));
    ReplayCollection collection;
    if (!report)
        return collection;
    for (Capture capture : report->captures) {
        capture.selected = capture.selected && (capture.source == u"stripe"_s || capture.source == u"github"_s);
        collection.captures.append(capture);
    }
    return collection;
}

QByteArray stripeEvent(int sequence, const QByteArray &customer)
{
    return R"({"id":"evt_order_)" + customer + '_' + QByteArray::number(sequence)
           + R"(","object":"event","type":"customer.updated","created":)" + QByteArray::number(1700000000 + sequence)
           + R"(,"data":{"object":{"id":")" + customer + R"(","object":"customer","customer":")" + customer
           + R"(","sequence":)" + QByteArray::number(sequence) + "}}}";
}

} // namespace

class TestCaptureReplay final : public QObject
{
    Q_OBJECT

private slots:
    void harThroughReceiverNeedsResignAndKeepsBytes();
    void injectedDuplicatesAreCaught();
    void directToTopicKeepsBytes();
    void shuffledReplayKeepsPerEntityProcessingOrder();
    void sessionExportImportOnFreshDataDir();
    void loopbackPoolReusesConnections();
};

void TestCaptureReplay::harThroughReceiverNeedsResignAndKeepsBytes()
{
    QTemporaryDir dir;
    auto ingest = startPipeline(dir.path(), makeConfig());
    QVERIFY(ingest);
    ReplayCollection collection = harCollection();
    QCOMPARE(collection.plan().size(), 2);

    // As captured, the signatures were made with another secret (or none): both are refused.
    auto asCaptured = run(*ingest, collection);
    QVERIFY(asCaptured);
    QCOMPARE(asCaptured->sent, 2);
    QCOMPARE(asCaptured->failed, 2);
    QCOMPARE(asCaptured->statusCounts.value(u"401 rejected"_s), 2);
    QVERIFY(!asCaptured->allAsExpected());

    // Re-signed with the sources' secrets they verify, and Kafka holds the bodies byte for byte.
    collection.options.resign = true;
    auto resigned = run(*ingest, collection);
    QVERIFY(resigned);
    QVERIFY2(resigned->allAsExpected(), qPrintable(resigned->toText()));
    QCOMPARE(resigned->statusCounts.value(u"200 accepted"_s), 2);
    QCOMPARE(resigned->journalIds.size(), 2);

    const QList<Capture> posts = collection.captures;
    for (const QString &source : {u"stripe"_s, u"github"_s}) {
        const auto records = consumeTopic(ingest->bootstrap(), u"webhooks."_s + source, 1);
        QCOMPARE(records.size(), 1);
        for (const Capture &capture : posts) {
            if (capture.selected && capture.source == source)
                QCOMPARE(records.constFirst().value, capture.body);
        }
    }
    ingest->stop();
}

void TestCaptureReplay::injectedDuplicatesAreCaught()
{
    QTemporaryDir dir;
    auto ingest = startPipeline(dir.path(), makeConfig());
    QVERIFY(ingest);
    auto fixtures = FixtureFolderImporter::importFolder(QStringLiteral(HOOKBENCH_TEST_DATA_DIR "/fixtures"),
                                                        *ingest->config().source(u"stripe"_s));
    QVERIFY(fixtures.ok());
    ReplayCollection collection;
    collection.captures = fixtures->captures;
    // The stripe fixtures share event ids; minted keys make each a delivery of its own, and every
    // send is followed by an exact duplicate that the receiver's dedup must catch.
    collection.options.mintIdempotencyKeys = true;
    collection.options.resign = true;
    collection.options.duplicateRate = 1.0;
    collection.options.order = ReplayOrder::Shuffled;
    collection.options.seed = 7;
    auto report = run(*ingest, collection);
    QVERIFY(report);
    QVERIFY2(report->allAsExpected(), qPrintable(report->toText()));
    QCOMPARE(report->sent, 20);
    QCOMPARE(report->duplicatesInjected, 10);
    QCOMPARE(report->dedupCatches, 10);
    QCOMPARE(report->duplicatesMissed, 0);
    QCOMPARE(report->statusCounts.value(u"200 accepted"_s), 10);
    QCOMPARE(report->statusCounts.value(u"200 duplicate"_s), 10);
    QCOMPARE(consumeTopic(ingest->bootstrap(), u"webhooks.stripe"_s, 10).size(), 10);
    ingest->stop();
}

void TestCaptureReplay::directToTopicKeepsBytes()
{
    QTemporaryDir dir;
    auto ingest = startPipeline(dir.path(), makeConfig());
    QVERIFY(ingest);
    ReplayCollection collection = harCollection();
    collection.options.mode = replay::ReplayMode::Topic;
    collection.options.repeat = 3;
    auto report = run(*ingest, collection);
    QVERIFY(report);
    QVERIFY2(report->allAsExpected(), qPrintable(report->toText()));
    QCOMPARE(report->statusCounts.value(u"200 accepted"_s), 6);
    QCOMPARE(report->journalIds.size(), 6);
    const auto records = consumeTopic(ingest->bootstrap(), u"webhooks.stripe"_s, 3);
    QCOMPARE(records.size(), 3);
    for (const ConsumedRecord &record : records)
        QCOMPARE(record.value, collection.captures.at(3).body);
    QCOMPARE(collection.captures.at(3).source, u"stripe"_s);

    ingest->journalWriter().sync();
    auto query = store::JournalQuery::open(ingest->databasePath());
    QVERIFY(query.ok());
    auto entry = (*query)->entry(report->journalIds.constFirst());
    QVERIFY(entry.ok() && entry->has_value());
    QTRY_COMPARE_WITH_TIMEOUT((*(*query)->entry(report->journalIds.constFirst()))->kafkaState,
                              store::KafkaState::Produced, kDeadlineMs);
    ingest->stop();
}

void TestCaptureReplay::shuffledReplayKeepsPerEntityProcessingOrder()
{
    QTemporaryDir dir;
    // Blocking retries with a 30% transient failure rate: records are retried in place.
    const QByteArray simulate = R"(, "simulate": {"latency_ms": 1, "failure_rate": 0.3},
        "retry": {"strategy": "blocking", "base_ms": 5, "cap_ms": 20, "max_attempts": 50})";
    auto ingest = startPipeline(dir.path(), makeConfig(simulate, 2));
    QVERIFY(ingest);
    ReplayCollection collection;
    const QList<QByteArray> customers{"cus_order_a", "cus_order_b", "cus_order_c"};
    for (int sequence = 0; sequence < 6; ++sequence) {
        for (const QByteArray &customer : customers) {
            Capture capture;
            capture.url = "/webhooks/stripe";
            capture.headers = {{"Content-Type", "application/json"}};
            capture.body = stripeEvent(sequence, customer);
            capture.timeMs = 1700000000000 + sequence * 10 + customers.indexOf(customer);
            collection.captures.append(capture);
        }
    }
    collection.options.resign = true;
    collection.options.order = ReplayOrder::Shuffled;
    collection.options.seed = 2024;
    collection.options.concurrency = 1; // the topic order is then the send order
    auto report = run(*ingest, collection);
    QVERIFY(report);
    QVERIFY2(report->allAsExpected(), qPrintable(report->toText()));
    QCOMPARE(report->sent, 18);
    int violations = 0;
    for (int v : report->orderViolations)
        violations += v;
    QVERIFY2(violations > 0, "the shuffle should send some entity's events out of captured order");

    // Each entity's events are processed in the order they sit in the partition, though some failed
    // and were retried: journal ids are assigned in send order, one send at a time.
    auto processing = store::ProcessingQuery::open(ingest->databasePath());
    QVERIFY(processing.ok());
    for (const QByteArray &customer : customers) {
        QTRY_COMPARE_WITH_TIMEOUT((*(*processing)->processedOrder(u"stripe"_s, customer)).size(), 6, kDeadlineMs);
        const QList<qint64> order = *(*processing)->processedOrder(u"stripe"_s, customer);
        QList<qint64> sorted = order;
        std::sort(sorted.begin(), sorted.end());
        QCOMPARE(order, sorted);
    }
    ingest->stop();
}

void TestCaptureReplay::sessionExportImportOnFreshDataDir()
{
    QTemporaryDir first;
    auto ingest = startPipeline(first.path(), makeConfig());
    QVERIFY(ingest);
    ReplayCollection collection = harCollection();
    collection.options.resign = true;
    auto report = run(*ingest, collection);
    QVERIFY(report && report->allAsExpected());
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            ingest->journalWriter().sync();
            auto query = store::JournalQuery::open(ingest->databasePath());
            store::JournalFilter produced;
            produced.kafkaState = store::KafkaState::Produced;
            return query && *(*query)->count(produced) == 2;
        }(),
        kDeadlineMs);
    // A handler history for one entry: two attempts and a dead letter.
    const qint64 deadId = report->journalIds.constFirst();
    ingest->journalWriter().write(
        [deadId](store::Database &db) -> Result<void> {
            store::ProcessingStore processing(db);
            for (int attempt = 1; attempt <= 2; ++attempt) {
                store::AttemptRow row;
                row.journalId = deadId;
                row.source = u"stripe"_s;
                row.attempt = attempt;
                row.outcome = attempt == 1 ? store::AttemptOutcome::Transient : store::AttemptOutcome::Permanent;
                row.error = u"HTTP 5%1"_s.arg(attempt);
                if (auto r = processing.recordAttempt(row); !r)
                    return r.error();
            }
            store::DeadLetterRow letter;
            letter.journalId = deadId;
            letter.source = u"stripe"_s;
            letter.value = "dead";
            letter.error = u"HTTP 400"_s;
            letter.attempts = 2;
            if (auto r = processing.addDeadLetter(letter); !r)
                return r.error();
            return {};
        },
        nullptr, {});
    ingest->journalWriter().sync();

    auto selected = JournalExport::select(ingest->databasePath(), {}, store::JournalFilter{});
    QVERIFY(selected.ok());
    const QString sessionPath = first.filePath(u"bug-1234.hbsession"_s);
    QVERIFY(SessionFile::write(*selected, sessionPath).ok());
    QFile sessionFile(sessionPath);
    QVERIFY(sessionFile.open(QIODevice::ReadOnly));
    const QByteArray sessionBytes = sessionFile.readAll();
    QVERIFY(!sessionBytes.contains("whsec_capture_replay"));
    QVERIFY(!sessionBytes.contains("gh_capture_replay"));
    const QList<store::JournalEntry> originals = selected->entries;
    ingest->stop();
    ingest.reset();

    // Another machine: a fresh data dir.
    QTemporaryDir second;
    auto writer = store::JournalWriter::open(QDir(second.path()).filePath(u"hookbench.db"_s));
    QVERIFY(writer.ok());
    auto rows = SessionFile::read(sessionPath);
    QVERIFY(rows.ok());
    auto imported = SessionImporter::importInto(**writer, *rows);
    QVERIFY2(imported.ok(), qPrintable(imported ? QString() : imported.error().message));
    QCOMPARE(imported->entries, originals.size());
    QCOMPARE(imported->attempts, 2);
    QCOMPARE(imported->deadLetters, 1);

    auto query = store::JournalQuery::open((*writer)->databasePath());
    QVERIFY(query.ok());
    for (const store::JournalEntry &original : originals) {
        auto entry = (*query)->entry(imported->ids.value(original.id));
        QVERIFY(entry.ok() && entry->has_value());
        const store::JournalEntry &e = **entry;
        QCOMPARE(e.receivedAtMs, original.receivedAtMs);
        QCOMPARE(e.source, original.source);
        QCOMPARE(e.method, original.method);
        QCOMPARE(e.target, original.target);
        QCOMPARE(e.headers, original.headers);
        QCOMPARE(e.body, original.body);
        QCOMPARE(e.verdict, original.verdict);
        QCOMPARE(e.httpStatus, original.httpStatus);
        QCOMPARE(e.verification, original.verification);
        QCOMPARE(e.idempotencyKey, original.idempotencyKey);
        QCOMPARE(e.entityKey, original.entityKey);
        QCOMPARE(e.eventType, original.eventType);
        QCOMPARE(e.topic, original.topic);
        QCOMPARE(e.kafkaState, store::KafkaState::Produced);
        QCOMPARE(e.partition, original.partition);
        QCOMPARE(e.offset, original.offset);
        QCOMPARE(e.producedAtMs, original.producedAtMs);
    }
    auto processing = store::ProcessingQuery::open((*writer)->databasePath());
    QVERIFY(processing.ok());
    const qint64 newDeadId = imported->ids.value(deadId);
    auto attempts = (*processing)->attemptsFor(newDeadId);
    QVERIFY(attempts.ok());
    QCOMPARE(attempts->size(), 2);
    QCOMPARE(attempts->at(1).outcome, store::AttemptOutcome::Permanent);
    auto letter = (*processing)->deadLetterFor(newDeadId);
    QVERIFY(letter.ok() && letter->has_value());
    QCOMPARE((*letter)->value, QByteArray("dead"));
    QCOMPARE((*letter)->attempts, 2);
}

void TestCaptureReplay::loopbackPoolReusesConnections()
{
    QTemporaryDir dir;
    auto ingest = startPipeline(dir.path(), makeConfig());
    QVERIFY(ingest);
    http::HttpRequest request;
    request.method = "POST";
    request.target = "/webhooks/stripe";
    request.headers = {{"Content-Type", "application/json"}};
    request.body = R"({"id":"evt_pool"})"; // unsigned: 401, and the connection stays open

    // 40 requests, at most 4 at a time: 4 connections, each used ten times.
    replay::LoopbackPool pool(ingest->listenAddress(), 4);
    QList<int> statuses;
    for (int i = 0; i < 40; ++i) {
        pool.send(request, 10'000, [&statuses](const Result<replay::ReceiverAnswer> &answer) {
            statuses.append(answer ? answer->status : -1);
        });
    }
    QTRY_COMPARE_WITH_TIMEOUT(statuses.size(), 40, kDeadlineMs);
    QCOMPARE(statuses.count(401), 40);
    QCOMPARE(pool.connectionsOpened(), 4);

    // An answer with "Connection: close" is not reused: each request gets a new connection.
    replay::LoopbackPool closing(ingest->listenAddress(), 1);
    request.headers.append(qMakePair(QByteArray("Connection"), QByteArray("close")));
    statuses.clear();
    for (int i = 0; i < 3; ++i) {
        closing.send(request, 10'000, [&statuses](const Result<replay::ReceiverAnswer> &answer) {
            statuses.append(answer ? answer->status : -1);
        });
    }
    QTRY_COMPARE_WITH_TIMEOUT(statuses.size(), 3, kDeadlineMs);
    QCOMPARE(statuses.count(401), 3);
    QCOMPARE(closing.connectionsOpened(), 3);
}

QTEST_GUILESS_MAIN(TestCaptureReplay)
#include "test_capture_replay.moc"
