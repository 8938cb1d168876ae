// The capture subcommands of the hookbench binary: --help of each, usage errors (exit 2), and
// send / replay / export / import against real pipelines (exit 0 all as expected, 1 some failed).

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

const QString kData = QStringLiteral(HOOKBENCH_TEST_DATA_DIR);

QString binary()
{
    return QStringLiteral(HOOKBENCH_BINARY_DIR) % u"/app/hookbench"_s;
}

struct Run
{
    int code = -1;
    QByteArray out;
    QByteArray err;
};

Run hookbench(const QStringList &args, int timeoutMs = 120'000)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(u"DISPLAY"_s);
    env.remove(u"WAYLAND_DISPLAY"_s);
    process.setProcessEnvironment(env);
    process.start(binary(), args);
    Run run;
    if (!process.waitForFinished(timeoutMs))
        return run;
    run.code = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

QString writeConfig(const QString &dir)
{
    const QString path = QDir(dir).filePath(u"config.json"_s);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write(R"({"sources": [{"name": "stripe", "provider": "stripe", "secrets": ["whsec_cli_test"]},
                              {"name": "github", "provider": "github", "secrets": ["gh_cli_test"]}],
                  "kafka": {"mode": "embedded", "brokers": 1, "partitions": 2},
                  "consumers": {"count": 0}, "listen": "127.0.0.1:0"})");
    return path;
}

// The first log line of the running process with that event (the log read so far is kept on
// the process, so a later wait sees lines that arrived with an earlier one).
QJsonObject waitForEvent(QProcess &process, const QString &event)
{
    QDeadlineTimer deadline(30'000);
    while (!deadline.hasExpired() && process.state() != QProcess::NotRunning) {
        process.waitForReadyRead(500);
        const QByteArray buffer = process.property("log").toByteArray() + process.readAllStandardError();
        process.setProperty("log", buffer);
        for (const QByteArray &line : buffer.split('\n')) {
            const QJsonObject object = QJsonDocument::fromJson(line).object();
            if (object.value(u"event"_s).toString() == event)
                return object;
        }
    }
    return {};
}

// A headless Hookbench on a free port; returns its listen address from the "started" log line.
QString startHeadless(QProcess &process, const QString &config, const QString &dataDir, const QStringList &files = {})
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(u"DISPLAY"_s);
    process.setProcessEnvironment(env);
    process.start(binary(), QStringList{u"--headless"_s, u"--config"_s, config, u"--data-dir"_s, dataDir} + files);
    return waitForEvent(process, u"started"_s).value(u"listen"_s).toString();
}

} // namespace

class TestCaptureCli final : public QObject
{
    Q_OBJECT

private slots:
    void helpOfEachCommand_data();
    void helpOfEachCommand();
    void helpNamesTheCommandWhateverThePathTyped();
    void scenarioUsageErrorsExitTwo();
    void replayToAnUnreachableUrlSaysSoOnce();
    void usageErrors_data();
    void usageErrors();
    void replayHarWithAnEmbeddedPipeline();
    void readmeHarReplayResignedAllAsExpected();
    void sendExportImportAgainstARunningHookbench();
};

void TestCaptureCli::helpOfEachCommand_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("send") << u"send"_s << u"--secret"_s;
    QTest::newRow("replay") << u"replay"_s << u"--duplicates"_s;
    QTest::newRow("export") << u"export"_s << u"--format"_s;
    QTest::newRow("import") << u"import"_s << u"--data-dir"_s;
}

void TestCaptureCli::helpOfEachCommand()
{
    QFETCH(QString, command);
    QFETCH(QString, mentions);
    const Run run = hookbench({command, u"--help"_s});
    QCOMPARE(run.code, 0);
    QVERIFY(run.out.startsWith(QByteArray("Usage: hookbench " + command.toUtf8())));
    QVERIFY(run.out.contains(mentions.toUtf8()));
}

