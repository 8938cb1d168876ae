// ProcessingStore tests on real SQLite files: migrating a version-1 database, CRUD of targets,
// filters and subscriptions, the processed-key set (also from racing connections), attempts and
// the dead-letter queue, byte for byte.

#include <latch>
#include <thread>
#include <vector>

#include <QTemporaryDir>
#include <QTest>

#include "core/store/database.h"
#include "core/store/dedup_store.h"
#include "core/store/journal_query.h"
#include "core/store/journal_writer.h"
#include "core/store/processing_store.h"
#include "store_test_support.h"

using namespace Qt::StringLiterals;
using namespace hookbench;
using namespace hookbench::store;
using namespace hookbench::store::testing;

namespace {

// Columns of schema version 1 only: what an older Hookbench wrote.
constexpr const char *kVersion1Insert =
    "INSERT INTO journal(received_at_ms, source, method, target, headers, body, verdict, http_status, "
    "idempotency_key, topic, kafka_state, kafka_partition, kafka_offset, produced_at_ms) "
    "VALUES(?1, 'stripe', X'504F5354', X'2F', '[]', ?2, 'accepted', 200, ?3, 'webhooks.stripe', 'produced', 2, ?4, ?1)";

DeadLetterRow makeDeadLetter(qint64 journalId, qint64 failedAtMs)
{
    DeadLetterRow row;
    row.journalId = journalId;
    row.source = u"stripe"_s;
    row.topic = u"webhooks.stripe"_s;
    row.partition = 1;
    row.offset = 40 + journalId;
    row.key = "cus_" + QByteArray::number(journalId);
    row.headers = {{"hookbench-source", "stripe"}, {"idempotency-key", "evt_" + QByteArray::number(journalId)}};
    row.value = R"({"id":"evt"})";
    row.error = u"HTTP 400 from http://127.0.0.1:3000/hooks"_s;
    row.errorClass = u"permanent"_s;
    row.attempts = 1;
    row.firstFailureAtMs = failedAtMs;
    row.lastFailureAtMs = failedAtMs + 5;
    row.consumer = u"consumer-1"_s;
    return row;
}

} // namespace

class TestProcessingStore final : public QObject
{
    Q_OBJECT

private slots:
    void init();

