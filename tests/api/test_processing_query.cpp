// ProcessingQuery on its read-only connection, over rows a ProcessingStore wrote on a
// read-write connection of its own, and journal rows from a real JournalWriter.

#include <QSignalSpy>
#include <QTest>

#include "core/store/database.h"
#include "core/store/journal_query.h"
#include "core/store/processing_query.h"
#include "core/store/processing_store.h"
#include "tests/api/test_api.h"

using namespace Qt::StringLiterals;

namespace hookbench::tests {

using namespace hookbench::store;

namespace {

JournalEntry makeEntry(const QString &source, const QByteArray &key, qint64 receivedAtMs,
                       const QByteArray &entityKey = "cus_1")
{
    JournalEntry e;
    e.receivedAtMs = receivedAtMs;
    e.source = source;
    e.method = "POST";
    e.target = "/webhooks/" + source.toUtf8();
    e.headers = {{"Content-Type", "application/json"}};
    e.body = R"({"id":")" + key + R"("})";
    e.remoteAddress = u"127.0.0.1"_s;
    e.verdict = Verdict::Accepted;
    e.httpStatus = 200;
    e.idempotencyKey = key;
    e.entityKey = entityKey;
    e.eventType = u"invoice.paid"_s;
    e.topic = u"webhooks."_s + source;
    e.kafkaState = KafkaState::Produced;
    return e;
}

AttemptRow makeAttempt(qint64 journalId, int attempt, qint64 startedAtMs, AttemptOutcome outcome,
                       const QString &error = {}, qint64 nextDueAtMs = 0)
{
    AttemptRow a;
    a.journalId = journalId;
    a.source = u"stripe"_s;
    a.idempotencyKey = "evt_" + QByteArray::number(journalId);
    a.topic = u"webhooks.stripe"_s;
    a.partition = 0;
    a.offset = journalId;
    a.attempt = attempt;
    a.consumer = u"consumer-1"_s;
    a.startedAtMs = startedAtMs;
    a.finishedAtMs = startedAtMs + 3;
    a.outcome = outcome;
    a.httpStatus = outcome == AttemptOutcome::Success ? 200 : 503;
    a.error = error;
    a.nextDueAtMs = nextDueAtMs;
    return a;
}

DeadLetterRow makeDeadLetter(qint64 journalId, qint64 failedAtMs)
{
    DeadLetterRow row;
    row.journalId = journalId;
    row.source = u"stripe"_s;
    row.topic = u"webhooks.stripe"_s;
    row.partition = 0;
    row.offset = journalId;
    row.key = "cus_1";
    row.value = R"({"id":"evt"})";
    row.error = u"HTTP 400"_s;
    row.errorClass = u"permanent"_s;
    row.attempts = 1;
    row.firstFailureAtMs = failedAtMs;
    row.lastFailureAtMs = failedAtMs;
    return row;
}

std::unique_ptr<Database> openReadWrite(const QString &path)
{
    auto db = Database::open(path);
    if (!db) {
        qWarning("%s", qPrintable(db.error().message));
        return nullptr;
    }
    return std::move(*db);
}

std::unique_ptr<ProcessingQuery> openQuery(const QString &path)
{
    auto query = ProcessingQuery::open(path);
    if (!query) {
        qWarning("%s", qPrintable(query.error().message));
        return nullptr;
    }
    return std::move(*query);
}

} // namespace

void TestApi::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    auto writer = JournalWriter::open(dbPath());
    QVERIFY2(writer, qPrintable(writer ? QString() : writer.error().message));
    m_writer = std::move(*writer);
}

void TestApi::cleanup()
{
    m_client.reset();
    m_server.reset();
    m_api.reset();
    m_writer.reset();
    m_dir.reset();
}

