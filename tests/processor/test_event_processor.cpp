// Tests of EventProcessor with real parts: librdkafka's mock cluster, a SQLite file in a
// temporary directory, a producer writing records with the ingest headers, and an HTTP target on
// 127.0.0.1. Covers retries (both strategies) with their backoff, the DLQ envelope, ordering,
// idempotency, records without a handler, the simulate handler and live rebalances.

#include <memory>
#include <optional>

#include <QDateTime>
#include <QHash>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

#include "core/kafka/consumer_group.h"
#include "core/kafka/embedded_cluster.h"
#include "core/kafka/murmur2.h"
#include "core/kafka/producer.h"
#include "core/metrics/metrics_registry.h"
#include "core/processing/event_processor.h"
#include "core/processing/retry_policy.h"
#include "core/store/database.h"
#include "core/store/processing_store.h"
#include "tests/kafka/raw_consumer.h"
#include "tests/processing/scripted_http_server.h"
#include "tests/processor/processor_test_support.h"

using namespace Qt::StringLiterals;
using namespace hookbench;
using namespace hookbench::processing;
using namespace hookbench::tests;

class TestEventProcessor final : public QObject, private ProcessorFixture
{
    Q_OBJECT

public:
    TestEventProcessor() : ProcessorFixture({.partitions = kPartitions, .group = u"test-processors"_s}) {}

private:
    config::Config baseConfig(const RetrySettings &retry) const
    {
        config::Config config = ProcessorFixture::baseConfig();
        config.sources[0].retry = retry;
        return config;
    }

    qint64 subscribe(quint16 port, const QStringList &filter = {}, bool active = true)
    {
        store::TargetRow target;
        target.url = u"http://127.0.0.1:%1/hooks"_s.arg(port);
        target.timeoutMs = 5000;
        const Result<qint64> targetId = m_store->createTarget(target);
        if (!targetId)
            return -1;
        store::SubscriptionRow sub;
        sub.targetId = *targetId;
        sub.active = active;
        if (!filter.isEmpty()) {
            store::FilterRow row;
            row.events = filter;
            const Result<qint64> filterId = m_store->createFilter(row);
            if (!filterId)
                return -1;
            sub.filterId = *filterId;
        }
        const Result<qint64> id = m_store->createSubscription(sub);
        return id ? *id : -1;
    }

    QList<store::AttemptRow> attempts(qint64 journalId)
    {
        const Result<QList<store::AttemptRow>> rows = m_store->attemptsFor(journalId);
        return rows ? *rows : QList<store::AttemptRow>{};
    }

private slots:
    void init();
    void cleanup();

    void transientFailuresRetryThenSucceed_data();
    void transientFailuresRetryThenSucceed();
    void permanentFailureGoesToDlqAtOnce();
    void fatalProducerErrorIsRecoveredFrom();
    void exhaustedRetriesGoToDlq();
    void orderUnderFailures_data();
    void orderUnderFailures();
    void redeliveredRecordIsHandledOnce();
    void redeliveredDeadLetterIsNotSentAgain();
    void recordWithoutHandlerIsProcessed();
    void simulateHandlesRecords();
    void consumersAddedAndRemovedWhileEventsFlow();
    void scheduledRetriesRetryNowAndGiveUp_data();
    void scheduledRetriesRetryNowAndGiveUp();
};

void TestEventProcessor::init()
{
    setUp();
}

void TestEventProcessor::cleanup()
{
    tearDown();
}

void TestEventProcessor::transientFailuresRetryThenSucceed_data()
{
    QTest::addColumn<RetrySettings::Strategy>("strategy");
    QTest::addColumn<int>("failures");
    QTest::newRow("blocking, 2 failures") << RetrySettings::Strategy::Blocking << 2;
    QTest::newRow("topics, 2 failures") << RetrySettings::Strategy::Topics << 2;
}

