#include "app/capture_commands.h"

#include <cstdio>
#include <memory>

#include <unistd.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QUrl>

#include "core/capture/capture_signer.h"
#include "core/capture/curl_exporter.h"
#include "core/capture/fixture_folder_exporter.h"
#include "core/capture/fixture_folder_importer.h"
#include "core/capture/har_exporter.h"
#include "core/capture/input_loader.h"
#include "core/capture/journal_export.h"
#include "core/capture/replay_runner.h"
#include "core/capture/session_file.h"
#include "core/capture/session_importer.h"
#include "core/config/config_loader.h"
#include "core/pipeline/ingest_pipeline.h"
#include "core/providers/provider_registry.h"
#include "core/replay/loopback_client.h"
#include "core/store/journal_writer.h"

using namespace Qt::StringLiterals;

namespace hookbench::app {

namespace {

constexpr int kOk = 0;
constexpr int kFailed = 1;
constexpr int kUsage = 2;

void out(const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), stdout);
    std::fflush(stdout);
}

void err(const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), stderr);
    std::fflush(stderr);
}

int usage(const QString &command, const QString &why)
{
    err(u"hookbench %1: %2\nTry 'hookbench %1 --help'.\n"_s.arg(command, why));
    return kUsage;
}

int failed(const QString &command, const QString &why)
{
    err(u"hookbench %1: %2\n"_s.arg(command, why));
    return kFailed;
}

} // namespace

QString helpWithUsage(const QCommandLineParser &parser, const QString &command)
{
    // Qt names the program as it was typed (./build/release/app/hookbench, a symlink, ...) and
    // knows nothing of the subcommand: the usage line says what to type instead.
    QString text = parser.helpText();
    const qsizetype options = text.indexOf(u" [options]"_s);
    if (text.startsWith(u"Usage: "_s) && options > 0)
        text.replace(0, options, u"Usage: hookbench "_s % command);
    return text;
}

