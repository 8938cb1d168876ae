#include "core/capture/replay_runner.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QTimer>
#include <QUuid>

#include "core/pipeline/ingest_pipeline.h"
#include "core/providers/body_parser.h"
#include "core/providers/provider_registry.h"
#include "core/replay/loopback_client.h"
#include "core/replay/loopback_pool.h"
#include "core/store/journal_entry.h"
#include "core/store/journal_writer.h"

using namespace Qt::StringLiterals;

namespace hookbench::capture {

namespace {

// Where answers from the ingest thread are posted; cleared when the runner goes away.
struct Mailbox
{
    QMutex mutex;
    ReplayRunner *runner = nullptr;
};

ReplaySendResult fromAnswer(ReplaySendResult result, int httpStatus, const QByteArray &body)
{
    const QJsonObject answer = QJsonDocument::fromJson(body).object();
    result.httpStatus = httpStatus;
    result.status = answer.value(u"status"_s).toString();
    result.reason = answer.value(u"reason"_s).toString();
    result.journalId = answer.value(u"id"_s).toInteger();
    result.topic = answer.value(u"topic"_s).toString();
    result.partition = static_cast<int>(answer.value(u"partition"_s).toInteger(-1));
    result.offset = answer.value(u"offset"_s).toInteger(-1);
    if (result.status.isEmpty())
        result.status = httpStatus >= 400 ? u"rejected"_s : u"error"_s;
    return result;
}

} // namespace

struct ReplayRunner::Prepared
{
    http::HttpRequest request;
    const config::SourceConfig *source = nullptr;
    QByteArray entityKey;
    QString error; // preparing failed: the send fails with this
};

struct ReplayRunner::Private
{
    ReplayCollection collection;
    ReplayRunnerEnvironment env;
    QList<PlannedSend> plan;
    QList<Prepared> prepared;   // one per plan position (a duplicate shares its original's bytes)
    QList<int> capturePosition; // capture index → position in capture order
    QList<bool> answeredFlags;
    int next = 0;
    int inFlight = 0;
    int answeredCount = 0;
    bool running = false;
    bool cancelled = false;
    bool waiting = false; // a pace timer is pending
    QElapsedTimer clock;
    qint64 lastProgressMs = -1;
    ReplayReport report;
    std::shared_ptr<Mailbox> mailbox = std::make_shared<Mailbox>();
    replay::LoopbackPool *pool = nullptr; // receiver mode: kept-alive connections, one per send in flight
};

ReplayRunner::ReplayRunner(ReplayCollection collection, ReplayRunnerEnvironment env, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    qRegisterMetaType<hookbench::capture::ReplayReport>();
    d->collection = std::move(collection);
    d->env = std::move(env);
    d->mailbox->runner = this;
}

ReplayRunner::~ReplayRunner()
{
    const QMutexLocker lock(&d->mailbox->mutex);
    d->mailbox->runner = nullptr;
}

bool ReplayRunner::isRunning() const
{
    return d->running;
}

void ReplayRunner::cancel()
{
    d->cancelled = true;
    if (d->running && d->inFlight == 0)
        finish();
}

void ReplayRunner::prepare()
{
    const ReplayOptions &options = d->collection.options;
    d->plan = d->collection.plan();
    // Capture order positions for the order check (as captured = by time, then position).
    QList<int> order;
    for (int i = 0; i < d->collection.captures.size(); ++i)
        order.append(i);
    std::stable_sort(order.begin(), order.end(), [this](int a, int b) {
        return d->collection.captures.at(a).timeMs < d->collection.captures.at(b).timeMs;
    });
    d->capturePosition.resize(d->collection.captures.size());
    for (int k = 0; k < order.size(); ++k)
        d->capturePosition[order.at(k)] = k;

    d->prepared.clear();
    d->prepared.reserve(d->plan.size());
    for (const PlannedSend &send : std::as_const(d->plan)) {
        if (send.duplicate && !d->prepared.isEmpty()) {
            d->prepared.append(d->prepared.constLast()); // the same bytes again
            continue;
        }
        const Capture &capture = d->collection.captures.at(send.capture);
        Prepared p;
        p.request = capture.toRequest();
        const QString sourceName = !options.targetSource.isEmpty() ? options.targetSource
                                   : !capture.source.isEmpty()     ? capture.source
                                                                   : capture.sourceFromTarget();
        if (!options.targetSource.isEmpty()) {
            const QByteArray query = p.request.query();
            p.request.target = "/webhooks/" + QUrl::toPercentEncoding(options.targetSource);
            if (!query.isEmpty())
                p.request.target += '?' + query;
        }
        // The request goes to another host than it was captured on; the rest is sent as captured.
        for (auto &[name, value] : p.request.headers) {
            if (name.compare("Host", Qt::CaseInsensitive) == 0 && !d->env.receiverAddress.isEmpty())
                value = d->env.receiverAddress.toUtf8();
        }
        p.source = d->env.config.source(sourceName);
        const providers::Verifier *verifier =
            p.source ? providers::ProviderRegistry::find(p.source->provider) : nullptr;
        if (options.mintIdempotencyKeys && verifier) {
            const QByteArray key = "replay-" + QUuid::createUuid().toString(QUuid::WithoutBraces).toLatin1();
            if (auto rekeyed = verifier->setIdempotencyKey(p.request, key); !rekeyed)
                p.error = rekeyed.error().message;
        } else if (options.mintIdempotencyKeys) {
            p.error = u"cannot mint an idempotency key: no source \"%1\" in the config"_s.arg(sourceName);
        }
        // A minted key changes the signed content (a body id, or a header the provider signs), so
        // minting signs again too: the captured signature would no longer match.
        if (p.error.isEmpty() && (options.resign || options.mintIdempotencyKeys)) {
            if (!p.source || !verifier) {
                p.error = u"cannot re-sign: no source \"%1\" in the config"_s.arg(sourceName);
            } else if (p.source->provider != u"none"_s) {
                verifier->bindBody(p.request);
                const auto signature = verifier->signRequest(
                    providers::SignInput{p.request, *p.source, p.source->secrets.value(0), d->env.clock->nowSecs()});
                if (!signature)
                    p.error = signature.error().message;
                else
                    for (const auto &[name, value] : *signature)
                        providers::Verifier::replaceHeader(p.request.headers, name, value);
            }
        }
        if (verifier)
            p.entityKey = verifier->entityKey(p.request, providers::BodyParser::parse(p.request), *p.source);
        d->prepared.append(std::move(p));
    }
}

void ReplayRunner::start()
{
    if (d->running)
        return;
    d->running = true;
    d->cancelled = false;
    prepare();
    d->report = ReplayReport{};
    d->report.mode = replay::replayModeName(d->collection.options.mode);
    d->report.planned = static_cast<int>(d->plan.size());
    d->report.results.resize(d->plan.size());
    d->answeredFlags = QList<bool>(d->plan.size(), false);
    d->next = 0;
    d->inFlight = 0;
    d->answeredCount = 0;
    // Order per entity is a property of the send order (answers may come back in another order):
    // a send whose capture came before one already sent for the same entity, within a round.
    QHash<QPair<int, QByteArray>, int> lastPosition;
    for (qsizetype i = 0; i < d->plan.size(); ++i) {
        const PlannedSend &send = d->plan.at(i);
        const QByteArray &entity = d->prepared.at(i).entityKey;
        if (send.duplicate || entity.isEmpty())
            continue;
        const auto slot = qMakePair(send.round, entity);
        const int position = d->capturePosition.value(send.capture);
        auto last = lastPosition.find(slot);
        if (last == lastPosition.end()) {
            lastPosition.insert(slot, position);
        } else if (position < *last) {
            ++d->report.orderViolations[entity];
        } else {
            *last = position;
        }
    }
    d->clock.start();
    emit progress(0, d->report.planned);
    if (d->plan.isEmpty()) {
        finish();
        return;
    }
    pump();
}

void ReplayRunner::pump()
{
    const ReplayOptions &options = d->collection.options;
    const int window = options.pace == ReplayPace::AsFastAsPossible ? std::max(1, options.concurrency) : 64;
    if (options.mode == replay::ReplayMode::Receiver && !d->pool)
        d->pool = new replay::LoopbackPool(d->env.receiverAddress, window, this);
    while (!d->cancelled && !d->waiting && d->next < d->plan.size() && d->inFlight < window) {
        const PlannedSend &send = d->plan.at(d->next);
        // A duplicate follows its original's answer, so the claim it must hit exists.
        if (send.duplicate && d->next > 0 && !d->answeredFlags.at(d->next - 1))
            return;
        if (send.delayMs > 0) {
            d->waiting = true;
            QTimer::singleShot(std::chrono::milliseconds(send.delayMs), this, [this] {
                d->waiting = false;
                d->plan[d->next].delayMs = 0; // waited
                pump();
            });
            return;
        }
        sendOne(d->next++);
    }
}

void ReplayRunner::sendOne(int sequence)
{
    const PlannedSend &send = d->plan.at(sequence);
    const Prepared &p = d->prepared.at(sequence);
    ReplaySendResult base;
    base.sequence = sequence;
    base.capture = send.capture;
    base.duplicate = send.duplicate;
    base.entityKey = p.entityKey;
    ++d->inFlight;
    if (!p.error.isEmpty()) {
        base.status = u"error"_s;
        base.reason = p.error;
        QMetaObject::invokeMethod(
            this, [this, sequence, base] { answered(sequence, base); }, Qt::QueuedConnection);
        return;
    }

    if (d->collection.options.mode == replay::ReplayMode::Receiver) {
        d->pool->send(p.request, d->env.timeoutMs,
                      [this, sequence, base](const Result<replay::ReceiverAnswer> &answer) {
                          if (!answer) {
                              ReplaySendResult failed = base;
                              failed.status = u"error"_s;
                              failed.reason = answer.error().message;
                              answered(sequence, failed);
                              return;
                          }
                          answered(sequence, fromAnswer(base, answer->status, answer->body));
                      });
        return;
    }

    // Topic mode: journaled as accepted (no verification, no dedup claim), then produced.
    pipeline::IngestPipeline *pipeline = d->env.pipeline;
    if (!pipeline || !p.source) {
        ReplaySendResult failed = base;
        failed.status = u"error"_s;
        failed.reason = !pipeline ? u"topic mode needs the pipeline of this process"_s
                                  : u"no such source in the config: %1"_s.arg(QString::fromUtf8(p.request.path()));
        QMetaObject::invokeMethod(
            this, [this, sequence, failed] { answered(sequence, failed); }, Qt::QueuedConnection);
        return;
    }
    const providers::Verifier *verifier = providers::ProviderRegistry::find(p.source->provider);
    store::JournalEntry entry;
    entry.receivedAtMs = d->env.clock->nowMs();
    entry.source = p.source->name;
    entry.method = p.request.method;
    entry.target = p.request.target;
    entry.headers = p.request.headers;
    entry.body = p.request.body;
    entry.remoteAddress = u"capture-replay"_s;
    entry.verdict = store::Verdict::Accepted;
    entry.verification =
        QJsonDocument(
            QJsonObject{{u"ok"_s, true}, {u"mode"_s, u"topic"_s}, {u"verified"_s, false}, {u"capture_replay"_s, true}})
            .toJson(QJsonDocument::Compact);
    const providers::ParsedBody parsed = providers::BodyParser::parse(p.request);
    providers::IdempotencyKey key =
        verifier ? verifier->idempotencyKey(p.request, parsed) : providers::IdempotencyKey{};
    if (key.key.isEmpty())
        key = providers::Verifier::bodyHashKey(p.request.body);
    entry.idempotencyKey = key.key;
    entry.idempotencyOrigin = key.origin;
    entry.entityKey = p.entityKey;
    entry.eventType = verifier ? verifier->eventType(p.request, parsed, *p.source) : QString();
    entry.topic = p.source->effectiveTopic();
    entry.kafkaState = store::KafkaState::Pending;
    pipeline->journalWriter().ingest(
        entry, false, 0, this, [this, sequence, base, entry, pipeline](const store::IngestOutcome &outcome) {
            if (outcome.failed) {
                ReplaySendResult failed = base;
                failed.status = u"error"_s;
                failed.reason = u"journal: "_s % outcome.error;
                answered(sequence, failed);
                return;
            }
            store::JournalEntry journaled = entry;
            journaled.id = outcome.id;
            pipeline->produceJournaled(
                journaled,
                http::Responder([mailbox = d->mailbox, sequence, base, id = outcome.id](http::HttpResponse response) {
                    const QMutexLocker lock(&mailbox->mutex);
                    if (!mailbox->runner)
                        return;
                    ReplayRunner *runner = mailbox->runner;
                    QMetaObject::invokeMethod(
                        runner,
                        [runner, sequence, base, id, status = response.status, body = response.body] {
                            ReplaySendResult result = fromAnswer(base, status, body);
                            result.journalId = id;
                            runner->answered(sequence, result);
                        },
                        Qt::QueuedConnection);
                }));
        });
}

void ReplayRunner::answered(int sequence, ReplaySendResult result)
{
    --d->inFlight;
    ++d->answeredCount;
    d->answeredFlags[sequence] = true;
    ReplayReport &r = d->report;
    ++r.sent;
    r.results[sequence] = result;
    const bool transportError = result.httpStatus == 0;
    const QString key = transportError ? u"error"_s : u"%1 %2"_s.arg(result.httpStatus).arg(result.status);
    ++r.statusCounts[key];
    if (transportError || result.httpStatus >= 400) {
        ++r.failed;
        r.failures.append(u"send %1 (capture %2): %3 %4"_s.arg(sequence)
                              .arg(d->collection.captures.at(result.capture).entryIndex)
                              .arg(key, result.reason));
    }
    if (result.status == u"duplicate"_s)
        ++r.dedupCatches;
    if (result.duplicate) {
        ++r.duplicatesInjected;
        if (d->collection.options.mode == replay::ReplayMode::Receiver
            && (result.status == u"accepted"_s || result.status == u"queued"_s))
            ++r.duplicatesMissed;
    }
    const qint64 now = d->clock.elapsed();
    if (now - d->lastProgressMs >= 100) {
        d->lastProgressMs = now;
        emit progress(d->answeredCount, r.planned);
    }
    if ((d->next >= d->plan.size() || d->cancelled) && d->inFlight == 0) {
        finish();
        return;
    }
    pump();
}

void ReplayRunner::finish()
{
    if (!d->running)
        return;
    d->running = false;
    d->report.elapsedMs = d->clock.elapsed();
    // Journal ids in send order (answers may have come back in another order).
    for (const ReplaySendResult &result : std::as_const(d->report.results)) {
        if (result.journalId > 0)
            d->report.journalIds.append(result.journalId);
    }
    emit progress(d->answeredCount, d->report.planned);
    emit finished(d->report);
}

} // namespace hookbench::capture