bool TestApi::startApi(const std::function<void(api::AdminEnvironment &)> &adjust)
{
    bool started = false;
    [&] {
        auto token = api::AdminApi::loadOrCreateToken(m_dir->path());
        QVERIFY2(token, qPrintable(token ? QString() : token.error().message));
        m_token = *token;
        api::AdminEnvironment env;
        env.databasePath = dbPath();
        env.token = m_token;
        if (adjust)
            adjust(env);
        auto adminApi = api::AdminApi::create(std::move(env));
        QVERIFY2(adminApi, qPrintable(adminApi ? QString() : adminApi.error().message));
        m_api = std::move(*adminApi);
        m_server = std::make_unique<http::HttpServer>(config::LimitsConfig{});
        api::AdminApi *handler = m_api.get();
        m_server->setRequestHandler([handler](const http::HttpRequest &request, const http::Responder &responder) {
            handler->handle(request, responder);
        });
        const Result<void> listening = m_server->listen(QHostAddress::LocalHost, 0);
        QVERIFY2(listening, qPrintable(listening ? QString() : listening.error().message));
        m_client = std::make_unique<ApiClient>(m_server->serverPort());
        m_client->setToken(m_token);
        started = true;
    }();
    return started;
}

QString TestApi::dbPath() const
{
    return m_dir->filePath(u"hookbench.db"_s);
}

