#include "app/scenario_command.h"
#include "app/capture_commands.h"

#include <cstdio>
#include <memory>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>

#include "core/config/config_loader.h"
#include "core/pipeline/ingest_pipeline.h"
#include "core/scenario/scenario_runner.h"

using namespace Qt::StringLiterals;

namespace hookbench::app {

namespace {

void print(const QByteArray &text, FILE *stream = stdout)
{
    std::fwrite(text.constData(), 1, size_t(text.size()), stream);
    std::fflush(stream);
}

// With --json a script reads the error as JSON too; a person gets a line naming the command.
bool g_jsonErrors = false;

int usageError(const QString &message)
{
    if (g_jsonErrors)
        print(QJsonDocument(QJsonObject{{u"ok"_s, false}, {u"error"_s, message}}).toJson(QJsonDocument::Compact) + '\n',
              stderr);
    else
        print(u"hookbench scenario: %1\nTry 'hookbench scenario --help'.\n"_s.arg(message).toUtf8(), stderr);
    return 2;
}

QByteArray summary(const QJsonObject &r)
{
    QString text;
    const QString kind = r.value(u"kind"_s).toString();
    if (kind == u"scenario"_s) {
        const QJsonObject answers = r.value(u"answers"_s).toObject();
        const QJsonObject outcomes = r.value(u"outcomes"_s).toObject();
        const QJsonObject order = r.value(u"order"_s).toObject();
        text = u"scenario %1 (strategy %2): sent %3 (%4 events, %5 duplicates injected, %6 reordered)\n"
               "answers: %7 accepted, %8 queued, %9 duplicate, %10 rejected, %11 unanswered\n"_s
                   .arg(r.value(u"name"_s).toString(), r.value(u"strategy"_s).toString())
                   .arg(r.value(u"sent"_s).toInt())
                   .arg(r.value(u"planned"_s).toInt())
                   .arg(r.value(u"duplicates_injected"_s).toInt())
                   .arg(r.value(u"reordered"_s).toInt())
                   .arg(answers.value(u"accepted"_s).toInt())
                   .arg(answers.value(u"queued"_s).toInt())
                   .arg(answers.value(u"duplicate"_s).toInt())
                   .arg(answers.value(u"rejected"_s).toInt())
                   .arg(answers.value(u"failed"_s).toInt());
        text += u"duplicates caught: %1; processed: %2 done, %3 dead-lettered, %4 retrying, %5 pending, %6 attempts\n"_s
                    .arg(r.value(u"duplicates_caught"_s).toInt())
                    .arg(outcomes.value(u"done"_s).toInt())
                    .arg(outcomes.value(u"dead_lettered"_s).toInt())
                    .arg(outcomes.value(u"retrying"_s).toInt())
                    .arg(outcomes.value(u"pending"_s).toInt())
                    .arg(outcomes.value(u"attempts"_s).toInteger());
        text +=
            u"per-entity order: %1 of %2 entities preserved, %3 violated\n"_s.arg(order.value(u"preserved"_s).toInt())
                .arg(order.value(u"entities"_s).toInt())
                .arg(order.value(u"violated"_s).toInt());
        for (const QJsonValue &v : order.value(u"violations"_s).toArray()) {
            const QJsonObject o = v.toObject();
            text += u"  %1 %2: at position %3 expected seq %4, processed seq %5\n"_s
                        .arg(o.value(u"source"_s).toString(), o.value(u"entity"_s).toString())
                        .arg(o.value(u"position"_s).toInt())
                        .arg(o.value(u"expected_seq"_s).toInteger())
                        .arg(o.value(u"got_seq"_s).toInteger());
        }
    } else if (kind == u"dedup_race"_s) {
        const qsizetype deliveries = r.value(u"deliveries"_s).toArray().size();
        text = u"%1 (source %2): %3 concurrent deliveries of one event in %4 ms\n"_s
                   .arg(r.value(u"name"_s).toString(), r.value(u"source"_s).toString())
                   .arg(deliveries)
                   .arg(r.value(u"duration_ms"_s).toInteger());
        text += u"winners: %1 (delivery %2, journal id %3); answered duplicate: %4; duplicates in the journal: %5\n"_s
                    .arg(r.value(u"winners"_s).toInt())
                    .arg(r.value(u"winner_delivery"_s).toInt())
                    .arg(r.value(u"winner_journal_id"_s).toInteger())
                    .arg(r.value(u"duplicate_answers"_s).toInt())
                    .arg(r.value(u"duplicates_in_journal"_s).toInt());
    } else if (kind == u"provider_retry"_s) {
        text = u"%1 (source %2): %3 deliveries over %4 of provider time, compressed %5×, in %6 ms\n"_s
                   .arg(r.value(u"name"_s).toString(), r.value(u"source"_s).toString())
                   .arg(r.value(u"attempts"_s).toArray().size())
                   .arg(r.value(u"span"_s).toString())
                   .arg(r.value(u"compression"_s).toDouble())
                   .arg(r.value(u"duration_ms"_s).toInteger());
        for (const QJsonValue &v : r.value(u"attempts"_s).toArray()) {
            const QJsonObject a = v.toObject();
            text += u"  attempt %1 at +%2: %3 %4%5\n"_s.arg(a.value(u"attempt"_s).toInt())
                        .arg(a.value(u"offset"_s).toString())
                        .arg(a.value(u"http_status"_s).toInt())
                        .arg(a.value(u"status"_s).toString(),
                             a.value(u"beyond_dedup_ttl"_s).toBool() ? u" (beyond the dedup TTL)"_s : QString());
        }
        text += u"accepted: %1; answered duplicate: %2; duplicates in the journal: %3\n"_s
                    .arg(r.value(u"accepted"_s).toInt())
                    .arg(r.value(u"duplicate_answers"_s).toInt())
                    .arg(r.value(u"duplicates_in_journal"_s).toInt());
    } else {
        text = QString::fromUtf8(QJsonDocument(r).toJson(QJsonDocument::Indented));
    }
    for (const QJsonValue &p : r.value(u"problems"_s).toArray())
        text += u"problem: "_s % p.toString() % u'\n';
    text += r.value(u"ok"_s).toBool() ? u"result: as expected\n"_s : u"result: NOT as expected\n"_s;
    return text.toUtf8();
}

} // namespace

bool isScenarioCommand(int argc, char *argv[])
{
    return argc > 1 && QByteArray(argv[1]) == "scenario";
}

int runScenarioCommand(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"hookbench"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(HOOKBENCH_VERSION));
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Run a scenario file on an embedded pipeline and print its report (exit 0: as expected)."_s);
    const QCommandLineOption helpOption({u"h"_s, u"help"_s}, u"Show this help."_s);
    parser.addOption(helpOption);
    parser.addPositionalArgument(u"FILE"_s, u"Scenario file (JSON)."_s);
    const QCommandLineOption jsonOption(u"json"_s, u"Print the report as JSON only."_s);
    const QCommandLineOption dataDirOption(
        u"data-dir"_s, u"Keep the run's journal here (default: a temporary directory)."_s, u"DIR"_s);
    const QCommandLineOption configOption(
        u"config"_s, u"Config to run the pipeline with (default: one source per provider, generated secrets)."_s,
        u"FILE"_s);
    parser.addOptions({jsonOption, dataDirOption, configOption});
    QStringList arguments = QCoreApplication::arguments();
    arguments.removeAt(1); // "scenario": not a positional argument of its own
    g_jsonErrors = arguments.contains(u"--json"_s);
    if (!parser.parse(arguments))
        return usageError(parser.errorText());
    if (parser.isSet(helpOption)) {
        print(helpWithUsage(parser, u"scenario"_s).toUtf8());
        return 0;
    }
    const QStringList args = parser.positionalArguments();
    if (args.size() != 1)
        return usageError(
            u"give one scenario FILE: hookbench scenario FILE [--json] [--data-dir DIR] [--config FILE]"_s);

