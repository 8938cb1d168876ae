// The admin API's read side (events, one event in full, dead letters), replay requests when no
// ReplayService runs, the consumer group routes with injected functions, and handle() called
// from another thread.

#include <mutex>

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <QThread>

#include "core/store/database.h"
#include "core/store/processing_store.h"
#include "tests/api/test_api.h"

using namespace Qt::StringLiterals;

namespace hookbench::tests {

using namespace hookbench::store;

namespace {

constexpr qint64 kT0 = 1'700'000'000'000; // 2023-11-14T22:13:20.000Z

JournalEntry entryAt(const QString &source, Verdict verdict, qint64 receivedAtMs, const QByteArray &key)
{
    JournalEntry e;
    e.receivedAtMs = receivedAtMs;
    e.source = source;
    e.method = "POST";
    e.target = "/webhooks/" + source.toUtf8();
    e.headers = {{"Content-Type", "application/json"}, {"X-Delivery", key}};
    e.body = R"({"id":")" + key + R"("})";
    e.remoteAddress = u"127.0.0.1"_s;
    e.remotePort = 50000;
    e.verdict = verdict;
    e.httpStatus = verdict == Verdict::Rejected ? 401 : 200;
    e.reason = verdict == Verdict::Rejected ? u"signature_mismatch"_s : QString();
    e.idempotencyKey = key;
    e.entityKey = "cus_1";
    e.eventType = u"invoice.paid"_s;
    e.topic = u"webhooks."_s + source;
    e.kafkaState = verdict == Verdict::Accepted ? KafkaState::Produced : KafkaState::None;
    return e;
}

DeadLetterRow letterFor(qint64 journalId, qint64 atMs)
{
    DeadLetterRow row;
    row.journalId = journalId;
    row.source = u"stripe"_s;
    row.topic = u"webhooks.stripe"_s;
    row.partition = 2;
    row.offset = 10 + journalId;
    row.key = QByteArray(); // Kafka null key
    row.headers = {{"hookbench-source", "stripe"}};
    row.value = QByteArray("\x00\xff\x01", 3);
    row.error = u"HTTP 400 from http://127.0.0.1:3000/hooks"_s;
    row.errorClass = u"permanent"_s;
    row.attempts = 1;
    row.firstFailureAtMs = atMs;
    row.lastFailureAtMs = atMs;
    row.consumer = u"consumer-1"_s;
    return row;
}

QList<qint64> idsOf(const QJsonArray &items)
{
    QList<qint64> ids;
    for (const QJsonValue &item : items)
        ids.append(item.toObject().value(u"id"_s).toInteger());
    return ids;
}

} // namespace

void TestApi::eventsFilterAndPage()
{
    const QList<qint64> ids = journal({
        entryAt(u"stripe"_s, Verdict::Accepted, kT0, "evt_1"),
        entryAt(u"github"_s, Verdict::Rejected, kT0 + 1000, "d-2"),
        entryAt(u"stripe"_s, Verdict::Queued, kT0 + 2000, "evt_3"),
        entryAt(u"stripe"_s, Verdict::Accepted, kT0 + 3000, "evt_4"),
        entryAt(u"github"_s, Verdict::Accepted, kT0 + 4000, "d-5"),
        entryAt(u"stripe"_s, Verdict::Duplicate, kT0 + 5000, "evt_1"),
    });
    QCOMPARE(ids, (QList<qint64>{1, 2, 3, 4, 5, 6}));
    {
        auto db = Database::open(dbPath());
        QVERIFY(db);
        ProcessingStore store(**db);
        QVERIFY(store.markProcessed(u"stripe"_s, "evt_1", 1, kT0 + 100));
        QVERIFY(store.addDeadLetter(letterFor(4, kT0 + 3500)));
    }
    QVERIFY(startApi());

    const ApiReplyData all = m_client->get("/api/events");
    QCOMPARE(all.status, 200);
    QCOMPARE(idsOf(all.items()), ids);
    QVERIFY(all.json.value(u"next"_s).isNull());
    const QJsonObject first = all.items().at(0).toObject();
    QCOMPARE(first.value(u"source"_s).toString(), u"stripe"_s);
    QCOMPARE(first.value(u"verdict"_s).toString(), u"accepted"_s);
    QCOMPARE(first.value(u"received_at"_s).toString(), u"2023-11-14T22:13:20.000Z"_s);
    QCOMPARE(first.value(u"idempotency_key"_s).toString(), u"evt_1"_s);
    QVERIFY(!first.contains(u"body"_s));
    QCOMPARE(first.value(u"processing"_s).toObject().value(u"state"_s).toString(), u"done"_s);
    QCOMPARE(all.items().at(3).toObject().value(u"processing"_s).toObject().value(u"state"_s).toString(),
             u"dead_lettered"_s);
    QCOMPARE(all.items().at(2).toObject().value(u"processing"_s).toObject().value(u"state"_s).toString(), u"pending"_s);
    // The duplicate shares evt_1's key but was not processed as itself.
    QCOMPARE(all.items().at(5).toObject().value(u"processing"_s).toObject().value(u"state"_s).toString(), u"pending"_s);

    QCOMPARE(idsOf(m_client->get("/api/events?source=stripe").items()), (QList<qint64>{1, 3, 4, 6}));
    QCOMPARE(idsOf(m_client->get("/api/events?source=stripe&status=accepted").items()), (QList<qint64>{1, 4}));
    QCOMPARE(idsOf(m_client->get("/api/events?status=rejected").items()), (QList<qint64>{2}));
    QCOMPARE(idsOf(m_client->get("/api/events?since=2023-11-14T22:13:22Z").items()), (QList<qint64>{3, 4, 5, 6}));
    QCOMPARE(idsOf(m_client->get("/api/events?since=2023-11-14T23:13:22.000%2B01:00").items()),
             (QList<qint64>{3, 4, 5, 6}));
    QCOMPARE(idsOf(m_client->get("/api/events?until=" + QByteArray::number(kT0 + 4000)).items()),
             (QList<qint64>{1, 2, 3, 4}));
    QCOMPARE(idsOf(m_client
                       ->get("/api/events?since=" + QByteArray::number(kT0 + 1000)
                             + "&until=2023-11-14T22:13:23Z&source=stripe")
                       .items()),
             (QList<qint64>{3}));

    // Paging forward with the cursor.
    const ApiReplyData page1 = m_client->get("/api/events?limit=2");
    QCOMPARE(idsOf(page1.items()), (QList<qint64>{1, 2}));
    QCOMPARE(page1.json.value(u"next"_s).toInteger(), 2);
    const ApiReplyData page2 = m_client->get("/api/events?limit=2&after=2");
    QCOMPARE(idsOf(page2.items()), (QList<qint64>{3, 4}));
    QCOMPARE(page2.json.value(u"next"_s).toInteger(), 4);
    const ApiReplyData page3 = m_client->get("/api/events?limit=2&after=4");
    QCOMPARE(idsOf(page3.items()), (QList<qint64>{5, 6}));
    QVERIFY(page3.json.value(u"next"_s).isNull());
    // The first entry does not match: the first page starts later.
    const ApiReplyData github = m_client->get("/api/events?source=github&limit=1");
    QCOMPARE(idsOf(github.items()), (QList<qint64>{2}));
    QCOMPARE(github.json.value(u"next"_s).toInteger(), 2);
    const ApiReplyData githubNext = m_client->get("/api/events?source=github&limit=1&after=2");
    QCOMPARE(idsOf(githubNext.items()), (QList<qint64>{5}));
    QVERIFY(githubNext.json.value(u"next"_s).isNull());
}

void TestApi::eventsFilterByProcessing_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<QList<qint64>>("expected");

