// hookbench: command line → headless pipeline or GUI. Wiring only; the logic lives in core/.

#include <csignal>
#include <cstdio>
#include <memory>

#include <fcntl.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <unistd.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSocketNotifier>
#include <QStandardPaths>

#include "app/capture_commands.h"
#include "app/scenario_command.h"
#include "core/capture/session_file.h"
#include "core/capture/session_importer.h"
#include "core/config/config_loader.h"
#include "core/pipeline/ingest_pipeline.h"
#include "core/store/journal_writer.h"
#include "core/util/build_info.h"
#include "core/util/private_path.h"

#ifdef HOOKBENCH_WITH_GUI
#include <QApplication>
#include <QIcon>

#include "ui/main_window.h"
#endif

using namespace Qt::StringLiterals;
using namespace hookbench;

namespace {

int g_signalPipe[2] = {-1, -1};

void onTerminationSignal(int)
{
    const char byte = 1;
    // write() is async-signal-safe; the event loop picks the byte up through a QSocketNotifier.
    [[maybe_unused]] const auto written = ::write(g_signalPipe[1], &byte, 1);
}

// JSON lines on stderr: {"ts":…,"level":…, then the fields of a JSON message or "msg"}.
void jsonMessageHandler(QtMsgType type, const QMessageLogContext &, const QString &message)
{
    const char *level = "info";
    switch (type) {
    case QtDebugMsg: level = "debug"; break;
    case QtInfoMsg: level = "info"; break;
    case QtWarningMsg: level = "warning"; break;
    case QtCriticalMsg: level = "error"; break;
    case QtFatalMsg: level = "fatal"; break;
    }
    QJsonObject line{{u"ts"_s, QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
                     {u"level"_s, QString::fromLatin1(level)}};
    const QJsonDocument fields = message.startsWith(u'{') ? QJsonDocument::fromJson(message.toUtf8()) : QJsonDocument();
    if (fields.isObject()) {
        const QJsonObject object = fields.object();
        for (auto it = object.begin(); it != object.end(); ++it)
            line.insert(it.key(), it.value());
    } else {
        line.insert(u"msg"_s, message);
    }
    const QByteArray out = QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n';
    std::fwrite(out.constData(), 1, static_cast<size_t>(out.size()), stderr);
    std::fflush(stderr);
}

void logEvent(const QJsonObject &fields);

// Without a window a session still opens into the journal (the HTTP API and `hookbench export`
// read it); a collection needs the window or `hookbench replay`.
void openHeadless(const QString &file, pipeline::IngestPipeline &ingest)
{
    if (!file.endsWith(u".hbsession"_s, Qt::CaseInsensitive)) {
        logEvent({{u"event"_s, u"file_not_opened"_s},
                  {u"path"_s, file},
                  {u"detail"_s, u"without a window only sessions open; replay collections with hookbench replay"_s}});
        return;
    }
    auto rows = capture::SessionFile::read(file);
    auto imported = rows ? capture::SessionImporter::importInto(ingest.journalWriter(), *rows)
                         : Result<capture::SessionImportResult>(rows.error());
    if (!imported) {
        logEvent({{u"event"_s, u"file_not_opened"_s}, {u"path"_s, file}, {u"detail"_s, imported.error().message}});
        return;
    }
    QList<qint64> ids = imported->ids.values();
    std::sort(ids.begin(), ids.end());
    logEvent({{u"event"_s, u"session_opened"_s},
              {u"path"_s, file},
              {u"entries"_s, imported->entries},
              {u"attempts"_s, imported->attempts},
              {u"dead_letters"_s, imported->deadLetters},
              {u"first_id"_s, ids.isEmpty() ? 0 : ids.first()},
              {u"last_id"_s, ids.isEmpty() ? 0 : ids.last()}});
}

void logEvent(const QJsonObject &fields)
{
    qInfo().noquote() << QString::fromUtf8(QJsonDocument(fields).toJson(QJsonDocument::Compact));
}

int fail(const QString &code, const QString &message)
{
    qCritical().noquote() << QString::fromUtf8(
        QJsonDocument(QJsonObject{{u"event"_s, u"startup_failed"_s}, {u"code"_s, code}, {u"error"_s, message}})
            .toJson(QJsonDocument::Compact));
    return 1;
}

bool displayAvailable()
{
    return qEnvironmentVariableIsSet("DISPLAY") || qEnvironmentVariableIsSet("WAYLAND_DISPLAY")
           || qEnvironmentVariableIsSet("QT_QPA_PLATFORM");
}

bool wantsHeadless(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg(argv[i]);
        if (arg == "--headless" || arg == "--help" || arg == "-h" || arg == "--version" || arg == "-v"
            || arg == "--help-all")
            return true;
    }
    return false;
}

// --config FILE, else <data-dir>/config.json, written with example sources on first start.
// *created: whether this call wrote the example config (and made the data directory), so a
// start-up that fails later can take them back and leave no partial state.
Result<config::Config> loadConfig(const QString &explicitPath, const QString &dataDir, QString *usedPath, bool *created,
                                  bool *createdDir)
{
    if (!explicitPath.isEmpty()) {
        *usedPath = explicitPath;
        return config::ConfigLoader::loadFile(explicitPath);
    }
    const QString path = QDir(dataDir).filePath(u"config.json"_s);
    *usedPath = path;
    if (!QFile::exists(path)) {
        *createdDir = !QFileInfo::exists(dataDir);
        if (!util::PrivatePath::makeDir(dataDir))
            return Error{u"data_dir_unwritable"_s, dataDir % u": cannot create the data directory"_s};
        QFile file(path);
        // Secrets are in it: readable by the user only, from the moment it exists.
        if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly, QFileDevice::ReadOwner | QFileDevice::WriteOwner))
            return Error{u"config_unwritable"_s, path % u": cannot write the example config: "_s % file.errorString()};
        file.write(config::ConfigLoader::exampleConfigJson());
        file.close();
        *created = true;
        logEvent({{u"event"_s, u"config_created"_s},
                  {u"path"_s, path},
                  {u"detail"_s, u"example sources with generated secrets; edit it to add your own"_s}});
    }
    return config::ConfigLoader::loadFile(path);
}

} // namespace

