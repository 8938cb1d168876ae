#include "core/scenario/scenario_runner.h"

#include <algorithm>
#include <random>

#include <QElapsedTimer>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <QSet>
#include <QTimer>
#include <QUuid>

#include "core/processing/event_processor.h"
#include "core/providers/provider_registry.h"
#include "core/replay/loopback_client.h"
#include "core/samples/sample_event_factory.h"
#include "core/scenario/provider_schedule.h"
#include "core/store/journal_query.h"
#include "core/store/processing_query.h"
#include "core/util/json_pointer.h"

using namespace Qt::StringLiterals;

namespace hookbench::scenario {

namespace {

constexpr int kAnswerTimeoutMs = 30'000;
constexpr int kPumpMs = 5;
constexpr int kSettlePollMs = 200;
const QString kPayloadField = u"hookbench_scenario"_s;

// The receiver's answer, as far as a report needs it.
struct Answer
{
    int httpStatus = 0; // 0: no answer
    QString status;     // accepted, queued, duplicate, rejected, error; "unanswered" without one
    QString reason;
    qint64 id = 0;
    qint64 duplicateOf = 0;
    qint64 atMs = 0; // since the run started
};

Answer readAnswer(const Result<replay::ReceiverAnswer> &result)
{
    Answer a;
    if (!result) {
        a.status = u"unanswered"_s;
        a.reason = result.error().message;
        return a;
    }
    a.httpStatus = result->status;
    const QJsonObject body = QJsonDocument::fromJson(result->body).object();
    a.status = body.value(u"status"_s).toString(u"unknown"_s);
    a.reason = body.value(u"reason"_s).toString();
    a.id = body.value(u"id"_s).toInteger();
    a.duplicateOf = body.value(u"duplicate_of"_s).toInteger();
    return a;
}

QJsonObject answerJson(const Answer &a)
{
    QJsonObject o{{u"http_status"_s, a.httpStatus}, {u"status"_s, a.status}, {u"at_ms"_s, a.atMs}};
    if (!a.reason.isEmpty())
        o.insert(u"reason"_s, a.reason);
    if (a.id > 0)
        o.insert(u"journal_id"_s, a.id);
    if (a.duplicateOf > 0)
        o.insert(u"duplicate_of"_s, a.duplicateOf);
    return o;
}

// Sets the value at a JSON Pointer's tokens, creating objects on the way.
QJsonValue setAt(const QJsonValue &node, const QStringList &tokens, qsizetype i, const QJsonValue &value)
{
    if (i == tokens.size())
        return value;
    if (node.isArray()) {
        QJsonArray array = node.toArray();
        bool ok = false;
        const int index = tokens.at(i).toInt(&ok);
        if (ok && index >= 0 && index < array.size())
            array[index] = setAt(array.at(index), tokens, i + 1, value);
        return array;
    }
    QJsonObject object = node.toObject();
    object.insert(tokens.at(i), setAt(object.value(tokens.at(i)), tokens, i + 1, value));
    return object;
}

bool isFinal(store::ProcessingState state)
{
    return state != store::ProcessingState::Pending && state != store::ProcessingState::Retrying;
}

} // namespace

struct ScenarioRunner::Private
{
    struct Event
    {
        const config::SourceConfig *source = nullptr;
        QString entity;
        qint64 seq = 0;
        http::HttpRequest request;
        bool isSigned = false;
    };
    struct Send
    {
        int event = 0;
        bool duplicate = false;
        double order = 0; // sort key while planning
    };

    ScenarioRunner *q = nullptr;
    ScenarioTarget target;
    samples::SampleEventFactory factory;
    std::unique_ptr<store::JournalQuery> journal;
    std::unique_ptr<store::ProcessingQuery> processing;

    bool busy = false;
    bool cancelled = false;
    Scenario scenario;
    ScenarioReport report;
    QString runId;
    QElapsedTimer elapsed;
    QList<Event> events;
    QList<Send> sends;
    int nextSend = 0;
    int inFlight = 0;
    int answered = 0;
    QList<qint64> answeredIds;
    QList<qint64> uniqueIds; // journal ids of accepted or queued deliveries
    QTimer *pump = nullptr;
    QTimer *settleTimer = nullptr;
    qint64 settleDeadlineMs = 0;
    QTimer *attemptTimer = nullptr; // the provider-retry demo's wait for its next attempt
    qsizetype pendingAttempt = 0;
    QList<Answer> demoAnswers;
    // The provider-retry demo: one event, re-delivered at the schedule's offsets.
    const config::SourceConfig *retrySource = nullptr;
    http::HttpRequest retryRequest;
    QList<qint64> retryOffsets;
    QJsonObject demoReport;