    // Ids of the entries eventsFilterByProcessing journals (see there for what happened to each).
    QTest::newRow("done") << QByteArray("processing=done") << QList<qint64>{1, 6};
    QTest::newRow("dead_lettered") << QByteArray("processing=dead_lettered") << QList<qint64>{3, 8};
    QTest::newRow("retrying") << QByteArray("processing=retrying") << QList<qint64>{2};
    // Entry 1 (done) must not slip into the first page; 4 never reached Kafka.
    QTest::newRow("pending") << QByteArray("processing=pending") << QList<qint64>{5};
    QTest::newRow("replayed") << QByteArray("processing=replayed") << QList<qint64>{7};
    QTest::newRow("discarded") << QByteArray("processing=discarded") << QList<qint64>{9};
    QTest::newRow("with source") << QByteArray("processing=done&source=github") << QList<qint64>{};
    QTest::newRow("with verdict") << QByteArray("processing=dead_lettered&status=accepted") << QList<qint64>{3, 8};
    QTest::newRow("with since") << QByteArray("processing=done&since=" + QByteArray::number(kT0 + 1))
                                << QList<qint64>{6};
    QTest::newRow("after a cursor") << QByteArray("processing=dead_lettered&after=3") << QList<qint64>{8};
}

void TestApi::eventsFilterByProcessing()
{
    QFETCH(QByteArray, query);
    QFETCH(QList<qint64>, expected);

    const QList<qint64> ids = journal({
        entryAt(u"stripe"_s, Verdict::Accepted, kT0, "evt_done_1"),
        entryAt(u"stripe"_s, Verdict::Accepted, kT0 + 1, "evt_retrying"),
        entryAt(u"stripe"_s, Verdict::Accepted, kT0 + 2, "evt_dead_1"),
        entryAt(u"github"_s, Verdict::Rejected, kT0 + 3, "d-rejected"),
        entryAt(u"stripe"_s, Verdict::Accepted, kT0 + 4, "evt_pending"),
        entryAt(u"stripe"_s, Verdict::Accepted, kT0 + 5, "evt_done_2"),
        entryAt(u"stripe"_s, Verdict::Accepted, kT0 + 6, "evt_replayed"),
        entryAt(u"stripe"_s, Verdict::Accepted, kT0 + 7, "evt_dead_2"),
        entryAt(u"stripe"_s, Verdict::Accepted, kT0 + 8, "evt_discarded"),
    });
    QCOMPARE(ids, (QList<qint64>{1, 2, 3, 4, 5, 6, 7, 8, 9}));
    {
        // What the consumer side writes: attempts, processed marks and dead letters.
        auto db = Database::open(dbPath());
        QVERIFY(db);
        ProcessingStore store(**db);
        auto attempt = [&store](qint64 journalId, const QByteArray &key, int n, AttemptOutcome outcome) {
            AttemptRow row;
            row.journalId = journalId;
            row.source = u"stripe"_s;
            row.idempotencyKey = key;
            row.topic = u"webhooks.stripe"_s;
            row.attempt = n;
            row.startedAtMs = kT0 + 100 * n;
            row.finishedAtMs = row.startedAtMs + 5;
            row.outcome = outcome;
            row.httpStatus = outcome == AttemptOutcome::Success ? 200 : 503;
            row.error = outcome == AttemptOutcome::Success ? QString() : u"HTTP 503"_s;
            row.nextDueAtMs = outcome == AttemptOutcome::Transient ? row.finishedAtMs + 1000 : 0;
            return bool(store.recordAttempt(row));
        };
        QVERIFY(attempt(1, "evt_done_1", 1, AttemptOutcome::Success));
        QVERIFY(store.markProcessed(u"stripe"_s, "evt_done_1", 1, kT0 + 200));
        QVERIFY(attempt(2, "evt_retrying", 1, AttemptOutcome::Transient));
        QVERIFY(attempt(2, "evt_retrying", 2, AttemptOutcome::Transient));
        QVERIFY(attempt(3, "evt_dead_1", 1, AttemptOutcome::Permanent));
        QVERIFY(store.addDeadLetter(letterFor(3, kT0 + 300)));
        QVERIFY(attempt(6, "evt_done_2", 1, AttemptOutcome::Transient));
        QVERIFY(attempt(6, "evt_done_2", 2, AttemptOutcome::Success));
        QVERIFY(store.markProcessed(u"stripe"_s, "evt_done_2", 6, kT0 + 600));
        const qint64 replayedLetter = store.addDeadLetter(letterFor(7, kT0 + 700)).value();
        QVERIFY(store.setDeadLetterStatus(replayedLetter, DeadLetterStatus::Replayed, kT0 + 750, 1000));
        QVERIFY(store.addDeadLetter(letterFor(8, kT0 + 800)));
        const qint64 discardedLetter = store.addDeadLetter(letterFor(9, kT0 + 900)).value();
        QVERIFY(store.setDeadLetterStatus(discardedLetter, DeadLetterStatus::Discarded, kT0 + 950));
    }
    QVERIFY(startApi());

    const ApiReplyData reply = m_client->get("/api/events?" + query);
    QCOMPARE(reply.status, 200);
    QCOMPARE(idsOf(reply.items()), expected);
    QVERIFY(reply.json.value(u"next"_s).isNull());
    // Each listed entry reports the state it was selected by.
    const QString state = QString::fromUtf8(query).section(u'&', 0, 0).section(u'=', 1);
    for (const QJsonValue &item : reply.items())
        QCOMPARE(item.toObject().value(u"processing"_s).toObject().value(u"state"_s).toString(), state);

    if (query.contains("after="))
        return;
    // Paging through the filtered list one entry at a time reaches the same ids.
    QList<qint64> paged;
    QByteArray cursor;
    for (int page = 0; page <= expected.size(); ++page) {
        const ApiReplyData one = m_client->get("/api/events?limit=1&" + query + cursor);
        QCOMPARE(one.status, 200);
        paged += idsOf(one.items());
        if (one.json.value(u"next"_s).isNull())
            break;
        cursor = "&after=" + QByteArray::number(one.json.value(u"next"_s).toInteger());
    }
    QCOMPARE(paged, expected);
}

