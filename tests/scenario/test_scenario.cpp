// ScenarioRunner against a real pipeline: the report's counts and order verdicts must match
// what was sent and what the pipeline's strategy does with it.

#include <memory>

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "core/config/config_loader.h"
#include "core/pipeline/ingest_pipeline.h"
#include "core/processing/event_processor.h"
#include "core/scenario/provider_schedule.h"
#include "core/scenario/scenario_runner.h"

using namespace Qt::StringLiterals;
using namespace hookbench;
using scenario::Scenario;
using scenario::ScenarioReport;

namespace {

constexpr int kRunTimeoutMs = 180'000;

config::Config testConfig()
{
    // Blocking retries with short delays; the simulate handler fails a third of the attempts
    // transiently, so retries happen on every entity.
    const QByteArray json = R"({
        "sources": [
            {"name": "stripe", "provider": "stripe", "secrets": ["whsec_scenario_test"],
             "simulate": {"failure_rate": 0.3, "failure": "transient"}},
            {"name": "sw", "provider": "standard-webhooks", "secrets": ["whsec_c2NlbmFyaW8tdGVzdC1zZWNyZXQtMTIzNA=="]}
        ],
        "kafka": {"mode": "embedded", "brokers": 1, "partitions": 3, "produce_wait_ms": 5000},
        "consumers": {"count": 2},
        "retry": {"strategy": "blocking", "base_ms": 10, "cap_ms": 100, "max_attempts": 30},
        "listen": "127.0.0.1:0"
    })";
    auto config = config::ConfigLoader::parse(json, u"<test>"_s);
    if (!config)
        qWarning("%s", qPrintable(config.error().message));
    return config ? *config : config::Config{};
}

Scenario orderScenario(processing::RetrySettings::Strategy strategy)
{
    Scenario s;
    s.name = u"order"_s;
    s.providers = {u"stripe"_s};
    s.events = 120;
    s.entities = 6;
    s.duplicateRate = 0.1;
    s.concurrency = 8;
    s.seed = 11;
    processing::RetrySettings retry;
    retry.strategy = strategy;
    retry.baseMs = 10;
    retry.capMs = 100;
    retry.maxAttempts = 30;
    s.retry = retry;
    s.settleTimeoutS = 120;
    return s;
}

} // namespace

class TestScenario final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void fileRoundTrip();
    void invalidFile_data();
    void invalidFile();
    void blockingKeepsOrderAndCatchesDuplicates();
    void shuffledArrivalsStayInLogOrder();
    void retryTopicsBreakOrder();
    void dedupRace();
    void providerRetrySchedule();
    void cancelCutsTheWaitShort();

private:
    ScenarioReport runScenario(const Scenario &s);
    QJsonObject runDemo(const Scenario &s);

    QTemporaryDir m_dir;
    std::unique_ptr<pipeline::IngestPipeline> m_pipeline;
    std::unique_ptr<scenario::ScenarioRunner> m_runner;
};

void TestScenario::initTestCase()
{
    QVERIFY(m_dir.isValid());
    pipeline::PipelineOptions options;
    options.config = testConfig();
    options.dataDir = m_dir.path();
    auto started = pipeline::IngestPipeline::start(options);
    QVERIFY2(started, started ? "" : qPrintable(started.error().message));
    m_pipeline = std::move(*started);
    scenario::ScenarioTarget target;
    target.listenAddress = m_pipeline->listenAddress();
    target.config = m_pipeline->config();
    target.databasePath = m_pipeline->databasePath();
    target.processor = m_pipeline->processor();
    m_runner = std::make_unique<scenario::ScenarioRunner>(target);
}

void TestScenario::cleanupTestCase()
{
    m_runner.reset();
    if (m_pipeline)
        m_pipeline->stop(5000);
}

ScenarioReport TestScenario::runScenario(const Scenario &s)
{
    QSignalSpy finished(m_runner.get(), &scenario::ScenarioRunner::finished);
    m_runner->start(s);
    if (finished.isEmpty() && !finished.wait(kRunTimeoutMs))
        return {};
    return finished.first().first().value<ScenarioReport>();
}

QJsonObject TestScenario::runDemo(const Scenario &s)
{
    QSignalSpy finished(m_runner.get(), &scenario::ScenarioRunner::demoFinished);
    m_runner->start(s);
    if (finished.isEmpty() && !finished.wait(kRunTimeoutMs))
        return {};
    return finished.first().first().toJsonObject();
}

