#include "core/replay/replay_service.h"

#include <algorithm>

#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QMutexLocker>
#include <QPointer>
#include <QUuid>

#include "core/providers/body_parser.h"
#include "core/providers/provider_registry.h"
#include "core/replay/loopback_client.h"
#include "core/replay/replay_lineage.h"
#include "core/store/database.h"
#include "core/store/journal_query.h"
#include "core/store/journal_writer.h"
#include "core/store/processing_store.h"

using namespace Qt::StringLiterals;

namespace hookbench::replay {

QString replayModeName(ReplayMode mode)
{
    switch (mode) {
    case ReplayMode::Topic: return u"topic"_s;
    case ReplayMode::Receiver: return u"receiver"_s;
    }
    return {};
}

std::optional<ReplayMode> parseReplayMode(QStringView name)
{
    for (ReplayMode mode : {ReplayMode::Topic, ReplayMode::Receiver}) {
        if (name == replayModeName(mode))
            return mode;
    }
    return std::nullopt;
}

int ReplayPlan::sendCount() const
{
    return int(std::count_if(items.cbegin(), items.cend(), [](const PlannedReplay &item) { return item.sent(); }));
}

QMap<QString, int> ReplayPlan::topics() const
{
    QMap<QString, int> topics;
    for (const PlannedReplay &item : items) {
        if (item.sent())
            ++topics[item.topic];
    }
    return topics;
}

QList<QByteArray> ReplayPlan::keys() const
{
    QList<QByteArray> keys;
    for (const PlannedReplay &item : items) {
        if (item.sent() && !keys.contains(item.key))
            keys.append(item.key);
    }
    return keys;
}

namespace {

using Finish = ReplayService::Done;

// Where answers produced on other threads (the ingest worker's responder) are posted. The service
// clears `service` when it goes away, so a late answer finds nobody instead of a dangling pointer.
struct Mailbox
{
    QMutex mutex;
    ReplayService *service = nullptr;
};

http::HttpRequest requestFrom(const store::JournalEntry &entry)
{
    http::HttpRequest request;
    request.method = entry.method.isEmpty() ? QByteArray("POST") : entry.method;
    request.target = entry.target;
    request.headers = entry.headers;
    request.body = entry.body;
    return request;
}

void removeHeader(http::HeaderList &headers, QByteArrayView name)
{
    headers.removeIf([name](const auto &header) { return header.first.compare(name, Qt::CaseInsensitive) == 0; });
}

void applyEdits(http::HttpRequest &request, const ReplayEdits &edits)
{
    if (edits.headerList)
        request.headers = *edits.headerList;
    if (edits.body) {
        request.body = *edits.body;
        // A stale length would describe bytes that are no longer there.
        if (request.hasHeader("Content-Length"))
            providers::Verifier::replaceHeader(request.headers, "Content-Length",
                                               QByteArray::number(request.body.size()));
    }
    for (const auto &[name, value] : edits.headers)
        providers::Verifier::replaceHeader(request.headers, name, value);
    // An earlier replay's nonce is spent; a new one is added where it is needed.
    removeHeader(request.headers, ReplayLineage::headerName);
}

QByteArray newKey()
{
    return "replay-" + QUuid::createUuid().toString(QUuid::WithoutBraces).toLatin1();
}

// The receiver's JSON answer (see IngestWorker) as a result.
ReplayResult resultFromAnswer(ReplayResult result, int httpStatus, const QByteArray &body)
{
    const QJsonObject answer = QJsonDocument::fromJson(body).object();
    result.httpStatus = httpStatus;
    result.status = answer.value(u"status"_s).toString();
    result.reason = answer.value(u"reason"_s).toString();
    if (answer.contains(u"id"_s))
        result.newJournalId = answer.value(u"id"_s).toInteger();
    if (answer.contains(u"idempotency_key"_s))
        result.idempotencyKey = answer.value(u"idempotency_key"_s).toString().toUtf8();
    if (answer.contains(u"topic"_s))
        result.topic = answer.value(u"topic"_s).toString();
    result.partition = static_cast<int>(answer.value(u"partition"_s).toInteger(-1));
    result.offset = answer.value(u"offset"_s).toInteger(-1);
    if (result.status.isEmpty())
        result.status = httpStatus >= 400 ? u"rejected"_s : u"error"_s;
    return result;
}

} // namespace

struct ReplayService::Private
{
    ReplayEnvironment env;
    std::unique_ptr<store::JournalQuery> journal;
    std::unique_ptr<store::Database> database; // read-write: dead-letter status
    std::unique_ptr<store::ProcessingStore> processing;
    std::shared_ptr<Mailbox> mailbox = std::make_shared<Mailbox>();
};

struct ReplayService::Bulk
{
    DeadLetterReplay request;
    BulkReplayOutcome outcome;
    QList<qint64> queue; // letters still to replay
    std::function<void(const Result<BulkReplayOutcome> &)> finish;
};

struct ReplayService::Many
{
    QList<qint64> ids;
    ReplaySelection selection;
    QList<Result<ReplayResult>> results;
    std::function<void(const Result<QList<Result<ReplayResult>>> &)> finish;
};

ReplayService::ReplayService(QObject *parent) : QObject(parent), d(std::make_unique<Private>())
{
    d->mailbox->service = this;
}

ReplayService::~ReplayService()
{
    const QMutexLocker lock(&d->mailbox->mutex);
    d->mailbox->service = nullptr;
}

Result<std::unique_ptr<ReplayService>> ReplayService::create(ReplayEnvironment env)
{
    if (!env.writer || !env.lineage || !env.produce || !env.clock) {
        return Error{u"invalid_argument"_s,
                     u"the replay service needs the journal writer, the lineage, a produce function and a clock"_s};
    }
    auto journal = store::JournalQuery::open(env.databasePath);
    if (!journal)
        return journal.error();
    auto database = store::Database::open(env.databasePath, store::OpenMode::ReadWrite);
    if (!database)
        return database.error();
    std::unique_ptr<ReplayService> service(new ReplayService);
    service->d->env = std::move(env);
    service->d->journal = std::move(journal.value());
    service->d->database = std::move(database.value());
    service->d->processing = std::make_unique<store::ProcessingStore>(*service->d->database);
    return service;
}

namespace {

// Answers on the context's thread; a context deleted meanwhile gets nothing.
template <typename Value, typename Callback>
void deliver(const QPointer<QObject> &context, const Callback &done, const Value &value)
{
    if (!context || !done)
        return;
    QMetaObject::invokeMethod(
        context.data(), [done, value] { done(value); }, Qt::QueuedConnection);
}

} // namespace

void ReplayService::replay(const ReplayRequest &request, QObject *context, Done done)
{
    QPointer<QObject> ctx(context);
    QMetaObject::invokeMethod(
        this,
        [this, request, ctx, done = std::move(done)] {
            run(request, [ctx, done](const Result<ReplayResult> &result) { deliver(ctx, done, result); });
        },
        Qt::QueuedConnection);
}

void ReplayService::replayMany(const ReplaySelection &selection, QObject *context, DoneMany done)
{
    QPointer<QObject> ctx(context);
    QMetaObject::invokeMethod(
        this,
        [this, selection, ctx, done = std::move(done)] {
            auto ids = selectIds(selection);
            if (!ids) {
                deliver(ctx, done, Result<QList<Result<ReplayResult>>>(ids.error()));
                return;
            }
            auto many = std::make_shared<Many>();
            many->ids = std::move(ids.value());
            many->selection = selection;
            many->finish = [ctx, done](const Result<QList<Result<ReplayResult>>> &results) {
                deliver(ctx, done, results);
            };
            runNext(many);
        },
        Qt::QueuedConnection);
}

void ReplayService::discard(qint64 deadLetterId, QObject *context, std::function<void(const Result<void> &)> done)
{
    QPointer<QObject> ctx(context);
    QMetaObject::invokeMethod(
        this,
        [this, deadLetterId, ctx, done = std::move(done)] {
            auto letter = d->processing->deadLetter(deadLetterId);
            if (!letter) {
                deliver(ctx, done, Result<void>(letter.error()));
                return;
            }
            if (letter->status != store::DeadLetterStatus::Dead) {
                deliver(
                    ctx, done,
                    Result<void>(Error{u"invalid_argument"_s, u"dead letter %1 is already %2"_s.arg(deadLetterId)
                                                                  .arg(store::deadLetterStatusName(letter->status))}));
                return;
            }
            deliver(ctx, done,
                    d->processing->setDeadLetterStatus(deadLetterId, store::DeadLetterStatus::Discarded,
                                                       d->env.clock->nowMs()));
        },
        Qt::QueuedConnection);
}

void ReplayService::planDeadLetters(const DeadLetterReplay &request, QObject *context,
                                    std::function<void(const Result<ReplayPlan> &)> done)
{
    QPointer<QObject> ctx(context);
    QMetaObject::invokeMethod(
        this, [this, request, ctx, done = std::move(done)] { deliver(ctx, done, plan(request)); },
        Qt::QueuedConnection);
}

void ReplayService::replayDeadLetters(const DeadLetterReplay &request, QObject *context,
                                      std::function<void(const Result<BulkReplayOutcome> &)> done)
{
    QPointer<QObject> ctx(context);
    QMetaObject::invokeMethod(
        this,
        [this, request, ctx, done = std::move(done)] {
            auto planned = plan(request);
            if (!planned) {
                deliver(ctx, done, Result<BulkReplayOutcome>(planned.error()));
                return;
            }
            auto bulk = std::make_shared<Bulk>();
            bulk->request = request;
            bulk->outcome.plan = std::move(planned.value());
            for (const PlannedReplay &item : std::as_const(bulk->outcome.plan.items)) {
                if (item.sent())
                    bulk->queue.append(item.deadLetterId);
            }
            bulk->finish = [ctx, done](const Result<BulkReplayOutcome> &outcome) { deliver(ctx, done, outcome); };
            runNextLetter(bulk);
        },
        Qt::QueuedConnection);
}

void ReplayService::runNextLetter(const std::shared_ptr<Bulk> &bulk)
{
    // One at a time, like replayMany: a bulk replay never floods the receiver or Kafka.
    if (bulk->queue.isEmpty()) {
        bulk->finish(bulk->outcome);
        return;
    }
    ReplayRequest one;
    one.deadLetterId = bulk->queue.takeFirst();
    one.mode = bulk->request.mode;
    one.edits.newIdempotencyKey = bulk->request.newIdempotencyKey;
    run(one, [this, bulk](const Result<ReplayResult> &result) {
        bulk->outcome.results.append(result);
        runNextLetter(bulk);
    });
}

Result<ReplayPlan> ReplayService::plan(const DeadLetterReplay &request)
{
    ReplayPlan planned;
    planned.mode = request.mode;
    QList<store::DeadLetterRow> letters;
    QList<qint64> journalIds;
    for (qint64 id : request.deadLetterIds) {
        auto letter = d->processing->deadLetter(id);
        if (!letter)
            return letter.error();
        letter->value.clear(); // a plan carries placements, not payloads
        journalIds.append(letter->journalId);
        letters.append(std::move(letter.value()));
    }
    auto depths = d->processing->replayDepths(journalIds);
    if (!depths)
        return depths.error();
    for (const store::DeadLetterRow &letter : std::as_const(letters)) {
        PlannedReplay item;
        item.deadLetterId = letter.id;
        item.journalId = letter.journalId;
        item.source = letter.source;
        item.key = letter.key;
        item.replayCount = depths->value(letter.journalId);
        const config::SourceConfig *source = d->env.config.source(letter.source);
        item.topic = request.mode == ReplayMode::Topic ? letter.topic : source ? source->effectiveTopic() : QString();
        if (letter.status != store::DeadLetterStatus::Dead) {
            item.skipReason = store::deadLetterStatusName(letter.status);
            item.skipDetail = u"dead letter %1 is already %2"_s.arg(letter.id).arg(item.skipReason);
        } else if (letter.journalId <= 0 || !depths->contains(letter.journalId)) {
            item.skipReason = u"no_journal_entry"_s;
            item.skipDetail = u"dead letter %1 names no journal entry to replay"_s.arg(letter.id);
        } else if (item.topic.isEmpty()) {
            item.skipReason = u"no_source"_s;
            item.skipDetail = u"source \"%1\" is not in the config"_s.arg(letter.source);
        } else if (item.replayCount >= request.maxReplays && !request.includeOverLimit) {
            item.skipReason = u"loop_guard"_s;
            item.skipDetail = u"dead-lettered again after %1 replay(s), the limit is %2"_s.arg(item.replayCount)
                                  .arg(request.maxReplays);
        }
        planned.items.append(std::move(item));
    }
    return planned;
}

Result<QList<qint64>> ReplayService::selectIds(const ReplaySelection &selection)
{
    const int limit = selection.limit > 0 ? selection.limit : std::numeric_limits<int>::max();
    if (!selection.journalIds.isEmpty())
        return selection.journalIds.mid(0, std::min<qsizetype>(limit, selection.journalIds.size()));

    // Rejected entries never reached Kafka and are skipped, so pages are read until `limit`
    // replayable ones are found: forward from afterId when the filter has one, else backward
    // from beforeId (or the newest entry), keeping the newest `limit`.
    constexpr int pageSize = 500;
    store::JournalFilter filter = selection.filter;
    filter.withBodies = false;
    filter.limit = pageSize;
    const bool forward = filter.afterId > 0;
    QList<qint64> ids;
    for (;;) {
        auto page = d->journal->list(filter);
        if (!page)
            return page.error();
        if (forward) {
            for (const store::JournalEntry &entry : *page) {
                if (entry.verdict != store::Verdict::Rejected && ids.size() < limit)
                    ids.append(entry.id);
            }
        } else {
            for (auto it = page->crbegin(); it != page->crend(); ++it) {
                if (it->verdict != store::Verdict::Rejected && ids.size() < limit)
                    ids.prepend(it->id);
            }
        }
        if (ids.size() >= limit || page->size() < pageSize)
            break;
        if (forward)
            filter.afterId = page->constLast().id;
        else
            filter.beforeId = page->constFirst().id;
    }
    return ids;
}

void ReplayService::runNext(const std::shared_ptr<Many> &many)
{
    const qsizetype index = many->results.size();
    if (index >= many->ids.size()) {
        many->finish(many->results);
        return;
    }
    ReplayRequest request;
    request.journalId = many->ids.at(index);
    request.mode = many->selection.mode;
    request.edits.newIdempotencyKey = many->selection.newIdempotencyKey;
    run(request, [this, many](const Result<ReplayResult> &result) {
        many->results.append(result);
        runNext(many);
    });
}

void ReplayService::run(const ReplayRequest &request, const Finish &finish)
{
    qint64 journalId = request.journalId;
    if (request.deadLetterId > 0) {
        auto letter = d->processing->deadLetter(request.deadLetterId);
        if (!letter) {
            finish(letter.error());
            return;
        }
        if (letter->status == store::DeadLetterStatus::Discarded) {
            finish(Error{u"invalid_argument"_s,
                         u"dead letter %1 was discarded; it cannot be replayed"_s.arg(request.deadLetterId)});
            return;
        }
        if (letter->journalId <= 0) {
            finish(
                Error{u"not_found"_s, u"dead letter %1 names no journal entry to replay"_s.arg(request.deadLetterId)});
            return;
        }
        journalId = letter->journalId;
    }
    if (journalId <= 0) {
        finish(Error{u"invalid_argument"_s, u"a replay needs a journal id or a dead letter id"_s});
        return;
    }
    auto entry = d->journal->entry(journalId);
    if (!entry) {
        finish(entry.error());
        return;
    }
    if (!entry->has_value()) {
        finish(Error{u"not_found"_s, u"there is no journal entry %1"_s.arg(journalId)});
        return;
    }

    ReplayResult base;
    base.originalJournalId = journalId;
    base.deadLetterId = request.deadLetterId;
    // A replayed dead letter is marked once the replay is accepted or queued.
    Finish afterReplay = finish;
    if (request.deadLetterId > 0) {
        afterReplay = [this, finish, letterId = request.deadLetterId](const Result<ReplayResult> &result) {
            if (result && (result->status == u"accepted"_s || result->status == u"queued"_s)) {
                const auto marked = d->processing->setDeadLetterStatus(letterId, store::DeadLetterStatus::Replayed,
                                                                       d->env.clock->nowMs(), result->newJournalId);
                if (!marked) {
                    // The replay happened; say so, and say that the letter still reads "dead".
                    qWarning().noquote() << u"replay of dead letter %1 succeeded (journal id %2) but marking it "
                                            "replayed failed: %3"_s.arg(letterId)
                                                .arg(result->newJournalId)
                                                .arg(marked.error().message);
                }
            }
            finish(result);
        };
    }
    if (request.mode == ReplayMode::Topic)
        replayToTopic(**entry, request.edits, base, afterReplay);
    else
        replayThroughReceiver(**entry, request.edits, base, afterReplay);
}

void ReplayService::replayToTopic(const store::JournalEntry &original, const ReplayEdits &edits, ReplayResult base,
                                  const Finish &finish)
{
    if (original.verdict == store::Verdict::Rejected) {
        finish(Error{u"invalid_argument"_s,
                     u"journal entry %1 was rejected (%2) and never reached Kafka; replay it through the receiver "
                     "instead"_s.arg(original.id)
                         .arg(original.reason)});
        return;
    }
    const config::SourceConfig *source = d->env.config.source(original.source);
    const QString topic = !original.topic.isEmpty() ? original.topic : source ? source->effectiveTopic() : QString();
    if (topic.isEmpty()) {
        finish(Error{u"invalid_argument"_s,
                     u"journal entry %1 names no topic and there is no source \"%2\" in the config"_s.arg(original.id)
                         .arg(original.source)});
        return;
    }

    http::HttpRequest request = requestFrom(original);
    applyEdits(request, edits);

    store::JournalEntry entry;
    entry.receivedAtMs = d->env.clock->nowMs();
    entry.source = original.source;
    entry.method = request.method;
    entry.target = request.target;
    entry.headers = request.headers;
    entry.body = request.body;
    entry.verdict = store::Verdict::Accepted;
    entry.verification = QJsonDocument(QJsonObject{{u"ok"_s, true},
                                                   {u"replay_of"_s, original.id},
                                                   {u"mode"_s, replayModeName(ReplayMode::Topic)},
                                                   {u"verified"_s, false}})
                             .toJson(QJsonDocument::Compact);
    entry.idempotencyKey = original.idempotencyKey;
    entry.idempotencyOrigin = original.idempotencyOrigin;
    entry.entityKey = original.entityKey;
    entry.eventType = original.eventType;
    // An edited event gets the keys the receiver would have derived from it.
    const providers::Verifier *verifier = source ? providers::ProviderRegistry::find(source->provider) : nullptr;
    if (edits.isEdit() && verifier) {
        const providers::ParsedBody body = providers::BodyParser::parse(request);
        const providers::IdempotencyKey key = verifier->idempotencyKey(request, body);
        const providers::IdempotencyKey effective =
            key.key.isEmpty() ? providers::Verifier::bodyHashKey(request.body) : key;
        entry.idempotencyKey = effective.key;
        entry.idempotencyOrigin = effective.origin;
        entry.entityKey = verifier->entityKey(request, body, *source);
        entry.eventType = verifier->eventType(request, body, *source);
    }
    if (edits.newIdempotencyKey) {
        entry.idempotencyKey = newKey();
        entry.idempotencyOrigin = u"replay (new key)"_s;
    }
    entry.topic = topic;
    entry.kafkaState = store::KafkaState::Pending;
    entry.derivedFrom = original.id;
    base.idempotencyKey = entry.idempotencyKey;
    base.topic = topic;

    // Journaled first (no dedup claim: a topic replay is deliberate), then produced like an
    // ingested event; the ingest worker answers as it answers a webhook.
    d->env.writer->ingest(entry, false, 0, this, [this, entry, base, finish](const store::IngestOutcome &outcome) {
        if (outcome.failed) {
            finish(Error{
                u"journal_unavailable"_s,
                u"journaling the replay of entry %1 failed: %2"_s.arg(base.originalJournalId).arg(outcome.error)});
            return;
        }
        store::JournalEntry journaled = entry;
        journaled.id = outcome.id;
        ReplayResult result = base;
        result.newJournalId = outcome.id;
        d->env.produce(journaled, http::Responder([mailbox = d->mailbox, result, finish](http::HttpResponse response) {
                           const QMutexLocker lock(&mailbox->mutex);
                           if (!mailbox->service)
                               return;
                           QMetaObject::invokeMethod(
                               mailbox->service,
                               [result, finish, status = response.status, body = response.body] {
                                   ReplayResult answered = resultFromAnswer(result, status, body);
                                   answered.newJournalId = result.newJournalId;
                                   finish(answered);
                               },
                               Qt::QueuedConnection);
                       }));
    });
}

void ReplayService::replayThroughReceiver(const store::JournalEntry &original, const ReplayEdits &edits,
                                          ReplayResult base, const Finish &finish)
{
    const config::SourceConfig *source = d->env.config.source(original.source);
    if (!source) {
        finish(Error{u"invalid_argument"_s,
                     u"journal entry %1 is from source \"%2\", which is not in the config"_s.arg(original.id)
                         .arg(original.source)});
        return;
    }
    const providers::Verifier *verifier = providers::ProviderRegistry::find(source->provider);
    if (!verifier) {
        finish(Error{u"unsupported"_s, u"source %1 has provider \"%2\", which Hookbench does not know"_s.arg(
                                           source->name, source->provider)});
        return;
    }

    http::HttpRequest request = requestFrom(original);
    applyEdits(request, edits);
    if (edits.newIdempotencyKey) {
        if (auto rekeyed = verifier->setIdempotencyKey(request, newKey()); !rekeyed) {
            finish(rekeyed.error());
            return;
        }
    }
    if (edits.resign && source->provider != u"none"_s) {
        verifier->bindBody(request);
        const auto signedHeaders = verifier->signRequest(
            providers::SignInput{request, *source, source->secrets.value(0), d->env.clock->nowSecs()});
        if (!signedHeaders) {
            finish(signedHeaders.error());
            return;
        }
        for (const auto &[name, value] : *signedHeaders)
            providers::Verifier::replaceHeader(request.headers, name, value);
    }
    const providers::IdempotencyKey key = verifier->idempotencyKey(request, providers::BodyParser::parse(request));
    base.idempotencyKey = key.key.isEmpty() ? providers::Verifier::bodyHashKey(request.body).key : key.key;

    const QByteArray nonce = d->env.lineage->registerReplay(original.id);
    request.headers.append({QByteArray(ReplayLineage::headerName), nonce});
    // The receiver answers within its produce wait (202 queued after it); allow for the journal
    // and the connection on top.
    const int timeoutMs = d->env.config.kafka.produceWaitMs + 15'000;
    LoopbackClient::send(d->env.listenAddress, request, timeoutMs, this,
                         [this, nonce, base, finish](const Result<ReceiverAnswer> &answer) {
                             // Taken by the receiver if it got that far; forgotten otherwise.
                             d->env.lineage->forget(nonce);
                             if (!answer) {
                                 finish(answer.error());
                                 return;
                             }
                             ReplayResult result = resultFromAnswer(base, answer->status, answer->body);
                             if (result.idempotencyKey.isEmpty())
                                 result.idempotencyKey = base.idempotencyKey;
                             finish(result);
                         });
}

} // namespace hookbench::replay