void TestApi::eventsFilterByProcessingNamesTheStates()
{
    QVERIFY(startApi());
    const ApiReplyData reply = m_client->get("/api/events?processing=failed");
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.json.value(u"field"_s).toString(), u"processing"_s);
    const QString message = reply.json.value(u"message"_s).toString();
    QVERIFY2(message.contains(u"\"failed\""_s)
                 && message.contains(u"pending, retrying, done, dead_lettered, replayed or discarded"_s),
             qPrintable(message));
}

void TestApi::eventsRejectBadQueries_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<QString>("field");

    QTest::newRow("unknown verdict") << QByteArray("status=lost") << u"status"_s;
    QTest::newRow("unknown processing state") << QByteArray("processing=failed") << u"processing"_s;
    QTest::newRow("processing state in other case") << QByteArray("processing=DONE") << u"processing"_s;
    QTest::newRow("processing state with a dash") << QByteArray("processing=dead-lettered") << u"processing"_s;
    QTest::newRow("since words") << QByteArray("since=yesterday") << u"since"_s;
    QTest::newRow("until without zone") << QByteArray("until=2024-01-01T00:00:00") << u"until"_s;
    QTest::newRow("until before since") << QByteArray("since=2000&until=1000") << u"until"_s;
    QTest::newRow("limit zero") << QByteArray("limit=0") << u"limit"_s;
    QTest::newRow("limit too big") << QByteArray("limit=1001") << u"limit"_s;
    QTest::newRow("after negative") << QByteArray("after=-1") << u"after"_s;
    QTest::newRow("unknown parameter") << QByteArray("verdict=accepted") << u"verdict"_s;
    QTest::newRow("repeated parameter") << QByteArray("source=a&source=b") << u"source"_s;
}

