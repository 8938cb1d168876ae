// Replay end to end on real parts: a real IngestPipeline on 127.0.0.1:0 with the embedded
// cluster and SQLite in a temporary directory; webhooks go in over loopback, replays go through
// the pipeline's ReplayService, and a separate librdkafka consumer reads the topics back.

#include <functional>
#include <optional>

#include <QDateTime>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include "core/config/config_loader.h"
#include "core/pipeline/ingest_pipeline.h"
#include "core/replay/replay_service.h"
#include "core/store/database.h"
#include "core/store/journal_query.h"
#include "core/store/journal_writer.h"
#include "core/store/processing_store.h"
#include "test_client.h"

using namespace Qt::StringLiterals;
using namespace hookbench;

namespace {

const QByteArray stripeSecret = "whsec_replay_test_secret";
constexpr int answerTimeoutMs = 30'000;

QByteArray stripeEvent(const QByteArray &eventId, const QByteArray &customer = "cus_replay_1")
{
    QFile file(QStringLiteral(HOOKBENCH_TEST_DATA_DIR "/fixtures/stripe/invoice.paid.json"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QByteArray body = file.readAll();
    body.replace(QByteArray("\"evt_000000000000000000000000\""), QByteArray("\"" + eventId + "\""));
    body.replace(QByteArray("\"cus_00000000000000\""), QByteArray("\"" + customer + "\""));
    return body;
}

config::Config testConfig()
{
    const QByteArray json = R"({
        "sources": [
            {"name": "stripe", "provider": "stripe", "secrets": ["whsec_replay_test_secret"]},
            {"name": "plain", "provider": "none"}
        ],
        "kafka": {"mode": "embedded", "brokers": 1, "partitions": 2, "produce_wait_ms": 5000},
        "consumers": {"count": 0},
        "listen": "127.0.0.1:0"
    })";
    auto config = config::ConfigLoader::parse(json, u"<test>"_s);
    if (!config)
        qWarning("%s", qPrintable(config.error().message));
    return config ? *config : config::Config{};
}

std::unique_ptr<pipeline::IngestPipeline> startPipeline(const QString &dataDir)
{
    pipeline::PipelineOptions options;
    options.config = testConfig();
    options.dataDir = dataDir;
    auto started = pipeline::IngestPipeline::start(options);
    if (!started) {
        qWarning("%s", qPrintable(started.error().message));
        return {};
    }
    return std::move(started.value());
}

QJsonObject json(const RawResponse &response)
{
    return QJsonDocument::fromJson(response.body).object();
}

RawResponse postStripe(quint16 port, const QByteArray &body, const QByteArray &secret = stripeSecret)
{
    return post(port, "/webhooks/stripe", body,
                {{"Content-Type", "application/json"},
                 {"Stripe-Signature", stripeSignature(secret, QDateTime::currentSecsSinceEpoch(), body)}});
}

// Runs one asynchronous service call and waits (event loop, bounded) for its answer on this thread.
template <typename T>
std::optional<T> await(const std::function<void(QObject *, std::function<void(const T &)>)> &call)
{
    QObject context;
    std::optional<T> answer;
    QEventLoop loop;
    call(&context, [&](const T &value) {
        answer = value;
        loop.quit();
    });
    QTimer::singleShot(answerTimeoutMs, &loop, &QEventLoop::quit);
    if (!answer)
        loop.exec();
    return answer;
}

std::optional<Result<replay::ReplayResult>> replayNow(pipeline::IngestPipeline &ingest,
                                                      const replay::ReplayRequest &request)
{
    return await<Result<replay::ReplayResult>>(
        [&](QObject *context, auto done) { ingest.replayService()->replay(request, context, std::move(done)); });
}

QByteArray headerValue(const ConsumedRecord &record, const QByteArray &name)
{
    for (const auto &[key, value] : record.headers) {
        if (key == name)
            return value;
    }
    return "<absent>";
}

const ConsumedRecord *recordWithJournalId(const QList<ConsumedRecord> &records, qint64 id)
{
    for (const ConsumedRecord &record : records) {
        if (headerValue(record, "hookbench-journal-id") == QByteArray::number(id))
            return &record;
    }
    return nullptr;
}

std::optional<store::JournalEntry> journalEntry(pipeline::IngestPipeline &ingest, qint64 id)
{
    ingest.journalWriter().sync();
    auto query = store::JournalQuery::open(ingest.databasePath());
    if (!query)
        return std::nullopt;
    auto entry = (*query)->entry(id);
    if (!entry || !entry->has_value())
        return std::nullopt;
    return **entry;
}

store::DeadLetterRow letterFor(const store::JournalEntry &entry)
{
    store::DeadLetterRow row;
    row.journalId = entry.id;
    row.source = entry.source;
    row.topic = entry.topic;
    row.partition = entry.partition;
    row.offset = entry.offset;
    row.key = entry.entityKey;
    row.headers = {{"idempotency-key", entry.idempotencyKey}};
    row.value = entry.body;
    row.error = u"HTTP 500 from target"_s;
    row.errorClass = u"transient"_s;
    row.attempts = 5;
    row.firstFailureAtMs = entry.receivedAtMs + 10;
    row.lastFailureAtMs = entry.receivedAtMs + 1000;
    row.consumer = u"test"_s;
    return row;
}

} // namespace