void TestEventProcessor::transientFailuresRetryThenSucceed()
{
    QFETCH(RetrySettings::Strategy, strategy);
    QFETCH(int, failures);
    FlakyTarget target(failures);
    QVERIFY(target.server.listen());
    const qint64 subscriptionId = subscribe(target.server.port());
    QVERIFY(subscriptionId > 0);

    RetrySettings retry;
    retry.strategy = strategy;
    retry.baseMs = 400;
    retry.capMs = 2000;
    retry.maxAttempts = 5;
    retry.timeScale = 2.0; // delays of at most 200 ms, then 400 ms
    auto processor = startProcessor(baseConfig(retry));
    QVERIFY(processor);
    QSignalSpy activity(processor.get(), &EventProcessor::activity);

    const Event e = makeEvent(7, "cus_1");
    QVERIFY(produce({e}));
    QTRY_COMPARE_WITH_TIMEOUT(processor->stats().processed, 1, 20000);

    QCOMPARE(target.server.requests.size(), failures + 1);
    for (const RecordedRequest &req : std::as_const(target.server.requests)) {
        QCOMPARE(req.body, e.body);
        QCOMPARE(req.header("hookbench-idempotency-key"), e.idempotencyKey);
    }
    QCOMPARE(target.server.requests.last().header("hookbench-attempt"), QByteArray::number(failures + 1));

    const QList<store::AttemptRow> rows = attempts(e.journalId);
    QCOMPARE(rows.size(), failures + 1);
    const RetryPolicy policy(retry, SystemClock::instance());
    for (int i = 0; i < rows.size(); ++i) {
        const store::AttemptRow &row = rows.at(i);
        QCOMPARE(row.attempt, i + 1);
        QCOMPARE(row.subscriptionId, subscriptionId);
        QCOMPARE(row.idempotencyKey, e.idempotencyKey);
        QVERIFY(!row.consumer.isEmpty());
        if (strategy == RetrySettings::Strategy::Blocking || i == 0)
            QCOMPARE(row.topic, kTopic);
        else // the n-th retry is read from retry.<n>
            QCOMPARE(row.topic, kTopic % u".retry."_s % QString::number(i));
        if (i < failures) {
            QCOMPARE(row.outcome, store::AttemptOutcome::Transient);
            QCOMPARE(row.httpStatus, 503);
            // Full jitter: the wait is in [0, ceiling / time_scale], measured from the failure.
            const qint64 backoff = row.nextDueAtMs - row.finishedAtMs;
            QVERIFY2(backoff >= 0 && backoff <= qint64(double(policy.ceilingMs(i + 1)) / retry.timeScale) + 20,
                     qPrintable(u"attempt %1 backoff %2 ms"_s.arg(i + 1).arg(backoff)));
            // The next attempt did not start before it was due.
            QVERIFY(rows.at(i + 1).startedAtMs >= row.nextDueAtMs);
        } else {
            QCOMPARE(row.outcome, store::AttemptOutcome::Success);
            QCOMPARE(row.nextDueAtMs, 0);
        }
    }

    QCOMPARE(processor->stats().retries, failures);
    QCOMPARE(processor->stats().attempts, failures + 1);
    QCOMPARE(processedIds(), QList<qint64>{e.journalId});
    QCOMPARE(m_metrics->counterValue(u"delivery_attempts_total"_s, {{u"outcome"_s, u"transient"_s}}), double(failures));
    QCOMPARE(m_metrics->counterValue(u"delivery_attempts_total"_s, {{u"outcome"_s, u"success"_s}}), 1.0);
    QCOMPARE(m_metrics->counterValue(u"events_retried_total"_s, {{u"source"_s, kSource}}), double(failures));
    QCOMPARE(m_metrics->counterValue(u"events_processed_total"_s, {{u"source"_s, kSource}}), 1.0);

    QTRY_COMPARE_WITH_TIMEOUT(countKind(flatten(activity), ProcessingActivity::Kind::Succeeded), 1, 2000);
    const QList<ProcessingActivity> all = flatten(activity);
    QCOMPARE(countKind(all, ProcessingActivity::Kind::Retrying), failures);
    QCOMPARE(countKind(all, ProcessingActivity::Kind::Started), failures + 1);
    for (const ProcessingActivity &a : all) {
        QCOMPARE(a.journalId, e.journalId);
        QCOMPARE(a.entityKey, e.entityKey);
        if (a.kind == ProcessingActivity::Kind::Retrying) {
            QVERIFY(a.nextDueAtMs > 0);
            QVERIFY(a.error.contains(u"503"_s));
        }
    }
}