void TestApi::eventsRejectBadQueries()
{
    QFETCH(QByteArray, query);
    QFETCH(QString, field);
    QVERIFY(startApi());
    const ApiReplyData reply = m_client->get("/api/events?" + query);
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.json.value(u"error"_s).toString(), u"invalid_argument"_s);
    QCOMPARE(reply.json.value(u"field"_s).toString(), field);
}

void TestApi::eventDetail()
{
    JournalEntry text = entryAt(u"stripe"_s, Verdict::Accepted, kT0, "evt_1");
    text.headers.append({"X-Binary", QByteArray("\xff\x00", 2)});
    text.verification = R"({"valid":true,"secret_index":0})";
    JournalEntry binary = entryAt(u"stripe"_s, Verdict::Accepted, kT0 + 1, "evt_2");
    binary.body = QByteArray("\x89PNG\x00\xff", 6);
    const QList<qint64> ids = journal({text, binary});
    JournalEntry replay = entryAt(u"stripe"_s, Verdict::Accepted, kT0 + 2, "replay-1");
    replay.derivedFrom = ids[0];
    const qint64 replayId = journal({replay}).value(0);
    qint64 letter = 0;
    {
        auto db = Database::open(dbPath());
        QVERIFY(db);
        ProcessingStore store(**db);
        AttemptRow attempt;
        attempt.journalId = ids[0];
        attempt.source = u"stripe"_s;
        attempt.topic = u"webhooks.stripe"_s;
        attempt.startedAtMs = kT0 + 10;
        attempt.finishedAtMs = kT0 + 20;
        attempt.outcome = AttemptOutcome::Permanent;
        attempt.httpStatus = 400;
        attempt.error = u"HTTP 400"_s;
        QVERIFY(store.recordAttempt(attempt));
        letter = store.addDeadLetter(letterFor(ids[0], kT0 + 30)).value();
        QVERIFY(store.setDeadLetterStatus(letter, DeadLetterStatus::Replayed, kT0 + 40, replayId));
    }
    QVERIFY(startApi());

    const ApiReplyData one = m_client->get("/api/events/" + QByteArray::number(ids[0]));
    QCOMPARE(one.status, 200);
    const QJsonObject &e = one.json;
    QCOMPARE(e.value(u"id"_s).toInteger(), ids[0]);
    QCOMPARE(e.value(u"body"_s).toString(), QString::fromUtf8(text.body));
    QCOMPARE(e.value(u"body_encoding"_s).toString(), u"utf-8"_s);
    const QJsonArray headers = e.value(u"headers"_s).toArray();
    QCOMPARE(headers.size(), 3);
    QCOMPARE(headers.at(0).toArray(), (QJsonArray{u"Content-Type"_s, u"application/json"_s}));
    QCOMPARE(headers.at(2).toArray().at(1).toObject().value(u"base64"_s).toString(), u"/wA="_s);
    QCOMPARE(e.value(u"verification"_s).toObject().value(u"valid"_s).toBool(), true);
    QCOMPARE(e.value(u"processing"_s).toObject().value(u"state"_s).toString(), u"replayed"_s);
    QCOMPARE(e.value(u"processing"_s).toObject().value(u"dead_letter_id"_s).toInteger(), letter);
    QCOMPARE(e.value(u"attempts"_s).toArray().size(), 1);
    QCOMPARE(e.value(u"attempts"_s).toArray().at(0).toObject().value(u"outcome"_s).toString(), u"permanent"_s);
    const QJsonObject dead = e.value(u"dead_letter"_s).toObject();
    QCOMPARE(dead.value(u"id"_s).toInteger(), letter);
    QCOMPARE(dead.value(u"status"_s).toString(), u"replayed"_s);
    QCOMPARE(dead.value(u"replayed_as_journal_id"_s).toInteger(), replayId);
    QCOMPARE(e.value(u"replays"_s).toArray(), QJsonArray{replayId});

    const ApiReplyData two = m_client->get("/api/events/" + QByteArray::number(ids[1]));
    QCOMPARE(two.json.value(u"body_encoding"_s).toString(), u"base64"_s);
    QCOMPARE(QByteArray::fromBase64(two.json.value(u"body"_s).toString().toLatin1()), binary.body);
    QVERIFY(two.json.value(u"dead_letter"_s).isNull());
    QCOMPARE(two.json.value(u"replays"_s).toArray(), QJsonArray{});
    QCOMPARE(two.json.value(u"processing"_s).toObject().value(u"state"_s).toString(), u"pending"_s);

    const ApiReplyData derived = m_client->get("/api/events/" + QByteArray::number(replayId));
    QCOMPARE(derived.json.value(u"derived_from"_s).toInteger(), ids[0]);
}

