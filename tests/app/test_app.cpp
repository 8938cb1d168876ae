// Tests of the hookbench binary itself: command line, start-up errors, one webhook end to end in
// --headless mode, and a clean exit on SIGTERM.

#include <algorithm>
#include <csignal>

#include <sys/stat.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include "core/util/build_info.h"

using namespace Qt::StringLiterals;

namespace {

QString binary()
{
    return QStringLiteral(HOOKBENCH_BINARY_DIR) % u"/app/hookbench"_s;
}

void writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(content);
}

QProcessEnvironment headlessEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(u"DISPLAY"_s);
    env.remove(u"WAYLAND_DISPLAY"_s);
    return env;
}

// Reads JSON log lines from stderr until one has "event" == event (deadline-bounded).
QJsonObject waitForEvent(QProcess &process, const QString &event, QByteArray &log, int timeoutMs = 20000)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        while (process.canReadLine() || process.bytesAvailable() > 0) {
            const QByteArray line = process.readLine();
            if (line.isEmpty())
                break;
            log += line;
            const QJsonObject object = QJsonDocument::fromJson(line).object();
            if (object.value(u"event"_s).toString() == event)
                return object;
        }
        if (process.state() == QProcess::NotRunning)
            break;
        process.waitForReadyRead(static_cast<int>(std::min<qint64>(500, deadline.remainingTime())));
    }
    return {};
}

} // namespace

class TestApp final : public QObject
{
    Q_OBJECT

private slots:
    void help();
    void version();
    void configErrorNamesFileAndField();
    void corruptDatabaseIsAClearStartupError();
    void failedStartLeavesNoPartialState();
    void headlessEndToEndAndCleanExit();
    void dataDirIsTheOwnersOnly();
};

void TestApp::help()
{
    QProcess process;
    process.start(binary(), {u"--help"_s});
    QVERIFY(process.waitForFinished(20000));
    QCOMPARE(process.exitCode(), 0);
    const QByteArray out = process.readAllStandardOutput();
    for (const char *option : {"--headless", "--listen", "--data-dir", "--config", "--version"})
        QVERIFY2(out.contains(option), option);
    // The subcommands are found from the main help, not only from the README.
    for (const char *command : {"send", "replay", "export", "import", "scenario"})
        QVERIFY2(out.contains(command), command);
}

void TestApp::version()
{
    QProcess process;
    process.start(binary(), {u"--version"_s});
    QVERIFY(process.waitForFinished(20000));
    QCOMPARE(process.exitCode(), 0);
    const QString out = QString::fromUtf8(process.readAllStandardOutput()).trimmed();
    QCOMPARE(out, QString(u"hookbench "_s % hookbench::BuildInfo::versionString()));
    QVERIFY(out.startsWith(u"hookbench " HOOKBENCH_VERSION));

    // Built from a git checkout: the commit is the one git names now.
    QProcess git;
    git.setWorkingDirectory(QStringLiteral(HOOKBENCH_TEST_DATA_DIR));
    git.start(u"git"_s, {u"rev-parse"_s, u"--short=10"_s, u"HEAD"_s});
    if (!git.waitForFinished(20000) || git.exitCode() != 0)
        QSKIP("not a git checkout: --version names no commit");
    const QString commit = QString::fromUtf8(git.readAllStandardOutput()).trimmed();
    QVERIFY2(out.contains(u"(commit "_s % commit), qPrintable(out));
}

void TestApp::configErrorNamesFileAndField()
{
    QTemporaryDir dir;
    const QString config = dir.filePath(u"bad.json"_s);
    writeFile(config, R"({"sources":[{"name":"s","provider":"strype","secrets":["x"]}]})");
    QProcess process;
    process.setProcessEnvironment(headlessEnvironment());
    process.start(binary(), {u"--headless"_s, u"--data-dir"_s, dir.filePath(u"data"_s), u"--config"_s, config,
                             u"--listen"_s, u"127.0.0.1:0"_s});
    QVERIFY(process.waitForFinished(20000));
    QVERIFY(process.exitCode() != 0);
    const QByteArray err = process.readAllStandardError();
    QVERIFY2(err.contains(config.toUtf8()), err.constData());
    QVERIFY2(err.contains("sources[0].provider"), err.constData());
    QVERIFY2(err.contains("strype"), err.constData());
    // No partial state: the data directory was not populated.
    QVERIFY(!QFile::exists(dir.filePath(u"data/hookbench.db"_s)));
}

void TestApp::corruptDatabaseIsAClearStartupError()
{
    QTemporaryDir dir;
    QDir().mkpath(dir.filePath(u"data"_s));
    const QString db = dir.filePath(u"data/hookbench.db"_s);
    writeFile(db, QByteArray(8192, '\x5a'));
    const QString config = dir.filePath(u"config.json"_s);
    writeFile(config, R"({"sources":[{"name":"test","provider":"none"}]})");
    QProcess process;
    process.setProcessEnvironment(headlessEnvironment());
    process.start(binary(), {u"--headless"_s, u"--data-dir"_s, dir.filePath(u"data"_s), u"--config"_s, config,
                             u"--listen"_s, u"127.0.0.1:0"_s});
    QVERIFY(process.waitForFinished(20000));
    QVERIFY(process.exitCode() != 0);
    const QByteArray err = process.readAllStandardError();
    QVERIFY2(err.contains("startup_failed"), err.constData());
    QVERIFY2(err.contains(db.toUtf8()), err.constData());
    // The file is left as it was for the user to inspect.
    QFile file(db);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), QByteArray(8192, '\x5a'));
}