class TestReplay final : public QObject
{
    Q_OBJECT

private slots:
    void modeNames();
    void topicReplay();
    void editedTopicReplay();
    void receiverReplayWithResign();
    void receiverReplayWithoutResignAfterEdit();
    void deadLetterReplay();
    void discard();
    void errors();
    void replayMany();
    void deadLetterPlanAndLoopGuard();
};

void TestReplay::modeNames()
{
    QCOMPARE(replay::replayModeName(replay::ReplayMode::Topic), u"topic"_s);
    QCOMPARE(replay::replayModeName(replay::ReplayMode::Receiver), u"receiver"_s);
    QCOMPARE(replay::parseReplayMode(u"topic"), replay::ReplayMode::Topic);
    QCOMPARE(replay::parseReplayMode(u"receiver"), replay::ReplayMode::Receiver);
    QVERIFY(!replay::parseReplayMode(u"Topic").has_value());
    QVERIFY(!replay::parseReplayMode(u"").has_value());
}

void TestReplay::topicReplay()
{
    QTemporaryDir dir;
    auto ingest = startPipeline(dir.path());
    QVERIFY(ingest);
    QVERIFY(ingest->replayService());
    const QByteArray body = stripeEvent("evt_topic_1");
    const RawResponse posted = postStripe(ingest->port(), body);
    QCOMPARE(posted.status, 200);
    const qint64 originalId = json(posted).value(u"id"_s).toInteger();

    replay::ReplayRequest request;
    request.journalId = originalId;
    request.mode = replay::ReplayMode::Topic;
    const auto result = replayNow(*ingest, request);
    QVERIFY(result);
    QVERIFY2(result->ok(), qPrintable(result->ok() ? QString() : result->error().message));
    const replay::ReplayResult &r = result->value();
    QCOMPARE(r.status, u"accepted"_s);
    QCOMPARE(r.httpStatus, 200);
    QCOMPARE(r.originalJournalId, originalId);
    QVERIFY(r.newJournalId > originalId);
    QCOMPARE(r.topic, u"webhooks.stripe"_s);
    QCOMPARE(r.idempotencyKey, QByteArray("evt_topic_1"));
    QVERIFY(r.partition >= 0);
    QCOMPARE(r.offset, 1); // the original is at offset 0 of the same partition (same key)

    const auto entry = journalEntry(*ingest, r.newJournalId);
    QVERIFY(entry);
    QCOMPARE(entry->derivedFrom, originalId);
    QCOMPARE(entry->body, body);
    QCOMPARE(entry->verdict, store::Verdict::Accepted);
    QCOMPARE(entry->idempotencyKey, QByteArray("evt_topic_1"));

    const QList<ConsumedRecord> records = consumeTopic(ingest->bootstrap(), u"webhooks.stripe"_s, 2);
    QCOMPARE(records.size(), 2);
    const ConsumedRecord *original = recordWithJournalId(records, originalId);
    const ConsumedRecord *replayed = recordWithJournalId(records, r.newJournalId);
    QVERIFY(original);
    QVERIFY(replayed);
    QCOMPARE(replayed->value, original->value); // the same bytes
    QCOMPARE(replayed->key, original->key);
    QCOMPARE(replayed->partition, r.partition);
    QCOMPARE(replayed->offset, r.offset);
    QCOMPARE(headerValue(*replayed, "idempotency-key"), QByteArray("evt_topic_1"));
    QCOMPARE(headerValue(*replayed, "event-type"), QByteArray("invoice.paid"));
}