void TestScenario::fileRoundTrip()
{
    Scenario s = orderScenario(processing::RetrySettings::Strategy::Topics);
    s.outOfOrderRate = 0.25;
    s.expectOrder = Scenario::ExpectOrder::Violated;
    processing::SimulateSettings sim;
    sim.failureRate = 0.5;
    sim.failingKeys = {u"cus_1"_s};
    s.simulate = sim;
    const QString file = m_dir.filePath(u"round-trip.json"_s);
    QVERIFY(s.save(file));
    auto loaded = Scenario::load(file);
    QVERIFY2(loaded, loaded ? "" : qPrintable(loaded.error().message));
    QCOMPARE(loaded->toJson(), s.toJson());
    QCOMPARE(loaded->retry->strategy, processing::RetrySettings::Strategy::Topics);
    QCOMPARE(loaded->simulate->failingKeys, QStringList{u"cus_1"_s});
    QCOMPARE(loaded->expectOrder, Scenario::ExpectOrder::Violated);
}

void TestScenario::invalidFile_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("field");
    QTest::newRow("rate out of range") << QByteArray(R"({"duplicate_rate": 1.5})") << u"scenario.duplicate_rate"_s;
    QTest::newRow("unknown kind") << QByteArray(R"({"kind": "chaos"})") << u"scenario.kind"_s;
    QTest::newRow("unknown field") << QByteArray(R"({"evnets": 3})") << u"scenario.evnets"_s;
    QTest::newRow("no events") << QByteArray(R"({"events": 0})") << u"scenario.events"_s;
    QTest::newRow("bad retry") << QByteArray(R"({"retry": {"strategy": "sideways"}})") << u"scenario.retry.strategy"_s;
    QTest::newRow("no providers") << QByteArray(R"({"providers": []})") << u"scenario.providers"_s;
}

void TestScenario::invalidFile()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, field);
    const QString file = m_dir.filePath(u"invalid.json"_s);
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(json);
    f.close();
    auto loaded = Scenario::load(file);
    QVERIFY(!loaded);
    QCOMPARE(loaded.error().code, u"config_invalid"_s);
    QVERIFY2(loaded.error().message.contains(field), qPrintable(loaded.error().message));
}

void TestScenario::blockingKeepsOrderAndCatchesDuplicates()
{
    const ScenarioReport r = runScenario(orderScenario(processing::RetrySettings::Strategy::Blocking));
    QVERIFY2(r.problems.isEmpty(), qPrintable(r.problems.join(u"; "_s)));
    QCOMPARE(r.strategy, u"blocking"_s);
    QCOMPARE(r.planned, 120);
    QVERIFY(r.duplicatesInjected > 0);
    QCOMPARE(r.sent, r.planned + r.duplicatesInjected);
    QCOMPARE(r.accepted + r.queued, r.planned);
    QCOMPARE(r.duplicateAnswers, r.duplicatesInjected);
    QCOMPARE(r.duplicatesCaught, r.duplicatesInjected);
    QVERIFY(r.settled);
    QCOMPARE(r.done, r.planned);
    QCOMPARE(r.deadLettered, 0);
    // Transient failures really happened, so the order held through retries.
    QVERIFY2(r.attempts > r.planned, qPrintable(QString::number(r.attempts)));
    QCOMPARE(r.entitiesChecked, 6);
    QCOMPARE(r.entitiesInOrder, 6);
    QCOMPARE(r.entitiesViolated, 0);
    QVERIFY(r.violations.isEmpty());
    QVERIFY(r.ok);
}

void TestScenario::shuffledArrivalsStayInLogOrder()
{
    Scenario s = orderScenario(processing::RetrySettings::Strategy::Blocking);
    s.events = 60;
    s.duplicateRate = 0;
    s.outOfOrderRate = 0.5;
    s.outOfOrderWindow = 4;
    s.concurrency = 1; // arrival order = send order
    s.expectOrder = Scenario::ExpectOrder::Preserved;
    const ScenarioReport r = runScenario(s);
    QVERIFY2(r.ok, qPrintable(r.problems.join(u"; "_s)));
    QVERIFY(r.reordered > 0);
    // The sender's shuffle shows in the journal, and processing follows the log as received.
    QVERIFY2(r.arrivedOutOfOrder > 0, qPrintable(QString::number(r.arrivedOutOfOrder)));
    QCOMPARE(r.entitiesViolated, 0);
    QCOMPARE(r.duplicatesCaught, 0);
}