void TestCaptureCli::helpNamesTheCommandWhateverThePathTyped()
{
    // Started through a symlink (as from a relative path), argv[0] is not the executable's
    // path: the usage line still says what to type.
    QTemporaryDir dir;
    const QString link = dir.filePath(u"hb"_s);
    QVERIFY(QFile::link(binary(), link));
    for (const QString &command : {u"send"_s, u"replay"_s, u"export"_s, u"import"_s, u"scenario"_s}) {
        QProcess process;
        process.start(link, {command, u"--help"_s});
        QVERIFY(process.waitForFinished(20'000));
        QCOMPARE(process.exitCode(), 0);
        const QByteArray out = process.readAllStandardOutput();
        QVERIFY2(out.startsWith(QByteArray("Usage: hookbench " + command.toUtf8() + " [options]")),
                 out.left(200).constData());
        QVERIFY2(!out.contains(link.toUtf8()), out.left(200).constData());
    }
}

void TestCaptureCli::scenarioUsageErrorsExitTwo()
{
    // README: exit code 2 when the scenario could not run; an unknown option is one.
    const Run bogus = hookbench({u"scenario"_s, kData + u"/../../resources/scenarios/dedup-race.json"_s, u"--bogus"_s});
    QCOMPARE(bogus.code, 2);
    QVERIFY2(bogus.err.contains("hookbench scenario: Unknown option 'bogus'"), bogus.err.constData());
    const Run none = hookbench({u"scenario"_s});
    QCOMPARE(none.code, 2);
    QVERIFY2(none.err.contains("give one scenario FILE"), none.err.constData());
    QVERIFY2(!none.err.startsWith("{"), none.err.constData());
    // With --json the error is JSON, for scripts.
    const Run json = hookbench({u"scenario"_s, u"--json"_s});
    QCOMPARE(json.code, 2);
    QVERIFY2(json.err.startsWith("{\"error\""), json.err.constData());
}

void TestCaptureCli::replayToAnUnreachableUrlSaysSoOnce()
{
    QTemporaryDir dir;
    const QString config = writeConfig(dir.path());
    // Port 1 on loopback: nothing listens there.
    const Run run = hookbench({u"replay"_s, kData + u"/fixtures/stripe"_s, u"--source"_s, u"stripe"_s, u"--url"_s,
                               u"http://127.0.0.1:1"_s, u"--config"_s, config});
    QCOMPARE(run.code, 1);
    QVERIFY2(run.err.contains("--url http://127.0.0.1:1: no Hookbench answers there"), run.err.constData());
    QVERIFY2(!run.out.contains("failed: send"), run.out.constData());
}

void TestCaptureCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("send without source") << QStringList{u"send"_s, u"x.json"_s} << u"--source"_s;
    QTest::newRow("send without secret") << QStringList{u"send"_s, u"--source"_s, u"stripe"_s, u"x.json"_s}
                                         << u"--secret"_s;
    QTest::newRow("send unknown provider")
        << QStringList{u"send"_s, u"--source"_s, u"mine"_s, u"--secret"_s, u"s"_s, u"x.json"_s}
        << u"unknown provider"_s;
    QTest::newRow("replay unknown option") << QStringList{u"replay"_s, u"--bogus"_s, u"x.har"_s} << u"bogus"_s;
    QTest::newRow("replay without config") << QStringList{u"replay"_s, u"x.har"_s} << u"--config"_s;
    QTest::newRow("replay topic over url")
        << QStringList{u"replay"_s, u"--url"_s, u"http://127.0.0.1:1"_s, u"--mode"_s, u"topic"_s, u"x.har"_s}
        << u"topic"_s;
    QTest::newRow("replay bad rate")
        << QStringList{u"replay"_s,       u"--url"_s, u"http://127.0.0.1:1"_s,
                       u"--duplicates"_s, u"3"_s,     kData + u"/har/chromium-webhooks.har"_s}
        << u"--duplicates"_s;
    QTest::newRow("replay bad pace names the value")
        << QStringList{u"replay"_s, u"--url"_s, u"http://127.0.0.1:1"_s,
                       u"--pace"_s, u"fast"_s,  kData + u"/har/chromium-webhooks.har"_s}
        << u"--pace must be asap, as-captured or a rate > 0, got \"fast\""_s;
    QTest::newRow("export bad format names the value")
        << QStringList{u"export"_s, u"--data-dir"_s, u"/tmp"_s, u"-o"_s, u"-"_s, u"--format"_s, u"xml"_s}
        << u"got \"xml\""_s;
    QTest::newRow("export without data dir") << QStringList{u"export"_s, u"-o"_s, u"-"_s} << u"--data-dir"_s;
    QTest::newRow("export bad ids") << QStringList{u"export"_s, u"--data-dir"_s, u"/tmp"_s, u"-o"_s,
                                                   u"-"_s,      u"--ids"_s,      u"9-2"_s}
                                    << u"--ids"_s;
    QTest::newRow("export resign without config") << QStringList{u"export"_s, u"--data-dir"_s, u"/tmp"_s, u"-o"_s,
                                                                 u"-"_s,      u"--format"_s,   u"curl"_s, u"--resign"_s}
                                                  << u"--config"_s;
    QTest::newRow("import without file") << QStringList{u"import"_s, u"--data-dir"_s, u"/tmp/x"_s} << u"SESSION"_s;
}

void TestCaptureCli::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, mentions);
    const Run run = hookbench(args);
    QCOMPARE(run.code, 2);
    QVERIFY2(run.err.contains(mentions.toUtf8()), run.err.constData());
}