void TestApi::deadLetterList()
{
    const QList<qint64> ids = journal({entryAt(u"stripe"_s, Verdict::Accepted, kT0, "evt_1"),
                                       entryAt(u"stripe"_s, Verdict::Accepted, kT0 + 1, "evt_2"),
                                       entryAt(u"stripe"_s, Verdict::Accepted, kT0 + 2, "evt_3")});
    QList<qint64> letters;
    {
        auto db = Database::open(dbPath());
        QVERIFY(db);
        ProcessingStore store(**db);
        for (qint64 id : ids)
            letters.append(store.addDeadLetter(letterFor(id, kT0 + 100 + id)).value());
        QVERIFY(store.setDeadLetterStatus(letters[1], DeadLetterStatus::Discarded, kT0 + 500));
    }
    QVERIFY(startApi());

    const ApiReplyData all = m_client->get("/api/dlq");
    QCOMPARE(all.status, 200);
    QCOMPARE(idsOf(all.items()), letters);
    const QJsonObject first = all.items().at(0).toObject();
    QCOMPARE(first.value(u"journal_id"_s).toInteger(), ids[0]);
    QVERIFY(first.value(u"key"_s).isNull());
    QCOMPARE(first.value(u"value_encoding"_s).toString(), u"base64"_s);
    QCOMPARE(QByteArray::fromBase64(first.value(u"value"_s).toString().toLatin1()), QByteArray("\x00\xff\x01", 3));
    QCOMPARE(first.value(u"error_class"_s).toString(), u"permanent"_s);
    QCOMPARE(first.value(u"status"_s).toString(), u"dead"_s);

    const ApiReplyData dead = m_client->get("/api/dlq?status=dead&limit=1");
    QCOMPARE(idsOf(dead.items()), (QList<qint64>{letters[0]}));
    QCOMPARE(dead.json.value(u"next"_s).toInteger(), letters[0]);
    const ApiReplyData deadNext = m_client->get("/api/dlq?status=dead&limit=1&after=" + QByteArray::number(letters[0]));
    QCOMPARE(idsOf(deadNext.items()), (QList<qint64>{letters[2]}));
    QVERIFY(deadNext.json.value(u"next"_s).isNull());
    QCOMPARE(idsOf(m_client->get("/api/dlq?status=discarded").items()), (QList<qint64>{letters[1]}));

    const ApiReplyData bad = m_client->get("/api/dlq?status=gone");
    QCOMPARE(bad.status, 400);
    QCOMPARE(bad.json.value(u"field"_s).toString(), u"status"_s);
}