void TestEventProcessor::fatalProducerErrorIsRecoveredFrom()
{
    FlakyTarget target(1000, 400);
    QVERIFY(target.server.listen());
    QVERIFY(subscribe(target.server.port()) > 0);
    RetrySettings retry;
    retry.baseMs = 10;
    auto processor = startProcessor(baseConfig(retry));
    QVERIFY(processor);

    const Event e = makeEvent(12, "cus_fatal");
    QVERIFY(produce({e})); // delivered: the next ProduceRequest is the processor's dead letter
    // The head-of-line ProduceRequest of an idempotent producer failing with
    // OUT_OF_ORDER_SEQUENCE_NUMBER is fatal: without recreating the producer the dead letter
    // would be sent again every second, forever.
    QVERIFY(m_cluster->failNextRequests(0, {45}));
    QTRY_COMPARE_WITH_TIMEOUT(m_metrics->counterTotal(u"kafka_producer_recreated_total"_s), 1.0, 20000);
    QCOMPARE(m_metrics->counterTotal(u"kafka_producer_fatal_errors_total"_s), 1.0);
    QTRY_COMPARE_WITH_TIMEOUT(processor->stats().deadLettered, 1, 20000);
    const auto letters = m_store->listDeadLetters(std::nullopt, 0);
    QVERIFY(letters);
    QCOMPARE(letters->size(), 1);
    QCOMPARE(letters->first().journalId, e.journalId);
}

void TestEventProcessor::permanentFailureGoesToDlqAtOnce()
{
    FlakyTarget target(1000, 400);
    QVERIFY(target.server.listen());
    QVERIFY(subscribe(target.server.port()) > 0);
    RetrySettings retry;
    retry.baseMs = 10;
    auto processor = startProcessor(baseConfig(retry));
    QVERIFY(processor);
    QSignalSpy activity(processor.get(), &EventProcessor::activity);

    const Event e = makeEvent(11, "cus_9");
    QVERIFY(produce({e}));
    QTRY_COMPARE_WITH_TIMEOUT(processor->stats().deadLettered, 1, 20000);
    QCOMPARE(target.server.requests.size(), 1); // no retry for a 4xx
    QCOMPARE(processor->stats().processed, 0);
    QCOMPARE(processor->stats().retries, 0);
    QVERIFY(processedIds().isEmpty());

    const QList<store::AttemptRow> rows = attempts(e.journalId);
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows.first().outcome, store::AttemptOutcome::Permanent);
    QCOMPARE(rows.first().httpStatus, 400);
    QCOMPARE(rows.first().nextDueAtMs, 0);

    // The dlq row: the original record byte for byte and why it died.
    const auto letters = m_store->listDeadLetters(std::nullopt, 0);
    QVERIFY(letters);
    QCOMPARE(letters->size(), 1);
    const store::DeadLetterRow &row = letters->first();
    QCOMPARE(row.journalId, e.journalId);
    QCOMPARE(row.source, kSource);
    QCOMPARE(row.topic, kTopic);
    QCOMPARE(row.key, e.entityKey);
    QCOMPARE(row.value, e.body);
    QCOMPARE(row.headers, ingestHeaders(e));
    QCOMPARE(row.errorClass, u"permanent"_s);
    QVERIFY(row.error.contains(u"400"_s));
    QCOMPARE(row.attempts, 1);
    QVERIFY(row.firstFailureAtMs > 0);
    QCOMPARE(row.lastFailureAtMs, row.firstFailureAtMs);
    QVERIFY(!row.consumer.isEmpty());

    // The envelope on webhooks.dlq, read by a separate client.
    QString error;
    auto consumer = kafka::test::newConsumer(m_cluster->bootstrap(), &error);
    QVERIFY2(consumer, qPrintable(error));
    const auto records = kafka::test::readBack(consumer.get(), "webhooks.dlq", kPartitions, 1);
    QCOMPARE(records.size(), 1);
    const kafka::test::Consumed &dlq = records.first();
    QCOMPARE(dlq.key, e.entityKey);
    QCOMPARE(dlq.value, e.body);
    http::HeaderList expected = ingestHeaders(e);
    expected += http::HeaderList{
        {"hookbench-dlq-original-topic", kTopic.toUtf8()},
        {"hookbench-dlq-original-partition", QByteArray::number(row.partition)},
        {"hookbench-dlq-original-offset", QByteArray::number(row.offset)},
        {"hookbench-dlq-error", row.error.toUtf8()},
        {"hookbench-dlq-error-class", "permanent"},
        {"hookbench-dlq-attempts", "1"},
        {"hookbench-dlq-first-failure-at", QByteArray::number(row.firstFailureAtMs)},
        {"hookbench-dlq-last-failure-at", QByteArray::number(row.lastFailureAtMs)},
        {"hookbench-dlq-consumer", row.consumer.toUtf8()},
    };
    QCOMPARE(dlq.headers, expected);
    QVERIFY(row.partition >= 0 && row.offset == 0);

    QCOMPARE(m_metrics->counterValue(u"dlq_events_total"_s, {{u"source"_s, kSource}, {u"error"_s, u"permanent"_s}}),
             1.0);
    QCOMPARE(m_metrics->counterValue(u"delivery_attempts_total"_s, {{u"outcome"_s, u"permanent"_s}}), 1.0);
    QTRY_COMPARE_WITH_TIMEOUT(countKind(flatten(activity), ProcessingActivity::Kind::DeadLettered), 1, 2000);
    for (const ProcessingActivity &a : flatten(activity)) {
        if (a.kind == ProcessingActivity::Kind::DeadLettered)
            QCOMPARE(a.deadLetterId, row.id);
    }
}