void TestCaptureCli::replayHarWithAnEmbeddedPipeline()
{
    QTemporaryDir dir;
    const QString config = writeConfig(dir.path());
    const QString har = kData + u"/har/chromium-webhooks.har"_s;
    // As captured, the signatures do not verify: some failed → 1.
    Run run = hookbench({u"replay"_s, har, u"--config"_s, config});
    QCOMPARE(run.code, 1);
    QVERIFY2(run.out.contains("401 rejected"), run.out.constData());

    // A fixture folder signed for stripe, shuffled, with duplicates injected: all as expected → 0.
    const QString dataDir = dir.filePath(u"data"_s);
    run = hookbench({u"replay"_s, kData + u"/fixtures"_s, u"--source"_s, u"stripe"_s, u"--config"_s, config,
                     u"--data-dir"_s, dataDir, u"--mint-keys"_s, u"--order"_s, u"shuffled"_s, u"--seed"_s, u"3"_s,
                     u"--duplicates"_s, u"0.5"_s, u"--json"_s});
    QCOMPARE(run.code, 0);
    const QJsonObject report = QJsonDocument::fromJson(run.out).object();
    QVERIFY2(report.value(u"as_expected"_s).toBool(), run.out.constData());
    QCOMPARE(report.value(u"statuses"_s).toObject().value(u"200 accepted"_s).toInt(), 10);
    QCOMPARE(report.value(u"dedup_catches"_s).toInt(), report.value(u"duplicates_injected"_s).toInt());
    QVERIFY(report.value(u"duplicates_injected"_s).toInt() > 0);
    QVERIFY(QFile::exists(dataDir + u"/hookbench.db"_s));
}