void TestReplay::editedTopicReplay()
{
    QTemporaryDir dir;
    auto ingest = startPipeline(dir.path());
    QVERIFY(ingest);
    const RawResponse posted = postStripe(ingest->port(), stripeEvent("evt_edit_1"));
    QCOMPARE(posted.status, 200);
    const qint64 originalId = json(posted).value(u"id"_s).toInteger();

    const QByteArray edited = stripeEvent("evt_edit_2", "cus_edited_9");
    replay::ReplayRequest request;
    request.journalId = originalId;
    request.mode = replay::ReplayMode::Topic;
    request.edits.body = edited;
    request.edits.headers = {{"content-type", "application/json; charset=utf-8"}, {"X-Replay-Note", "edited"}};
    request.edits.newIdempotencyKey = true;
    const auto result = replayNow(*ingest, request);
    QVERIFY(result && result->ok());
    const replay::ReplayResult &r = result->value();
    QCOMPARE(r.status, u"accepted"_s);
    QVERIFY(r.idempotencyKey.startsWith("replay-"));

    const auto entry = journalEntry(*ingest, r.newJournalId);
    QVERIFY(entry);
    QCOMPARE(entry->derivedFrom, originalId);
    QCOMPARE(entry->body, edited);
    QCOMPARE(entry->entityKey, QByteArray("cus_edited_9")); // derived again from the edited body
    QCOMPARE(entry->idempotencyKey, r.idempotencyKey);
    http::HttpRequest asRequest;
    asRequest.headers = entry->headers;
    QCOMPARE(asRequest.header("Content-Type"), QByteArray("application/json; charset=utf-8"));
    QCOMPARE(asRequest.headerValues("Content-Type").size(), 1); // replaced, not added
    QCOMPARE(asRequest.header("X-Replay-Note"), QByteArray("edited"));

    const QList<ConsumedRecord> records = consumeTopic(ingest->bootstrap(), u"webhooks.stripe"_s, 2);
    const ConsumedRecord *replayed = recordWithJournalId(records, r.newJournalId);
    QVERIFY(replayed);
    QCOMPARE(replayed->value, edited);
    QCOMPARE(replayed->key, QByteArray("cus_edited_9"));
    QCOMPARE(headerValue(*replayed, "content-type"), QByteArray("application/json; charset=utf-8"));
    QCOMPARE(headerValue(*replayed, "idempotency-key"), r.idempotencyKey);
}