void TestEventProcessor::exhaustedRetriesGoToDlq()
{
    FlakyTarget target(1000); // 503 every time
    QVERIFY(target.server.listen());
    QVERIFY(subscribe(target.server.port()) > 0);
    RetrySettings retry;
    retry.baseMs = 50;
    retry.maxAttempts = 3;
    auto processor = startProcessor(baseConfig(retry));
    QVERIFY(processor);

    const Event e = makeEvent(12, "cus_3");
    QVERIFY(produce({e}));
    QTRY_COMPARE_WITH_TIMEOUT(processor->stats().deadLettered, 1, 20000);
    QCOMPARE(target.server.requests.size(), 3);
    QCOMPARE(processor->stats().retries, 2);
    const QList<store::AttemptRow> rows = attempts(e.journalId);
    QCOMPARE(rows.size(), 3);
    QVERIFY(rows.at(0).nextDueAtMs > 0);
    QVERIFY(rows.at(1).nextDueAtMs > 0);
    QCOMPARE(rows.at(2).nextDueAtMs, 0); // no retry after the last one
    const auto letters = m_store->listDeadLetters(std::nullopt, 0);
    QVERIFY(letters);
    QCOMPARE(letters->size(), 1);
    QCOMPARE(letters->first().errorClass, u"transient"_s);
    QCOMPARE(letters->first().attempts, 3);
    QVERIFY(letters->first().error.startsWith(u"attempts exhausted after 3"_s));
    QCOMPARE(letters->first().firstFailureAtMs, rows.at(0).finishedAtMs);
    QCOMPARE(letters->first().lastFailureAtMs, rows.at(2).finishedAtMs);
    QCOMPARE(m_metrics->counterValue(u"dlq_events_total"_s, {{u"source"_s, kSource}, {u"error"_s, u"exhausted"_s}}),
             1.0);
    QVERIFY(processedIds().isEmpty());
}

void TestEventProcessor::orderUnderFailures_data()
{
    QTest::addColumn<RetrySettings::Strategy>("strategy");
    QTest::newRow("blocking keeps order") << RetrySettings::Strategy::Blocking;
    QTest::newRow("retry topics break it") << RetrySettings::Strategy::Topics;
}