void TestCaptureCli::readmeHarReplayResignedAllAsExpected()
{
    // The README's first replay example, on the HAR of tests/data: re-signed, every POST
    // (Stripe JSON, a Twilio form with bodySHA256 in its URL, GitHub) verifies → exit 0.
    QTemporaryDir dir;
    const QString config = dir.filePath(u"config.json"_s);
    QFile file(config);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"sources": [{"name": "stripe", "provider": "stripe", "secrets": ["whsec_cli_test"]},
                              {"name": "twilio", "provider": "twilio", "secrets": ["tw_cli_test"]},
                              {"name": "github", "provider": "github", "secrets": ["gh_cli_test"]}],
                  "kafka": {"mode": "embedded", "brokers": 1, "partitions": 2},
                  "consumers": {"count": 0}, "listen": "127.0.0.1:0"})");
    file.close();
    const Run run =
        hookbench({u"replay"_s, kData + u"/har/chromium-webhooks.har"_s, u"--config"_s, config, u"--resign"_s,
                   u"--order"_s, u"shuffled"_s, u"--seed"_s, u"7"_s, u"--duplicates"_s, u"0.5"_s, u"--json"_s});
    QCOMPARE(run.code, 0);
    const QJsonObject report = QJsonDocument::fromJson(run.out).object();
    QVERIFY2(report.value(u"as_expected"_s).toBool(), run.out.constData());
    QCOMPARE(report.value(u"statuses"_s).toObject().value(u"200 accepted"_s).toInt(), 3);
}

