// `hookbench scenario FILE`: the binary as CI would call it — exit code and JSON report.

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

QString binary()
{
    return QStringLiteral(HOOKBENCH_BINARY_DIR) % u"/app/hookbench"_s;
}

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run runScenario(const QString &file, const QStringList &extra = {u"--json"_s})
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(u"DISPLAY"_s);
    process.setProcessEnvironment(env);
    process.start(binary(), QStringList{u"scenario"_s, file} + extra);
    Run run;
    if (!process.waitForFinished(300'000))
        return run;
    run.exitCode = process.exitCode();
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &json)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (f.open(QIODevice::WriteOnly))
        f.write(json);
    return path;
}

} // namespace

class TestScenarioCli final : public QObject
{
    Q_OBJECT

private slots:
    void dedupRaceReportsOneWinner();
    void orderScenarioAsExpected();
    void unmetExpectationExitsOne();
    void invalidFileExitsTwo();
    void humanSummaryWithoutJson();
    void demoSummaryWithoutJson();

private:
    QTemporaryDir m_dir;
};

void TestScenarioCli::dedupRaceReportsOneWinner()
{
    const QString file =
        writeFile(m_dir, u"race.json"_s, R"({"kind": "dedup_race", "providers": ["github"], "deliveries": 6})");
    const Run run = runScenario(file);
    QCOMPARE(run.exitCode, 0);
    const QJsonObject report = QJsonDocument::fromJson(run.out).object();
    QVERIFY2(report.value(u"ok"_s).toBool(), run.out.constData());
    QCOMPARE(report.value(u"kind"_s).toString(), u"dedup_race"_s);
    QCOMPARE(report.value(u"source"_s).toString(), u"github"_s);
    QCOMPARE(report.value(u"winners"_s).toInt(), 1);
    QCOMPARE(report.value(u"duplicate_answers"_s).toInt(), 5);
    QCOMPARE(report.value(u"deliveries"_s).toArray().size(), 6);
}

void TestScenarioCli::orderScenarioAsExpected()
{
    // Slack and the none provider (entity pointer set by the subcommand), duplicates, blocking.
    const QString file = writeFile(m_dir, u"order.json"_s, R"({
        "providers": ["slack", "none"], "events": 40, "entities": 4, "duplicate_rate": 0.2, "seed": 3,
        "retry": {"strategy": "blocking", "base_ms": 10, "cap_ms": 50, "max_attempts": 30},
        "simulate": {"failure_rate": 0.3}, "expect_order": "preserved"})");
    const Run run = runScenario(file);
    QCOMPARE(run.exitCode, 0);
    const QJsonObject report = QJsonDocument::fromJson(run.out).object();
    QVERIFY2(report.value(u"ok"_s).toBool(), run.out.constData());
    QCOMPARE(report.value(u"planned"_s).toInt(), 40);
    QCOMPARE(report.value(u"duplicates_caught"_s).toInt(), report.value(u"duplicates_injected"_s).toInt());
    QCOMPARE(report.value(u"order"_s).toObject().value(u"violated"_s).toInt(), 0);
    QCOMPARE(report.value(u"order"_s).toObject().value(u"entities"_s).toInt(), 4);
    QCOMPARE(report.value(u"outcomes"_s).toObject().value(u"done"_s).toInt(), 40);
}

void TestScenarioCli::unmetExpectationExitsOne()
{
    // Blocking retries keep the order, so expecting it to break is not met.
    const QString file = writeFile(m_dir, u"unmet.json"_s, R"({
        "providers": ["stripe"], "events": 20, "entities": 2,
        "retry": {"strategy": "blocking", "base_ms": 10, "cap_ms": 50, "max_attempts": 30},
        "simulate": {"failure_rate": 0.3}, "expect_order": "violated"})");
    const Run run = runScenario(file);
    QCOMPARE(run.exitCode, 1);
    const QJsonObject report = QJsonDocument::fromJson(run.out).object();
    QVERIFY(!report.value(u"ok"_s).toBool());
    QCOMPARE(report.value(u"order"_s).toObject().value(u"violated"_s).toInt(), 0);
    QVERIFY(report.value(u"problems"_s).toArray().first().toString().contains(u"expected to break"_s));
}

void TestScenarioCli::invalidFileExitsTwo()
{
    const QString file = writeFile(m_dir, u"bad.json"_s, R"({"events": -3})");
    const Run run = runScenario(file);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains("scenario.events"), run.err.constData());
    const Run missing = runScenario(m_dir.filePath(u"missing.json"_s));
    QCOMPARE(missing.exitCode, 2);
}

void TestScenarioCli::humanSummaryWithoutJson()
{
    const QString file = writeFile(m_dir, u"small.json"_s, R"({"providers": ["shopify"], "events": 5, "entities": 1})");
    const Run run = runScenario(file, {});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains("per-entity order: 1 of 1 entities preserved"), run.out.constData());
    QVERIFY(run.out.contains("result: as expected"));
}

void TestScenarioCli::demoSummaryWithoutJson()
{
    // Without --json a demo prints a few lines a person reads, not the JSON report.
    const QString file = writeFile(m_dir, u"race.json"_s, R"({"kind": "dedup_race", "deliveries": 4})");
    const Run run = runScenario(file, {});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(!run.out.startsWith("{"), run.out.constData());
    QVERIFY2(run.out.contains("4 concurrent deliveries"), run.out.constData());
    QVERIFY2(run.out.contains("winners: 1 (delivery"), run.out.constData());
    QVERIFY2(run.out.contains("answered duplicate: 3"), run.out.constData());
    QVERIFY(run.out.contains("result: as expected"));
}

QTEST_GUILESS_MAIN(TestScenarioCli)
#include "test_scenario_cli.moc"