void TestEventProcessor::orderUnderFailures()
{
    QFETCH(RetrySettings::Strategy, strategy);
    // The first two requests fail and ask for a pause (Retry-After is a lower bound): the retries
    // of events 1 and 2 cannot come before events 3 and 4, whatever the jitter draws — as long
    // as 3 and 4 take less than the pause, so it is long enough for a loaded machine.
    FlakyTarget target(2, 503, {{"Retry-After", "4"}});
    QVERIFY(target.server.listen());
    QVERIFY(subscribe(target.server.port()) > 0);
    RetrySettings retry;
    retry.strategy = strategy;
    retry.baseMs = 100;
    retry.capMs = 8000;
    retry.maxAttempts = 4;
    retry.timeScale = 2.0; // Retry-After 4 s waits 2 s
    auto processor = startProcessor(baseConfig(retry));
    QVERIFY(processor);

    // One entity: one partition, in this order.
    const QList<Event> events = {makeEvent(1, "cus_1"), makeEvent(2, "cus_1"), makeEvent(3, "cus_1"),
                                 makeEvent(4, "cus_1")};
    QVERIFY(produce(events));
    QTRY_COMPARE_WITH_TIMEOUT(processor->stats().processed, 4, 20000);
    QCOMPARE(processor->stats().deadLettered, 0);
    const QList<qint64> order = processedIds();
    QCOMPARE(order.size(), 4);
    QCOMPARE(QSet<qint64>(order.begin(), order.end()), (QSet<qint64>{1, 2, 3, 4}));

    if (strategy == RetrySettings::Strategy::Blocking) {
        QCOMPARE(order, (QList<qint64>{1, 2, 3, 4}));
        QCOMPARE(attempts(1).size(), 3);
        return;
    }
    // Event 1 failed, went to retry.1, and event 2 (failing too) and the rest overtook it.
    QVERIFY2(order != (QList<qint64>{1, 2, 3, 4}), "retry topics kept the order");
    QCOMPARE(order.mid(0, 2), (QList<qint64>{3, 4}));
    QString error;
    auto consumer = kafka::test::newConsumer(m_cluster->bootstrap(), &error);
    QVERIFY2(consumer, qPrintable(error));
    const auto copies = kafka::test::readBack(consumer.get(), "webhooks.shop.retry.1", kPartitions, 2);
    QCOMPARE(copies.size(), 2);
    QList<qint64> copied;
    for (const kafka::test::Consumed &c : copies) {
        QCOMPARE(c.key, QByteArray("cus_1"));
        QByteArray attempt, originalTopic, pending;
        for (const auto &[name, value] : c.headers) {
            if (name == "hookbench-attempt")
                attempt = value;
            else if (name == "hookbench-original-topic")
                originalTopic = value;
            else if (name == "hookbench-pending-subscriptions")
                pending = value;
            else if (name == "hookbench-journal-id")
                copied.append(value.toLongLong());
        }
        QCOMPARE(attempt, QByteArray("2"));
        QCOMPARE(originalTopic, kTopic.toUtf8());
        QVERIFY(!pending.isEmpty());
    }
    QCOMPARE(copied, (QList<qint64>{1, 2}));
}

void TestEventProcessor::redeliveredRecordIsHandledOnce()
{
    FlakyTarget target(0);
    QVERIFY(target.server.listen());
    QVERIFY(subscribe(target.server.port()) > 0);
    auto processor = startProcessor(baseConfig(RetrySettings{}));
    QVERIFY(processor);
    QSignalSpy activity(processor.get(), &EventProcessor::activity);

    const Event e = makeEvent(21, "cus_2");
    QVERIFY(produce({e, e})); // the same idempotency key twice, e.g. an outbox re-produce
    QTRY_COMPARE_WITH_TIMEOUT(processor->stats().redelivered, 1, 20000);
    QCOMPARE(processor->stats().processed, 1);
    QCOMPARE(target.server.requests.size(), 1);
    QCOMPARE(attempts(e.journalId).size(), 1);
    QCOMPARE(processedIds(), QList<qint64>{e.journalId});
    QCOMPARE(m_metrics->counterValue(u"events_redelivered_total"_s, {{u"source"_s, kSource}}), 1.0);
    QTRY_COMPARE_WITH_TIMEOUT(countKind(flatten(activity), ProcessingActivity::Kind::Redelivered), 1, 2000);
    QCOMPARE(countKind(flatten(activity), ProcessingActivity::Kind::Succeeded), 1);
    QTRY_COMPARE_WITH_TIMEOUT(processor->stats().inProgress, 0, 2000);
}