void TestCaptureCli::sendExportImportAgainstARunningHookbench()
{
    QTemporaryDir dir;
    const QString config = writeConfig(dir.path());
    const QString dataDir = dir.filePath(u"data"_s);
    QProcess server;
    const QString listen = startHeadless(server, config, dataDir);
    QVERIFY2(!listen.isEmpty(), "the headless Hookbench did not start");
    const QString url = u"http://"_s % listen;
    const QString payload = kData + u"/fixtures/stripe/invoice.paid.json"_s;

    Run run = hookbench({u"send"_s, u"--source"_s, u"stripe"_s, u"--url"_s, url, u"--config"_s, config, payload});
    QCOMPARE(run.code, 0);
    QVERIFY2(run.out.startsWith("200 "), run.out.constData());
    // The same payload signed with another secret is refused: 1.
    run = hookbench({u"send"_s, u"--source"_s, u"stripe"_s, u"--url"_s, url, u"--secret"_s, u"whsec_other"_s, payload});
    QCOMPARE(run.code, 1);
    QVERIFY2(run.out.startsWith("401 "), run.out.constData());
    // From standard input, GitHub-shaped.
    QProcess piped;
    piped.setStandardInputFile(kData + u"/fixtures/github/ping.json"_s);
    piped.start(binary(),
                {u"send"_s, u"--source"_s, u"github"_s, u"--url"_s, url, u"--secret"_s, u"gh_cli_test"_s, u"-"_s});
    QVERIFY(piped.waitForFinished(60'000));
    QCOMPARE(piped.exitCode(), 0);

    // A replay against the running Hookbench (--url): a fixture folder, minted keys, all 200.
    run = hookbench({u"replay"_s, kData + u"/fixtures/stripe"_s, u"--url"_s, url, u"--source"_s, u"stripe"_s,
                     u"--config"_s, config, u"--mint-keys"_s, u"--json"_s});
    QCOMPARE(run.code, 0);
    QCOMPARE(QJsonDocument::fromJson(run.out).object().value(u"statuses"_s).toObject().value(u"200 accepted"_s).toInt(),
             10);

    // Export while it runs: a session with both sent entries, and curl commands.
    const QString session = dir.filePath(u"bug.hbsession"_s);
    run = hookbench({u"export"_s, u"--data-dir"_s, dataDir, u"--ids"_s, u"1,3"_s, u"-o"_s, session});
    QCOMPARE(run.code, 0);
    QFile file(session);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    QCOMPARE(bytes.count("\"type\":\"entry\""), 2);
    QVERIFY(!bytes.contains("whsec_cli_test"));
    run = hookbench(
        {u"export"_s, u"--data-dir"_s, dataDir, u"--format"_s, u"curl"_s, u"--ids"_s, u"1"_s, u"-o"_s, u"-"_s});
    QCOMPARE(run.code, 0);
    QVERIFY(run.out.startsWith("curl -X 'POST'"));
    QVERIFY(run.out.contains("Stripe-Signature"));
    // Signed again with the config's secret: a fresh timestamp in the Stripe-Signature.
    const Run resigned = hookbench({u"export"_s, u"--data-dir"_s, dataDir, u"--format"_s, u"curl"_s, u"--ids"_s, u"1"_s,
                                    u"--resign"_s, u"--config"_s, config, u"-o"_s, u"-"_s});
    QCOMPARE(resigned.code, 0);
    QVERIFY(resigned.out.contains("Stripe-Signature: t="));
    run = hookbench({u"export"_s, u"--data-dir"_s, dataDir, u"--ids"_s, u"999"_s, u"-o"_s, u"-"_s});
    QCOMPARE(run.code, 1);
    // Named without a suffix, the file gets the format's; the summary counts in words.
    run = hookbench({u"export"_s, u"--data-dir"_s, dataDir, u"--ids"_s, u"1"_s, u"-o"_s, dir.filePath(u"one"_s)});
    QCOMPARE(run.code, 0);
    QVERIFY(QFile::exists(dir.filePath(u"one.hbsession"_s)));
    QVERIFY(!QFile::exists(dir.filePath(u"one"_s)));
    QVERIFY2(run.err.contains("exported 1 journal entry ("), run.err);
    const QByteArray where = " as session to " + dir.filePath(u"one.hbsession"_s).toUtf8();
    QVERIFY2(run.err.contains(where), run.err);
    // A file that exists is written as named, suffix or not (a script's output, /dev/stdout).
    QFile existing(dir.filePath(u"again"_s));
    QVERIFY(existing.open(QIODevice::WriteOnly));
    existing.close();
    run = hookbench({u"export"_s, u"--data-dir"_s, dataDir, u"--ids"_s, u"1"_s, u"-o"_s, existing.fileName()});
    QCOMPARE(run.code, 0);
    QVERIFY(existing.size() > 0);
    QVERIFY(!QFile::exists(dir.filePath(u"again.hbsession"_s)));

    server.terminate();
    QVERIFY(server.waitForFinished(30'000));

    // Import on a fresh data dir.
    const QString fresh = dir.filePath(u"fresh"_s);
    run = hookbench({u"import"_s, session, u"--data-dir"_s, fresh});
    QCOMPARE(run.code, 0);
    QCOMPARE(QJsonDocument::fromJson(run.out).object().value(u"entries"_s).toInt(), 2);
    // And it exports the same entries again.
    run = hookbench({u"export"_s, u"--data-dir"_s, fresh, u"--format"_s, u"har"_s, u"-o"_s, u"-"_s});
    QCOMPARE(run.code, 0);
    QCOMPARE(QJsonDocument::fromJson(run.out).object().value(u"log"_s).toObject().value(u"entries"_s).toArray().size(),
             2);

    // `hookbench FILE.hbsession` (what the desktop entry runs), here without a window: the
    // session opens into the running instance's journal.
    const QString opened = dir.filePath(u"opened"_s);
    QProcess developer;
    QVERIFY(!startHeadless(developer, config, opened, {session}).isEmpty());
    const QJsonObject event = waitForEvent(developer, u"session_opened"_s);
    QCOMPARE(event.value(u"entries"_s).toInt(), 2);
    QCOMPARE(event.value(u"first_id"_s).toInteger(), 1);
    developer.terminate();
    QVERIFY(developer.waitForFinished(30'000));
    run = hookbench({u"export"_s, u"--data-dir"_s, opened, u"--format"_s, u"har"_s, u"-o"_s, u"-"_s});
    QCOMPARE(run.code, 0);
    QCOMPARE(QJsonDocument::fromJson(run.out).object().value(u"log"_s).toObject().value(u"entries"_s).toArray().size(),
             2);
}

QTEST_GUILESS_MAIN(TestCaptureCli)
#include "test_capture_cli.moc"