void TestApi::replayWithoutService()
{
    QVERIFY(startApi()); // env.replay stays null
    struct Case
    {
        QByteArray path;
        QByteArray body;
        int status;
        QString field; // for 400
    };
    const QList<Case> cases = {
        {"/api/dlq/1/replay", "", 503, {}},
        {"/api/dlq/1/replay", R"({"mode":"receiver","body":"{}","headers":{"X-A":"b"},"resign":false})", 503, {}},
        {"/api/dlq/1/replay", R"({"mode":"sideways"})", 400, u"mode"_s},
        {"/api/dlq/1/replay", R"({"body":5})", 400, u"body"_s},
        {"/api/dlq/1/replay", R"({"new_idempotency_key":"yes"})", 400, u"new_idempotency_key"_s},
        {"/api/dlq/1/replay", R"({"headers":{"Bad Name":"x"}})", 400, u"headers.Bad Name"_s},
        {"/api/dlq/1/replay", R"({"edit":true})", 400, u"edit"_s},
        {"/api/dlq/1/discard", "", 503, {}},
        {"/api/replay", R"({"ids":[1,2],"mode":"topic"})", 503, {}},
        {"/api/replay", R"({"source":"stripe","status":"accepted","since":"2024-01-01T00:00:00Z","limit":5})", 503, {}},
        {"/api/replay", R"({"ids":[1],"source":"stripe"})", 400, u"source"_s},
        {"/api/replay", R"({"ids":"1"})", 400, u"ids"_s},
        {"/api/replay", R"({"ids":[1,-2]})", 400, u"ids"_s},
        {"/api/replay", R"({"status":"bogus"})", 400, u"status"_s},
        {"/api/replay", R"({"limit":0})", 400, u"limit"_s},
        {"/api/replay", R"({"everything":true})", 400, u"everything"_s},
        {"/api/replay", "", 400, u"body"_s},
    };
    for (const Case &c : cases) {
        const ApiReplyData reply = m_client->send("POST", c.path, c.body);
        QVERIFY2(reply.status == c.status, QByteArray(c.path + ' ' + c.body + " -> " + reply.body).constData());
        if (c.status == 503) {
            QCOMPARE(reply.json.value(u"error"_s).toString(), u"replay_unavailable"_s);
        } else {
            QCOMPARE(reply.json.value(u"field"_s).toString(), c.field);
        }
    }
}