void TestReplay::receiverReplayWithResign()
{
    QTemporaryDir dir;
    auto ingest = startPipeline(dir.path());
    QVERIFY(ingest);
    const QByteArray body = stripeEvent("evt_receiver_1");
    const RawResponse posted = postStripe(ingest->port(), body);
    QCOMPARE(posted.status, 200);
    const qint64 originalId = json(posted).value(u"id"_s).toInteger();

    // With a new key: verified again (re-signed), claimed as new, produced.
    replay::ReplayRequest request;
    request.journalId = originalId;
    request.mode = replay::ReplayMode::Receiver;
    request.edits.newIdempotencyKey = true;
    auto result = replayNow(*ingest, request);
    QVERIFY(result);
    QVERIFY2(result->ok(), qPrintable(result->ok() ? QString() : result->error().message));
    QCOMPARE(result->value().status, u"accepted"_s);
    QCOMPARE(result->value().httpStatus, 200);
    QCOMPARE(result->value().topic, u"webhooks.stripe"_s);
    QVERIFY(result->value().idempotencyKey.startsWith("replay-"));
    const qint64 newId = result->value().newJournalId;
    auto entry = journalEntry(*ingest, newId);
    QVERIFY(entry);
    QCOMPARE(entry->derivedFrom, originalId);
    QCOMPARE(entry->verdict, store::Verdict::Accepted);
    QCOMPARE(entry->idempotencyKey, result->value().idempotencyKey);
    // Only the event id changed in the body (Stripe keys on /id).
    QByteArray expectedBody = body;
    expectedBody.replace(QByteArray("evt_receiver_1"), entry->idempotencyKey);
    QCOMPARE(entry->body, expectedBody);
    http::HttpRequest asRequest;
    asRequest.headers = entry->headers;
    QVERIFY(!asRequest.header("Stripe-Signature").isEmpty());
    QVERIFY(asRequest.header("Stripe-Signature") != QByteArray(posted.header("Stripe-Signature")));
    QCOMPARE(asRequest.headerValues("Content-Length").size(), 1);

    const QList<ConsumedRecord> records = consumeTopic(ingest->bootstrap(), u"webhooks.stripe"_s, 2);
    const ConsumedRecord *replayed = recordWithJournalId(records, newId);
    QVERIFY(replayed);
    QCOMPARE(replayed->value, expectedBody);

    // Without a new key the receiver's dedup answers: a duplicate of the original.
    request.edits.newIdempotencyKey = false;
    result = replayNow(*ingest, request);
    QVERIFY(result && result->ok());
    QCOMPARE(result->value().status, u"duplicate"_s);
    QCOMPARE(result->value().httpStatus, 200);
    QCOMPARE(result->value().idempotencyKey, QByteArray("evt_receiver_1"));
    entry = journalEntry(*ingest, result->value().newJournalId);
    QVERIFY(entry);
    QCOMPARE(entry->verdict, store::Verdict::Duplicate);
    QCOMPARE(entry->duplicateOf, originalId);
    QCOMPARE(entry->derivedFrom, originalId);
}

void TestReplay::receiverReplayWithoutResignAfterEdit()
{
    QTemporaryDir dir;
    auto ingest = startPipeline(dir.path());
    QVERIFY(ingest);
    const RawResponse posted = postStripe(ingest->port(), stripeEvent("evt_nosign_1"));
    QCOMPARE(posted.status, 200);
    const qint64 originalId = json(posted).value(u"id"_s).toInteger();

    replay::ReplayRequest request;
    request.journalId = originalId;
    request.mode = replay::ReplayMode::Receiver;
    request.edits.body = stripeEvent("evt_nosign_2");
    request.edits.resign = false;
    const auto result = replayNow(*ingest, request);
    QVERIFY(result && result->ok());
    QCOMPARE(result->value().status, u"rejected"_s);
    QCOMPARE(result->value().httpStatus, 401);
    QCOMPARE(result->value().reason, u"signature_mismatch"_s);

    // The rejection is journaled with its lineage too.
    ingest->journalWriter().sync();
    auto query = store::JournalQuery::open(ingest->databasePath());
    QVERIFY(query);
    store::JournalFilter filter;
    filter.verdict = store::Verdict::Rejected;
    const auto rejected = (*query)->list(filter);
    QVERIFY(rejected);
    QCOMPARE(rejected->size(), 1);
    QCOMPARE(rejected->constFirst().derivedFrom, originalId);
    QCOMPARE(rejected->constFirst().reason, u"signature_mismatch"_s);
}

void TestReplay::deadLetterReplay()
{
    QTemporaryDir dir;
    auto ingest = startPipeline(dir.path());
    QVERIFY(ingest);
    const RawResponse posted = postStripe(ingest->port(), stripeEvent("evt_dlq_1"));
    QCOMPARE(posted.status, 200);
    const qint64 originalId = json(posted).value(u"id"_s).toInteger();
    auto original = journalEntry(*ingest, originalId);
    QVERIFY(original);

    auto database = store::Database::open(ingest->databasePath());
    QVERIFY(database);
    store::ProcessingStore processing(**database);
    const auto letterId = processing.addDeadLetter(letterFor(*original));
    QVERIFY(letterId);

    replay::ReplayRequest request;
    request.deadLetterId = *letterId;
    request.mode = replay::ReplayMode::Topic;
    request.edits.newIdempotencyKey = true;
    const auto result = replayNow(*ingest, request);
    QVERIFY(result);
    QVERIFY2(result->ok(), qPrintable(result->ok() ? QString() : result->error().message));
    QCOMPARE(result->value().status, u"accepted"_s);
    QCOMPARE(result->value().deadLetterId, *letterId);
    QCOMPARE(result->value().originalJournalId, originalId);
    const qint64 newId = result->value().newJournalId;
    QVERIFY(newId > originalId);
    QCOMPARE(journalEntry(*ingest, newId)->derivedFrom, originalId);

    // The service marks the letter before it answers.
    const auto letter = processing.deadLetter(*letterId);
    QVERIFY(letter);
    QCOMPARE(letter->status, store::DeadLetterStatus::Replayed);
    QCOMPARE(letter->replayedAsJournalId, newId);
}