    void migrationFromVersion1KeepsJournal();
    void migrationToVersion3KeepsClaims();
    void targetCrudAndNotFound();
    void filterAndSubscriptionCrud();
    void deletingReferencedRowsFails();
    void markProcessedOnlyOnce();
    void concurrentMarkProcessedHasOneWinner();
    void handledMeansProcessedOrDeadLettered();
    void attemptsAreOrdered();
    void deadLetterLifecycle();
    void deadLetterBytesRoundTrip_data();
    void deadLetterBytesRoundTrip();

private:
    QString dbPath() const { return m_dir->filePath(u"hookbench.sqlite"_s); }
    std::unique_ptr<Database> openDb();

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestProcessingStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

std::unique_ptr<Database> TestProcessingStore::openDb()
{
    auto db = Database::open(dbPath());
    if (!db) {
        qWarning("%s", qPrintable(db.error().message));
        return nullptr;
    }
    return std::move(*db);
}

void TestProcessingStore::migrationFromVersion1KeepsJournal()
{
    static const char raw[] = "{\"a\":\"\x00\xff\"}";
    const QByteArray body(raw, sizeof raw - 1); // sizeof: the NUL inside is part of the body
    {
        auto v1 = Database::openAtSchemaVersion(dbPath(), 1);
        QVERIFY2(v1, qPrintable(v1 ? QString() : v1.error().message));
        QCOMPARE((*v1)->userVersion().value(), 1);
        QCOMPARE(countRows(**v1, "SELECT count(*) FROM sqlite_schema WHERE name IN ('targets', 'dlq')"), 0);
        for (int i = 0; i < 2; ++i) {
            auto stmt = (*v1)->prepare(kVersion1Insert);
            QVERIFY(stmt);
            stmt->bindInt64(1, 1000 + i);
            stmt->bindBlob(2, body);
            stmt->bindBlob(3, QByteArray("evt_" + QByteArray::number(i)));
            stmt->bindInt64(4, 7 + i);
            QVERIFY(stmt->exec().ok());
        }
    }
    // Versions this program does not know are refused before the file is touched.
    QCOMPARE(Database::openAtSchemaVersion(dbPath(), 0).error().code, u"store_schema_unknown"_s);
    QCOMPARE(Database::openAtSchemaVersion(dbPath(), Database::latestSchemaVersion() + 1).error().code,
             u"store_schema_unknown"_s);
    {
        auto db = Database::open(dbPath());
        QVERIFY2(db, qPrintable(db ? QString() : db.error().message));
        QCOMPARE((*db)->userVersion().value(), 4);
        QCOMPARE(Database::latestSchemaVersion(), 4);
        QCOMPARE(countRows(**db, "SELECT count(*) FROM pragma_table_info('journal') WHERE name = 'kafka_error'"), 1);
        QCOMPARE(countRows(**db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN "
                                 "('targets', 'filters', 'subscriptions', 'attempts', 'processed', 'dlq')"),
                 6);
        QCOMPARE(countRows(**db, "SELECT count(*) FROM pragma_table_info('journal') WHERE name = 'derived_from'"), 1);
        QCOMPARE(countRows(**db, "SELECT count(*) FROM journal"), 2);
    }

    qint64 replayId = 0;
    {
        auto writer = JournalWriter::open(dbPath());
        QVERIFY2(writer, qPrintable(writer ? QString() : writer.error().message));
        OutcomeCollector collector(**writer);
        JournalEntry edited = makeEntry(u"stripe"_s, "evt_edit", 5000);
        edited.derivedFrom = 1;
        collector.submit(edited, false);
        QTRY_COMPARE_WITH_TIMEOUT(collector.delivered, 1, 10'000);
        QVERIFY2(!collector.outcomes[0].failed, qPrintable(collector.outcomes[0].error));
        replayId = collector.outcomes[0].id;
    }

    auto query = JournalQuery::open(dbPath());
    QVERIFY2(query, qPrintable(query ? QString() : query.error().message));
    for (qint64 id = 1; id <= 2; ++id) {
        const auto entry = (*query)->entry(id).value();
        QVERIFY(entry);
        QCOMPARE(entry->body, body);
        QCOMPARE(entry->idempotencyKey, "evt_" + QByteArray::number(id - 1));
        QCOMPARE(entry->offset, 6 + id);
        QCOMPARE(entry->kafkaState, KafkaState::Produced);
        QCOMPARE(entry->derivedFrom, 0);
    }
    const auto replay = (*query)->entry(replayId).value();
    QVERIFY(replay);
    QCOMPARE(replay->derivedFrom, 1);
}

void TestProcessingStore::migrationToVersion3KeepsClaims()
{
    {
        auto v2 = Database::openAtSchemaVersion(dbPath(), 2);
        QVERIFY2(v2, qPrintable(v2 ? QString() : v2.error().message));
        QVERIFY((*v2)
                    ->exec("INSERT INTO dedup VALUES('stripe', X'65767431', 7, 100, 5000), "
                           "('stripe', X'65767432', 8, 100, 200), ('github', X'65767431', 9, 100, 5000)")
                    .ok());
        QCOMPARE(countRows(**v2, "SELECT count(*) FROM sqlite_schema WHERE name = 'journal_idempotency_key'"), 1);
    }
    auto db = openDb();
    QVERIFY(db);
    QCOMPARE((*db).userVersion().value(), Database::latestSchemaVersion());
    QCOMPARE(countRows(*db, "SELECT count(*) FROM sqlite_schema WHERE name = 'journal_idempotency_key'"), 0);
    QCOMPARE(countRows(*db, "SELECT count(*) FROM sqlite_schema WHERE name = 'dedup' AND sql LIKE '%WITHOUT ROWID%'"),
             1);
    QCOMPARE(countRows(*db, "SELECT count(*) FROM sqlite_schema WHERE name = 'dedup_expires_at'"), 1);
    QCOMPARE(countRows(*db, "SELECT journal_id FROM dedup WHERE source = 'github'"), 9);

    // The claims still decide: a live one makes a duplicate, an expired one is taken over, and
    // the purge deletes by expiry through the new key.
    DedupStore dedup(*db);
    auto live = dedup.claim(u"stripe"_s, "evt1", 20, 1000, 1000);
    QVERIFY(live);
    QVERIFY(!live->claimed);
    QCOMPARE(live->firstJournalId, 7);
    auto expired = dedup.claim(u"stripe"_s, "evt2", 21, 1000, 1000);
    QVERIFY(expired);
    QVERIFY(expired->claimed);
    auto purged = dedup.purgeExpired(3000, 10); // evt2's new claim expires at 2000
    QVERIFY(purged);
    QCOMPARE(*purged, 1);
    QCOMPARE(countRows(*db, "SELECT count(*) FROM dedup"), 2);
    QCOMPARE(countRows(*db, "SELECT count(*) FROM dedup WHERE key = X'65767432'"), 0);
}

void TestProcessingStore::targetCrudAndNotFound()
{
    auto db = openDb();
    QVERIFY(db);
    ProcessingStore store(*db);

    TargetRow in;
    in.url = u"http://127.0.0.1:3000/hooks"_s;
    in.headers = {{"X-Env", "dev"}, {"x-env", "again"}, {"Authorization", "Bearer t\xc3\xa9"}};
    in.timeoutMs = 2500;
    in.createdAtMs = 1'700'000'000'000;
    const auto id = store.createTarget(in);
    QVERIFY2(id, qPrintable(id ? QString() : id.error().message));
    QVERIFY(*id > 0);

    auto out = store.target(*id);
    QVERIFY(out);
    QCOMPARE(out->id, *id);
    QCOMPARE(out->url, in.url);
    QCOMPARE(out->headers, in.headers);
    QCOMPARE(out->timeoutMs, 2500);
    QCOMPARE(out->createdAtMs, in.createdAtMs);

    TargetRow second = in;
    second.url = u"http://127.0.0.1:4000/other"_s;
    second.headers = {};
    const qint64 secondId = store.createTarget(second).value();
    QCOMPARE(store.targets().value().size(), 2);
    QCOMPARE(store.targets().value().at(1).id, secondId);
    QVERIFY(store.targets().value().at(1).headers.isEmpty());

    TargetRow changed = *out;
    changed.url = u"https://example.test/hook"_s;
    changed.timeoutMs = 9000;
    changed.createdAtMs = 1; // not updatable
    QVERIFY(store.updateTarget(changed).ok());
    out = store.target(*id);
    QCOMPARE(out->url, changed.url);
    QCOMPARE(out->timeoutMs, 9000);
    QCOMPARE(out->createdAtMs, in.createdAtMs);

    QVERIFY(store.deleteTarget(*id).ok());
    QCOMPARE(store.target(*id).error().code, u"not_found"_s);
    QVERIFY2(store.target(*id).error().message.contains(QString::number(*id)), "message names the id");
    QCOMPARE(store.deleteTarget(*id).error().code, u"not_found"_s);
    changed.id = 999;
    QCOMPARE(store.updateTarget(changed).error().code, u"not_found"_s);
    TargetRow noUrl;
    QCOMPARE(store.createTarget(noUrl).error().code, u"invalid_argument"_s);
    QCOMPARE(store.targets().value().size(), 1);
}

void TestProcessingStore::filterAndSubscriptionCrud()
{
    auto db = openDb();
    QVERIFY(db);
    ProcessingStore store(*db);

    const qint64 targetId = store.createTarget(TargetRow{0, u"http://127.0.0.1:1/"_s, {}, 1000, 10}).value();
    const QStringList events{u"invoice.*"_s, u"customer.created"_s, u"\"quoted\" \u00e9"_s};
    const qint64 filterId = store.createFilter(FilterRow{0, events}).value();
    QCOMPARE(store.filter(filterId).value().events, events);
    QVERIFY(store.updateFilter(FilterRow{filterId, {u"*"_s}}).ok());
    QCOMPARE(store.filter(filterId).value().events, QStringList{u"*"_s});
    const qint64 emptyFilter = store.createFilter(FilterRow{}).value();
    QVERIFY(store.filter(emptyFilter).value().events.isEmpty());
    QCOMPARE(store.filters().value().size(), 2);
    QCOMPARE(store.filter(4242).error().code, u"not_found"_s);
    QCOMPARE(store.updateFilter(FilterRow{4242, {}}).error().code, u"not_found"_s);

    const qint64 withFilter = store.createSubscription(SubscriptionRow{0, targetId, filterId, true, 100}).value();
    const qint64 unfiltered = store.createSubscription(SubscriptionRow{0, targetId, 0, false, 200}).value();
    auto sub = store.subscription(withFilter);
    QVERIFY(sub);
    QCOMPARE(sub->targetId, targetId);
    QCOMPARE(sub->filterId, filterId);
    QVERIFY(sub->active);
    QCOMPARE(sub->createdAtMs, 100);
    QCOMPARE(store.subscription(unfiltered).value().filterId, 0);
    QVERIFY(!store.subscription(unfiltered).value().active);

    SubscriptionRow paused = *sub;
    paused.active = false;
    paused.filterId = 0;
    QVERIFY(store.updateSubscription(paused).ok());
    QVERIFY(!store.subscription(withFilter).value().active);
    QCOMPARE(store.subscription(withFilter).value().filterId, 0);
    QCOMPARE(store.subscriptions().value().size(), 2);

    // References to rows that do not exist are refused by the foreign keys, with a clear code.
    auto badTarget = store.createSubscription(SubscriptionRow{0, 777, 0, true, 1});
    QCOMPARE(badTarget.error().code, u"invalid_reference"_s);
    QVERIFY2(badTarget.error().message.contains(u"target 777"_s), qPrintable(badTarget.error().message));
    auto badFilter = store.updateSubscription(SubscriptionRow{withFilter, targetId, 888, true, 1});
    QCOMPARE(badFilter.error().code, u"invalid_reference"_s);
    QVERIFY2(badFilter.error().message.contains(u"filter 888"_s), qPrintable(badFilter.error().message));

    QVERIFY(store.deleteSubscription(unfiltered).ok());
    QCOMPARE(store.subscription(unfiltered).error().code, u"not_found"_s);
    QCOMPARE(store.deleteSubscription(unfiltered).error().code, u"not_found"_s);
    QCOMPARE(store.updateSubscription(SubscriptionRow{unfiltered, targetId, 0, true, 1}).error().code, u"not_found"_s);
    QCOMPARE(store.subscriptions().value().size(), 1);
}

void TestProcessingStore::deletingReferencedRowsFails()
{
    auto db = openDb();
    QVERIFY(db);
    ProcessingStore store(*db);
    const qint64 targetId = store.createTarget(TargetRow{0, u"http://127.0.0.1:1/"_s, {}, 1000, 10}).value();
    const qint64 filterId = store.createFilter(FilterRow{0, {u"a.*"_s}}).value();
    const qint64 subA = store.createSubscription(SubscriptionRow{0, targetId, filterId, true, 1}).value();
    const qint64 subB = store.createSubscription(SubscriptionRow{0, targetId, 0, true, 2}).value();

    auto r = store.deleteTarget(targetId);
    QVERIFY(!r);
    QCOMPARE(r.error().code, u"in_use"_s);
    QVERIFY2(r.error().message.contains(u"target %1"_s.arg(targetId)), qPrintable(r.error().message));
    QVERIFY2(r.error().message.contains(u"%1, %2"_s.arg(subA).arg(subB)), qPrintable(r.error().message));
    QVERIFY(store.target(targetId).ok());
    auto f = store.deleteFilter(filterId);
    QCOMPARE(f.error().code, u"in_use"_s);
    QVERIFY(store.filter(filterId).ok());

    // The schema itself refuses, not only the store's lookup: a raw DELETE fails too.
    QVERIFY(!db->exec("DELETE FROM targets").ok());
    QCOMPARE(countRows(*db, "SELECT count(*) FROM targets"), 1);

    QVERIFY(store.deleteSubscription(subA).ok());
    QVERIFY(store.deleteFilter(filterId).ok());
    QCOMPARE(store.deleteTarget(targetId).error().code, u"in_use"_s);
    QVERIFY(store.deleteSubscription(subB).ok());
    QVERIFY(store.deleteTarget(targetId).ok());
    QCOMPARE(store.target(targetId).error().code, u"not_found"_s);
}

void TestProcessingStore::markProcessedOnlyOnce()
{
    auto db = openDb();
    QVERIFY(db);
    ProcessingStore store(*db);
    const QByteArray key("evt\x00\xff", 5);
    QCOMPARE(store.markProcessed(u"stripe"_s, key, 1, 100).value(), true);
    QCOMPARE(store.markProcessed(u"stripe"_s, key, 2, 200).value(), false); // redelivery
    QCOMPARE(store.markProcessed(u"github"_s, key, 3, 300).value(), true);  // keys are per source
    QCOMPARE(store.markProcessed(u"stripe"_s, QByteArray("evt\x00", 4), 4, 400).value(), true);
    QCOMPARE(store.markProcessed(u"stripe"_s, QByteArray(), 5, 500).error().code, u"invalid_argument"_s);
    // The first delivery's record stays.
    QCOMPARE(countRows(*db, "SELECT journal_id FROM processed WHERE source = 'stripe' AND idempotency_key = "
                            "X'65767400FF'"),
             1);
    QCOMPARE(countRows(*db, "SELECT count(*) FROM processed"), 3);
}

void TestProcessingStore::handledMeansProcessedOrDeadLettered()
{
    auto db = openDb();
    QVERIFY(db);
    ProcessingStore store(*db);
    const QByteArray key("evt\x00\x01", 5);
    QCOMPARE(store.isHandled(u"stripe"_s, key, 7).value(), false);
    QVERIFY(store.markProcessed(u"stripe"_s, key, 7, 100).ok());
    QCOMPARE(store.isHandled(u"stripe"_s, key, 7).value(), true);
    QCOMPARE(store.isHandled(u"stripe"_s, key, 0).value(), true);                       // no journal id: the key alone
    QCOMPARE(store.isHandled(u"github"_s, key, 7).value(), false);                      // keys are per source
    QCOMPARE(store.isHandled(u"stripe"_s, QByteArray("evt\x00", 4), 7).value(), false); // every byte counts

    // A dead letter of journal entry 3 (source "stripe") marks a record of that entry handled,
    // whatever its key; another source's entry 3, or no journal id, is not that entry.
    QVERIFY(store.addDeadLetter(makeDeadLetter(3, 300)).ok());
    QCOMPARE(store.isHandled(u"stripe"_s, "evt_3", 3).value(), true);
    QCOMPARE(store.isHandled(u"stripe"_s, "another-key", 3).value(), true);
    QCOMPARE(store.isHandled(u"github"_s, "evt_3", 3).value(), false);
    QCOMPARE(store.isHandled(u"stripe"_s, "evt_3", 4).value(), false);
    QCOMPARE(store.isHandled(u"stripe"_s, "evt_3", 0).value(), false);
}

void TestProcessingStore::concurrentMarkProcessedHasOneWinner()
{
    QVERIFY(Database::open(dbPath()).ok()); // create the schema once
    constexpr int kThreads = 2;
    constexpr int kKeys = 100;
    struct Seen
    {
        bool ok = false;
        bool first = false;
        QString error;
    };
    std::vector<std::vector<Seen>> seen(kThreads, std::vector<Seen>(kKeys));
    std::latch start(kThreads);
    std::vector<std::thread> threads;
    const QString path = dbPath();
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            auto db = Database::open(path);
            start.arrive_and_wait(); // both connections are open; now race
            if (!db) {
                seen[size_t(t)][0].error = db.error().message;
                return;
            }
            ProcessingStore store(**db);
            for (int k = 0; k < kKeys; ++k) {
                auto r = store.markProcessed(u"race"_s, "key-" + QByteArray::number(k), (t + 1) * 1000 + k, 1);
                Seen &s = seen[size_t(t)][size_t(k)];
                s.ok = r.ok();
                if (r)
                    s.first = *r;
                else
                    s.error = r.error().message;
            }
        });
    }
    for (auto &thread : threads)
        thread.join();

    for (int k = 0; k < kKeys; ++k) {
        int winners = 0;
        for (int t = 0; t < kThreads; ++t) {
            const Seen &s = seen[size_t(t)][size_t(k)];
            QVERIFY2(s.ok, qPrintable(s.error));
            winners += s.first ? 1 : 0;
        }
        QVERIFY2(winners == 1, qPrintable(u"key %1 had %2 first-time results"_s.arg(k).arg(winners)));
    }
    auto db = openDb();
    QVERIFY(db);
    QCOMPARE(countRows(*db, "SELECT count(*) FROM processed WHERE source = 'race'"), kKeys);
}