void TestScenario::retryTopicsBreakOrder()
{
    // The pipeline was started with blocking retries: the scenario switches its source live.
    Scenario s = orderScenario(processing::RetrySettings::Strategy::Topics);
    s.expectOrder = Scenario::ExpectOrder::Violated;
    const ScenarioReport r = runScenario(s);
    QVERIFY2(r.problems.isEmpty(), qPrintable(r.problems.join(u"; "_s)));
    QCOMPARE(r.strategy, u"topics"_s);
    QCOMPARE(r.duplicatesCaught, r.duplicatesInjected);
    QVERIFY(r.settled);
    QCOMPARE(r.done, r.planned);
    QVERIFY(r.entitiesViolated > 0);
    QCOMPARE(r.entitiesViolated + r.entitiesInOrder, r.entitiesChecked);
    QCOMPARE(r.violations.size(), r.entitiesViolated);
    for (const scenario::OrderViolation &v : r.violations) {
        QCOMPARE(v.source, u"stripe"_s);
        QVERIFY(v.entity.startsWith(u"ent-"_s % r.runId));
        QVERIFY(v.expectedSeq != v.gotSeq);
        // What overtook the expected event came later in the log.
        QVERIFY(v.gotSeq > v.expectedSeq);
    }
    QVERIFY(r.ok);
    auto live = m_pipeline->processor()->sourceSettings(u"stripe"_s);
    QVERIFY(live);
    QCOMPARE(live->first.strategy, processing::RetrySettings::Strategy::Topics);
    // Put it back for the other tests.
    processing::RetrySettings blocking = live->first;
    blocking.strategy = processing::RetrySettings::Strategy::Blocking;
    QVERIFY(m_pipeline->processor()->setRetrySettings(u"stripe"_s, blocking));
}

void TestScenario::dedupRace()
{
    Scenario s;
    s.kind = Scenario::Kind::DedupRace;
    s.providers = {u"stripe"_s};
    s.deliveries = 12;
    const QJsonObject r = runDemo(s);
    QVERIFY2(r.value(u"ok"_s).toBool(), QJsonDocument(r).toJson().constData());
    QCOMPARE(r.value(u"winners"_s).toInt(), 1);
    QCOMPARE(r.value(u"duplicate_answers"_s).toInt(), 11);
    QCOMPARE(r.value(u"duplicates_in_journal"_s).toInteger(), 11);
    const qint64 winner = r.value(u"winner_journal_id"_s).toInteger();
    QVERIFY(winner > 0);
    const QJsonArray deliveries = r.value(u"deliveries"_s).toArray();
    QCOMPARE(deliveries.size(), 12);
    for (const QJsonValue &v : deliveries) {
        const QJsonObject d = v.toObject();
        if (d.value(u"status"_s).toString() == u"duplicate"_s)
            QCOMPARE(d.value(u"duplicate_of"_s).toInteger(), winner);
        else
            QCOMPARE(d.value(u"journal_id"_s).toInteger(), winner);
    }
}

void TestScenario::providerRetrySchedule()
{
    QCOMPARE(scenario::ProviderSchedule::offsetsS(u"standard-webhooks"_s),
             (QList<qint64>{0, 5, 305, 2105, 9305, 27305, 63305, 99305}));
    Scenario s;
    s.kind = Scenario::Kind::ProviderRetry;
    s.providers = {u"standard-webhooks"_s};
    s.schedule = u"standard-webhooks"_s;
    s.compression = 200'000; // 27.6 h in half a second
    s.lateArrivalS = 4 * 86'400.0;
    const QJsonObject r = runDemo(s);
    QVERIFY2(r.value(u"ok"_s).toBool(), QJsonDocument(r).toJson().constData());
    QCOMPARE(r.value(u"source"_s).toString(), u"sw"_s);
    const QJsonArray attempts = r.value(u"attempts"_s).toArray();
    QCOMPARE(attempts.size(), 9);
    QCOMPARE(attempts.first().toObject().value(u"status"_s).toString(), u"accepted"_s);
    for (qsizetype i = 1; i < attempts.size(); ++i)
        QCOMPARE(attempts.at(i).toObject().value(u"status"_s).toString(), u"duplicate"_s);
    // Four days is past the 72 h dedup TTL: in real time it would be accepted again.
    QVERIFY(attempts.last().toObject().value(u"beyond_dedup_ttl"_s).toBool());
    QVERIFY(!attempts.at(7).toObject().value(u"beyond_dedup_ttl"_s).toBool());
    QCOMPARE(r.value(u"duplicates_in_journal"_s).toInteger(), 8);
}

void TestScenario::cancelCutsTheWaitShort()
{
    Scenario s;
    s.kind = Scenario::Kind::ProviderRetry;
    s.providers = {u"standard-webhooks"_s};
    s.schedule = u"standard-webhooks"_s;
    s.compression = 2; // attempt 2 is due 2.5 s in, attempt 3 only after 152 s
    QSignalSpy progress(m_runner.get(), &scenario::ScenarioRunner::progress);
    QSignalSpy finished(m_runner.get(), &scenario::ScenarioRunner::demoFinished);
    m_runner->start(s);
    QTRY_COMPARE_WITH_TIMEOUT(progress.size(), 2, 30'000);
    m_runner->cancel();
    // Without the cut the demo would wait for attempt 3, far past this deadline.
    QVERIFY(finished.wait(60'000));
    const QJsonObject r = finished.first().first().toJsonObject();
    QCOMPARE(r.value(u"error"_s).toString(), u"cancelled"_s);
    QCOMPARE(progress.size(), 2); // nothing was sent after the cancel
    QVERIFY(!m_runner->isBusy());
}

QTEST_GUILESS_MAIN(TestScenario)
#include "test_scenario.moc"