namespace {

// Parses the subcommand's arguments; --help prints and answers kOk; errors answer kUsage.
std::optional<int> parse(QCommandLineParser &parser, const QString &command, const QStringList &args)
{
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption help({u"h"_s, u"help"_s}, u"Show this help."_s);
    parser.addOption(help);
    if (!parser.parse(args))
        return usage(command, parser.errorText());
    if (parser.isSet(help)) {
        out(helpWithUsage(parser, command));
        return kOk;
    }
    return std::nullopt;
}

// "http://127.0.0.1:8088" → "127.0.0.1:8088"; "localhost" → 127.0.0.1. Only plain HTTP: the
// receiver is on this machine.
std::optional<QString> receiverAddress(const QString &url, QString *why)
{
    const QUrl parsed(url.contains(u"://"_s) ? url : u"http://"_s % url);
    if (!parsed.isValid() || parsed.scheme() != u"http"_s || parsed.host().isEmpty()) {
        *why = u"--url %1: give http://HOST:PORT of a running Hookbench"_s.arg(url);
        return std::nullopt;
    }
    QString host = parsed.host();
    if (host == u"localhost"_s)
        host = u"127.0.0.1"_s;
    if (host.contains(u':'))
        host = u"["_s % host % u"]"_s;
    return host % u':' % QString::number(parsed.port(80));
}

Result<config::Config> loadConfig(const QString &path)
{
    return config::ConfigLoader::loadFile(path);
}

// GET /healthz at address; the reason when nothing answers it, nullopt when something does.
std::optional<QString> probeReceiver(const QString &address)
{
    http::HttpRequest request;
    request.method = "GET";
    request.target = "/healthz";
    request.headers = {{"Host", address.toUtf8()}};
    std::optional<QString> why;
    QObject context;
    replay::LoopbackClient::send(address, request, 5'000, &context,
                                 [&why](const Result<replay::ReceiverAnswer> &answer) {
                                     if (!answer)
                                         why = answer.error().message;
                                     QCoreApplication::exit(0);
                                 });
    QCoreApplication::exec();
    return why;
}

bool stderrIsTerminal()
{
    return ::isatty(STDERR_FILENO) == 1;
}

// ---- send ------------------------------------------------------------------------------------

int runSend(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Sign one payload like the provider would and send it to a running Hookbench (a local \"send test "
        "webhook\"). Prints the HTTP status and the receiver's answer. Exit 0 for a 2xx answer, 1 otherwise."_s);
    const QCommandLineOption source(u"source"_s, u"Source name: POST /webhooks/NAME (required)."_s, u"NAME"_s);
    const QCommandLineOption url(u"url"_s, u"Hookbench to send to (default http://127.0.0.1:8088)."_s, u"URL"_s);
    const QCommandLineOption secret(u"secret"_s, u"Secret to sign with (without --config)."_s, u"SECRET"_s);
    const QCommandLineOption provider(u"provider"_s, u"Provider (without --config; default: the source name)."_s,
                                      u"PROVIDER"_s);
    const QCommandLineOption configFile(u"config"_s, u"Take the source's provider and secret from this config."_s,
                                        u"FILE"_s);
    const QCommandLineOption form(u"form"_s,
                                  u"The payload is a form-encoded body (default: JSON; .txt files are form)."_s);
    parser.addOptions({source, url, secret, provider, configFile, form});
    parser.addPositionalArgument(u"FILE"_s, u"Payload file, or - for standard input."_s);
    if (auto code = parse(parser, u"send"_s, args))
        return *code;
    if (!parser.isSet(source))
        return usage(u"send"_s, u"--source NAME is required"_s);
    if (parser.positionalArguments().size() != 1)
        return usage(u"send"_s, u"give one payload FILE (or - for standard input)"_s);
    if (parser.isSet(secret) && parser.isSet(configFile))
        return usage(u"send"_s, u"--secret and --config exclude each other"_s);

    QString why;
    const auto address =
        receiverAddress(parser.value(url).isEmpty() ? u"http://127.0.0.1:8088"_s : parser.value(url), &why);
    if (!address)
        return usage(u"send"_s, why);

    config::SourceConfig sourceConfig;
    if (parser.isSet(configFile)) {
        auto config = loadConfig(parser.value(configFile));
        if (!config)
            return usage(u"send"_s, config.error().message);
        const config::SourceConfig *found = config->source(parser.value(source));
        if (!found)
            return usage(u"send"_s,
                         u"there is no source \"%1\" in %2"_s.arg(parser.value(source), parser.value(configFile)));
        sourceConfig = *found;
    } else {
        sourceConfig.name = parser.value(source);
        sourceConfig.provider = parser.isSet(provider) ? parser.value(provider) : sourceConfig.name;
        if (!providers::ProviderRegistry::find(sourceConfig.provider))
            return usage(u"send"_s, u"unknown provider \"%1\" (one of %2); use --provider or --config"_s.arg(
                                        sourceConfig.provider, providers::ProviderRegistry::names().join(u", "_s)));
        if (parser.isSet(secret))
            sourceConfig.secrets = {parser.value(secret).toUtf8()};
        else if (sourceConfig.provider != u"none"_s)
            return usage(u"send"_s, u"give --secret or --config to sign for provider %1"_s.arg(sourceConfig.provider));
        if (sourceConfig.provider == u"twilio"_s)
            sourceConfig.publicUrl = u"http://%1/webhooks/%2"_s.arg(*address, sourceConfig.name).toUtf8();
    }

    const QString file = parser.positionalArguments().constFirst();
    QByteArray body;
    if (file == u"-"_s) {
        QFile in;
        if (!in.open(stdin, QIODevice::ReadOnly))
            return failed(u"send"_s, u"cannot read standard input"_s);
        body = in.readAll();
    } else {
        QFile in(file);
        if (!in.open(QIODevice::ReadOnly))
            return failed(u"send"_s, u"%1: %2"_s.arg(file, in.errorString()));
        body = in.readAll();
    }
    const QString fileName = parser.isSet(form) ? u"payload.txt"_s
                             : file == u"-"_s   ? u"payload.json"_s
                                                : QFileInfo(file).fileName();
    auto capture = capture::FixtureFolderImporter::makeCapture(body, fileName, sourceConfig, SystemClock::instance());
    if (!capture)
        return failed(u"send"_s, capture.error().message);

    int code = kFailed;
    QObject context;
    replay::LoopbackClient::send(
        *address, capture->toRequest(), 30'000, &context, [&code](const Result<replay::ReceiverAnswer> &answer) {
            if (!answer) {
                err(u"hookbench send: %1\n"_s.arg(answer.error().message));
            } else {
                out(u"%1 %2\n"_s.arg(answer->status).arg(QString::fromUtf8(answer->body.trimmed())));
                code = answer->status >= 200 && answer->status < 300 ? kOk : kFailed;
            }
            QCoreApplication::exit(0);
        });
    QCoreApplication::exec();
    return code;
}