void TestProcessingStore::attemptsAreOrdered()
{
    auto db = openDb();
    QVERIFY(db);
    ProcessingStore store(*db);
    const qint64 targetId = store.createTarget(TargetRow{0, u"http://127.0.0.1:1/"_s, {}, 1000, 10}).value();
    const qint64 subId = store.createSubscription(SubscriptionRow{0, targetId, 0, true, 1}).value();

    auto attempt = [&](qint64 journalId, int number, qint64 startedAt, AttemptOutcome outcome) {
        AttemptRow row;
        row.journalId = journalId;
        row.source = u"stripe"_s;
        row.idempotencyKey = QByteArray("evt\x00", 4);
        row.topic = u"webhooks.stripe"_s;
        row.partition = 2;
        row.offset = 99;
        row.attempt = number;
        row.consumer = u"consumer-2"_s;
        row.startedAtMs = startedAt;
        row.finishedAtMs = startedAt + 7;
        row.outcome = outcome;
        row.httpStatus = outcome == AttemptOutcome::Success ? 200 : 503;
        row.error = outcome == AttemptOutcome::Success ? QString() : u"HTTP 503 Service Unavailable"_s;
        row.nextDueAtMs = outcome == AttemptOutcome::Transient ? startedAt + 1000 : 0;
        row.subscriptionId = subId;
        return row;
    };
    // Recorded out of order on purpose: a retry worker may write a later attempt first.
    const QList<AttemptRow> rows{
        attempt(5, 3, 3000, AttemptOutcome::Success), attempt(5, 1, 1000, AttemptOutcome::Transient),
        attempt(6, 1, 1500, AttemptOutcome::Permanent), attempt(5, 2, 2000, AttemptOutcome::Transient)};
    for (const AttemptRow &row : rows)
        QVERIFY(store.recordAttempt(row).value() > 0);

    const QList<AttemptRow> out = store.attemptsFor(5).value();
    QCOMPARE(out.size(), 3);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(out[i].attempt, i + 1);
        QCOMPARE(out[i].startedAtMs, 1000 * (i + 1));
        QCOMPARE(out[i].finishedAtMs, out[i].startedAtMs + 7);
        QCOMPARE(out[i].idempotencyKey, QByteArray("evt\x00", 4));
        QCOMPARE(out[i].topic, u"webhooks.stripe"_s);
        QCOMPARE(out[i].partition, 2);
        QCOMPARE(out[i].offset, 99);
        QCOMPARE(out[i].consumer, u"consumer-2"_s);
        QCOMPARE(out[i].subscriptionId, subId);
    }
    QCOMPARE(out[0].outcome, AttemptOutcome::Transient);
    QCOMPARE(out[0].nextDueAtMs, 2000);
    QCOMPARE(out[0].httpStatus, 503);
    QCOMPARE(out[2].outcome, AttemptOutcome::Success);
    QVERIFY(out[2].error.isEmpty());
    QCOMPARE(store.attemptsFor(6).value().at(0).outcome, AttemptOutcome::Permanent);
    QVERIFY(store.attemptsFor(7).value().isEmpty());

    // Deleting the subscription keeps the history and forgets the link.
    QVERIFY(store.deleteSubscription(subId).ok());
    QCOMPARE(store.attemptsFor(5).value().size(), 3);
    QCOMPARE(store.attemptsFor(5).value().at(0).subscriptionId, 0);
}

