// hookbench-stage-costs: what each stage of the ingest path costs on this machine when it runs
// alone, with nothing else competing for the cores. The ingest benchmark measures the whole
// pipeline; this says where a request's CPU goes and what the stages' sum leaves for a target.
//
//   hookbench-stage-costs [--count N] [--window W] [--stage NAME] [--linger MS]
//
// Stages, each on the real component with the ingest benchmark's request (Stripe-signed ~1 KiB
// event, unique id, customer key):
//   verify   the receiver thread's per-request work without I/O: Stripe verification, body
//            parse, idempotency/entity/event-type keys (one thread, CPU per request);
//   journal  JournalWriter: dedup claim + journal insert, then the delivery mark, W requests
//            outstanding as W waiting HTTP clients would keep them (group commits);
//   kafka    Producer → embedded cluster (3 brokers, 6 partitions, acks=all, idempotent,
//            Hookbench's linger.ms unless --linger), the pipeline's six headers, W outstanding,
//            until each delivery report. --window 1 is a lone webhook's wait; the choice of
//            linger.ms in core/kafka/producer.cpp comes from this stage.
// CPU is the whole process's (getrusage), so the writer, checkpointer and broker threads count.

#include <sys/resource.h>
#include <time.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>

#include "core/config/config.h"
#include "core/kafka/embedded_cluster.h"
#include "core/kafka/producer.h"
#include "core/providers/body_parser.h"
#include "core/providers/provider_registry.h"
#include "core/store/journal_writer.h"

using namespace Qt::StringLiterals;
using namespace hookbench;

namespace {

constexpr int kWarmUp = 1000; // connection set-up, first pages and topics are not what we measure

double processCpuMicros()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e6
           + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
}

double threadCpuMicros()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e6 + double(ts.tv_nsec) / 1e3;
}

// The body make-stripe-requests.py writes: ~1 KiB, unique id, one of 1000 customers.
QByteArray eventBody(int i, qint64 created)
{
    QJsonObject object{{u"id"_s, u"in_%1"_s.arg(i)},
                       {u"object"_s, u"invoice"_s},
                       {u"customer"_s, u"cus_%1"_s.arg(i * 7 % 1000, 4, 10, QLatin1Char('0'))},
                       {u"amount_paid"_s, 2000},
                       {u"currency"_s, u"usd"_s},
                       {u"description"_s, QString(700, u'x')}};
    QJsonObject event{{u"id"_s, u"evt_stage_%1_%2"_s.arg(created).arg(i)},
                      {u"object"_s, u"event"_s},
                      {u"type"_s, u"invoice.paid"_s},
                      {u"created"_s, created},
                      {u"data"_s, QJsonObject{{u"object"_s, object}}}};
    return QJsonDocument(event).toJson(QJsonDocument::Compact);
}

http::HttpRequest signedRequest(int i, qint64 now, const QByteArray &secret)
{
    http::HttpRequest request;
    request.method = "POST";
    request.target = "/webhooks/stripe";
    request.body = eventBody(i, now);
    const QByteArray signedPayload = QByteArray::number(now) + '.' + request.body;
    const QByteArray mac = QMessageAuthenticationCode::hash(signedPayload, secret, QCryptographicHash::Sha256).toHex();
    request.headers = {{"Host", "127.0.0.1:18088"},
                       {"Content-Type", "application/json"},
                       {"Content-Length", QByteArray::number(request.body.size())},
                       {"Stripe-Signature", "t=" + QByteArray::number(now) + ",v1=" + mac}};
    request.remoteAddress = QHostAddress::LocalHost;
    request.receivedAtMs = now * 1000;
    return request;
}

struct Figure
{
    double perSecond = 0;
    double cpuMicrosEach = 0;
    double p50Ms = 0; // from start to completion of one job (windowed stages)
    double p99Ms = 0;
    double maxMs = 0;
};

Figure measureVerify(int count)
{
    config::SourceConfig source;
    source.name = u"stripe"_s;
    source.provider = u"stripe"_s;
    source.secrets = {"whsec_stage_costs"};
    const providers::Verifier *verifier = providers::ProviderRegistry::find(source.provider);
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    QList<http::HttpRequest> requests;
    requests.reserve(count);
    for (int i = 0; i < count; ++i)
        requests.append(signedRequest(i, now, source.secrets.first()));

    int accepted = 0;
    const double cpuStart = threadCpuMicros();
    QElapsedTimer wall;
    wall.start();
    for (const http::HttpRequest &request : std::as_const(requests)) {
        const providers::VerifyResult verdict = verifier->verify(providers::VerifyInput{request, source, now});
        const providers::ParsedBody body = providers::BodyParser::parse(request);
        const providers::IdempotencyKey key = verifier->idempotencyKey(request, body);
        const QByteArray entity = verifier->entityKey(request, body, source);
        const QString type = verifier->eventType(request, body, source);
        if (verdict.ok && body.isJson && !key.key.isEmpty() && !entity.isEmpty() && !type.isEmpty())
            ++accepted;
    }
    const double cpu = threadCpuMicros() - cpuStart;
    if (accepted != count)
        std::fprintf(stderr, "verify: only %d of %d requests passed\n", accepted, count);
    return {count / (double(wall.nsecsElapsed()) / 1e9), cpu / count};
}