// A record read again after it was dead-lettered (its partition moved before the commit, or the
// outbox produced it twice) is a redelivery: no second request, no second letter.
void TestEventProcessor::redeliveredDeadLetterIsNotSentAgain()
{
    FlakyTarget target(1000, 400); // permanent failure
    QVERIFY(target.server.listen());
    QVERIFY(subscribe(target.server.port()) > 0);
    auto processor = startProcessor(baseConfig(RetrySettings{}));
    QVERIFY(processor);

    const Event e = makeEvent(22, "cus_2");
    QVERIFY(produce({e}));
    QTRY_COMPARE_WITH_TIMEOUT(processor->stats().deadLettered, 1, 20000);
    QVERIFY(produce({e})); // the same record again: same journal id and key
    QTRY_COMPARE_WITH_TIMEOUT(processor->stats().redelivered, 1, 20000);
    QCOMPARE(processor->stats().deadLettered, 1);
    QCOMPARE(target.server.requests.size(), 1);
    QCOMPARE(attempts(e.journalId).size(), 1);
    const auto letters = m_store->listDeadLetters(std::nullopt, 0);
    QVERIFY(letters);
    QCOMPARE(letters->size(), 1);
}

void TestEventProcessor::recordWithoutHandlerIsProcessed()
{
    FlakyTarget target(0);
    QVERIFY(target.server.listen());
    // Neither subscription applies: one filters other event types, one is inactive.
    QVERIFY(subscribe(target.server.port(), {u"invoice.*"_s}) > 0);
    QVERIFY(subscribe(target.server.port(), {}, false) > 0);
    auto processor = startProcessor(baseConfig(RetrySettings{}));
    QVERIFY(processor);
    QSignalSpy activity(processor.get(), &EventProcessor::activity);

    QVERIFY(produce({makeEvent(31, "a"), makeEvent(32, "b"), makeEvent(33, "c")}));
    QTRY_COMPARE_WITH_TIMEOUT(processor->stats().processed, 3, 20000);
    QCOMPARE(target.server.requests.size(), 0);
    QCOMPARE(processor->stats().attempts, 0);
    QVERIFY(attempts(31).isEmpty());
    QCOMPARE(processedIds().size(), 3);
    QTRY_COMPARE_WITH_TIMEOUT(countKind(flatten(activity), ProcessingActivity::Kind::NoHandler), 3, 2000);
    QCOMPARE(m_metrics->counterValue(u"events_processed_total"_s, {{u"source"_s, kSource}}), 3.0);
    QCOMPARE(ProcessingActivity::kindName(ProcessingActivity::Kind::NoHandler), u"no_handler"_s);
    QCOMPARE(ProcessingActivity::kindName(ProcessingActivity::Kind::DeadLettered), u"dead_lettered"_s);
}

void TestEventProcessor::simulateHandlesRecords()
{
    config::Config config = baseConfig(RetrySettings{});
    SimulateSettings simulate;
    simulate.failingKeys = {u"cus_bad"_s};
    simulate.failure = ErrorClass::Permanent;
    config.sources[0].simulate = simulate;
    auto processor = startProcessor(config);
    QVERIFY(processor);

    QVERIFY(produce({makeEvent(41, "cus_ok"), makeEvent(42, "cus_bad")}));
    QTRY_COMPARE_WITH_TIMEOUT(processor->stats().processed + processor->stats().deadLettered, 2, 20000);
    QCOMPARE(processedIds(), QList<qint64>{41});
    const QList<store::AttemptRow> ok = attempts(41);
    QCOMPARE(ok.size(), 1);
    QCOMPARE(ok.first().subscriptionId, 0);
    QCOMPARE(ok.first().outcome, store::AttemptOutcome::Success);
    const QList<store::AttemptRow> bad = attempts(42);
    QCOMPARE(bad.size(), 1);
    QCOMPARE(bad.first().outcome, store::AttemptOutcome::Permanent);
    const auto letters = m_store->listDeadLetters(std::nullopt, 0);
    QVERIFY(letters);
    QCOMPARE(letters->size(), 1);
    QCOMPARE(letters->first().journalId, 42);
    QVERIFY(letters->first().error.startsWith(u"simulate: "_s));
}