void TestProcessingStore::deadLetterLifecycle()
{
    auto db = openDb();
    QVERIFY(db);
    ProcessingStore store(*db);
    QList<qint64> ids;
    for (qint64 j = 1; j <= 5; ++j)
        ids.append(store.addDeadLetter(makeDeadLetter(j, j * 100)).value());

    const DeadLetterRow first = store.deadLetter(ids[0]).value();
    QCOMPARE(first.status, DeadLetterStatus::Dead);
    QCOMPARE(first.statusChangedAtMs, 105); // the last failure made it dead
    QCOMPARE(first.replayedAsJournalId, 0);
    QCOMPARE(first.errorClass, u"permanent"_s);
    QCOMPARE(first.attempts, 1);
    QCOMPARE(first.firstFailureAtMs, 100);
    QCOMPARE(first.consumer, u"consumer-1"_s);
    QCOMPARE(first.offset, 41);

    // Paging by id.
    auto page1 = store.listDeadLetters(DeadLetterStatus::Dead, 2).value();
    QCOMPARE(page1.size(), 2);
    QCOMPARE(page1[0].id, ids[0]);
    QCOMPARE(page1[1].id, ids[1]);
    auto page2 = store.listDeadLetters(DeadLetterStatus::Dead, 2, page1[1].id).value();
    QCOMPARE(page2.size(), 2);
    QCOMPARE(page2[0].id, ids[2]);

    QVERIFY(store.setDeadLetterStatus(ids[1], DeadLetterStatus::Replayed, 9000, 77).ok());
    QVERIFY(store.setDeadLetterStatus(ids[3], DeadLetterStatus::Discarded, 9100, 55).ok());
    const DeadLetterRow replayed = store.deadLetter(ids[1]).value();
    QCOMPARE(replayed.status, DeadLetterStatus::Replayed);
    QCOMPARE(replayed.statusChangedAtMs, 9000);
    QCOMPARE(replayed.replayedAsJournalId, 77);
    QCOMPARE(store.deadLetter(ids[3]).value().replayedAsJournalId, 0); // only replays link a journal id

    auto dead = store.listDeadLetters(DeadLetterStatus::Dead, 100).value();
    QCOMPARE(dead.size(), 3);
    QCOMPARE(dead[1].id, ids[2]);
    QCOMPARE(store.listDeadLetters(DeadLetterStatus::Replayed, 100).value().size(), 1);
    QCOMPARE(store.listDeadLetters(DeadLetterStatus::Discarded, 100).value().at(0).id, ids[3]);
    QCOMPARE(store.listDeadLetters(std::nullopt, 100).value().size(), 5);
    QCOMPARE(store.listDeadLetters(std::nullopt, 100, ids[3]).value().size(), 1);
    QCOMPARE(store.listDeadLetters(std::nullopt, 0).value().size(), 5); // 0: no limit

    // Back to dead (a replay that failed again) clears the link.
    QVERIFY(store.setDeadLetterStatus(ids[1], DeadLetterStatus::Dead, 9500).ok());
    QCOMPARE(store.deadLetter(ids[1]).value().replayedAsJournalId, 0);
    QCOMPARE(store.deadLetter(ids[1]).value().statusChangedAtMs, 9500);

    QCOMPARE(store.deadLetter(4242).error().code, u"not_found"_s);
    QCOMPARE(store.setDeadLetterStatus(4242, DeadLetterStatus::Discarded, 1).error().code, u"not_found"_s);
}