// ---- replay ----------------------------------------------------------------------------------

int runReplay(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Replay captures headless and print the report: a HAR file, a folder of provider payloads, a Hookbench "
        "session, a saved collection or a file of curl commands.\n"
        "With --url the captures go to that running Hookbench. Without it an embedded pipeline is started on "
        "127.0.0.1 (a free port) with --config and --data-dir (default: a temporary directory removed at exit), "
        "and --mode topic produces straight to the topics.\n"
        "Exit 0 when every send was answered as expected (2xx; injected duplicates caught), 1 otherwise, 2 for a "
        "usage error."_s);
    const QCommandLineOption url(u"url"_s, u"A running Hookbench to send to, e.g. http://127.0.0.1:8088."_s, u"URL"_s);
    const QCommandLineOption dataDir(u"data-dir"_s, u"Data directory of the embedded pipeline (kept)."_s, u"DIR"_s);
    const QCommandLineOption configFile(u"config"_s, u"Config: sources and secrets (default <data-dir>/config.json)."_s,
                                        u"FILE"_s);
    const QCommandLineOption source(u"source"_s, u"Send as this source (also: the source a fixture folder is for)."_s,
                                    u"NAME"_s);
    const QCommandLineOption mode(u"mode"_s, u"receiver (default) or topic (embedded pipeline only)."_s, u"MODE"_s);
    const QCommandLineOption resign(u"resign"_s, u"Sign again with the source's first secret."_s);
    const QCommandLineOption mint(u"mint-keys"_s, u"A new idempotency key per send (duplicates keep theirs)."_s);
    const QCommandLineOption pace(u"pace"_s, u"asap (default), as-captured, or a rate in captures per second."_s,
                                  u"PACE"_s);
    const QCommandLineOption speed(u"speed"_s, u"With --pace as-captured: 2 = twice as fast."_s, u"X"_s);
    const QCommandLineOption order(u"order"_s, u"as-captured (default), reversed or shuffled."_s, u"ORDER"_s);
    const QCommandLineOption seed(u"seed"_s, u"Seed of the shuffle and of duplicate injection (default 1)."_s, u"N"_s);
    const QCommandLineOption repeat(u"repeat"_s, u"Send the whole sequence N times."_s, u"N"_s);
    const QCommandLineOption duplicates(u"duplicates"_s, u"Inject exact duplicates at this rate (0..1)."_s, u"RATE"_s);
    const QCommandLineOption concurrency(u"concurrency"_s, u"Requests in flight with --pace asap (default 16)."_s,
                                         u"N"_s);
    const QCommandLineOption all(u"include-unselected"_s, u"Also send entries imported unselected (GETs, ...)."_s);
    const QCommandLineOption save(u"save-collection"_s, u"Also save the collection (captures and options)."_s,
                                  u"FILE"_s);
    const QCommandLineOption json(u"json"_s, u"Print the report as JSON."_s);
    parser.addOptions({url, dataDir, configFile, source, mode, resign, mint, pace, speed, order, seed, repeat,
                       duplicates, concurrency, all, save, json});
    parser.addPositionalArgument(u"INPUT"_s, u"FILE.har | DIR | SESSION | COLLECTION | CURL-FILE"_s);
    if (auto code = parse(parser, u"replay"_s, args))
        return *code;
    if (parser.positionalArguments().size() != 1)
        return usage(u"replay"_s, u"give one INPUT"_s);
    if (parser.isSet(url) && parser.isSet(dataDir))
        return usage(u"replay"_s, u"--url sends to a running Hookbench; --data-dir is for the embedded pipeline"_s);
    if (parser.isSet(url) && parser.value(mode) == u"topic"_s)
        return usage(u"replay"_s, u"--mode topic produces through the embedded pipeline; leave out --url"_s);

    // The config: explicit, or the data dir's; required for the embedded pipeline.
    config::Config config;
    QString configPath = parser.value(configFile);
    if (configPath.isEmpty() && parser.isSet(dataDir)
        && QFile::exists(QDir(parser.value(dataDir)).filePath(u"config.json"_s)))
        configPath = QDir(parser.value(dataDir)).filePath(u"config.json"_s);
    if (!configPath.isEmpty()) {
        auto loaded = loadConfig(configPath);
        if (!loaded)
            return usage(u"replay"_s, loaded.error().message);
        config = *loaded;
    } else if (!parser.isSet(url)) {
        return usage(u"replay"_s, u"the embedded pipeline needs --config FILE (its sources), or give --url"_s);
    }

    auto input = capture::InputLoader::load(parser.positionalArguments().constFirst(), config, parser.value(source));
    if (!input)
        return failed(u"replay"_s, input.error().message);

    capture::ReplayCollection collection;
    collection.name = QFileInfo(parser.positionalArguments().constFirst()).fileName();
    collection.captures = input->report.captures;
    if (parser.isSet(all)) {
        for (auto &c : collection.captures)
            c.selected = true;
    }
    capture::ReplayOptions &o = collection.options;
    if (input->options)
        o = *input->options;
    bool ok = true;
    if (parser.isSet(mode)) {
        const auto m = replay::parseReplayMode(parser.value(mode));
        if (!m)
            return usage(u"replay"_s, u"--mode must be receiver or topic, got \"%1\""_s.arg(parser.value(mode)));
        o.mode = *m;
    }
    if (o.mode == replay::ReplayMode::Topic && parser.isSet(url))
        return usage(u"replay"_s, u"--mode topic produces through the embedded pipeline; leave out --url"_s);
    if (parser.isSet(source))
        o.targetSource = parser.value(source);
    if (parser.isSet(resign))
        o.resign = true;
    if (parser.isSet(mint))
        o.mintIdempotencyKeys = true;
    if (parser.isSet(pace)) {
        const QString p = parser.value(pace);
        if (const auto named = capture::parseReplayPace(p); named && *named != capture::ReplayPace::FixedRate) {
            o.pace = *named;
        } else {
            o.ratePerSecond = p.toDouble(&ok);
            if (!ok || o.ratePerSecond <= 0)
                return usage(u"replay"_s,
                             u"--pace must be asap, as-captured or a rate > 0, got \"%1\""_s.arg(parser.value(pace)));
            o.pace = capture::ReplayPace::FixedRate;
        }
    }
    if (parser.isSet(speed) && ((o.speed = parser.value(speed).toDouble(&ok)), !ok || o.speed <= 0))
        return usage(u"replay"_s, u"--speed must be a number > 0, got \"%1\""_s.arg(parser.value(speed)));
    if (parser.isSet(order)) {
        const auto named = capture::parseReplayOrder(parser.value(order));
        if (!named)
            return usage(u"replay"_s,
                         u"--order must be as-captured, reversed or shuffled, got \"%1\""_s.arg(parser.value(order)));
        o.order = *named;
    }
    if (parser.isSet(seed) && ((o.seed = parser.value(seed).toULongLong(&ok)), !ok))
        return usage(u"replay"_s, u"--seed must be a number, got \"%1\""_s.arg(parser.value(seed)));
    if (parser.isSet(repeat) && ((o.repeat = parser.value(repeat).toInt(&ok)), !ok || o.repeat < 1))
        return usage(u"replay"_s, u"--repeat must be >= 1, got \"%1\""_s.arg(parser.value(repeat)));
    if (parser.isSet(duplicates)
        && ((o.duplicateRate = parser.value(duplicates).toDouble(&ok)),
            !ok || o.duplicateRate < 0 || o.duplicateRate > 1))
        return usage(u"replay"_s,
                     u"--duplicates must be a rate from 0 to 1, got \"%1\""_s.arg(parser.value(duplicates)));
    if (parser.isSet(concurrency) && ((o.concurrency = parser.value(concurrency).toInt(&ok)), !ok || o.concurrency < 1))
        return usage(u"replay"_s, u"--concurrency must be >= 1, got \"%1\""_s.arg(parser.value(concurrency)));
    if (parser.isSet(save)) {
        if (auto saved = collection.save(parser.value(save)); !saved)
            return failed(u"replay"_s, saved.error().message);
    }
    for (const capture::ImportEntry &entry : input->report.entries) {
        if (!entry.taken)
            err(u"skipped #%1 %2: %3\n"_s.arg(entry.index).arg(entry.label, entry.reason));
    }

    // Where to send: a running Hookbench, or an embedded pipeline of our own.
    std::unique_ptr<QTemporaryDir> temporary;
    std::unique_ptr<pipeline::IngestPipeline> ingest;
    capture::ReplayRunnerEnvironment env;
    env.config = config;
    if (parser.isSet(url)) {
        QString why;
        const auto address = receiverAddress(parser.value(url), &why);
        if (!address)
            return usage(u"replay"_s, why);
        // One clear line when nothing listens there, rather than one failure per capture.
        if (auto unreachable = probeReceiver(*address))
            return failed(u"replay"_s,
                          u"--url %1: no Hookbench answers there (%2)"_s.arg(parser.value(url), *unreachable));
        env.receiverAddress = *address;
    } else {
        QString dir = parser.value(dataDir);
        if (dir.isEmpty()) {
            temporary = std::make_unique<QTemporaryDir>();
            dir = temporary->path();
        }
        pipeline::PipelineOptions options;
        options.config = config;
        options.config.listenAddress = QHostAddress(QHostAddress::LocalHost);
        options.config.listenPort = 0;
        options.dataDir = dir;
        auto started = pipeline::IngestPipeline::start(options);
        if (!started)
            return failed(u"replay"_s, started.error().message);
        ingest = std::move(started.value());
        env.receiverAddress = ingest->listenAddress();
        env.pipeline = ingest.get();
    }

    capture::ReplayRunner runner(collection, env);
    const bool terminal = stderrIsTerminal();
    QObject::connect(&runner, &capture::ReplayRunner::progress, &runner, [terminal](int done, int total) {
        if (terminal)
            err(u"\rreplay: %1/%2 answered"_s.arg(done).arg(total));
    });
    capture::ReplayReport report;
    QObject::connect(&runner, &capture::ReplayRunner::finished, &runner, [&report](const capture::ReplayReport &r) {
        report = r;
        QCoreApplication::exit(0);
    });
    QMetaObject::invokeMethod(
        &runner, [&runner] { runner.start(); }, Qt::QueuedConnection);
    QCoreApplication::exec();
    if (terminal)
        err(u"\n"_s);
    if (parser.isSet(json)) {
        QJsonObject object = report.toJson();
        object.insert(u"input"_s, QJsonObject{{u"path"_s, input->report.origin},
                                              {u"format"_s, input->report.format},
                                              {u"entries"_s, input->report.entries.size()},
                                              {u"skipped"_s, input->report.skippedCount()}});
        if (ingest)
            object.insert(u"data_dir"_s, temporary ? QString() : ingest->dataDir());
        out(QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)) + u'\n');
    } else {
        out(report.toText());
    }
    if (ingest)
        ingest->stop(5000);
    return report.allAsExpected() ? kOk : kFailed;
}