QList<qint64> TestApi::journal(const QList<JournalEntry> &entries)
{
    QList<qint64> ids(entries.size(), 0);
    int delivered = 0;
    for (qsizetype i = 0; i < entries.size(); ++i) {
        m_writer->ingest(entries[i], false, 0, this, [&ids, &delivered, i](const IngestOutcome &outcome) {
            ids[i] = outcome.failed ? -1 : outcome.id;
            ++delivered;
        });
    }
    [&] { QTRY_COMPARE_WITH_TIMEOUT(delivered, int(entries.size()), 10'000); }();
    return ids;
}

void TestApi::queryOpenFailsWithoutDatabase()
{
    auto query = ProcessingQuery::open(m_dir->filePath(u"missing/hookbench.db"_s));
    QVERIFY(!query);
    QVERIFY2(query.error().message.contains(u"missing"_s), qPrintable(query.error().message));
}

void TestApi::statusOfEveryState()
{
    const QList<qint64> ids = journal({
        makeEntry(u"stripe"_s, "evt_pending", 1000), makeEntry(u"stripe"_s, "evt_retrying", 1001),
        makeEntry(u"stripe"_s, "evt_done", 1002), makeEntry(u"stripe"_s, "evt_dead", 1003),
        makeEntry(u"stripe"_s, "evt_replayed", 1004), makeEntry(u"stripe"_s, "evt_discarded", 1005),
        makeEntry(u"stripe"_s, "evt_done", 1006), // shares evt_done's key, never processed itself
    });
    QCOMPARE(ids.size(), 7);
    QVERIFY(!ids.contains(-1));
    const qint64 pending = ids[0], retrying = ids[1], done = ids[2], dead = ids[3], replayed = ids[4],
                 discarded = ids[5], sameKey = ids[6];

    auto db = openReadWrite(dbPath());
    QVERIFY(db);
    ProcessingStore store(*db);
    QVERIFY(store.recordAttempt(makeAttempt(retrying, 1, 2000, AttemptOutcome::Transient, u"HTTP 503"_s, 2500)));
    QVERIFY(store.recordAttempt(makeAttempt(retrying, 2, 2600, AttemptOutcome::Transient, u"timeout"_s, 3600)));
    QVERIFY(store.recordAttempt(makeAttempt(done, 1, 2000, AttemptOutcome::Transient, u"HTTP 502"_s, 2100)));
    QVERIFY(store.recordAttempt(makeAttempt(done, 2, 2100, AttemptOutcome::Success)));
    QCOMPARE(store.markProcessed(u"stripe"_s, "evt_done", done, 2200).value(), true);
    QVERIFY(store.recordAttempt(makeAttempt(dead, 1, 2000, AttemptOutcome::Permanent, u"HTTP 400"_s)));
    const qint64 deadLetter = store.addDeadLetter(makeDeadLetter(dead, 2003)).value();
    const qint64 replayedLetter = store.addDeadLetter(makeDeadLetter(replayed, 2004)).value();
    QVERIFY(store.setDeadLetterStatus(replayedLetter, DeadLetterStatus::Replayed, 3000, 4242));
    const qint64 discardedLetter = store.addDeadLetter(makeDeadLetter(discarded, 2005)).value();
    QVERIFY(store.setDeadLetterStatus(discardedLetter, DeadLetterStatus::Discarded, 3000));

    auto query = openQuery(dbPath());
    QVERIFY(query);
    QVERIFY(query->statusOf({}).value().isEmpty());
    const qint64 unknown = 999'999;
    auto statuses = query->statusOf({pending, retrying, done, dead, replayed, discarded, sameKey, unknown, done});
    QVERIFY2(statuses, qPrintable(statuses ? QString() : statuses.error().message));
    QCOMPARE(statuses->size(), 8);

    QCOMPARE(statuses->value(pending).state, ProcessingState::Pending);
    QCOMPARE(statuses->value(pending).attempts, 0);
    QCOMPARE(statuses->value(unknown).state, ProcessingState::Pending);

    const ProcessingStatus r = statuses->value(retrying);
    QCOMPARE(r.state, ProcessingState::Retrying);
    QCOMPARE(r.attempts, 2);
    QCOMPARE(r.lastError, u"timeout"_s);
    QCOMPARE(r.lastAttemptAtMs, 2600);
    QCOMPARE(r.nextDueAtMs, 3600);

    const ProcessingStatus d = statuses->value(done);
    QCOMPARE(d.state, ProcessingState::Done);
    QCOMPARE(d.attempts, 2);
    QCOMPARE(d.processedAtMs, 2200);
    QCOMPARE(d.lastError, u"HTTP 502"_s);
    QCOMPARE(d.lastAttemptAtMs, 2100);

    QCOMPARE(statuses->value(dead).state, ProcessingState::DeadLettered);
    QCOMPARE(statuses->value(dead).deadLetterId, deadLetter);
    QCOMPARE(statuses->value(dead).lastError, u"HTTP 400"_s);
    QCOMPARE(statuses->value(replayed).state, ProcessingState::Replayed);
    QCOMPARE(statuses->value(replayed).deadLetterId, replayedLetter);
    QCOMPARE(statuses->value(discarded).state, ProcessingState::Discarded);
    QCOMPARE(statuses->value(sameKey).state, ProcessingState::Pending);

    QCOMPARE(processingStateName(ProcessingState::DeadLettered), u"dead_lettered"_s);
    QCOMPARE(processingStateName(ProcessingState::Retrying), u"retrying"_s);
}

void TestApi::statusSeesLaterWrites()
{
    const qint64 id = journal({makeEntry(u"stripe"_s, "evt_1", 1000)}).value(0);
    QVERIFY(id > 0);
    auto query = openQuery(dbPath());
    QVERIFY(query);
    QCOMPARE(query->statusOf({id}).value().value(id).state, ProcessingState::Pending);

    auto db = openReadWrite(dbPath());
    QVERIFY(db);
    ProcessingStore store(*db);
    QVERIFY(store.markProcessed(u"stripe"_s, "evt_1", id, 5000));
    // The query's connection must not hold an old read snapshot between calls.
    const ProcessingStatus status = query->statusOf({id}).value().value(id);
    QCOMPARE(status.state, ProcessingState::Done);
    QCOMPARE(status.processedAtMs, 5000);
}

void TestApi::attemptsAndDeadLetters()
{
    const QList<qint64> ids = journal({makeEntry(u"stripe"_s, "evt_a", 1000), makeEntry(u"stripe"_s, "evt_b", 1001)});
    auto db = openReadWrite(dbPath());
    QVERIFY(db);
    ProcessingStore store(*db);
    QVERIFY(store.recordAttempt(makeAttempt(ids[0], 2, 3000, AttemptOutcome::Permanent, u"HTTP 400"_s)));
    QVERIFY(store.recordAttempt(makeAttempt(ids[0], 1, 2000, AttemptOutcome::Transient, u"HTTP 503"_s, 3000)));
    const qint64 first = store.addDeadLetter(makeDeadLetter(ids[0], 3001)).value();
    QVERIFY(store.setDeadLetterStatus(first, DeadLetterStatus::Replayed, 4000, 77));
    const qint64 other = store.addDeadLetter(makeDeadLetter(ids[1], 3002)).value();
    const qint64 second = store.addDeadLetter(makeDeadLetter(ids[0], 5000)).value();

    auto query = openQuery(dbPath());
    QVERIFY(query);
    const QList<AttemptRow> attempts = query->attemptsFor(ids[0]).value();
    QCOMPARE(attempts.size(), 2);
    QCOMPARE(attempts[0].attempt, 1);
    QCOMPARE(attempts[1].attempt, 2);
    QCOMPARE(attempts[1].error, u"HTTP 400"_s);
    QVERIFY(query->attemptsFor(ids[1]).value().isEmpty());

    const std::optional<DeadLetterRow> newest = query->deadLetterFor(ids[0]).value();
    QVERIFY(newest);
    QCOMPARE(newest->id, second);
    QCOMPARE(newest->value, QByteArray(R"({"id":"evt"})"));
    QVERIFY(!query->deadLetterFor(999).value());

    QCOMPARE(query->deadLetter(first).value().replayedAsJournalId, 77);
    QCOMPARE(query->deadLetter(12345).error().code, u"not_found"_s);

    const QList<DeadLetterRow> dead = query->deadLetters(DeadLetterStatus::Dead, 10).value();
    QCOMPARE(dead.size(), 2);
    QCOMPARE(dead[0].id, other);
    QCOMPARE(dead[1].id, second);
    const QList<DeadLetterRow> page = query->deadLetters(std::nullopt, 2, first).value();
    QCOMPARE(page.size(), 2);
    QCOMPARE(page[0].id, other);
    QCOMPARE(query->deadLetters(std::nullopt, 1).value().value(0).id, first);
}

void TestApi::replaysAndProcessedOrder()
{
    JournalEntry original = makeEntry(u"stripe"_s, "evt_1", 1000, "cus_A");
    const qint64 originalId = journal({original}).value(0);
    JournalEntry replay1 = makeEntry(u"stripe"_s, "replay-1", 2000, "cus_A");
    replay1.derivedFrom = originalId;
    JournalEntry unrelated = makeEntry(u"stripe"_s, "evt_2", 2001, "cus_B");
    JournalEntry replay2 = makeEntry(u"stripe"_s, "replay-2", 2002, "cus_A");
    replay2.derivedFrom = originalId;
    JournalEntry otherSource = makeEntry(u"github"_s, "evt_3", 2003, "cus_A");
    const QList<qint64> ids = journal({replay1, unrelated, replay2, otherSource});

    auto query = openQuery(dbPath());
    QVERIFY(query);
    QCOMPARE(query->replaysOf(originalId).value(), (QList<qint64>{ids[0], ids[2]}));
    QVERIFY(query->replaysOf(ids[0]).value().isEmpty());

    auto db = openReadWrite(dbPath());
    QVERIFY(db);
    ProcessingStore store(*db);
    // Processed out of journal order: the second replay first.
    QVERIFY(store.markProcessed(u"stripe"_s, "replay-2", ids[2], 3000));
    QVERIFY(store.markProcessed(u"stripe"_s, "evt_2", ids[1], 3001));
    QVERIFY(store.markProcessed(u"github"_s, "evt_3", ids[3], 3002));
    QVERIFY(store.markProcessed(u"stripe"_s, "evt_1", originalId, 3003));
    QVERIFY(store.markProcessed(u"stripe"_s, "replay-1", ids[0], 3004));

    QCOMPARE(query->processedOrder(u"stripe"_s, "cus_A").value(), (QList<qint64>{ids[2], originalId, ids[0]}));
    QCOMPARE(query->processedOrder(u"stripe"_s, "cus_A", 2).value(), (QList<qint64>{ids[2], originalId}));
    QCOMPARE(query->processedOrder(u"github"_s, "cus_A").value(), (QList<qint64>{ids[3]}));
    QVERIFY(query->processedOrder(u"stripe"_s, "cus_Z").value().isEmpty());
}

void TestApi::journalFilterByProcessingState_data()
{
    QTest::addColumn<ProcessingState>("state");
    QTest::addColumn<QByteArrayList>("expectedKeys");

    // Keys of the entries journalFilterByProcessingState writes, in journal order.
    QTest::newRow("pending") << ProcessingState::Pending
                             << QByteArrayList{"evt_pending", "evt_succeeded_unmarked", "evt_done_same_key"};
    QTest::newRow("retrying") << ProcessingState::Retrying << QByteArrayList{"evt_retrying"};
    QTest::newRow("done") << ProcessingState::Done << QByteArrayList{"evt_done", "evt_dead_then_done"};
    QTest::newRow("dead_lettered") << ProcessingState::DeadLettered << QByteArrayList{"evt_dead", "evt_dead_again"};
    QTest::newRow("replayed") << ProcessingState::Replayed << QByteArrayList{"evt_replayed"};
    QTest::newRow("discarded") << ProcessingState::Discarded << QByteArrayList{"evt_discarded"};
}

void TestApi::journalFilterByProcessingState()
{
    QFETCH(ProcessingState, state);
    QFETCH(QByteArrayList, expectedKeys);

    JournalEntry notProduced = makeEntry(u"stripe"_s, "evt_not_produced", 1000);
    notProduced.kafkaState = KafkaState::None;
    notProduced.verdict = Verdict::Rejected;
    JournalEntry stillQueued = makeEntry(u"stripe"_s, "evt_queued", 1000);
    stillQueued.kafkaState = KafkaState::Pending;
    const QList<qint64> ids = journal({
        makeEntry(u"stripe"_s, "evt_pending", 1000),
        notProduced, // never reached Kafka: in no processing state at all
        stillQueued, // not produced yet either
        makeEntry(u"stripe"_s, "evt_retrying", 1000),
        makeEntry(u"stripe"_s, "evt_succeeded_unmarked", 1000), // a success alone is not "done"
        makeEntry(u"stripe"_s, "evt_done", 1000),
        makeEntry(u"stripe"_s, "evt_done", 1000), // shares evt_done's key, never processed itself
        makeEntry(u"stripe"_s, "evt_dead", 1000),
        makeEntry(u"stripe"_s, "evt_dead_then_done", 1000), // processing wins over the DLQ
        makeEntry(u"stripe"_s, "evt_replayed", 1000), makeEntry(u"stripe"_s, "evt_discarded", 1000),
        makeEntry(u"stripe"_s, "evt_dead_again", 1000), // replayed, then dead again: the newest counts
    });
    QCOMPARE(ids.size(), 12);
    QVERIFY(!ids.contains(-1));
    const qint64 retrying = ids[3], succeeded = ids[4], done = ids[5], dead = ids[7], deadThenDone = ids[8],
                 replayed = ids[9], discarded = ids[10], deadAgain = ids[11];
    const QHash<qint64, QByteArray> keyOf = {
        {ids[0], "evt_pending"},
        {ids[1], "evt_not_produced"},
        {ids[2], "evt_queued"},
        {retrying, "evt_retrying"},
        {succeeded, "evt_succeeded_unmarked"},
        {done, "evt_done"},
        {ids[6], "evt_done_same_key"},
        {dead, "evt_dead"},
        {deadThenDone, "evt_dead_then_done"},
        {replayed, "evt_replayed"},
        {discarded, "evt_discarded"},
        {deadAgain, "evt_dead_again"},
    };

    auto db = openReadWrite(dbPath());
    QVERIFY(db);
    ProcessingStore store(*db);
    QVERIFY(store.recordAttempt(makeAttempt(retrying, 1, 2000, AttemptOutcome::Transient, u"HTTP 503"_s, 2500)));
    QVERIFY(store.recordAttempt(makeAttempt(succeeded, 1, 2000, AttemptOutcome::Success)));
    QVERIFY(store.recordAttempt(makeAttempt(done, 1, 2000, AttemptOutcome::Transient, u"HTTP 502"_s, 2100)));
    QVERIFY(store.recordAttempt(makeAttempt(done, 2, 2100, AttemptOutcome::Success)));
    QCOMPARE(store.markProcessed(u"stripe"_s, "evt_done", done, 2200).value(), true);
    QVERIFY(store.recordAttempt(makeAttempt(dead, 1, 2000, AttemptOutcome::Permanent, u"HTTP 400"_s)));
    QVERIFY(store.addDeadLetter(makeDeadLetter(dead, 2003)));
    QVERIFY(store.recordAttempt(makeAttempt(deadThenDone, 1, 2000, AttemptOutcome::Permanent, u"HTTP 400"_s)));
    QVERIFY(store.addDeadLetter(makeDeadLetter(deadThenDone, 2004)));
    QCOMPARE(store.markProcessed(u"stripe"_s, "evt_dead_then_done", deadThenDone, 2300).value(), true);
    const qint64 replayedLetter = store.addDeadLetter(makeDeadLetter(replayed, 2005)).value();
    QVERIFY(store.setDeadLetterStatus(replayedLetter, DeadLetterStatus::Replayed, 3000, 4242));
    const qint64 discardedLetter = store.addDeadLetter(makeDeadLetter(discarded, 2006)).value();
    QVERIFY(store.setDeadLetterStatus(discardedLetter, DeadLetterStatus::Discarded, 3000));
    const qint64 firstLetter = store.addDeadLetter(makeDeadLetter(deadAgain, 2007)).value();
    QVERIFY(store.setDeadLetterStatus(firstLetter, DeadLetterStatus::Replayed, 3000, 4243));
    QVERIFY(store.addDeadLetter(makeDeadLetter(deadAgain, 5000)));

    auto query = JournalQuery::open(dbPath());
    QVERIFY2(query, qPrintable(query ? QString() : query.error().message));
    JournalFilter filter;
    filter.processingState = state;
    filter.limit = 0;
    const Result<QList<JournalEntry>> entries = (*query)->list(filter);
    QVERIFY2(entries, qPrintable(entries ? QString() : entries.error().message));
    QByteArrayList keys;
    QList<qint64> listed;
    for (const JournalEntry &entry : *entries) {
        keys.append(keyOf.value(entry.id));
        listed.append(entry.id);
    }
    QCOMPARE(keys, expectedKeys);
    QCOMPARE((*query)->count(filter).value(), qint64(expectedKeys.size()));

    // The statuses the consumer side reports agree with the filter.
    auto statusQuery = openQuery(dbPath());
    QVERIFY(statusQuery);
    const QHash<qint64, ProcessingStatus> statuses = statusQuery->statusOf(ids).value();
    for (qint64 id : ids) {
        const bool produced = id != ids[1] && id != ids[2];
        QCOMPARE(listed.contains(id), produced && statuses.value(id).state == state);
    }

    // Combined with other conditions and paging, in list() and count() alike.
    filter.limit = 1;
    const QList<JournalEntry> newest = (*query)->list(filter).value();
    QCOMPARE(newest.size(), 1);
    QCOMPARE(newest[0].id, listed.last());
    filter.beforeId = listed.last();
    QCOMPARE((*query)->count(filter).value(), qint64(expectedKeys.size() - 1));
    filter.beforeId = 0;
    filter.source = u"github"_s;
    QCOMPARE((*query)->count(filter).value(), 0);
    QVERIFY((*query)->list(filter).value().isEmpty());
}

} // namespace hookbench::tests