void TestApp::failedStartLeavesNoPartialState()
{
    QTemporaryDir dir;
    // A journal that is not a database, no config: the example config written at this start
    // must not stay behind.
    const QString data = dir.filePath(u"data"_s);
    QDir().mkpath(data);
    writeFile(QDir(data).filePath(u"hookbench.db"_s), QByteArray(8192, '\x5a'));
    QProcess process;
    process.setProcessEnvironment(headlessEnvironment());
    process.start(binary(), {u"--headless"_s, u"--data-dir"_s, data, u"--listen"_s, u"127.0.0.1:0"_s});
    QVERIFY(process.waitForFinished(20000));
    QVERIFY(process.exitCode() != 0);
    QVERIFY2(process.readAllStandardError().contains("startup_failed"), "no startup_failed line");
    QCOMPARE(QDir(data).entryList(QDir::Files), QStringList{u"hookbench.db"_s});

    // A bad --listen with a data directory that did not exist: none is made.
    const QString fresh = dir.filePath(u"fresh"_s);
    process.start(binary(), {u"--headless"_s, u"--data-dir"_s, fresh, u"--listen"_s, u"nonsense"_s});
    QVERIFY(process.waitForFinished(20000));
    QVERIFY(process.exitCode() != 0);
    QVERIFY2(process.readAllStandardError().contains("is not ADDRESS:PORT"), "no listen error");
    QVERIFY(!QFileInfo::exists(fresh));
}

void TestApp::headlessEndToEndAndCleanExit()
{
    QTemporaryDir dir;
    const QString config = dir.filePath(u"config.json"_s);
    writeFile(config, R"({"sources":[{"name":"test","provider":"none"}]})");
    QProcess process;
    process.setProcessEnvironment(headlessEnvironment());
    process.setReadChannel(QProcess::StandardError);
    process.start(binary(), {u"--headless"_s, u"--data-dir"_s, dir.filePath(u"data"_s), u"--config"_s, config,
                             u"--listen"_s, u"127.0.0.1:0"_s});
    QByteArray log;
    const QJsonObject started = waitForEvent(process, u"started"_s, log);
    QVERIFY2(!started.isEmpty(), log.constData());
    const QString listen = started.value(u"listen"_s).toString();
    const quint16 port = static_cast<quint16>(listen.section(u':', -1).toUInt());
    QVERIFY(port > 0);
    QCOMPARE(started.value(u"kafka"_s).toObject().value(u"mode"_s).toString(), u"embedded"_s);

    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    QVERIFY(socket.waitForConnected(5000));
    const QByteArray body = R"({"type":"demo.created","id":"d1"})";
    socket.write("POST /webhooks/test HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                 + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    QByteArray answer;
    QDeadlineTimer deadline(10000);
    while (!answer.contains("}\n") && !deadline.hasExpired()
           && socket.waitForReadyRead(int(std::max<qint64>(1, deadline.remainingTime()))))
        answer += socket.readAll();
    QVERIFY2(answer.startsWith("HTTP/1.1 200"), answer.constData());
    QVERIFY(answer.contains("\"status\":\"accepted\""));
    QVERIFY(answer.contains("\"topic\":\"webhooks.test\""));

    ::kill(static_cast<pid_t>(process.processId()), SIGTERM);
    const QJsonObject stopped = waitForEvent(process, u"stopped"_s, log);
    QVERIFY2(!stopped.isEmpty(), log.constData());
    QVERIFY(process.waitForFinished(20000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);
}

void TestApp::dataDirIsTheOwnersOnly()
{
    // Journal, config and admin token hold bodies and secrets: created 0700/0600 from the start,
    // whatever the umask (0 here, so any file created with a default mode would be 0666).
    QTemporaryDir dir;
    const QString data = dir.filePath(u"new/data"_s);
    QProcess process;
    process.setProcessEnvironment(headlessEnvironment());
    process.setReadChannel(QProcess::StandardError);
    const mode_t previous = ::umask(0);
    process.start(binary(), {u"--headless"_s, u"--data-dir"_s, data, u"--listen"_s, u"127.0.0.1:0"_s});
    ::umask(previous);
    QByteArray log;
    const QJsonObject started = waitForEvent(process, u"started"_s, log);
    QVERIFY2(!started.isEmpty(), log.constData());

    const auto modeOf = [](const QString &path) {
        struct stat st
        {};
        return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? int(st.st_mode & 0777) : -1;
    };
    QCOMPARE(modeOf(data), 0700);
    for (const char *name : {"config.json", "admin-token", "hookbench.db", "hookbench.db-wal", "hookbench.db-shm"}) {
        const QString path = QDir(data).filePath(QString::fromLatin1(name));
        QVERIFY2(QFile::exists(path), name);
        QCOMPARE(modeOf(path), 0600);
    }

    ::kill(static_cast<pid_t>(process.processId()), SIGTERM);
    const QJsonObject stopped = waitForEvent(process, u"stopped"_s, log);
    QVERIFY2(!stopped.isEmpty(), log.constData());
    QVERIFY(process.waitForFinished(20000));
    QCOMPARE(process.exitCode(), 0);
}

QTEST_GUILESS_MAIN(TestApp)
#include "test_app.moc"