// ---- export ----------------------------------------------------------------------------------

// "1,2,5-9" → ids.
std::optional<QList<qint64>> parseIds(const QString &text)
{
    QList<qint64> ids;
    for (const QString &part : text.split(u',', Qt::SkipEmptyParts)) {
        bool ok1 = false;
        bool ok2 = true;
        const qsizetype dash = part.indexOf(u'-');
        const qint64 from = part.left(dash < 0 ? part.size() : dash).toLongLong(&ok1);
        const qint64 to = dash < 0 ? from : part.mid(dash + 1).toLongLong(&ok2);
        if (!ok1 || !ok2 || from <= 0 || to < from || to - from > 1'000'000)
            return std::nullopt;
        for (qint64 id = from; id <= to; ++id)
            ids.append(id);
    }
    return ids;
}

bool writeOutput(const QString &path, const QByteArray &bytes, QString *why)
{
    if (path == u"-"_s) {
        std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), stdout);
        std::fflush(stdout);
        return true;
    }
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(bytes) != bytes.size()) {
        *why = u"%1: %2"_s.arg(path, file.errorString());
        return false;
    }
    return true;
}

// "1 journal entry", "2 journal entries".
QString counted(qsizetype n, const QString &one, const QString &many)
{
    return u"%1 %2"_s.arg(n).arg(n == 1 ? one : many);
}