    explicit Private(ScenarioTarget t) : target(std::move(t)), factory(*target.clock) {}

    Result<void> openQueries();
    const config::SourceConfig *sourceFor(const QString &provider) const;
    Result<http::HttpRequest> makeEvent(const config::SourceConfig &source, const QString &entity, qint64 seq) const;
    Result<void> sign(const config::SourceConfig &source, http::HttpRequest &request) const;
    void applySettings(const QList<const config::SourceConfig *> &sources);

    void runEvents();
    void pumpSends();
    void onAnswer(const Answer &answer);
    void pollSettled();
    void analyse();
    void finishEvents();

    void runDedupRace();
    void runProviderRetry();
    void scheduleProviderAttempt(qsizetype k);
    void sendProviderAttempt(qsizetype k);
    void finishProviderRetry();
    void finishDemo(QJsonObject report);
};

Result<void> ScenarioRunner::Private::openQueries()
{
    if (!journal) {
        auto opened = store::JournalQuery::open(target.databasePath);
        if (!opened)
            return opened.error();
        journal = std::move(*opened);
    }
    if (!processing) {
        auto opened = store::ProcessingQuery::open(target.databasePath);
        if (!opened)
            return opened.error();
        processing = std::move(*opened);
    }
    return {};
}

const config::SourceConfig *ScenarioRunner::Private::sourceFor(const QString &provider) const
{
    for (const config::SourceConfig &source : target.config.sources) {
        if (source.provider == provider)
            return &source;
    }
    return nullptr;
}

Result<http::HttpRequest> ScenarioRunner::Private::makeEvent(const config::SourceConfig &source, const QString &entity,
                                                             qint64 seq) const
{
    auto sample = factory.build(source);
    if (!sample)
        return sample.error();
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(sample->request.body, &parseError);
    if (!document.isObject())
        return Error{u"unsupported"_s, u"source %1: the %2 template is not a JSON object (form bodies are not "
                                       "supported in scenarios)"_s.arg(source.name, source.provider)};
    const providers::Verifier *verifier = providers::ProviderRegistry::find(source.provider);
    QString pointer = source.entityKeyPointer;
    if (pointer.isEmpty() && verifier)
        pointer = verifier->defaultEntityPointers().value(0);
    QJsonValue root = document.object();
    if (pointer.isEmpty() && scenario.kind == Scenario::Kind::Events) {
        return Error{u"unsupported"_s, u"source %1 (provider %2) has no entity key pointer: set its entity_key to "
                                       "/hookbench_scenario/entity"_s.arg(source.name, source.provider)};
    }
    if (!pointer.isEmpty()) {
        auto tokens = util::JsonPointer::parse(pointer);
        if (!tokens)
            return tokens.error();
        root = setAt(root, *tokens, 0, entity);
    }
    QJsonObject object = root.toObject();
    object.insert(kPayloadField, QJsonObject{{u"run"_s, runId}, {u"entity"_s, entity}, {u"seq"_s, seq}});
    sample->request.body = QJsonDocument(object).toJson(QJsonDocument::Indented);
    return sample->request;
}

Result<void> ScenarioRunner::Private::sign(const config::SourceConfig &source, http::HttpRequest &request) const
{
    const providers::Verifier *verifier = providers::ProviderRegistry::find(source.provider);
    if (!verifier)
        return Error{u"unknown_provider"_s, u"source %1: provider %2 is unknown"_s.arg(source.name, source.provider)};
    if (source.provider == u"none"_s)
        return {};
    if (source.secrets.isEmpty())
        return Error{u"no_secret"_s, u"source %1 has no secret to sign with"_s.arg(source.name)};
    verifier->bindBody(request);
    auto headers = verifier->signRequest({request, source, source.secrets.constFirst(), target.clock->nowSecs()});
    if (!headers)
        return headers.error();
    for (const auto &[name, value] : std::as_const(*headers))
        providers::Verifier::replaceHeader(request.headers, name, value);
    return {};
}

void ScenarioRunner::Private::applySettings(const QList<const config::SourceConfig *> &sources)
{
    QSet<QString> strategies;
    for (const config::SourceConfig *source : sources) {
        if (target.processor) {
            if (scenario.retry)
                (void)target.processor->setRetrySettings(source->name, *scenario.retry);
            if (scenario.simulate)
                (void)target.processor->setSimulateSettings(source->name, *scenario.simulate);
        }
        processing::RetrySettings retry = target.config.effectiveRetry(*source);
        if (scenario.retry)
            retry = *scenario.retry;
        else if (target.processor) {
            if (auto live = target.processor->sourceSettings(source->name))
                retry = live->first;
        }
        strategies.insert(processing::RetrySettings::strategyName(retry.strategy));
    }
    report.strategy = strategies.size() == 1 ? *strategies.cbegin() : u"mixed"_s;
}

// --- events ----------------------------------------------------------------------------------

void ScenarioRunner::Private::runEvents()
{
    QList<const config::SourceConfig *> sources;
    for (const QString &provider : std::as_const(scenario.providers)) {
        const config::SourceConfig *source = sourceFor(provider);
        if (!source) {
            report.problems << u"no source with provider %1 is configured"_s.arg(provider);
            finishEvents();
            return;
        }
        sources << source;
    }
    applySettings(sources);

    std::mt19937 rng(scenario.seed);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::uniform_int_distribution<int> entityOf(0, scenario.entities - 1);
    std::uniform_int_distribution<int> shift(1, scenario.outOfOrderWindow);
    const int total = scenario.totalEvents();
    QHash<int, qint64> nextSeq;
    events.reserve(total);
    for (int i = 0; i < total; ++i) {
        const int e = entityOf(rng);
        const config::SourceConfig *source = sources.at(e % sources.size());
        const QString entity = u"ent-"_s % runId % u'-' % QString::number(e);
        const qint64 seq = ++nextSeq[e];
        auto request = makeEvent(*source, entity, seq);
        if (!request) {
            report.problems << request.error().message;
            finishEvents();
            return;
        }
        events.append(Event{source, entity, seq, std::move(*request), false});
    }
    QList<int> order(total);
    for (int i = 0; i < total; ++i)
        order[i] = i;
    for (int i = 0; i < total; ++i) {
        if (unit(rng) < scenario.outOfOrderRate) {
            const int j = std::min(total - 1, i + shift(rng));
            if (j != i) {
                std::swap(order[i], order[j]);
                ++report.reordered;
            }
        }
    }
    for (int pos = 0; pos < total; ++pos) {
        sends.append(Send{order[pos], false, double(pos)});
        if (unit(rng) < scenario.duplicateRate) {
            sends.append(Send{order[pos], true, pos + shift(rng) - 0.5});
            ++report.duplicatesInjected;
        }
    }
    std::stable_sort(sends.begin(), sends.end(), [](const Send &a, const Send &b) { return a.order < b.order; });
    report.planned = total;
    elapsed.start();
    pump->start(kPumpMs);
    pumpSends();
}

void ScenarioRunner::Private::pumpSends()
{
    const qint64 allowed = scenario.rate > 0 ? qint64(double(elapsed.elapsed()) * scenario.rate / 1000.0) + 1
                                             : std::numeric_limits<qint64>::max();
    while (!cancelled && nextSend < sends.size() && inFlight < scenario.concurrency && nextSend < allowed) {
        const Send send = sends.at(nextSend++);
        Event &event = events[send.event];
        if (!event.isSigned) {
            if (Result<void> r = sign(*event.source, event.request); !r) {
                report.problems << r.error().message;
                cancelled = true;
                break;
            }
            event.isSigned = true;
        }
        ++inFlight;
        ++report.sent;
        replay::LoopbackClient::send(target.listenAddress, event.request, kAnswerTimeoutMs, q,
                                     [this](const Result<replay::ReceiverAnswer> &result) {
                                         Answer answer = readAnswer(result);
                                         answer.atMs = elapsed.elapsed();
                                         onAnswer(answer);
                                     });
    }
    if ((nextSend >= sends.size() || cancelled) && inFlight == 0 && busy && !settleTimer->isActive()) {
        pump->stop();
        settleDeadlineMs = elapsed.elapsed() + qint64(scenario.settleTimeoutS) * 1000;
        settleTimer->start(kSettlePollMs);
        pollSettled();
    }
}

void ScenarioRunner::Private::onAnswer(const Answer &answer)
{
    --inFlight;
    ++answered;
    if (answer.id > 0)
        answeredIds.append(answer.id);
    if (answer.status == u"accepted"_s)
        ++report.accepted;
    else if (answer.status == u"queued"_s)
        ++report.queued;
    else if (answer.status == u"duplicate"_s)
        ++report.duplicateAnswers;
    else if (answer.httpStatus == 0)
        ++report.failed;
    else
        ++report.rejected;
    if ((answer.status == u"accepted"_s || answer.status == u"queued"_s) && answer.id > 0)
        uniqueIds.append(answer.id);
    if ((answer.httpStatus == 0 || answer.httpStatus >= 400) && report.problems.size() < 5)
        report.problems << u"a delivery was answered %1 %2 %3"_s.arg(QString::number(answer.httpStatus), answer.status,
                                                                     answer.reason);
    Q_EMIT q->progress(u"sending"_s, answered, int(sends.size()));
    pumpSends();
}

void ScenarioRunner::Private::pollSettled()
{
    auto statuses = processing->statusOf(uniqueIds);
    if (!statuses) {
        report.problems << statuses.error().message;
        settleTimer->stop();
        analyse();
        return;
    }
    int finals = 0;
    for (auto it = statuses->cbegin(); it != statuses->cend(); ++it)
        finals += isFinal(it->state) ? 1 : 0;
    Q_EMIT q->progress(u"processing"_s, finals, int(uniqueIds.size()));
    report.settled = finals == uniqueIds.size();
    if (report.settled || cancelled || elapsed.elapsed() >= settleDeadlineMs) {
        settleTimer->stop();
        analyse();
    }
}

void ScenarioRunner::Private::analyse()
{
    struct Logged
    {
        qint64 id = 0;
        int partition = -1;
        qint64 offset = -1;
        qint64 seq = 0;
    };
    // (source, entity) -> its accepted events
    QMap<QPair<QString, QByteArray>, QList<Logged>> byEntity;
    QHash<qint64, qint64> seqOf;
    const QSet<qint64> unique(uniqueIds.cbegin(), uniqueIds.cend());
    for (qint64 id : std::as_const(answeredIds)) {
        auto entry = journal->entry(id);
        if (!entry || !*entry) {
            report.problems << u"journal entry %1 is missing"_s.arg(id);
            continue;
        }
        const store::JournalEntry &e = **entry;
        if (e.verdict == store::Verdict::Duplicate) {
            ++report.duplicatesCaught;
            continue;
        }
        if (!unique.contains(id))
            continue;
        const QJsonObject marker = QJsonDocument::fromJson(e.body).object().value(kPayloadField).toObject();
        const qint64 seq = marker.value(u"seq"_s).toInteger();
        seqOf.insert(id, seq);
        byEntity[{e.source, e.entityKey}].append(Logged{id, e.partition, e.offset, seq});
    }

    if (auto statuses = processing->statusOf(uniqueIds)) {
        for (auto it = statuses->cbegin(); it != statuses->cend(); ++it) {
            report.attempts += it->attempts;
            switch (it->state) {
            case store::ProcessingState::Done: ++report.done; break;
            case store::ProcessingState::Retrying: ++report.retrying; break;
            case store::ProcessingState::Pending: ++report.pending; break;
            default: ++report.deadLettered; break;
            }
        }
    }

    for (auto it = byEntity.begin(); it != byEntity.end(); ++it) {
        QList<Logged> &logged = it.value();
        // Received order (journal ids) against the sender's numbering: what the shuffle did.
        std::sort(logged.begin(), logged.end(), [](const Logged &a, const Logged &b) { return a.id < b.id; });
        qint64 maxSeq = 0;
        for (const Logged &l : std::as_const(logged)) {
            if (l.seq < maxSeq)
                ++report.arrivedOutOfOrder;
            maxSeq = std::max(maxSeq, l.seq);
        }
        // Log order: the partition's offsets (one key, one partition); not yet produced last.
        std::sort(logged.begin(), logged.end(), [](const Logged &a, const Logged &b) {
            const bool aIn = a.offset >= 0, bIn = b.offset >= 0;
            if (aIn != bIn)
                return aIn;
            return aIn ? a.offset < b.offset : a.id < b.id;
        });
        auto processedIds = processing->processedOrder(it.key().first, it.key().second, 100'000);
        if (!processedIds) {
            report.problems << processedIds.error().message;
            continue;
        }
        QList<qint64> got;
        for (qint64 id : std::as_const(*processedIds)) {
            if (seqOf.contains(id))
                got.append(seqOf.value(id));
        }
        ++report.entitiesChecked;
        bool inOrder = true;
        for (qsizetype i = 0; i < got.size() && i < logged.size(); ++i) {
            if (got.at(i) != logged.at(i).seq) {
                inOrder = false;
                if (report.violations.size() < ScenarioReport::kMaxViolations)
                    report.violations.append(OrderViolation{it.key().first, QString::fromUtf8(it.key().second), int(i),
                                                            logged.at(i).seq, got.at(i)});
                break;
            }
        }
        if (inOrder)
            ++report.entitiesInOrder;
        else
            ++report.entitiesViolated;
    }
    finishEvents();
}

void ScenarioRunner::Private::finishEvents()
{
    report.finishedAtMs = target.clock->nowMs();
    if (report.planned > 0) {
        if (cancelled)
            report.problems << u"the run was cancelled"_s;
        if (!report.settled)
            report.problems << u"%1 accepted events were not processed within %2 s"_s.arg(
                QString::number(report.pending + report.retrying), QString::number(scenario.settleTimeoutS));
        if (report.duplicatesCaught != report.duplicatesInjected)
            report.problems << u"%1 duplicates injected, %2 caught"_s.arg(QString::number(report.duplicatesInjected),
                                                                          QString::number(report.duplicatesCaught));
        if (scenario.expectOrder == Scenario::ExpectOrder::Preserved && report.entitiesViolated > 0)
            report.problems << u"order was expected to hold and was violated for %1 entities"_s.arg(
                report.entitiesViolated);
        if (scenario.expectOrder == Scenario::ExpectOrder::Violated && report.entitiesViolated == 0)
            report.problems << u"order was expected to break and held for every entity"_s;
    }
    report.ok = report.problems.isEmpty();
    busy = false;
    Q_EMIT q->finished(report);
}

// --- dedup race ----------------------------------------------------------------------------

void ScenarioRunner::Private::runDedupRace()
{
    const config::SourceConfig *source = sourceFor(scenario.providers.value(0));
    if (!source)
        return finishDemo(
            {{u"error"_s, u"no source with provider %1 is configured"_s.arg(scenario.providers.value(0))}});
    auto request = makeEvent(*source, u"race-"_s % runId, 1);
    if (!request)
        return finishDemo({{u"error"_s, request.error().message}});
    if (Result<void> r = sign(*source, *request); !r)
        return finishDemo({{u"error"_s, r.error().message}});
    demoAnswers = QList<Answer>(scenario.deliveries);
    elapsed.start();
    // All connections are opened in this one event-loop turn: the receiver sees them at once.
    for (int i = 0; i < scenario.deliveries; ++i) {
        replay::LoopbackClient::send(target.listenAddress, *request, kAnswerTimeoutMs, q,
                                     [this, i, source](const Result<replay::ReceiverAnswer> &result) {
                                         Answer answer = readAnswer(result);
                                         answer.atMs = elapsed.elapsed();
                                         demoAnswers[i] = answer;
                                         Q_EMIT q->progress(u"racing"_s, ++answered, scenario.deliveries);
                                         if (answered < scenario.deliveries)
                                             return;
                                         QJsonArray deliveries;
                                         int winners = 0, duplicates = 0, winnerIndex = -1;
                                         qint64 winnerId = 0;
                                         for (int k = 0; k < demoAnswers.size(); ++k) {
                                             const Answer &a = demoAnswers.at(k);
                                             QJsonObject o = answerJson(a);
                                             o.insert(u"delivery"_s, k + 1);
                                             deliveries.append(o);
                                             if (a.status == u"accepted"_s || a.status == u"queued"_s) {
                                                 ++winners;
                                                 winnerIndex = k + 1;
                                                 winnerId = a.id;
                                             } else if (a.status == u"duplicate"_s) {
                                                 ++duplicates;
                                             }
                                         }
                                         qint64 recorded = -1;
                                         if (winnerId > 0) {
                                             if (auto dups = journal->duplicatesOf(winnerId))
                                                 recorded = dups->size();
                                         }
                                         const bool ok = winners == 1 && duplicates == scenario.deliveries - 1
                                                         && recorded == scenario.deliveries - 1;
                                         finishDemo({{u"kind"_s, u"dedup_race"_s},
                                                     {u"source"_s, source->name},
                                                     {u"deliveries"_s, deliveries},
                                                     {u"winners"_s, winners},
                                                     {u"winner_delivery"_s, winnerIndex},
                                                     {u"winner_journal_id"_s, winnerId},
                                                     {u"duplicate_answers"_s, duplicates},
                                                     {u"duplicates_in_journal"_s, recorded},
                                                     {u"ok"_s, ok}});
                                     });
    }
}

// --- provider retry ------------------------------------------------------------------------

void ScenarioRunner::Private::runProviderRetry()
{
    const config::SourceConfig *source = sourceFor(scenario.schedule);
    if (!source)
        source = sourceFor(scenario.providers.value(0));
    if (!source)
        return finishDemo({{u"error"_s, u"no source with provider %1 is configured"_s.arg(scenario.schedule)}});
    auto request = makeEvent(*source, u"retry-"_s % runId, 1);
    if (!request)
        return finishDemo({{u"error"_s, request.error().message}});
    retrySource = source;
    retryRequest = *request;
    retryOffsets = ProviderSchedule::offsetsS(scenario.schedule);
    if (scenario.lateArrivalS > 0) { // in its place in time, as attempts go out one after another
        retryOffsets.append(qint64(scenario.lateArrivalS));
        std::sort(retryOffsets.begin(), retryOffsets.end());
    }
    demoAnswers = QList<Answer>(retryOffsets.size());
    elapsed.start();
    scheduleProviderAttempt(0);
}

// A provider sends attempt k + 1 only once attempt k has been answered (or timed out): at its
// offset in the schedule, or right after the answer when compression squeezed them together.
void ScenarioRunner::Private::scheduleProviderAttempt(qsizetype k)
{
    const auto dueMs = qint64(double(retryOffsets.at(k)) * 1000.0 / scenario.compression);
    pendingAttempt = k;
    // A timer the runner owns, not a single shot: cancel() cuts a wait of hours short.
    attemptTimer->start(std::chrono::milliseconds(std::max<qint64>(0, dueMs - elapsed.elapsed())));
}

void ScenarioRunner::Private::sendProviderAttempt(qsizetype k)
{
    if (cancelled) {
        for (qsizetype n = k; n < demoAnswers.size(); ++n)
            demoAnswers[n].status = u"cancelled"_s;
        return finishDemo({{u"kind"_s, u"provider_retry"_s}, {u"error"_s, u"cancelled"_s}});
    }
    // A provider signs every attempt anew (fresh timestamp), with the same event id.
    http::HttpRequest attempt = retryRequest;
    if (Result<void> r = sign(*retrySource, attempt); !r) {
        demoAnswers[k].status = u"unsigned"_s;
        demoAnswers[k].reason = r.error().message;
    }
    replay::LoopbackClient::send(target.listenAddress, attempt, kAnswerTimeoutMs, q,
                                 [this, k](const Result<replay::ReceiverAnswer> &result) {
                                     Answer answer = readAnswer(result);
                                     answer.atMs = elapsed.elapsed();
                                     demoAnswers[k] = answer;
                                     Q_EMIT q->progress(u"re-delivering"_s, ++answered, int(retryOffsets.size()));
                                     if (k + 1 < retryOffsets.size())
                                         scheduleProviderAttempt(k + 1);
                                     else
                                         finishProviderRetry();
                                 });
}

void ScenarioRunner::Private::finishProviderRetry()
{
    const qint64 ttl = target.config.dedup.ttlSeconds;
    QJsonArray attempts;
    int accepted = 0, duplicates = 0;
    qint64 firstId = 0;
    for (qsizetype n = 0; n < demoAnswers.size(); ++n) {
        const Answer &a = demoAnswers.at(n);
        QJsonObject o = answerJson(a);
        o.insert(u"attempt"_s, int(n + 1));
        o.insert(u"offset_s"_s, retryOffsets.at(n));
        o.insert(u"offset"_s, ProviderSchedule::describe(retryOffsets.at(n)));
        o.insert(u"beyond_dedup_ttl"_s, retryOffsets.at(n) > ttl);
        attempts.append(o);
        if (a.status == u"accepted"_s || a.status == u"queued"_s) {
            ++accepted;
            firstId = a.id;
        } else if (a.status == u"duplicate"_s) {
            ++duplicates;
        }
    }
    qint64 recorded = -1;
    if (firstId > 0) {
        if (auto dups = journal->duplicatesOf(firstId))
            recorded = dups->size();
    }
    const int n = int(retryOffsets.size());
    finishDemo({{u"kind"_s, u"provider_retry"_s},
                {u"schedule"_s, scenario.schedule},
                {u"source"_s, retrySource->name},
                {u"compression"_s, scenario.compression},
                {u"span_s"_s, retryOffsets.last()},
                {u"span"_s, ProviderSchedule::describe(retryOffsets.last())},
                {u"dedup_ttl_s"_s, ttl},
                {u"attempts"_s, attempts},
                {u"accepted"_s, accepted},
                {u"duplicate_answers"_s, duplicates},
                {u"duplicates_in_journal"_s, recorded},
                {u"ok"_s, accepted == 1 && duplicates == n - 1 && recorded == n - 1}});
}

void ScenarioRunner::Private::finishDemo(QJsonObject demo)
{
    demo.insert(u"name"_s, scenario.name);
    demo.insert(u"run_id"_s, runId);
    demo.insert(u"duration_ms"_s, elapsed.isValid() ? elapsed.elapsed() : 0);
    if (!demo.contains(u"ok"_s))
        demo.insert(u"ok"_s, false);
    busy = false;
    Q_EMIT q->demoFinished(demo);
}

// --- public --------------------------------------------------------------------------------

ScenarioRunner::ScenarioRunner(ScenarioTarget target, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>(std::move(target)))
{
    qRegisterMetaType<Scenario>();
    qRegisterMetaType<ScenarioReport>();
    d->q = this;
    d->pump = new QTimer(this);
    d->pump->setTimerType(Qt::PreciseTimer);
    connect(d->pump, &QTimer::timeout, this, [this] { d->pumpSends(); });
    d->settleTimer = new QTimer(this);
    connect(d->settleTimer, &QTimer::timeout, this, [this] { d->pollSettled(); });
    d->attemptTimer = new QTimer(this);
    d->attemptTimer->setSingleShot(true);
    d->attemptTimer->setTimerType(Qt::PreciseTimer);
    connect(d->attemptTimer, &QTimer::timeout, this, [this] { d->sendProviderAttempt(d->pendingAttempt); });
}

ScenarioRunner::~ScenarioRunner() = default;

bool ScenarioRunner::isBusy() const
{
    return d->busy;
}

void ScenarioRunner::start(const Scenario &scenario)
{
    if (d->busy) {
        if (scenario.kind == Scenario::Kind::Events) {
            ScenarioReport busy;
            busy.name = scenario.name;
            busy.problems << u"busy: another run is in progress"_s;
            Q_EMIT finished(busy);
        } else {
            Q_EMIT demoFinished({{u"error"_s, u"busy: another run is in progress"_s}, {u"ok"_s, false}});
        }
        return;
    }
    d->busy = true;
    d->cancelled = false;
    d->scenario = scenario;
    d->report = ScenarioReport{};
    d->runId = QUuid::createUuid().toString(QUuid::Id128).left(8);
    d->report.name = scenario.name;
    d->report.runId = d->runId;
    d->report.startedAtMs = d->target.clock->nowMs();
    d->events.clear();
    d->sends.clear();
    d->nextSend = d->inFlight = d->answered = 0;
    d->answeredIds.clear();
    d->uniqueIds.clear();
    d->demoAnswers.clear();
    d->elapsed.invalidate();
    if (Result<void> r = d->openQueries(); !r) {
        if (scenario.kind == Scenario::Kind::Events) {
            d->report.problems << r.error().message;
            d->finishEvents();
        } else {
            d->finishDemo({{u"error"_s, r.error().message}});
        }
        return;
    }
    switch (scenario.kind) {
    case Scenario::Kind::Events: d->runEvents(); break;
    case Scenario::Kind::DedupRace: d->runDedupRace(); break;
    case Scenario::Kind::ProviderRetry: d->runProviderRetry(); break;
    }
}

void ScenarioRunner::cancel()
{
    d->cancelled = true;
    // A run that waits (for a demo's next attempt, for processing to settle) stops on the next
    // turn of the event loop; one with a request in flight stops when it is answered.
    for (QTimer *waiting : {d->attemptTimer, d->settleTimer}) {
        if (waiting->isActive())
            waiting->start(0);
    }
}

} // namespace hookbench::scenario