void TestProcessingStore::deadLetterBytesRoundTrip_data()
{
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QByteArray>("headerValue");

    QTest::newRow("nul bytes") << QByteArray("k\x00y", 3) << QByteArray("{\"a\":\"\x00\"}\x00", 10)
                               << QByteArray("\x00\x01", 2);
    QTest::newRow("invalid utf-8") << QByteArray("\xff\xfe", 2) << QByteArray("\xc3\x28\xa0\xa1\xed\xa0\x80", 7)
                                   << QByteArray("\xe9t\xe9", 3);
    QTest::newRow("null key and value") << QByteArray() << QByteArray() << QByteArray("plain");
    QTest::newRow("empty key and value") << QByteArray("") << QByteArray("") << QByteArray("");
}

void TestProcessingStore::deadLetterBytesRoundTrip()
{
    QFETCH(QByteArray, key);
    QFETCH(QByteArray, value);
    QFETCH(QByteArray, headerValue);

    auto db = openDb();
    QVERIFY(db);
    ProcessingStore store(*db);
    DeadLetterRow in = makeDeadLetter(9, 1000);
    in.key = key;
    in.value = value;
    in.headers = {{"X-Bin", headerValue}, {"x-bin", "repeat"}, {QByteArray("\xff", 1), "name not UTF-8"}};
    const qint64 id = store.addDeadLetter(in).value();

    const DeadLetterRow out = store.deadLetter(id).value();
    QCOMPARE(out.key, key);
    QCOMPARE(out.key.isNull(), key.isNull());
    QCOMPARE(out.value, value);
    QCOMPARE(out.value.isNull(), value.isNull());
    QCOMPARE(out.headers, in.headers);
    QCOMPARE(out.error, in.error);
    QCOMPARE(countRows(*db, "SELECT count(*) FROM dlq WHERE key IS NULL"), key.isNull() ? 1 : 0);
}

QTEST_GUILESS_MAIN(TestProcessingStore)
#include "test_processing_store.moc"
