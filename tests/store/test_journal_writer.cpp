// Journal tests on real SQLite files: the journal writer's group commit, outcomes, failures and
// purge, and the journal query's paging and filters.

#include <functional>
#include <limits>

#include <QDir>
#include <QElapsedTimer>
#include <QEvent>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include "core/store/database.h"
#include "core/store/journal_query.h"
#include "core/store/journal_writer.h"
#include "core/store/processing_store.h"
#include "core/util/clock.h"
#include "store_test_support.h"

using namespace Qt::StringLiterals;
using namespace hookbench;
using namespace hookbench::store;
using namespace hookbench::store::testing;

class TestJournalWriter final : public QObject
{
    Q_OBJECT

private slots:
    void init();

    // JournalWriter + JournalQuery
    void burstIsGroupCommitted();
    void duplicatesInOneBatch();
    void entryRoundTripsByteForByte();
    void markProducedAndLoadPending();
    void loadPendingSkipsRefusedAndBoundsBytes();
    void markDeliveredSetsPlacementAndVerdict();
    void outcomesArriveInOrderOneCallPerBatch();
    void queryPagingAndFilters();
    void failedTransactionFailsItsJobs();
    void purgeRunsInStepsAndSyncWaits();
    void retentionDeletesOnlyFinishedWork();
    void retentionRunsInBoundedSteps();
    void writerOpenFailureNamesPath();

private:
    QString dbPath() const { return databasePath(*m_dir); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestJournalWriter::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestJournalWriter::burstIsGroupCommitted()
{
    auto writer = JournalWriter::open(dbPath());
    QVERIFY2(writer, qPrintable(writer ? QString() : writer.error().message));
    OutcomeCollector collector(**writer);
    const WriterStats before = (*writer)->stats();
    constexpr int kJobs = 1000;
    for (int i = 0; i < kJobs; ++i)
        collector.submit(makeEntry(u"stripe"_s, "evt_" + QByteArray::number(i), 1000 + i));
    QTRY_COMPARE_WITH_TIMEOUT(collector.delivered, kJobs, 30'000);

    qint64 previous = 0;
    for (const IngestOutcome &o : std::as_const(collector.outcomes)) {
        QVERIFY2(!o.failed, qPrintable(o.error));
        QVERIFY(!o.duplicate);
        QVERIFY(o.id > previous);
        previous = o.id;
    }
    (*writer)->sync();
    const WriterStats after = (*writer)->stats();
    const qint64 jobs = after.jobs - before.jobs;
    const qint64 transactions = after.transactions - before.transactions;
    qInfo("%lld jobs in %lld transactions", qlonglong(jobs), qlonglong(transactions));
    QCOMPARE(jobs, kJobs);
    QVERIFY(transactions >= 1);
    QVERIFY2(transactions < kJobs / 2, qPrintable(u"%1 transactions for %2 jobs"_s.arg(transactions).arg(jobs)));

    auto query = JournalQuery::open(dbPath());
    QVERIFY(query);
    QCOMPARE((*query)->count({}).value(), kJobs);
    QCOMPARE((*query)->count({.kafkaState = KafkaState::Pending}).value(), kJobs);
}

void TestJournalWriter::duplicatesInOneBatch()
{
    auto writer = JournalWriter::open(dbPath());
    QVERIFY(writer);
    auto blocker = Database::open(dbPath());
    QVERIFY(blocker);
    OutcomeCollector collector(**writer);
    (*writer)->sync();
    const WriterStats before = (*writer)->stats();

    // Hold the write lock while the burst is queued: the writer can start at most one batch
    // before the lock is released, so nearly every pair lands in one transaction.
    QVERIFY((*blocker)->beginImmediate().ok());
    constexpr int kPairs = 100;
    for (int i = 0; i < kPairs; ++i) {
        collector.submit(makeEntry(u"github"_s, "delivery-" + QByteArray::number(i), 5000 + i));
        collector.submit(makeEntry(u"github"_s, "delivery-" + QByteArray::number(i), 5000 + i));
    }
    QVERIFY((*blocker)->commit().ok());
    QTRY_COMPARE_WITH_TIMEOUT(collector.delivered, 2 * kPairs, 30'000);
    (*writer)->sync();
    QVERIFY((*writer)->stats().transactions - before.transactions <= 2);

    auto query = JournalQuery::open(dbPath());
    QVERIFY(query);
    for (int i = 0; i < kPairs; ++i) {
        const IngestOutcome &first = collector.outcomes[2 * i];
        const IngestOutcome &second = collector.outcomes[2 * i + 1];
        QVERIFY2(!first.failed && !second.failed, qPrintable(first.error + second.error));
        QVERIFY(!first.duplicate);
        QVERIFY(second.duplicate);
        QCOMPARE(second.firstId, first.id);
    }
    const auto original = (*query)->entry(collector.outcomes[0].id).value();
    QVERIFY(original);
    QCOMPARE(original->kafkaState, KafkaState::Pending);
    QCOMPARE(original->verdict, Verdict::Queued);
    QCOMPARE(original->duplicateOf, 0);
    const auto duplicate = (*query)->entry(collector.outcomes[1].id).value();
    QVERIFY(duplicate);
    QCOMPARE(duplicate->verdict, Verdict::Duplicate);
    QCOMPARE(duplicate->httpStatus, 200);
    QCOMPARE(duplicate->duplicateOf, collector.outcomes[0].id);
    QCOMPARE(duplicate->kafkaState, KafkaState::None);

    // A later delivery in another batch is a duplicate too; without a claim it is just journaled.
    const int late = collector.submit(makeEntry(u"github"_s, "delivery-0", 9000));
    const int unclaimed = collector.submit(makeEntry(u"github"_s, "delivery-0", 9001), false);
    QTRY_COMPARE_WITH_TIMEOUT(collector.delivered, 2 * kPairs + 2, 10'000);
    QVERIFY(collector.outcomes[late].duplicate);
    QCOMPARE(collector.outcomes[late].firstId, collector.outcomes[0].id);
    QVERIFY(!collector.outcomes[unclaimed].duplicate);
    QCOMPARE((*query)->entry(collector.outcomes[unclaimed].id).value()->verdict, Verdict::Queued);

    const auto dups = (*query)->duplicatesOf(collector.outcomes[0].id).value();
    QCOMPARE(dups.size(), 2);
    QCOMPARE(dups[0].id, collector.outcomes[1].id);
    QCOMPARE(dups[1].id, collector.outcomes[late].id);
}

void TestJournalWriter::entryRoundTripsByteForByte()
{
    JournalEntry in = makeEntry(u"shopify"_s, QByteArray("key\x00\xff", 5), 1'700'000'000'123);
    in.method = "POST";
    in.target = "/webhooks/shopify?x=%00&y=\xe9";
    in.headers = {{"X-Shopify-Topic", "orders/create"},
                  {"x-shopify-topic", "orders/paid"},
                  {"X-BIN", QByteArray("\x00\x01\xfe\xff", 4)},
                  {"Empty", ""},
                  {"X-Utf8", "Zoë"}};
    in.body = QByteArray("{\"a\":\"\x00\xc3\x28\xff\"}\r\n", 13);
    in.remoteAddress = u"::1"_s;
    in.remotePort = 65535;
    in.reason = u"signature_mismatch"_s;
    in.verification = R"({"provider":"shopify","ok":false})";
    in.verdict = Verdict::Rejected;
    in.httpStatus = 401;
    in.entityKey = QByteArray("\x00ent", 4);
    {
        auto writer = JournalWriter::open(dbPath());
        QVERIFY(writer);
        OutcomeCollector collector(**writer);
        collector.submit(in, false);
        QTRY_COMPARE_WITH_TIMEOUT(collector.delivered, 1, 10'000);
        QVERIFY(!collector.outcomes[0].failed);
        in.id = collector.outcomes[0].id;
    }
    // Read after the writer has closed: the file alone holds everything.
    auto query = JournalQuery::open(dbPath());
    QVERIFY2(query, qPrintable(query ? QString() : query.error().message));
    const auto out = (*query)->entry(in.id).value();
    QVERIFY(out);
    QCOMPARE(out->receivedAtMs, in.receivedAtMs);
    QCOMPARE(out->source, in.source);
    QCOMPARE(out->method, in.method);
    QCOMPARE(out->target, in.target);
    QCOMPARE(out->headers, in.headers);
    QCOMPARE(out->body, in.body);
    QCOMPARE(out->bodySize, in.body.size());
    QCOMPARE(out->remoteAddress, in.remoteAddress);
    QCOMPARE(out->remotePort, in.remotePort);
    QCOMPARE(out->verdict, in.verdict);
    QCOMPARE(out->httpStatus, in.httpStatus);
    QCOMPARE(out->reason, in.reason);
    QCOMPARE(out->verification, in.verification);
    QCOMPARE(out->idempotencyKey, in.idempotencyKey);
    QCOMPARE(out->idempotencyOrigin, in.idempotencyOrigin);
    QCOMPARE(out->entityKey, in.entityKey);
    QCOMPARE(out->eventType, in.eventType);
    QCOMPARE(out->topic, in.topic);
    QCOMPARE(out->kafkaState, KafkaState::None);

    const auto listed = (*query)->list({.withBodies = true}).value();
    QCOMPARE(listed.size(), 1);
    QCOMPARE(listed[0].body, in.body);
    const auto withoutBody = (*query)->list({}).value();
    QVERIFY(withoutBody[0].body.isEmpty());
    QCOMPARE(withoutBody[0].bodySize, in.body.size());
    QVERIFY(!(*query)->entry(in.id + 1).value().has_value());
}

void TestJournalWriter::markProducedAndLoadPending()
{
    auto writer = JournalWriter::open(dbPath());
    QVERIFY(writer);
    OutcomeCollector collector(**writer);
    for (int i = 0; i < 5; ++i)
        collector.submit(makeEntry(u"stripe"_s, "evt_" + QByteArray::number(i), 100 + i));
    collector.submit(makeEntry(u"stripe"_s, "rejected", 200), false); // kafka_state none
    QTRY_COMPARE_WITH_TIMEOUT(collector.delivered, 6, 10'000);
    QList<qint64> ids;
    for (int i = 0; i < 5; ++i)
        ids.append(collector.outcomes[i].id);

    QList<JournalEntry> pending;
    bool loaded = false;
    auto load = [&](qint64 afterId, int limit) {
        loaded = false;
        (*writer)->loadPending(afterId, limit, std::numeric_limits<qint64>::max(), this,
                               [&](const QList<JournalEntry> &entries) {
                                   pending = entries;
                                   loaded = true;
                               });
    };
    auto idsOf = [](const QList<JournalEntry> &entries) {
        QList<qint64> out;
        for (const JournalEntry &e : entries)
            out.append(e.id);
        return out;
    };
    load(0, 100);
    QTRY_VERIFY_WITH_TIMEOUT(loaded, 10'000);
    QCOMPARE(idsOf(pending), ids);
    QCOMPARE(pending[0].body, QByteArray(R"({"id":"evt_0"})"));

    (*writer)->markProduced(ids[1], 2, 41, 12345);
    (*writer)->setVerdict(ids[1], Verdict::Accepted, 200);
    load(0, 100); // queued behind the updates, so it sees them
    QTRY_VERIFY_WITH_TIMEOUT(loaded, 10'000);
    QCOMPARE(idsOf(pending), (QList<qint64>{ids[0], ids[2], ids[3], ids[4]}));
    load(ids[2], 1);
    QTRY_VERIFY_WITH_TIMEOUT(loaded, 10'000);
    QCOMPARE(idsOf(pending), QList<qint64>{ids[3]});

    auto query = JournalQuery::open(dbPath());
    QVERIFY(query);
    const auto produced = (*query)->entry(ids[1]).value();
    QCOMPARE(produced->kafkaState, KafkaState::Produced);
    QCOMPARE(produced->partition, 2);
    QCOMPARE(produced->offset, 41);
    QCOMPARE(produced->producedAtMs, 12345);
    QCOMPARE(produced->verdict, Verdict::Accepted);
    QCOMPARE(produced->httpStatus, 200);
}

void TestJournalWriter::loadPendingSkipsRefusedAndBoundsBytes()
{
    auto writer = JournalWriter::open(dbPath());
    QVERIFY(writer);
    OutcomeCollector collector(**writer);
    for (int i = 0; i < 4; ++i)
        collector.submit(makeEntry(u"stripe"_s, "evt_" + QByteArray::number(i), 100 + i));
    QTRY_COMPARE_WITH_TIMEOUT(collector.delivered, 4, 10'000);
    QList<qint64> ids;
    for (int i = 0; i < 4; ++i)
        ids.append(collector.outcomes[i].id);

    QList<qint64> loadedIds;
    bool loaded = false;
    auto load = [&](qint64 maxBytes) {
        loaded = false;
        (*writer)->loadPending(0, 100, maxBytes, this, [&](const QList<JournalEntry> &entries) {
            loadedIds.clear();
            for (const JournalEntry &e : entries)
                loadedIds.append(e.id);
            loaded = true;
        });
    };
    // Refused by Kafka for good: not pending for the relay any more, and the reason is kept.
    (*writer)->markProduceFailed(ids[1], u"MSG_SIZE_TOO_LARGE: too large"_s);
    load(std::numeric_limits<qint64>::max());
    QTRY_VERIFY_WITH_TIMEOUT(loaded, 10'000);
    QCOMPARE(loadedIds, (QList<qint64>{ids[0], ids[2], ids[3]}));
    // Each body is 14 bytes: the page stops once 20 bytes are reached, and holds at least one.
    load(20);
    QTRY_VERIFY_WITH_TIMEOUT(loaded, 10'000);
    QCOMPARE(loadedIds, (QList<qint64>{ids[0], ids[2]}));
    load(1);
    QTRY_VERIFY_WITH_TIMEOUT(loaded, 10'000);
    QCOMPARE(loadedIds, QList<qint64>{ids[0]});

    auto query = JournalQuery::open(dbPath());
    QVERIFY(query);
    const auto refused = (*query)->entry(ids[1]).value();
    QCOMPARE(refused->kafkaState, KafkaState::Pending);
    QCOMPARE(refused->kafkaError, u"MSG_SIZE_TOO_LARGE: too large"_s);
    QVERIFY((*query)->entry(ids[0]).value()->kafkaError.isEmpty());
}

void TestJournalWriter::markDeliveredSetsPlacementAndVerdict()
{
    auto writer = JournalWriter::open(dbPath());
    QVERIFY(writer);
    OutcomeCollector collector(**writer);
    collector.submit(makeEntry(u"stripe"_s, "answered", 100));
    collector.submit(makeEntry(u"stripe"_s, "unanswered", 101));
    QTRY_COMPARE_WITH_TIMEOUT(collector.delivered, 2, 10'000);
    const qint64 answered = collector.outcomes[0].id;
    const qint64 unanswered = collector.outcomes[1].id;

    (*writer)->markDelivered(answered, 3, 77, 5000, Verdict::Accepted, 200);
    (*writer)->markDelivered(unanswered, 1, 8, 5001, std::nullopt, 500);          // status ignored without verdict
    (*writer)->markDelivered(unanswered + 1000, 0, 0, 1, Verdict::Accepted, 200); // no such row: harmless
    (*writer)->sync();

    auto query = JournalQuery::open(dbPath());
    QVERIFY(query);
    const auto a = (*query)->entry(answered).value();
    QVERIFY(a);
    QCOMPARE(a->kafkaState, KafkaState::Produced);
    QCOMPARE(a->partition, 3);
    QCOMPARE(a->offset, 77);
    QCOMPARE(a->producedAtMs, 5000);
    QCOMPARE(a->verdict, Verdict::Accepted);
    QCOMPARE(a->httpStatus, 200);
    const auto u = (*query)->entry(unanswered).value();
    QVERIFY(u);
    QCOMPARE(u->kafkaState, KafkaState::Produced);
    QCOMPARE(u->partition, 1);
    QCOMPARE(u->offset, 8);
    QCOMPARE(u->producedAtMs, 5001);
    QCOMPARE(u->verdict, Verdict::Queued); // as ingested
    QCOMPARE(u->httpStatus, 202);
    QCOMPARE((*query)->count({.kafkaState = KafkaState::Pending}).value(), 0);
    QCOMPARE((*query)->count({}).value(), 2);
}

namespace {

// Counts the queued calls (QEvent::MetaCall) that reach an object.
class MetaCallCounter final : public QObject
{
public:
    int calls = 0;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::MetaCall)
            ++calls;
        return QObject::eventFilter(watched, event);
    }
};

} // namespace

void TestJournalWriter::outcomesArriveInOrderOneCallPerBatch()
{
    auto writer = JournalWriter::open(dbPath());
    QVERIFY(writer);
    auto blocker = Database::open(dbPath());
    QVERIFY(blocker);
    OutcomeCollector collector(**writer);
    MetaCallCounter counter;
    collector.installEventFilter(&counter);
    QList<int> order;
    QList<qint64> loadedIds;
    bool loaded = false;

    // With the write lock held while the jobs queue up, they land in very few batches.
    QVERIFY((*blocker)->beginImmediate().ok());
    constexpr int kJobs = 500;
    for (int i = 0; i < kJobs; ++i) {
        const int index = collector.submit(makeEntry(u"stripe"_s, "ordered-" + QByteArray::number(i), 100 + i));
        QCOMPARE(index, i);
        // Each outcome callback records when it ran, through the same context.
        (*writer)->ingest(makeEntry(u"stripe"_s, "unclaimed-" + QByteArray::number(i), 100 + i), false, 0, &collector,
                          [&order, i](const IngestOutcome &) { order.append(i); });
        if (i == kJobs / 2) {
            (*writer)->loadPending(0, kJobs, std::numeric_limits<qint64>::max(), &collector,
                                   [&](const QList<JournalEntry> &entries) {
                                       for (const JournalEntry &e : entries)
                                           loadedIds.append(e.id);
                                       loaded = true;
                                       order.append(-1);
                                   });
        }
    }
    QVERIFY((*blocker)->commit().ok());
    QTRY_COMPARE_WITH_TIMEOUT(collector.delivered, kJobs, 30'000);
    QTRY_COMPARE_WITH_TIMEOUT(order.size(), kJobs + 1, 10'000);
    QVERIFY(loaded);

    // Every callback ran, in submission order, the loadPending answer included.
    QList<int> expected;
    for (int i = 0; i < kJobs; ++i) {
        expected.append(i);
        if (i == kJobs / 2)
            expected.append(-1);
    }
    QCOMPARE(order, expected);
    qint64 previous = 0;
    for (const IngestOutcome &o : std::as_const(collector.outcomes)) {
        QVERIFY2(!o.failed, qPrintable(o.error));
        QVERIFY(o.id > previous);
        previous = o.id;
    }
    // The pending load ran after the batch that held ingest #250 committed, so it sees that one.
    QVERIFY(loadedIds.contains(collector.outcomes[kJobs / 2].id));

    // One queued call per batch and context, not one per job.
    (*writer)->sync();
    const WriterStats stats = (*writer)->stats();
    QVERIFY2(counter.calls <= stats.transactions,
             qPrintable(u"%1 queued calls for %2 transactions"_s.arg(counter.calls).arg(stats.transactions)));
    QVERIFY2(counter.calls < 10, qPrintable(u"%1 queued calls for %2 jobs"_s.arg(counter.calls).arg(2 * kJobs)));
}

void TestJournalWriter::queryPagingAndFilters()
{
    auto writer = JournalWriter::open(dbPath());
    QVERIFY(writer);
    OutcomeCollector collector(**writer);
    // 30 entries: sources alternate, every third is rejected, times 1000, 1010, ...
    for (int i = 0; i < 30; ++i) {
        JournalEntry e = makeEntry(i % 2 ? u"github"_s : u"stripe"_s, "k" + QByteArray::number(i), 1000 + 10 * i);
        e.eventType = i < 10 ? u"early"_s : u"late"_s;
        const bool rejected = i % 3 == 0;
        if (rejected) {
            e.verdict = Verdict::Rejected;
            e.httpStatus = 401;
        }
        collector.submit(e, !rejected);
    }
    QTRY_COMPARE_WITH_TIMEOUT(collector.delivered, 30, 10'000);
    QList<qint64> ids;
    for (const IngestOutcome &o : std::as_const(collector.outcomes))
        ids.append(o.id);
    auto query = JournalQuery::open(dbPath());
    QVERIFY(query);
    auto idsOf = [&](const JournalFilter &f) {
        QList<qint64> out;
        // Keep the Result alive: value() on a temporary would dangle inside a range-for.
        const auto entries = (*query)->list(f);
        for (const JournalEntry &e : entries.value())
            out.append(e.id);
        return out;
    };

    // Newest page, then backward, then forward again.
    QCOMPARE(idsOf({.limit = 10}), ids.mid(20, 10));
    QCOMPARE(idsOf({.beforeId = ids[20], .limit = 10}), ids.mid(10, 10));
    QCOMPARE(idsOf({.beforeId = ids[5], .limit = 10}), ids.mid(0, 5));
    QCOMPARE(idsOf({.afterId = ids[9], .limit = 10}), ids.mid(10, 10));
    QCOMPARE(idsOf({.afterId = ids[25], .limit = 10}), ids.mid(26, 4));
    QCOMPARE(idsOf({.beforeId = ids[8], .afterId = ids[2], .limit = 100}), ids.mid(3, 5));
    QCOMPARE(idsOf({.limit = 0}), ids);

    QCOMPARE((*query)->count({.source = u"github"_s}).value(), 15);
    QCOMPARE((*query)->count({.verdict = Verdict::Rejected}).value(), 10);
    QCOMPARE((*query)->count({.kafkaState = KafkaState::Pending}).value(), 20);
    QCOMPARE((*query)->count({.kafkaState = KafkaState::None}).value(), 10);
    QCOMPARE((*query)->count({.eventType = u"early"_s}).value(), 10);
    QCOMPARE((*query)->count({.sinceMs = 1100, .untilMs = 1200}).value(), 10);
    QCOMPARE((*query)->count({.afterId = ids[19], .limit = 1}).value(), 10);
    // "k1" is in k1, k10..k19 (idempotency and entity keys both match, counted once).
    QCOMPARE((*query)->count({.keySubstring = "k1"}).value(), 11);
    QCOMPARE(idsOf({.keySubstring = "entity-k2", .limit = 100}), QList<qint64>{ids[2]} + ids.mid(20, 10));
    QCOMPARE(idsOf({.source = u"stripe"_s, .verdict = Verdict::Rejected, .limit = 100}),
             (QList<qint64>{ids[0], ids[6], ids[12], ids[18], ids[24]}));
    QCOMPARE(idsOf({.source = u"nobody"_s}), QList<qint64>{});

    const auto rejected = (*query)->list({.verdict = Verdict::Rejected, .limit = 1}).value();
    QCOMPARE(rejected.size(), 1);
    QCOMPARE(rejected[0].id, ids[27]);
    QCOMPARE(rejected[0].httpStatus, 401);
}

void TestJournalWriter::failedTransactionFailsItsJobs()
{
    auto writer = JournalWriter::open(dbPath());
    QVERIFY(writer);
    auto admin = Database::open(dbPath());
    QVERIFY(admin);
    OutcomeCollector collector(**writer);

    // A poison job fails alone: the rest of its batch still commits.
    QVERIFY((*admin)
                ->exec("CREATE TRIGGER poison BEFORE INSERT ON journal WHEN NEW.source = 'poison' "
                       "BEGIN SELECT RAISE(FAIL, 'poisoned row'); END")
                .ok());
    collector.submit(makeEntry(u"ok"_s, "a", 1));
    collector.submit(makeEntry(u"poison"_s, "b", 2));
    collector.submit(makeEntry(u"ok"_s, "c", 3));
    QTRY_COMPARE_WITH_TIMEOUT(collector.delivered, 3, 10'000);
    QVERIFY(!collector.outcomes[0].failed);
    QVERIFY(collector.outcomes[1].failed);
    QVERIFY2(collector.outcomes[1].error.contains(u"poisoned row"_s), qPrintable(collector.outcomes[1].error));
    QVERIFY(!collector.outcomes[2].failed);

    // A failure that loses the whole transaction (as disk full or an I/O error does) fails every
    // job that causes it, without crashing, and the next batch works again.
    QVERIFY((*admin)
                ->exec("CREATE TRIGGER lost BEFORE INSERT ON journal "
                       "BEGIN SELECT RAISE(ROLLBACK, 'transaction lost'); END")
                .ok());
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(u"journal transaction of \\d+ jobs failed on .*transaction lost"_s));
    for (int i = 0; i < 20; ++i)
        collector.submit(makeEntry(u"ok"_s, "lost-" + QByteArray::number(i), 10 + i));
    QTRY_COMPARE_WITH_TIMEOUT(collector.delivered, 23, 10'000);
    for (int i = 3; i < 23; ++i) {
        QVERIFY(collector.outcomes[i].failed);
        QVERIFY2(collector.outcomes[i].error.contains(u"transaction lost"_s), qPrintable(collector.outcomes[i].error));
    }
    QVERIFY((*admin)->exec("DROP TRIGGER lost").ok());
    // The failed claims were rolled back too, so the same keys are claimable now.
    const int retried = collector.submit(makeEntry(u"ok"_s, "lost-0", 50));
    QTRY_COMPARE_WITH_TIMEOUT(collector.delivered, 24, 10'000);
    QVERIFY(!collector.outcomes[retried].failed);
    QVERIFY(!collector.outcomes[retried].duplicate);
    QCOMPARE(countRows(**admin, "SELECT count(*) FROM journal"), 3);
    QCOMPARE(countRows(**admin, "SELECT count(*) FROM dedup"), 3);

    // One job that takes the transaction down does not take its batch with it.
    QVERIFY((*admin)
                ->exec("CREATE TRIGGER lost BEFORE INSERT ON journal WHEN NEW.source = 'loser' "
                       "BEGIN SELECT RAISE(ROLLBACK, 'transaction lost'); END")
                .ok());
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"journal transaction of 1 jobs failed on .*lost"_s));
    const int before = collector.delivered;
    const int first = collector.submit(makeEntry(u"ok"_s, "kept-1", 60));
    const int loser = collector.submit(makeEntry(u"loser"_s, "gone", 61));
    const int last = collector.submit(makeEntry(u"ok"_s, "kept-2", 62));
    QTRY_COMPARE_WITH_TIMEOUT(collector.delivered, before + 3, 10'000);
    QVERIFY(!collector.outcomes[first].failed);
    QVERIFY(collector.outcomes[loser].failed);
    QVERIFY(!collector.outcomes[last].failed);
    QCOMPARE(countRows(**admin, "SELECT count(*) FROM journal"), 5);
}

void TestJournalWriter::purgeRunsInStepsAndSyncWaits()
{
    auto writer = JournalWriter::open(dbPath());
    QVERIFY(writer);
    OutcomeCollector collector(**writer);
    ManualClock clock;
    constexpr int kClaims = 1200; // more than two purge steps of 500
    for (int i = 0; i < kClaims; ++i)
        collector.submit(makeEntry(u"s"_s, "key-" + QByteArray::number(i), clock.nowMs()), true, 1000);
    collector.submit(makeEntry(u"s"_s, "long-lived", clock.nowMs()), true, 1'000'000);
    (*writer)->sync();
    const WriterStats before = (*writer)->stats();

    clock.advanceMs(1000);
    (*writer)->purgeExpiredClaims(clock.nowMs());
    (*writer)->sync(); // must wait for every step, not just the first
    auto admin = Database::open(dbPath(), OpenMode::ReadOnly);
    QVERIFY(admin);
    QCOMPARE(countRows(**admin, "SELECT count(*) FROM dedup"), 1);
    QVERIFY((*writer)->stats().transactions - before.transactions >= 3);

    // An expired key that was purged is claimed again; the long-lived one is still held.
    const int reclaimed = collector.submit(makeEntry(u"s"_s, "key-7", clock.nowMs()));
    const int held = collector.submit(makeEntry(u"s"_s, "long-lived", clock.nowMs()));
    QTRY_COMPARE_WITH_TIMEOUT(collector.delivered, kClaims + 3, 30'000);
    QVERIFY(!collector.outcomes[reclaimed].duplicate);
    QVERIFY(collector.outcomes[held].duplicate);
    QCOMPARE(collector.outcomes[held].firstId, collector.outcomes[kClaims].id);
}

namespace {

constexpr qint64 kDayMs = 24LL * 3600 * 1000;

// Runs `write` on the writer thread with a ProcessingStore over its connection, and waits.
void writeProcessing(JournalWriter &writer, std::function<Result<void>(ProcessingStore &)> write)
{
    writer.write(
        [write = std::move(write)](Database &db) {
            ProcessingStore store(db);
            return write(store);
        },
        nullptr, {});
    writer.sync();
}

AttemptRow attemptOf(qint64 journalId, const QString &source, int attempt, qint64 atMs)
{
    AttemptRow row;
    row.journalId = journalId;
    row.source = source;
    row.topic = u"webhooks."_s + source;
    row.partition = 0;
    row.offset = journalId;
    row.attempt = attempt;
    row.startedAtMs = atMs;
    row.finishedAtMs = atMs;
    row.outcome = AttemptOutcome::Permanent;
    row.error = u"HTTP 400"_s;
    return row;
}

DeadLetterRow letterOf(qint64 journalId, const QString &source, qint64 atMs)
{
    DeadLetterRow row;
    row.journalId = journalId;
    row.source = source;
    row.topic = u"webhooks."_s + source;
    row.partition = 0;
    row.offset = journalId;
    row.value = "{}";
    row.error = u"HTTP 400"_s;
    row.errorClass = u"permanent"_s;
    row.attempts = 1;
    row.firstFailureAtMs = atMs;
    row.lastFailureAtMs = atMs;
    return row;
}

} // namespace

void TestJournalWriter::retentionDeletesOnlyFinishedWork()
{
    auto writer = JournalWriter::open(dbPath());
    QVERIFY(writer);
    JournalWriter &w = **writer;
    OutcomeCollector collector(w);
    ManualClock clock;
    const qint64 old = clock.nowMs();

    // Received 31 days before the purge, with a 30-day retention:
    const int processed = collector.submit(makeEntry(u"s"_s, "processed", old));     // goes, with its attempts
    const int pending = collector.submit(makeEntry(u"s"_s, "pending", old));         // not produced: kept
    const int dead = collector.submit(makeEntry(u"s"_s, "dead", old));               // DLQ, not acted on: kept
    const int discarded = collector.submit(makeEntry(u"s"_s, "discarded", old));     // DLQ, discarded: goes
    const int unprocessed = collector.submit(makeEntry(u"s"_s, "unprocessed", old)); // produced only: kept
    JournalEntry rejected = makeEntry(u"s"_s, "rejected", old);
    rejected.verdict = Verdict::Rejected;
    rejected.httpStatus = 401;
    const int rejectedIndex = collector.submit(rejected, false); // never reached Kafka: goes
    QTRY_COMPARE_WITH_TIMEOUT(collector.delivered, 6, 10'000);
    auto id = [&collector](int index) { return collector.outcomes[index].id; };
    for (int index : {processed, dead, discarded, unprocessed})
        w.markProduced(id(index), 0, id(index), old + 10);

    clock.advanceMs(31 * kDayMs);
    // Recent: a processed event, and a replay of the old processed one.
    const int recent = collector.submit(makeEntry(u"s"_s, "recent", clock.nowMs()));
    JournalEntry replay = makeEntry(u"s"_s, "replay", clock.nowMs());
    replay.derivedFrom = id(processed);
    const int replayIndex = collector.submit(replay);
    QTRY_COMPARE_WITH_TIMEOUT(collector.delivered, 8, 10'000);
    for (int index : {recent, replayIndex})
        w.markProduced(id(index), 0, id(index), clock.nowMs());

    writeProcessing(w, [&](ProcessingStore &store) -> Result<void> {
        for (int attempt : {1, 2}) {
            if (auto r = store.recordAttempt(attemptOf(id(processed), u"s"_s, attempt, old + attempt)); !r)
                return r.error();
        }
        if (auto r = store.recordAttempt(attemptOf(id(dead), u"s"_s, 1, old)); !r)
            return r.error();
        if (auto r = store.markProcessed(u"s"_s, "processed", id(processed), old + 5); !r)
            return r.error();
        if (auto r = store.markProcessed(u"s"_s, "recent", id(recent), clock.nowMs()); !r)
            return r.error();
        // The pending entry's key was processed through another entry (a replay keeps the key):
        // still not produced itself, so it stays.
        if (auto r = store.markProcessed(u"s"_s, "pending", id(recent), clock.nowMs()); !r)
            return r.error();
        if (auto r = store.markProcessed(u"s"_s, "replay", id(replayIndex), clock.nowMs()); !r)
            return r.error();
        if (auto r = store.addDeadLetter(letterOf(id(dead), u"s"_s, old)); !r)
            return r.error();
        auto letter = store.addDeadLetter(letterOf(id(discarded), u"s"_s, old));
        if (!letter)
            return letter.error();
        return store.setDeadLetterStatus(*letter, DeadLetterStatus::Discarded, old + 20);
    });

    const qint64 purgedBefore = w.stats().journalPurged;
    w.purgeRetained(clock.nowMs()); // retention 0 (the default): keeps everything
    w.sync();
    QCOMPARE(w.stats().journalPurged, purgedBefore);

    w.setRetention(30 * kDayMs);
    w.purgeRetained(clock.nowMs());
    w.sync();
    QCOMPARE(w.stats().journalPurged - purgedBefore, 3);

    auto query = JournalQuery::open(dbPath());
    QVERIFY(query);
    auto exists = [&query](qint64 journalId) {
        auto entry = (*query)->entry(journalId);
        return entry && entry->has_value();
    };
    for (int gone : {processed, discarded, rejectedIndex})
        QVERIFY2(!exists(id(gone)), qPrintable(u"entry %1 should be purged"_s.arg(id(gone))));
    for (int kept : {pending, dead, unprocessed, recent, replayIndex})
        QVERIFY2(exists(id(kept)), qPrintable(u"entry %1 should be kept"_s.arg(id(kept))));

    auto admin = Database::open(dbPath(), OpenMode::ReadOnly);
    QVERIFY(admin);
    // The purged entries' rows went with them; the kept ones' stayed.
    QCOMPARE(countRows(**admin, "SELECT count(*) FROM attempts"), 1);
    QCOMPARE(countRows(**admin, "SELECT count(*) FROM processed"), 3);
    QCOMPARE(countRows(**admin, "SELECT count(*) FROM dlq"), 1);
    QCOMPARE(countRows(**admin, "SELECT count(*) FROM dlq WHERE status = 'dead'"), 1);

    // The replay's lineage still names its original, which reads as gone (purged), not as an error.
    auto replayed = (*query)->entry(id(replayIndex));
    QVERIFY(replayed && replayed->has_value());
    QCOMPARE((*replayed)->derivedFrom, id(processed));
    auto original = (*query)->entry(id(processed));
    QVERIFY(original);
    QVERIFY(!original->has_value());
    auto stillThere = (*query)->contains(id(processed));
    QVERIFY(stillThere);
    QVERIFY(!*stillThere);
    QCOMPARE((*query)->contains(id(replayIndex)).value(), true);

    // A second run finds nothing more to delete.
    w.purgeRetained(clock.nowMs());
    w.sync();
    QCOMPARE(w.stats().journalPurged - purgedBefore, 3);
}

void TestJournalWriter::retentionRunsInBoundedSteps()
{
    auto writer = JournalWriter::open(dbPath());
    QVERIFY(writer);
    JournalWriter &w = **writer;
    OutcomeCollector collector(w);
    ManualClock clock;
    // Two full steps of 1000 and a last one of 500; HOOKBENCH_RETENTION_ENTRIES=N measures more.
    const int kEntries = qEnvironmentVariableIsSet("HOOKBENCH_RETENTION_ENTRIES")
                             ? qEnvironmentVariableIntValue("HOOKBENCH_RETENTION_ENTRIES")
                             : 2500;
    const int steps = kEntries / 1000 + 1; // the last step deletes less than a full one (maybe none)
    for (int i = 0; i < kEntries; ++i) {
        JournalEntry e = makeEntry(u"s"_s, "r-" + QByteArray::number(i), clock.nowMs() + i);
        e.verdict = Verdict::Rejected;
        e.httpStatus = 401;
        collector.submit(e, false);
    }
    w.sync();
    clock.advanceMs(2 * kDayMs);
    w.setRetention(kDayMs);
    const WriterStats before = w.stats();
    QElapsedTimer timer;
    timer.start();
    w.purgeRetained(clock.nowMs());
    w.sync(); // waits for every step
    const qint64 elapsedMs = timer.elapsed();
    const WriterStats after = w.stats();
    QCOMPARE(after.journalPurged - before.journalPurged, kEntries);
    // One transaction per step (nothing else is queued): with 2500 entries, 3 steps means none
    // deleted more than 1000.
    QCOMPARE(after.transactions - before.transactions, steps);
    qInfo("purged %d entries in %d steps in %lld ms (%.1f ms per step)", kEntries, steps, qlonglong(elapsedMs),
          double(elapsedMs) / steps);
    auto admin = Database::open(dbPath(), OpenMode::ReadOnly);
    QVERIFY(admin);
    QCOMPARE(countRows(**admin, "SELECT count(*) FROM journal"), 0);
}

void TestJournalWriter::writerOpenFailureNamesPath()
{
    QVERIFY(QDir().mkpath(QFileInfo(dbPath()).absolutePath()));
    QFile file(dbPath());
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(8192, 'x'));
    file.close();
    auto writer = JournalWriter::open(dbPath());
    QVERIFY(!writer);
    QCOMPARE(writer.error().code, u"store_corrupt"_s);
    QVERIFY2(writer.error().message.contains(QFileInfo(dbPath()).absoluteFilePath()),
             qPrintable(writer.error().message));
}

QTEST_GUILESS_MAIN(TestJournalWriter)
#include "test_journal_writer.moc"