void TestApi::consumersSnapshotAndCount()
{
    kafka::ConsumerGroupState state;
    state.groupId = u"hookbench-processors"_s;
    state.topics = {u"webhooks.stripe"_s};
    kafka::MemberState member;
    member.id = u"consumer-1"_s;
    member.clientId = u"hookbench-consumer-1"_s;
    member.assigned = {{u"webhooks.stripe"_s, 0}, {u"webhooks.stripe"_s, 1}};
    member.handled = 12;
    member.inFlight = 1;
    state.members = {member};
    kafka::PartitionState partition;
    partition.topic = u"webhooks.stripe"_s;
    partition.partition = 1;
    partition.committed = 7;
    partition.highWatermark = 10;
    partition.lag = 3;
    partition.owner = u"consumer-1"_s;
    state.partitions = {partition};
    kafka::RebalanceEvent rebalance;
    rebalance.timeMs = kT0;
    rebalance.memberId = u"consumer-1"_s;
    rebalance.protocol = u"COOPERATIVE"_s;
    rebalance.assigned = {{u"webhooks.stripe"_s, 1}};
    state.rebalances = {rebalance};

    QList<int> requested;
    QVERIFY(startApi([&](api::AdminEnvironment &env) {
        env.consumers = [state] { return state; };
        env.setConsumerCount = [&requested](int n) -> Result<void> {
            if (n == 0)
                return Error{u"invalid_argument"_s, u"at least one consumer is needed while processing"_s};
            requested.append(n);
            return {};
        };
    }));

    const ApiReplyData got = m_client->get("/api/consumers");
    QCOMPARE(got.status, 200);
    QCOMPARE(got.json.value(u"group_id"_s).toString(), u"hookbench-processors"_s);
    const QJsonObject m = got.json.value(u"members"_s).toArray().at(0).toObject();
    QCOMPARE(m.value(u"id"_s).toString(), u"consumer-1"_s);
    QCOMPARE(m.value(u"client_id"_s).toString(), u"hookbench-consumer-1"_s);
    QCOMPARE(m.value(u"assigned"_s).toArray().size(), 2);
    QCOMPARE(m.value(u"assigned"_s).toArray().at(1).toObject().value(u"partition"_s).toInt(), 1);
    QCOMPARE(m.value(u"handled"_s).toInteger(), 12);
    QCOMPARE(m.value(u"in_flight"_s).toInt(), 1);
    const QJsonObject p = got.json.value(u"partitions"_s).toArray().at(0).toObject();
    QCOMPARE(p.value(u"topic"_s).toString(), u"webhooks.stripe"_s);
    QCOMPARE(p.value(u"committed"_s).toInteger(), 7);
    QCOMPARE(p.value(u"high_watermark"_s).toInteger(), 10);
    QCOMPARE(p.value(u"lag"_s).toInteger(), 3);
    QCOMPARE(p.value(u"owner"_s).toString(), u"consumer-1"_s);
    const QJsonObject r = got.json.value(u"rebalances"_s).toArray().at(0).toObject();
    QCOMPARE(r.value(u"time"_s).toString(), u"2023-11-14T22:13:20.000Z"_s);
    QCOMPARE(r.value(u"member"_s).toString(), u"consumer-1"_s);
    QCOMPARE(r.value(u"revoked"_s).toArray(), QJsonArray{});
    QCOMPARE(r.value(u"assigned"_s).toArray().size(), 1);

    const ApiReplyData set = m_client->put("/api/consumers", QJsonObject{{u"count"_s, 3}});
    QCOMPARE(set.status, 200);
    QCOMPARE(set.json.value(u"count"_s).toInt(), 3);
    QCOMPARE(requested, QList<int>{3});

    for (const QByteArray &body : {QByteArray(R"({"count":33})"), QByteArray(R"({"count":-1})"),
                                   QByteArray(R"({"count":"2"})"), QByteArray("{}"), QByteArray(R"({"count":0})")}) {
        const ApiReplyData bad = m_client->send("PUT", "/api/consumers", body);
        QVERIFY2(bad.status == 400, QByteArray(body + " -> " + bad.body).constData());
        QCOMPARE(bad.json.value(u"field"_s).toString(), u"count"_s);
    }
    QCOMPARE(requested, QList<int>{3});
}