int runExport(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Export journal entries of a data directory: as a Hookbench session (entries with their Kafka positions, "
        "handler attempts and dead letters), a HAR file, a fixture folder or curl commands. Config secrets are "
        "never exported; Authorization and Cookie header values are redacted. Safe while Hookbench runs."_s);
    const QCommandLineOption dataDir(u"data-dir"_s, u"Data directory holding hookbench.db (required)."_s, u"DIR"_s);
    const QCommandLineOption format(u"format"_s, u"session (default), har, fixtures or curl."_s, u"FORMAT"_s);
    const QCommandLineOption output(
        {u"o"_s, u"output"_s},
        u"File (folder for fixtures), or - for standard output. A new file named without a suffix gets "
        "the format's (.hbsession, .har, .sh)."_s,
        u"PATH"_s);
    const QCommandLineOption ids(u"ids"_s, u"Journal ids, e.g. 4,7,10-20 (instead of a filter)."_s, u"IDS"_s);
    const QCommandLineOption source(u"source"_s, u"Only this source."_s, u"NAME"_s);
    const QCommandLineOption verdict(u"verdict"_s, u"Only accepted, duplicate, queued or rejected."_s, u"VERDICT"_s);
    const QCommandLineOption eventType(u"event-type"_s, u"Only this event type."_s, u"TYPE"_s);
    const QCommandLineOption limit(u"limit"_s, u"At most the newest N entries (default 1000; 0 = all)."_s, u"N"_s);
    const QCommandLineOption baseUrl(u"base-url"_s,
                                     u"For har and curl: the receiver URL (default "
                                     "http://127.0.0.1:8088)."_s,
                                     u"URL"_s);
    const QCommandLineOption resignOption(u"resign"_s, u"For har and curl: sign again with the sources' secrets of "
                                                       "--config (instead of the signature headers as sent)."_s);
    const QCommandLineOption configFile(u"config"_s, u"Config with the sources' secrets (for --resign)."_s, u"FILE"_s);
    parser.addOptions(
        {dataDir, format, output, ids, source, verdict, eventType, limit, baseUrl, resignOption, configFile});
    if (auto code = parse(parser, u"export"_s, args))
        return *code;
    if (!parser.isSet(dataDir))
        return usage(u"export"_s, u"--data-dir DIR is required"_s);
    if (!parser.isSet(output))
        return usage(u"export"_s, u"--output PATH is required (- for standard output)"_s);
    if (!parser.positionalArguments().isEmpty())
        return usage(u"export"_s, u"unexpected argument %1"_s.arg(parser.positionalArguments().constFirst()));
    const QString kind = parser.isSet(format) ? parser.value(format) : u"session"_s;
    if (!QStringList{u"session"_s, u"har"_s, u"fixtures"_s, u"curl"_s}.contains(kind))
        return usage(u"export"_s,
                     u"--format must be session, har, fixtures or curl, got \"%1\""_s.arg(parser.value(format)));
    if (kind == u"fixtures"_s && parser.value(output) == u"-"_s)
        return usage(u"export"_s, u"a fixture folder needs --output DIR"_s);
    // A new file named without a suffix gets the format's: the desktop opens *.hbsession with
    // Hookbench, and HAR viewers look for *.har. What exists already (a file a script rewrites,
    // /dev/stdout, a folder) is written as named.
    QString outputPath = parser.value(output);
    const QFileInfo outputInfo(outputPath);
    if (outputPath != u"-"_s && kind != u"fixtures"_s && !outputInfo.exists() && !outputInfo.fileName().isEmpty()
        && !outputPath.endsWith(u'.') && outputInfo.suffix().isEmpty())
        outputPath += kind == u"session"_s ? u".hbsession"_s : kind == u"har"_s ? u".har"_s : u".sh"_s;

    config::Config resignConfig;
    if (parser.isSet(resignOption)) {
        if (kind != u"har"_s && kind != u"curl"_s)
            return usage(u"export"_s, u"--resign is for --format har or curl"_s);
        if (!parser.isSet(configFile))
            return usage(u"export"_s, u"--resign needs --config FILE (the sources' secrets)"_s);
        auto loaded = loadConfig(parser.value(configFile));
        if (!loaded)
            return usage(u"export"_s, loaded.error().message);
        resignConfig = *loaded;
    }
    QList<qint64> selectedIds;
    if (parser.isSet(ids)) {
        const auto parsed = parseIds(parser.value(ids));
        if (!parsed || parsed->isEmpty())
            return usage(u"export"_s, u"--ids must look like 4,7,10-20, got \"%1\""_s.arg(parser.value(ids)));
        selectedIds = *parsed;
    }
    store::JournalFilter filter;
    filter.source = parser.value(source);
    filter.eventType = parser.value(eventType);
    if (parser.isSet(verdict)) {
        filter.verdict = store::parseVerdict(parser.value(verdict));
        if (!filter.verdict)
            return usage(u"export"_s, u"--verdict must be accepted, duplicate, queued or rejected, got \"%1\""_s.arg(
                                          parser.value(verdict)));
    }
    bool ok = true;
    filter.limit = parser.isSet(limit) ? parser.value(limit).toInt(&ok) : 1000;
    if (!ok || filter.limit < 0)
        return usage(u"export"_s, u"--limit must be a number >= 0, got \"%1\""_s.arg(parser.value(limit)));

    const QString databasePath = QDir(parser.value(dataDir)).filePath(u"hookbench.db"_s);
    if (!QFile::exists(databasePath))
        return failed(u"export"_s, u"%1: no journal here"_s.arg(databasePath));
    auto rows = capture::JournalExport::select(databasePath, selectedIds, filter);
    if (!rows)
        return failed(u"export"_s, rows.error().message);
    QList<capture::Capture> captures = capture::JournalExport::toCaptures(rows->entries);
    if (parser.isSet(resignOption)) {
        for (capture::Capture &c : captures) {
            if (auto signedAgain = capture::CaptureSigner::resign(c, resignConfig); !signedAgain)
                return failed(u"export"_s, signedAgain.error().message);
        }
    }
    const QByteArray base =
        parser.isSet(baseUrl) ? parser.value(baseUrl).toUtf8() : QByteArray("http://127.0.0.1:8088");
    QString why;
    if (kind == u"session"_s) {
        if (outputPath == u"-"_s) {
            writeOutput(u"-"_s, capture::SessionFile::encode(*rows), &why);
        } else if (auto written = capture::SessionFile::write(*rows, outputPath); !written) {
            return failed(u"export"_s, written.error().message);
        }
    } else if (kind == u"har"_s) {
        if (!writeOutput(outputPath, capture::HarExporter::write(captures, base), &why))
            return failed(u"export"_s, why);
    } else if (kind == u"curl"_s) {
        if (!writeOutput(outputPath, capture::CurlExporter::toCurl(captures, base), &why))
            return failed(u"export"_s, why);
    } else {
        auto written = capture::FixtureFolderExporter::write(captures, outputPath);
        if (!written)
            return failed(u"export"_s, written.error().message);
    }
    err(u"exported %1 (%2, %3) as %4 to %5\n"_s.arg(
        counted(rows->entries.size(), u"journal entry"_s, u"journal entries"_s),
        counted(rows->attempts.size(), u"attempt"_s, u"attempts"_s),
        counted(rows->deadLetters.size(), u"dead letter"_s, u"dead letters"_s), kind,
        outputPath == u"-"_s ? u"standard output"_s : outputPath));
    return kOk;
}

