// Tests of the event processor's grouped SQLite writes with real parts: librdkafka's mock
// cluster with many partitions (one record per partition is in flight, so the records that
// finish in one event-loop turn come from different partitions), a SQLite file in a temporary
// directory, and triggers on the processed table that make its writes fail on demand.

#include <QElapsedTimer>
#include <QSet>
#include <QTest>

#include "core/processing/event_processor.h"
#include "tests/processor/processor_test_support.h"

using namespace Qt::StringLiterals;
using namespace hookbench;
using namespace hookbench::processing;
using namespace hookbench::tests;

namespace {

constexpr int kManyPartitions = 12;

} // namespace

class TestEventProcessorBatching final : public QObject, private ProcessorFixture
{
    Q_OBJECT

public:
    TestEventProcessorBatching()
        : ProcessorFixture({.partitions = kManyPartitions,
                            .group = u"test-batching"_s,
                            .stateRefreshMs = 200,
                            .produceTimeoutMs = 30000})
    {}

private:
    // Sum of the committed offsets of the source topic's partitions (-1 counts as 0).
    static qint64 committedOffsets(const EventProcessor &processor)
    {
        qint64 sum = 0;
        for (const kafka::PartitionState &p : processor.snapshot().partitions) {
            if (p.topic == kTopic && p.committed > 0)
                sum += p.committed;
        }
        return sum;
    }

    static QList<Event> events(int count, int firstId)
    {
        QList<Event> list;
        for (int i = 0; i < count; ++i)
            list.append(makeEvent(firstId + i, "cus_" + QByteArray::number(i)));
        return list;
    }

private slots:
    void init();
    void cleanup();

    void recordsOfOneTurnShareATransaction_data();
    void recordsOfOneTurnShareATransaction();
    void duplicatesInOneTurnAreHandledOnce();
    void failedWritesHoldRecordsBackUntilTheDatabaseRecovers_data();
    void failedWritesHoldRecordsBackUntilTheDatabaseRecovers();
    void stopFlushesQueuedWrites();
};

void TestEventProcessorBatching::init()
{
    setUp();
}

void TestEventProcessorBatching::cleanup()
{
    tearDown();
}

void TestEventProcessorBatching::recordsOfOneTurnShareATransaction_data()
{
    QTest::addColumn<bool>("simulate");
    QTest::addColumn<int>("count");
    QTest::addColumn<bool>("throughWriter");
    QTest::newRow("no handler: processed marks") << false << 2000 << false;
    QTest::newRow("simulate: attempts and marks") << true << 600 << false;
    QTest::newRow("through the journal writer: processed marks") << false << 2000 << true;
    QTest::newRow("through the journal writer: attempts and marks") << true << 600 << true;
}