void TestApi::consumersOff()
{
    QVERIFY(startApi());
    const ApiReplyData got = m_client->get("/api/consumers");
    QCOMPARE(got.status, 200);
    QCOMPARE(got.json.value(u"group_id"_s).toString(), QString());
    QCOMPARE(got.json.value(u"members"_s).toArray(), QJsonArray{});
    QCOMPARE(got.json.value(u"partitions"_s).toArray(), QJsonArray{});
    const ApiReplyData set = m_client->put("/api/consumers", QJsonObject{{u"count"_s, 2}});
    QCOMPARE(set.status, 409);
    QCOMPARE(set.json.value(u"error"_s).toString(), u"consumers_off"_s);
}

void TestApi::handleFromAnotherThread()
{
    QVERIFY(startApi());
    QCOMPARE(m_client->post("/api/filters", QJsonObject{{u"events"_s, QJsonArray{}}}).status, 201);

    std::mutex mutex;
    int status = 0;
    QByteArray body;
    QThread *answeredOn = nullptr;
    http::Responder responder([&](http::HttpResponse response) {
        std::lock_guard lock(mutex);
        status = response.status;
        body = response.body;
        answeredOn = QThread::currentThread();
    });
    http::HttpRequest request;
    request.method = "GET";
    request.target = "/api/filters?limit=5";
    request.headers = {{"Authorization", "Bearer " + m_token}};
    api::AdminApi *adminApi = m_api.get();
    std::unique_ptr<QThread> caller(
        QThread::create([adminApi, request, responder] { adminApi->handle(request, responder); }));
    caller->start();
    QVERIFY(caller->wait(10'000));
    // The call hopped to the API's thread and is answered there once the event loop runs.
    QTRY_COMPARE_WITH_TIMEOUT(([&] {
                                  std::lock_guard lock(mutex);
                                  return status;
                              }()),
                              200, 10'000);
    std::lock_guard lock(mutex);
    QCOMPARE(answeredOn, QThread::currentThread());
    QCOMPARE(QJsonDocument::fromJson(body).object().value(u"items"_s).toArray().size(), 1);
}

} // namespace hookbench::tests