void TestReplay::discard()
{
    QTemporaryDir dir;
    auto ingest = startPipeline(dir.path());
    QVERIFY(ingest);
    const RawResponse posted = postStripe(ingest->port(), stripeEvent("evt_discard_1"));
    QCOMPARE(posted.status, 200);
    const auto original = journalEntry(*ingest, json(posted).value(u"id"_s).toInteger());
    QVERIFY(original);
    auto database = store::Database::open(ingest->databasePath());
    QVERIFY(database);
    store::ProcessingStore processing(**database);
    const auto letterId = processing.addDeadLetter(letterFor(*original));
    QVERIFY(letterId);

    const auto discardNow = [&](qint64 id) {
        return await<Result<void>>(
            [&](QObject *context, auto done) { ingest->replayService()->discard(id, context, std::move(done)); });
    };
    auto discarded = discardNow(*letterId);
    QVERIFY(discarded);
    QVERIFY(discarded->ok());
    const auto letter = processing.deadLetter(*letterId);
    QVERIFY(letter);
    QCOMPARE(letter->status, store::DeadLetterStatus::Discarded);
    QVERIFY(letter->statusChangedAtMs > 0);

    discarded = discardNow(*letterId);
    QVERIFY(discarded && !discarded->ok());
    QCOMPARE(discarded->error().code, u"invalid_argument"_s);
    discarded = discardNow(*letterId + 100);
    QVERIFY(discarded && !discarded->ok());
    QCOMPARE(discarded->error().code, u"not_found"_s);

    // A discarded letter is not replayed.
    replay::ReplayRequest request;
    request.deadLetterId = *letterId;
    const auto result = replayNow(*ingest, request);
    QVERIFY(result && !result->ok());
    QCOMPARE(result->error().code, u"invalid_argument"_s);
}

void TestReplay::errors()
{
    QTemporaryDir dir;
    auto ingest = startPipeline(dir.path());
    QVERIFY(ingest);
    const RawResponse bad = postStripe(ingest->port(), stripeEvent("evt_bad_1"), "whsec_wrong");
    QCOMPARE(bad.status, 401);
    ingest->journalWriter().sync();
    auto query = store::JournalQuery::open(ingest->databasePath());
    QVERIFY(query);
    const auto rejected = (*query)->list({});
    QVERIFY(rejected && rejected->size() == 1);
    const qint64 rejectedId = rejected->constFirst().id;

    replay::ReplayRequest request;
    request.journalId = rejectedId;
    request.mode = replay::ReplayMode::Topic;
    auto result = replayNow(*ingest, request);
    QVERIFY(result && !result->ok());
    QCOMPARE(result->error().code, u"invalid_argument"_s); // never reached Kafka

    // Through the receiver, re-signed with the right secret, the same request is accepted.
    request.mode = replay::ReplayMode::Receiver;
    result = replayNow(*ingest, request);
    QVERIFY(result);
    QVERIFY2(result->ok(), qPrintable(result->ok() ? QString() : result->error().message));
    QCOMPARE(result->value().status, u"accepted"_s);
    QCOMPARE(journalEntry(*ingest, result->value().newJournalId)->derivedFrom, rejectedId);

    request.journalId = 999'999;
    result = replayNow(*ingest, request);
    QVERIFY(result && !result->ok());
    QCOMPARE(result->error().code, u"not_found"_s);

    // "none" derives its key from the body: a new key cannot be minted.
    const RawResponse plain =
        post(ingest->port(), "/webhooks/plain", R"({"n":1})", {{"Content-Type", "application/json"}});
    QCOMPARE(plain.status, 200);
    request.journalId = json(plain).value(u"id"_s).toInteger();
    request.edits.newIdempotencyKey = true;
    result = replayNow(*ingest, request);
    QVERIFY(result && !result->ok());
    QCOMPARE(result->error().code, u"unsupported"_s);
}