    auto loaded = scenario::Scenario::load(args.at(0));
    if (!loaded)
        return usageError(loaded.error().message);
    const scenario::Scenario scenario = *loaded;

    auto config = parser.isSet(configOption)
                      ? config::ConfigLoader::loadFile(parser.value(configOption))
                      : config::ConfigLoader::parse(config::ConfigLoader::exampleConfigJson(), u"<scenario>"_s);
    if (!config)
        return usageError(config.error().message);
    config->listenAddress = QHostAddress(QHostAddress::LocalHost);
    config->listenPort = 0;
    for (config::SourceConfig &source : config->sources) {
        if (source.entityKeyPointer.isEmpty() && (source.provider == u"none"_s || source.provider == u"generic-hmac"_s))
            source.entityKeyPointer = u"/hookbench_scenario/entity"_s;
        if (scenario.retry)
            source.retry = scenario.retry;
        if (scenario.simulate)
            source.simulate = scenario.simulate;
    }

    QTemporaryDir tempDir;
    const QString dataDir = parser.isSet(dataDirOption) ? parser.value(dataDirOption) : tempDir.path();
    pipeline::PipelineOptions options;
    options.config = *config;
    options.dataDir = dataDir;
    auto started = pipeline::IngestPipeline::start(std::move(options));
    if (!started)
        return usageError(started.error().message);
    std::unique_ptr<pipeline::IngestPipeline> ingest = std::move(*started);

    scenario::ScenarioTarget target;
    target.listenAddress = ingest->listenAddress();
    target.config = ingest->config();
    target.databasePath = ingest->databasePath();
    target.processor = ingest->processor();
    scenario::ScenarioRunner runner(target);
    QJsonObject report;
    QObject::connect(&runner, &scenario::ScenarioRunner::finished, &app, [&report](const scenario::ScenarioReport &r) {
        report = r.toJson();
        QCoreApplication::quit();
    });
    QObject::connect(&runner, &scenario::ScenarioRunner::demoFinished, &app, [&report](const QJsonObject &r) {
        report = r;
        QCoreApplication::quit();
    });
    QMetaObject::invokeMethod(
        &runner, [&runner, scenario] { runner.start(scenario); }, Qt::QueuedConnection);
    app.exec();
    ingest->stop(5000);

    print(parser.isSet(jsonOption) ? QJsonDocument(report).toJson(QJsonDocument::Indented) : summary(report));
    return report.value(u"ok"_s).toBool() ? 0 : 1;
}

} // namespace hookbench::app