// glibc hands freed memory at the top of a thread's heap back to the kernel once more than the
// trim threshold (128 KiB, raised dynamically) is free. The receiver, journal and Kafka threads
// allocate and free a few megabytes a second in bursts, so their heaps shrink and grow many
// times a second; every shrink is an madvise() whose TLB flush interrupts the other core (seen
// in perf as 4-5% of the journal thread). Keeping up to 32 MiB free per heap costs little
// against the bounded views and stops the churn; bodies above 4 MiB still get their own mmap.
namespace {
void tuneAllocator()
{
#ifdef __GLIBC__
    mallopt(M_TRIM_THRESHOLD, 32 * 1024 * 1024);
    mallopt(M_MMAP_THRESHOLD, 4 * 1024 * 1024);
#endif
}
} // namespace

int main(int argc, char *argv[])
{
    tuneAllocator();
    // send, replay, export, import: command-line tools of their own, no pipeline or window here.
    if (argc > 1 && app::isCaptureCommand(argv[1]))
        return app::runCaptureCommand(argc, argv);
    qInstallMessageHandler(jsonMessageHandler);
    if (app::isScenarioCommand(argc, argv))
        return app::runScenarioCommand(argc, argv);
    const bool headless = wantsHeadless(argc, argv) || !displayAvailable();

    std::unique_ptr<QCoreApplication> app;
#ifdef HOOKBENCH_WITH_GUI
    if (!headless)
        app = std::make_unique<QApplication>(argc, argv);
#endif
    if (!app)
        app = std::make_unique<QCoreApplication>(argc, argv);
    QCoreApplication::setApplicationName(u"hookbench"_s);
    QCoreApplication::setOrganizationName(u"hookbench"_s);
    QCoreApplication::setApplicationVersion(BuildInfo::versionString());
#ifdef HOOKBENCH_WITH_GUI
    if (!headless) {
        // The installed desktop entry's name: Wayland compositors match the window to it (and its icon).
        QGuiApplication::setDesktopFileName(u"io.hookbench.Hookbench"_s);
        QIcon icon;
        for (const int size : {16, 22, 24, 32, 48, 64, 128, 256})
            icon.addFile(u":/icons/hicolor/%1x%1/apps/hookbench.png"_s.arg(size));
        QApplication::setWindowIcon(icon);
    }
#endif

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Hookbench: receive provider webhooks, verify their signatures, deduplicate, journal them and "
        "produce them to Kafka, on your laptop.\n"
        "Commands of their own (each with --help): send, replay, export, import (captures) and scenario."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption headlessOption(u"headless"_s, u"Run without a window; log JSON lines to stderr."_s);
    const QCommandLineOption listenOption(u"listen"_s, u"Listen address (default 127.0.0.1:8088)."_s, u"ADDR:PORT"_s);
    const QCommandLineOption dataDirOption(
        u"data-dir"_s, u"Where the journal and the default config live (default: the user's data directory)."_s,
        u"DIR"_s);
    const QCommandLineOption configOption(u"config"_s, u"Config file (default: <data-dir>/config.json)."_s, u"FILE"_s);
    const QCommandLineOption logRequestsOption(u"log-requests"_s, u"Log one JSON line per answered webhook."_s);
    parser.addOptions({headlessOption, listenOption, dataDirOption, configOption, logRequestsOption});
    // The desktop entry passes opened files (Exec=hookbench %F; MIME types in installer/).
    parser.addPositionalArgument(u"files"_s, u"Session (.hbsession) or collection (.hbcollection) files to open."_s,
                                 u"[FILE...]"_s);
    parser.process(*app);
    const QStringList files = parser.positionalArguments();

    // ~/.local/share/hookbench: the generic location plus our name, not AppDataLocation, which
    // would nest organisation and application name (hookbench/hookbench).
    const QString dataDir =
        parser.isSet(dataDirOption)
            ? parser.value(dataDirOption)
            : QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + u"/hookbench"_s;
    QString configPath;
    bool configCreated = false;
    bool dataDirCreated = false;
    auto config = loadConfig(parser.value(configOption), dataDir, &configPath, &configCreated, &dataDirCreated);
    if (!config)
        return fail(config.error().code, config.error().message);
    // A start that fails leaves the data directory as it found it: no example config nobody
    // ran with, no empty directory.
    const auto failStart = [&](const Error &error) {
        if (configCreated)
            QFile::remove(configPath);
        if (dataDirCreated)
            QDir().rmdir(dataDir);
        return fail(error.code, error.message);
    };
    if (parser.isSet(listenOption)) {
        // Reuse the config file's validation for the address.
        const QByteArray json = QJsonDocument(QJsonObject{{u"listen"_s, parser.value(listenOption)}}).toJson();
        auto listen = config::ConfigLoader::parse(json, u"--listen"_s);
        if (!listen)
            return failStart(listen.error());
        config->listenAddress = listen->listenAddress;
        config->listenPort = listen->listenPort;
    }

    pipeline::PipelineOptions options;
    options.config = *config;
    options.dataDir = dataDir;
    options.configPath = configPath;
    options.logRequests = parser.isSet(logRequestsOption);
    auto started = pipeline::IngestPipeline::start(std::move(options));
    if (!started)
        return failStart(started.error());
    std::unique_ptr<pipeline::IngestPipeline> ingest = std::move(started.value());

    // Before "started" is logged: whoever waits for that line may stop us right after it (a test,
    // a supervisor), and a signal before the handler would end the process without draining.
    if (::pipe2(g_signalPipe, O_CLOEXEC | O_NONBLOCK) == 0) {
        auto *notifier = new QSocketNotifier(g_signalPipe[0], QSocketNotifier::Read, app.get());
        QObject::connect(notifier, &QSocketNotifier::activated, app.get(), [] {
            char buffer[16];
            while (::read(g_signalPipe[0], buffer, sizeof buffer) > 0) {}
            QCoreApplication::quit();
        });
        std::signal(SIGINT, onTerminationSignal);
        std::signal(SIGTERM, onTerminationSignal);
    }

    QJsonObject sources;
    for (const auto &source : ingest->config().sources)
        sources.insert(source.name, QString(u"http://"_s % ingest->listenAddress() % u"/webhooks/"_s % source.name));
    logEvent({{u"event"_s, u"started"_s},
              {u"version"_s, QCoreApplication::applicationVersion()},
              {u"listen"_s, ingest->listenAddress()},
              {u"kafka"_s, QJsonObject{{u"mode"_s, ingest->kafkaMode()}, {u"bootstrap"_s, ingest->bootstrap()}}},
              {u"data_dir"_s, dataDir},
              {u"config"_s, configPath},
              {u"sources"_s, sources},
              {u"gui"_s, !headless}});

#ifdef HOOKBENCH_WITH_GUI
    std::unique_ptr<ui::MainWindow> window;
    if (!headless) {
        window = std::make_unique<ui::MainWindow>(*ingest);
        window->show();
        window->openFiles(files); // off the GUI thread, answers in the status bar
    }
#endif
    if (headless) {
        for (const QString &file : files)
            openHeadless(file, *ingest);
    }

    const int code = app->exec();
    logEvent({{u"event"_s, u"stopping"_s}, {u"detail"_s, u"draining in-flight produces"_s}});
#ifdef HOOKBENCH_WITH_GUI
    window.reset();
#endif
    ingest->stop(5000);
    logEvent({{u"event"_s, u"stopped"_s}});
    return code;
}