void TestEventProcessor::consumersAddedAndRemovedWhileEventsFlow()
{
    FlakyTarget target(0);
    QVERIFY(target.server.listen());
    QVERIFY(subscribe(target.server.port()) > 0);
    auto processor = startProcessor(baseConfig(RetrySettings{}));
    QVERIFY(processor);

    QList<Event> events;
    for (int i = 1; i <= 45; ++i)
        events.append(makeEvent(100 + i, "cus_" + QByteArray::number(i % 9)));
    const auto batch = [&events](int from, int count) { return events.mid(from, count); };

    QVERIFY(produce(batch(0, 15)));
    QTRY_VERIFY_WITH_TIMEOUT(processor->stats().processed >= 5, 20000);
    const auto rebalancesBefore = processor->snapshot().rebalances.size();

    QVERIFY(processor->setConsumerCount(2));
    QVERIFY(produce(batch(15, 15)));
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            const kafka::ConsumerGroupState s = processor->snapshot();
            return s.members.size() == 2 && !s.members.at(0).assigned.isEmpty() && !s.members.at(1).assigned.isEmpty();
        }(),
        20000);

    QVERIFY(processor->setConsumerCount(1));
    QVERIFY(produce(batch(30, 15)));
    QTRY_COMPARE_WITH_TIMEOUT(processor->stats().processed, qint64(events.size()), 30000);
    QTRY_COMPARE_WITH_TIMEOUT(processor->snapshot().members.size(), 1, 10000);
    QVERIFY(processor->snapshot().rebalances.size() >= rebalancesBefore + 2);
    QVERIFY(!processor->setConsumerCount(-1));
    QVERIFY(!processor->setConsumerCount(kafka::ConsumerGroup::kMaxMembers + 1));

    // Exactly once in effect: every event processed once, one successful attempt each, however
    // the partitions moved meanwhile.
    const QList<qint64> order = processedIds();
    QCOMPARE(order.size(), events.size());
    QCOMPARE(QSet<qint64>(order.begin(), order.end()).size(), events.size());
    QHash<QByteArray, int> requestsPerKey;
    for (const RecordedRequest &req : std::as_const(target.server.requests))
        ++requestsPerKey[req.header("hookbench-idempotency-key")];
    for (const Event &e : std::as_const(events)) {
        QCOMPARE(attempts(e.journalId).size(), 1);
        QCOMPARE(requestsPerKey.value(e.idempotencyKey), 1);
    }
    QVERIFY(m_metrics->renderPrometheus().contains("consumer_lag{"));
    processor->stop(5000);
    QCOMPARE(processor->stats().inProgress, 0);
}

void TestEventProcessor::scheduledRetriesRetryNowAndGiveUp_data()
{
    QTest::addColumn<RetrySettings::Strategy>("strategy");
    QTest::newRow("blocking") << RetrySettings::Strategy::Blocking;
    QTest::newRow("topics") << RetrySettings::Strategy::Topics;
}