void TestReplay::replayMany()
{
    QTemporaryDir dir;
    auto ingest = startPipeline(dir.path());
    QVERIFY(ingest);
    QList<qint64> accepted;
    for (int i = 1; i <= 3; ++i) {
        const RawResponse posted = postStripe(ingest->port(), stripeEvent("evt_many_" + QByteArray::number(i)));
        QCOMPARE(posted.status, 200);
        accepted.append(json(posted).value(u"id"_s).toInteger());
        if (i == 2) // a rejected one in between is skipped
            QCOMPARE(postStripe(ingest->port(), stripeEvent("evt_many_bad"), "whsec_wrong").status, 401);
    }
    QCOMPARE(post(ingest->port(), "/webhooks/plain", "{}", {{"Content-Type", "application/json"}}).status, 200);

    replay::ReplaySelection selection;
    selection.filter.source = u"stripe"_s;
    selection.mode = replay::ReplayMode::Topic;
    using Many = Result<QList<Result<replay::ReplayResult>>>;
    const auto many = await<Many>(
        [&](QObject *context, auto done) { ingest->replayService()->replayMany(selection, context, std::move(done)); });
    QVERIFY(many);
    QVERIFY2(many->ok(), qPrintable(many->ok() ? QString() : many->error().message));
    QCOMPARE(many->value().size(), 3);
    for (int i = 0; i < 3; ++i) {
        const Result<replay::ReplayResult> &one = many->value().at(i);
        QVERIFY(one.ok());
        QCOMPARE(one->originalJournalId, accepted.at(i)); // journal order
        QCOMPARE(one->status, u"accepted"_s);
        QCOMPARE(journalEntry(*ingest, one->newJournalId)->derivedFrom, accepted.at(i));
    }
    QCOMPARE(consumeTopic(ingest->bootstrap(), u"webhooks.stripe"_s, 6).size(), 6);

    // A limit keeps the newest entries; explicit ids win over the filter.
    selection.limit = 1;
    auto limited = await<Many>(
        [&](QObject *context, auto done) { ingest->replayService()->replayMany(selection, context, std::move(done)); });
    QVERIFY(limited && limited->ok());
    QCOMPARE(limited->value().size(), 1);
    QVERIFY(limited->value().constFirst().ok());
    // The newest stripe entry is now the last replay of the first round.
    QCOMPARE(limited->value().constFirst()->originalJournalId, many->value().constLast()->newJournalId);

    selection.journalIds = {accepted.at(0), 999'999};
    selection.limit = 10;
    limited = await<Many>(
        [&](QObject *context, auto done) { ingest->replayService()->replayMany(selection, context, std::move(done)); });
    QVERIFY(limited && limited->ok());
    QCOMPARE(limited->value().size(), 2);
    QVERIFY(limited->value().at(0).ok());
    QCOMPARE(limited->value().at(1).error().code, u"not_found"_s);
}

// The lineage of an event replayed twice and dead-lettered each time: the replay depths, the
// dry-run plan (topics, keys, what the loop guard skips and why) and a bulk replay of the plan.
void TestReplay::deadLetterPlanAndLoopGuard()
{
    QTemporaryDir dir;
    auto ingest = startPipeline(dir.path());
    QVERIFY(ingest);
    const RawResponse first = postStripe(ingest->port(), stripeEvent("evt_loop_1", "cus_loop"));
    const RawResponse other = postStripe(ingest->port(), stripeEvent("evt_loop_2", "cus_other"));
    QCOMPARE(first.status, 200);
    QCOMPARE(other.status, 200);
    const qint64 j1 = json(first).value(u"id"_s).toInteger();
    const qint64 otherId = json(other).value(u"id"_s).toInteger();

    auto database = store::Database::open(ingest->databasePath());
    QVERIFY(database);
    store::ProcessingStore processing(**database);
    // Dead, replayed, dead again, replayed again, dead again: letters l1 -> j2 -> l2 -> j3 -> l3.
    QList<qint64> letters;
    QList<qint64> lineage{j1};
    for (int round = 0; round < 3; ++round) {
        auto entry = journalEntry(*ingest, lineage.constLast());
        QVERIFY(entry);
        const auto letter = processing.addDeadLetter(letterFor(*entry));
        QVERIFY(letter);
        letters.append(*letter);
        if (round == 2)
            break;
        replay::ReplayRequest request;
        request.deadLetterId = *letter;
        const auto result = replayNow(*ingest, request);
        QVERIFY(result && result->ok());
        QCOMPARE(result->value().status, u"accepted"_s);
        lineage.append(result->value().newJournalId);
    }
    auto otherEntry = journalEntry(*ingest, otherId);
    QVERIFY(otherEntry);
    const auto otherLetter = processing.addDeadLetter(letterFor(*otherEntry));
    QVERIFY(otherLetter);

    ingest->journalWriter().sync();
    const auto depths = processing.replayDepths({lineage.at(0), lineage.at(1), lineage.at(2), otherId, 999'999});
    QVERIFY(depths);
    QCOMPARE(depths->value(lineage.at(0)), 0);
    QCOMPARE(depths->value(lineage.at(1)), 1);
    QCOMPARE(depths->value(lineage.at(2)), 2);
    QCOMPARE(depths->value(otherId), 0);
    QVERIFY(!depths->contains(999'999)); // not in the journal

    auto plan = [&](const replay::DeadLetterReplay &request) {
        return await<Result<replay::ReplayPlan>>([&](QObject *context, auto done) {
            ingest->replayService()->planDeadLetters(request, context, std::move(done));
        });
    };
    replay::DeadLetterReplay request;
    request.deadLetterIds = {letters.at(2), *otherLetter, letters.at(0)};
    request.maxReplays = 2;
    const auto planned = plan(request);
    QVERIFY(planned && planned->ok());
    const replay::ReplayPlan &p = planned->value();
    QCOMPARE(p.items.size(), 3);
    QCOMPARE(p.items.at(0).replayCount, 2);
    QCOMPARE(p.items.at(0).skipReason, u"loop_guard"_s);
    QVERIFY2(p.items.at(0).skipDetail.contains(u"after 2 replay(s)"_s), qPrintable(p.items.at(0).skipDetail));
    QVERIFY(p.items.at(1).sent());
    QCOMPARE(p.items.at(2).skipReason, u"replayed"_s); // l1 was replayed already
    QCOMPARE(p.sendCount(), 1);
    QCOMPARE(p.topics(), (QMap<QString, int>{{u"webhooks.stripe"_s, 1}}));
    QCOMPARE(p.keys(), QList<QByteArray>{"cus_other"});

    request.includeOverLimit = true;
    const auto unguarded = plan(request);
    QVERIFY(unguarded && unguarded->ok());
    QCOMPARE(unguarded->value().sendCount(), 2);
    QCOMPARE(unguarded->value().keys(), (QList<QByteArray>{"cus_loop", "cus_other"}));
    request.mode = replay::ReplayMode::Receiver;
    const auto viaReceiver = plan(request);
    QVERIFY(viaReceiver && viaReceiver->ok());
    QCOMPARE(viaReceiver->value().topics(), (QMap<QString, int>{{u"webhooks.stripe"_s, 2}}));

    // The bulk replay sends what the guarded plan sends: the other letter only.
    request.mode = replay::ReplayMode::Topic;
    request.includeOverLimit = false;
    const auto outcome = await<Result<replay::BulkReplayOutcome>>([&](QObject *context, auto done) {
        ingest->replayService()->replayDeadLetters(request, context, std::move(done));
    });
    QVERIFY(outcome && outcome->ok());
    QCOMPARE(outcome->value().results.size(), 1);
    QVERIFY(outcome->value().results.at(0).ok());
    QCOMPARE(outcome->value().results.at(0).value().status, u"accepted"_s);
    QCOMPARE(outcome->value().results.at(0).value().deadLetterId, *otherLetter);
    QCOMPARE(processing.deadLetter(*otherLetter)->status, store::DeadLetterStatus::Replayed);
    QCOMPARE(processing.deadLetter(letters.at(2))->status, store::DeadLetterStatus::Dead);
}

QTEST_GUILESS_MAIN(TestReplay)
#include "test_replay.moc"