// ---- import ----------------------------------------------------------------------------------

int runImport(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Import a Hookbench session into a data directory's journal: one transaction, all or nothing. Entries get "
        "new journal ids; their requests, verdicts, Kafka positions, attempts and dead letters are kept, and the "
        "id mapping is printed as JSON. Stop Hookbench on that data directory first."_s);
    const QCommandLineOption dataDir(u"data-dir"_s, u"Data directory to import into (created if missing)."_s, u"DIR"_s);
    parser.addOption(dataDir);
    parser.addPositionalArgument(u"SESSION"_s, u"A session file written by hookbench export."_s);
    if (auto code = parse(parser, u"import"_s, args))
        return *code;
    if (!parser.isSet(dataDir))
        return usage(u"import"_s, u"--data-dir DIR is required"_s);
    if (parser.positionalArguments().size() != 1)
        return usage(u"import"_s, u"give one SESSION file"_s);
    auto rows = capture::SessionFile::read(parser.positionalArguments().constFirst());
    if (!rows)
        return failed(u"import"_s, rows.error().message);
    if (!QDir().mkpath(parser.value(dataDir)))
        return failed(u"import"_s, u"%1: cannot create the data directory"_s.arg(parser.value(dataDir)));
    auto writer = store::JournalWriter::open(QDir(parser.value(dataDir)).filePath(u"hookbench.db"_s));
    if (!writer)
        return failed(u"import"_s, writer.error().message);
    auto imported = capture::SessionImporter::importInto(**writer, *rows);
    if (!imported)
        return failed(u"import"_s, imported.error().message);
    QJsonObject ids;
    for (auto it = imported->ids.cbegin(); it != imported->ids.cend(); ++it)
        ids.insert(QString::number(it.key()), it.value());
    out(QString::fromUtf8(QJsonDocument(QJsonObject{{u"entries"_s, imported->entries},
                                                    {u"attempts"_s, imported->attempts},
                                                    {u"dead_letters"_s, imported->deadLetters},
                                                    {u"ids"_s, ids}})
                              .toJson(QJsonDocument::Compact))
        + u'\n');
    return kOk;
}

} // namespace

bool isCaptureCommand(const char *name)
{
    const QByteArray command(name);
    return command == "send" || command == "replay" || command == "export" || command == "import";
}

// The tools print their own results; of the pipeline's log only warnings and errors are shown.
static void quietMessageHandler(QtMsgType type, const QMessageLogContext &, const QString &message)
{
    if (type == QtDebugMsg || type == QtInfoMsg)
        return;
    err(message + u'\n');
}

int runCaptureCommand(int argc, char *argv[])
{
    qInstallMessageHandler(quietMessageHandler);
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"hookbench"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(HOOKBENCH_VERSION));
    QStringList args = QCoreApplication::arguments();
    const QString command = args.takeAt(1); // parse() expects the program name first
    if (command == u"send"_s)
        return runSend(args);
    if (command == u"replay"_s)
        return runReplay(args);
    if (command == u"export"_s)
        return runExport(args);
    return runImport(args);
}

} // namespace hookbench::app