void TestEventProcessorBatching::recordsOfOneTurnShareATransaction()
{
    QFETCH(bool, simulate);
    QFETCH(int, count);
    QFETCH(bool, throughWriter);
    config::Config config = baseConfig();
    if (simulate)
        config.sources[0].simulate = SimulateSettings{};
    const QList<Event> all = events(count, 1);
    QVERIFY(produce(all)); // all there before the group joins: every partition has a backlog

    QElapsedTimer clock;
    clock.start();
    const qint64 writerJobsBefore = m_writer ? m_writer->stats().jobs : 0;
    auto processor = startProcessor(config, throughWriter);
    QVERIFY(processor);
    QTRY_COMPARE_WITH_TIMEOUT(processor->stats().processed, qint64(count), 60000);
    const qint64 elapsedMs = clock.elapsed();

    const ProcessorStats stats = processor->stats();
    const qint64 expectedWrites = simulate ? 2 * qint64(count) : qint64(count); // + one attempt each
    QCOMPARE(stats.storeWrites, expectedWrites);
    QCOMPARE(stats.storeFailures, 0);
    QCOMPARE(stats.redelivered, 0);
    QCOMPARE(stats.attempts, simulate ? qint64(count) : 0);
    qInfo("%d records (%s): %lld transactions for %lld writes, %.3f transactions per record, %lld ms "
          "from the processor's start (including the group join)",
          count, simulate ? "simulate" : "no handler", stats.storeTransactions, stats.storeWrites,
          double(stats.storeTransactions) / count, elapsedMs);
    // One transaction per record (and per attempt) before; now the records of one turn share one.
    // How many records a turn holds depends on how the partitions' fetches interleave with the
    // flushes (0.10-0.18 transactions per record measured), so the bound is three per transaction.
    QVERIFY2(stats.storeTransactions * 3 <= count,
             qPrintable(u"%1 transactions for %2 records"_s.arg(stats.storeTransactions).arg(count)));
    QVERIFY(stats.storeTransactions > 0);
    if (throughWriter) // every write went through the writer's group commits
        QCOMPARE(m_writer->stats().jobs - writerJobsBefore, expectedWrites);

    // Each exactly once, and every offset committed after its mark.
    const QList<qint64> ids = processedIds();
    QCOMPARE(ids.size(), count);
    QCOMPARE(QSet<qint64>(ids.begin(), ids.end()).size(), count);
    QTRY_COMPARE_WITH_TIMEOUT(committedOffsets(*processor), qint64(count), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(processor->stats().inProgress, 0, 2000);
    if (simulate) {
        const Result<QList<store::AttemptRow>> rows = m_store->attemptsFor(all.last().journalId);
        QVERIFY(rows);
        QCOMPARE(rows->size(), 1);
        QCOMPARE(rows->first().outcome, store::AttemptOutcome::Success);
    }
}

void TestEventProcessorBatching::duplicatesInOneTurnAreHandledOnce()
{
    // Copies of one idempotency key under different entity keys land on different partitions and
    // reach the processor in the same turn: the first copy's mark is still queued when the
    // others arrive, so they must wait for it rather than read "not processed".
    QList<Event> copies;
    for (int i = 0; i < 8; ++i) {
        Event e = makeEvent(500, "entity_" + QByteArray::number(i));
        copies.append(e);
    }
    QVERIFY(produce(copies));
    auto processor = startProcessor(baseConfig());
    QVERIFY(processor);
    QTRY_COMPARE_WITH_TIMEOUT(processor->stats().processed + processor->stats().redelivered, qint64(copies.size()),
                              30000);
    QCOMPARE(processor->stats().processed, 1);
    QCOMPARE(processor->stats().redelivered, qint64(copies.size() - 1));
    QCOMPARE(processedIds(), QList<qint64>{500});
    QCOMPARE(processor->stats().storeWrites, 1);
    QTRY_COMPARE_WITH_TIMEOUT(committedOffsets(*processor), qint64(copies.size()), 10000);
}

void TestEventProcessorBatching::failedWritesHoldRecordsBackUntilTheDatabaseRecovers_data()
{
    QTest::addColumn<QByteArray>("action"); // RAISE(...) of the trigger
    QTest::addColumn<int>("blockedId");     // journal id whose mark fails; 0: every mark
    QTest::addColumn<bool>("throughWriter");
    // ABORT fails the statement and keeps the transaction; ROLLBACK ends the whole transaction.
    for (const bool writer : {false, true}) {
        const char *via = writer ? " (through the journal writer)" : "";
        QTest::addRow("every mark fails%s", via) << QByteArray("ABORT") << 0 << writer;
        QTest::addRow("every mark rolls back%s", via) << QByteArray("ROLLBACK") << 0 << writer;
        QTest::addRow("one mark fails%s", via) << QByteArray("ABORT") << 903 << writer;
        QTest::addRow("one mark rolls back%s", via) << QByteArray("ROLLBACK") << 903 << writer;
    }
}

void TestEventProcessorBatching::failedWritesHoldRecordsBackUntilTheDatabaseRecovers()
{
    QFETCH(QByteArray, action);
    QFETCH(int, blockedId);
    QFETCH(bool, throughWriter);
    const QByteArray when =
        blockedId == 0 ? QByteArray() : "WHEN NEW.journal_id = " + QByteArray::number(blockedId) + " ";
    const QByteArray trigger = "CREATE TRIGGER block_processed BEFORE INSERT ON processed " + when
                               + "BEGIN SELECT RAISE(" + action + ", 'blocked by the test'); END";
    QVERIFY(m_db->exec(trigger));

    const QList<Event> all = events(6, 901);
    QVERIFY(produce(all));
    // Held back: the blocked records, and those behind them on their partition.
    int blocked = 0;
    QSet<int> waitingPartitions; // one record in flight each
    const QPair<int, qint64> at = m_placement.value(blockedId);
    for (const Event &e : all) {
        const QPair<int, qint64> p = m_placement.value(e.journalId);
        if (blockedId == 0 || (p.first == at.first && p.second >= at.second)) {
            ++blocked;
            waitingPartitions.insert(p.first);
        }
    }
    auto processor = startProcessor(baseConfig(), throughWriter);
    QVERIFY(processor);
    // Several failed tries (each retried after the store retry delay), while the others go on.
    QTRY_VERIFY_WITH_TIMEOUT(processor->stats().storeFailures >= 3, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(processor->stats().processed, qint64(all.size() - blocked), 10000);
    QCOMPARE(processedIds().size(), all.size() - blocked);
    if (blockedId != 0)
        QVERIFY(!processedIds().contains(blockedId));
    QTRY_COMPARE_WITH_TIMEOUT(processor->stats().inProgress, int(waitingPartitions.size()), 5000);
    // Only the records whose mark was committed are completed, so their offsets alone commit.
    QTRY_COMPARE_WITH_TIMEOUT(processor->snapshot().completed, qint64(all.size() - blocked), 5000);
    QTRY_COMPARE_WITH_TIMEOUT(committedOffsets(*processor), qint64(all.size() - blocked), 5000);

    QVERIFY(m_db->exec("DROP TRIGGER block_processed"));
    QTRY_COMPARE_WITH_TIMEOUT(processor->stats().processed, qint64(all.size()), 10000);
    const QList<qint64> ids = processedIds();
    QCOMPARE(QSet<qint64>(ids.begin(), ids.end()).size(), all.size());
    QTRY_COMPARE_WITH_TIMEOUT(committedOffsets(*processor), qint64(all.size()), 10000);
    QCOMPARE(processor->stats().redelivered, 0);
    QCOMPARE(processor->stats().inProgress, 0);
}

void TestEventProcessorBatching::stopFlushesQueuedWrites()
{
    // The writes fail while stop() waits; the database recovers just before its deadline passes
    // and the final flush of stop() commits the marks and completes the records.
    QVERIFY(m_db->exec("CREATE TRIGGER block_processed BEFORE INSERT ON processed "
                       "BEGIN SELECT RAISE(ABORT, 'blocked by the test'); END"));
    const QList<Event> all = events(3, 951);
    QVERIFY(produce(all));
    auto processor = startProcessor(baseConfig());
    QVERIFY(processor);
    // The first record of each partition is in flight; the others wait behind it.
    QSet<int> partitions;
    for (const Event &e : all)
        partitions.insert(m_placement.value(e.journalId).first);
    const int inFlight = int(partitions.size());
    QTRY_VERIFY_WITH_TIMEOUT(processor->stats().storeFailures >= 2 * inFlight, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(processor->stats().inProgress, inFlight, 5000);
    QCOMPARE(processor->stats().processed, 0);

    QVERIFY(m_db->exec("DROP TRIGGER block_processed"));
    // No time to wait: the retry timer does not fire, the flush at the end of stop() writes them.
    processor->stop(0);
    QCOMPARE(processor->stats().processed, qint64(inFlight));
    QCOMPARE(processor->stats().inProgress, 0);
    QCOMPARE(processedIds().size(), inFlight);
}

QTEST_GUILESS_MAIN(TestEventProcessorBatching)
#include "test_event_processor_batching.moc"