// Keeps `window` jobs outstanding: `start(i)` begins job i, which reports its end through the
// function handed to `bindDone` (with its i); returns once `count` jobs after the warm-up are done.
template <typename Start>
Figure runWindowed(int count, int window, Start start, const std::function<void(std::function<void(int)>)> &bindDone)
{
    const int total = kWarmUp + count;
    int started = 0;
    int done = 0;
    double cpuStart = 0;
    QElapsedTimer wall;
    QElapsedTimer clock;
    clock.start();
    QList<qint64> startedAt(total, 0);
    QList<qint64> latencies;
    latencies.reserve(count);
    QEventLoop loop;
    const auto startNext = [&] {
        startedAt[started] = clock.nsecsElapsed();
        start(started++);
    };
    bindDone([&](int i) {
        ++done;
        if (i >= kWarmUp)
            latencies.append(clock.nsecsElapsed() - startedAt.at(i));
        if (done == kWarmUp) {
            cpuStart = processCpuMicros();
            wall.start();
        }
        if (done == total)
            loop.quit();
        else if (started < total)
            startNext();
    });
    while (started < window && started < total)
        startNext();
    QTimer::singleShot(600'000, &loop, &QEventLoop::quit); // a stuck stage ends the run, not the machine
    loop.exec();
    if (done < total) {
        std::fprintf(stderr, "only %d of %d jobs finished\n", done, total);
        return {};
    }
    const double seconds = double(wall.nsecsElapsed()) / 1e9;
    std::sort(latencies.begin(), latencies.end());
    const auto at = [&latencies](double q) {
        return double(latencies.at(std::min(latencies.size() - 1, qsizetype(double(latencies.size()) * q)))) / 1e6;
    };
    return {count / seconds, (processCpuMicros() - cpuStart) / count, at(0.5), at(0.99), at(1.0)};
}

Figure measureJournal(int count, int window)
{
    QTemporaryDir dir;
    auto opened = store::JournalWriter::open(dir.filePath(u"hookbench.db"_s));
    if (!opened) {
        std::fprintf(stderr, "journal: %s\n", qPrintable(opened.error().message));
        return {};
    }
    std::unique_ptr<store::JournalWriter> writer = std::move(opened).value();
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    // Built beforehand: making and signing bodies is the sender's work, not the journal's.
    QList<http::HttpRequest> requests;
    for (int i = 0; i < 1000; ++i)
        requests.append(signedRequest(i, now, "whsec_stage_costs"));
    QObject context;
    std::function<void(int)> finished;
    const auto start = [&](int i) {
        const http::HttpRequest &request = requests.at(i % requests.size());
        store::JournalEntry entry;
        entry.receivedAtMs = request.receivedAtMs;
        entry.source = u"stripe"_s;
        entry.method = request.method;
        entry.target = request.target;
        entry.headers = request.headers;
        entry.body = request.body;
        entry.remoteAddress = u"127.0.0.1"_s;
        entry.remotePort = 40000;
        entry.verdict = store::Verdict::Accepted;
        entry.verification = R"({"ok":true,"matched_secret":0,"skew_seconds":0})";
        entry.idempotencyKey = "evt_stage_" + QByteArray::number(now) + '_' + QByteArray::number(i);
        entry.idempotencyOrigin = u"/id"_s;
        entry.entityKey = "cus_" + QByteArray::number(i * 7 % 1000);
        entry.eventType = u"invoice.paid"_s;
        entry.topic = u"webhooks.stripe"_s;
        entry.kafkaState = store::KafkaState::Pending;
        writer->ingest(std::move(entry), true, 259'200'000, &context, [&, i](const store::IngestOutcome &outcome) {
            if (outcome.failed || outcome.duplicate) {
                std::fprintf(stderr, "journal: entry %d %s\n", i, outcome.failed ? "failed" : "was a duplicate");
                return;
            }
            // As the delivery report does: the position, then the answer; the next request
            // comes in as this one is answered.
            writer->markDelivered(outcome.id, i % 6, i, now * 1000, store::Verdict::Accepted, 200);
            finished(i);
        });
    };
    return runWindowed(count, window, start, [&](std::function<void(int)> done) { finished = std::move(done); });
}

Figure measureKafka(int count, int window, const QString &linger)
{
    auto cluster = kafka::EmbeddedCluster::start(3, 6);
    if (!cluster) {
        std::fprintf(stderr, "kafka: %s\n", qPrintable(cluster.error().message));
        return {};
    }
    const QString topic = u"webhooks.stripe"_s;
    if (auto created = cluster.value()->createTopic(topic, 6); !created) {
        std::fprintf(stderr, "kafka: %s\n", qPrintable(created.error().message));
        return {};
    }
    kafka::ProducerSettings settings;
    settings.bootstrap = cluster.value()->bootstrap();
    if (!linger.isEmpty())
        settings.properties.insert(u"linger.ms"_s, linger);
    auto producer = kafka::Producer::create(settings);
    if (!producer) {
        std::fprintf(stderr, "kafka: %s\n", qPrintable(producer.error().message));
        return {};
    }
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    QList<QByteArray> bodies;
    for (int i = 0; i < 1000; ++i)
        bodies.append(eventBody(i, now));
    QObject context;
    std::function<void(int)> finished;
    int failures = 0;
    QObject::connect(producer.value().get(), &kafka::Producer::delivered, &context,
                     [&](const QList<kafka::DeliveryReport> &reports) {
                         for (const kafka::DeliveryReport &report : reports) {
                             if (!report.ok)
                                 ++failures;
                             finished(int(report.opaque - 1));
                         }
                     });
    const auto start = [&](int i) {
        kafka::ProduceRequest request;
        request.topic = topic;
        request.key = "cus_" + QByteArray::number(i * 7 % 1000);
        request.value = bodies.at(i % bodies.size());
        request.opaque = i + 1;
        request.headers = {{"hookbench-source", "stripe"},
                           {"idempotency-key", "evt_stage_" + QByteArray::number(i)},
                           {"received-at", "2026-11-23T12:00:00.000Z"},
                           {"content-type", "application/json"},
                           {"event-type", "invoice.paid"},
                           {"hookbench-journal-id", QByteArray::number(i + 1)}};
        if (!producer.value()->produce(request)) {
            ++failures;
            finished(i);
        }
    };
    const Figure figure =
        runWindowed(count, window, start, [&](std::function<void(int)> done) { finished = std::move(done); });
    if (failures > 0)
        std::fprintf(stderr, "kafka: %d produce failures\n", failures);
    return figure;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"hookbench-stage-costs"_s);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"CPU cost and rate of each ingest stage alone on this machine."_s);
    parser.addHelpOption();
    const QCommandLineOption countOption(u"count"_s, u"Requests per stage (after a warm-up of 1000)."_s, u"N"_s,
                                         u"20000"_s);
    const QCommandLineOption windowOption(u"window"_s, u"Requests outstanding (the HTTP connections)."_s, u"W"_s,
                                          u"32"_s);
    const QCommandLineOption stageOption(u"stage"_s, u"Measure only this stage: verify, journal or kafka."_s,
                                         u"name"_s);
    parser.addOption(countOption);
    parser.addOption(windowOption);
    const QCommandLineOption lingerOption(u"linger"_s, u"linger.ms for the kafka stage (default: Hookbench's)."_s,
                                          u"MS"_s);
    parser.addOption(stageOption);
    parser.addOption(lingerOption);
    parser.process(app);
    const int count = std::max(1, parser.value(countOption).toInt());
    const int window = std::max(1, parser.value(windowOption).toInt());
    const QString only = parser.value(stageOption);
    if (!only.isEmpty() && only != u"verify"_s && only != u"journal"_s && only != u"kafka"_s) {
        std::fprintf(stderr, "--stage: \"%s\" is not a stage (verify, journal, kafka)\n", qPrintable(only));
        return 2;
    }
    const auto wanted = [&only](const QString &stage) { return only.isEmpty() || only == stage; };

    double sum = 0;
    bool ok = true;
    // One line per stage; a windowed stage adds its latency percentiles.
    const auto report = [&](const char *stage, const char *rate, const char *unit, const Figure &figure,
                            bool windowed) {
        std::printf("%-8s %8.0f %s ", stage, figure.perSecond, rate);
        if (windowed)
            std::printf("(%d outstanding) %6.1f us CPU per %s   latency p50 %.1f p99 %.1f max %.1f ms\n", window,
                        figure.cpuMicrosEach, unit, figure.p50Ms, figure.p99Ms, figure.maxMs);
        else
            std::printf("on one thread   %6.1f us CPU per %s\n", figure.cpuMicrosEach, unit);
        std::fflush(stdout);
        sum += figure.cpuMicrosEach;
        ok = ok && figure.perSecond > 0;
    };
    if (wanted(u"verify"_s))
        report("verify", "req/s", "request", measureVerify(count), false);
    if (wanted(u"journal"_s))
        report("journal", "entries/s", "entry", measureJournal(count, window), true);
    if (wanted(u"kafka"_s))
        report("kafka", "msg/s", "message", measureKafka(count, window, parser.value(lingerOption)), true);
    if (only.isEmpty())
        std::printf("sum      %6.1f us CPU per request without HTTP\n", sum);
    return ok ? 0 : 1;
}