// A retry due in an hour is listed with its attempt, due time and last error; "retry now" runs it
// at once (the target then answers 200), and "give up" dead-letters the other one now.
void TestEventProcessor::scheduledRetriesRetryNowAndGiveUp()
{
    QFETCH(RetrySettings::Strategy, strategy);
    // The first attempt of each of the two records fails with 503 and Retry-After: an hour. The
    // policy's full jitter alone could pick any delay down to 0; Retry-After is its floor, so
    // only the actions can make the retries run in this test.
    FlakyTarget target(2, 503, {{"Retry-After", "3600"}});
    QVERIFY(target.server.listen());
    QVERIFY(subscribe(target.server.port()) > 0);
    RetrySettings retry;
    retry.strategy = strategy;
    retry.baseMs = 3'600'000;
    retry.capMs = 3'600'000;
    retry.maxAttempts = 5;
    auto processor = startProcessor(baseConfig(retry));
    QVERIFY(processor);

    // Two entities on different partitions, so under the blocking strategy neither waits behind
    // the other; under retry topics the copies may share a retry partition and come one by one.
    const QByteArray keyA = "cus_retry_a";
    QByteArray keyB;
    for (int i = 0;
         keyB.isEmpty() || kafka::murmur2Partition(keyB, kPartitions) == kafka::murmur2Partition(keyA, kPartitions);
         ++i)
        keyB = "cus_retry_b" + QByteArray::number(i);
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    QVERIFY(produce({makeEvent(51, keyA), makeEvent(52, keyB)}));
    QTRY_VERIFY_WITH_TIMEOUT(!processor->scheduledRetries().isEmpty(), 30000);
    // Both first attempts must have reached the target before "retry now": the target fails its
    // first two requests, whichever record sends them, and a retry that came second would fail.
    QTRY_COMPARE_WITH_TIMEOUT(target.server.requests.size(), 2, 30000);
    auto check = [&](const ScheduledRetry &r) {
        QCOMPARE(r.attempt, 2);
        QVERIFY2(r.dueAtMs > before + 1'000'000, qPrintable(QString::number(r.dueAtMs - before)));
        QVERIFY2(r.lastError.contains(u"503"_s), qPrintable(r.lastError));
        QCOMPARE(r.strategy, strategy == RetrySettings::Strategy::Blocking ? ScheduledRetry::Strategy::Blocking
                                                                           : ScheduledRetry::Strategy::RetryTopic);
    };
    const ScheduledRetry retried = processor->scheduledRetries().constFirst();
    check(retried);
    if (QTest::currentTestFailed())
        return;
    QObject context;
    std::optional<Result<void>> answer;
    processor->retryNow(retried.jobId, &context, [&answer](const Result<void> &r) { answer = r; });
    QTRY_VERIFY_WITH_TIMEOUT(answer.has_value(), 5000);
    QVERIFY(answer->ok());
    QTRY_VERIFY_WITH_TIMEOUT(processedIds().contains(retried.journalId), 15000);
    QCOMPARE(attempts(retried.journalId).size(), 2);

    const qint64 otherId = retried.journalId == 51 ? 52 : 51;
    auto waitingOther = [&]() -> std::optional<ScheduledRetry> {
        for (const ScheduledRetry &r : processor->scheduledRetries()) {
            if (r.journalId == otherId)
                return r;
        }
        return std::nullopt;
    };
    QTRY_VERIFY_WITH_TIMEOUT(waitingOther().has_value(), 30000);
    const ScheduledRetry givenUp = *waitingOther();
    check(givenUp);
    if (QTest::currentTestFailed())
        return;
    answer.reset();
    processor->giveUp(givenUp.jobId, &context, [&answer](const Result<void> &r) { answer = r; });
    QTRY_VERIFY_WITH_TIMEOUT(answer.has_value(), 5000);
    QVERIFY(answer->ok());
    QTRY_COMPARE_WITH_TIMEOUT(processor->stats().deadLettered, 1, 15000);
    const auto letters = m_store->listDeadLetters(std::nullopt, 0);
    QVERIFY(letters && letters->size() == 1);
    QCOMPARE(letters->first().journalId, givenUp.journalId);
    QCOMPARE(letters->first().attempts, 1);
    QVERIFY2(letters->first().error.startsWith(u"given up by the user after 1 attempts: "_s),
             qPrintable(letters->first().error));
    QTRY_VERIFY_WITH_TIMEOUT(processor->scheduledRetries().isEmpty(), 5000);

    // A job that is no longer waiting: not_found.
    answer.reset();
    processor->retryNow(givenUp.jobId, &context, [&answer](const Result<void> &r) { answer = r; });
    QTRY_VERIFY_WITH_TIMEOUT(answer.has_value(), 5000);
    QVERIFY(!answer->ok());
    QCOMPARE(answer->error().code, u"not_found"_s);
}

QTEST_GUILESS_MAIN(TestEventProcessor)
#include "test_event_processor.moc"
