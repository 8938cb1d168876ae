// Tests of ConsumerGroup against librdkafka's mock cluster: settings checks, delivery to the
// handler, commits only after completion, one record in progress per partition, topic selection
// and partition leaders. Committed offsets and watermarks are also read with a plain librdkafka
// client. Rebalances and leaving the group: test_consumer_group_rebalance.cpp.

#include <algorithm>
#include <memory>
#include <numeric>

#include <QHash>
#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <QTimer>

#include "core/kafka/consumer_group.h"
#include "core/kafka/embedded_cluster.h"
#include "core/kafka/producer.h"
#include "tests/consumer/consumer_group_test_support.h"

using namespace Qt::StringLiterals;
using namespace hookbench;
using namespace hookbench::kafka;
using namespace hookbench::kafka::testing;

class ConsumerGroupTest final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void rejectsBadSettings_data();
    void rejectsBadSettings();
    void handlesEveryRecordOnceInKeyOrder();
    void commitsOnlyAfterCompletion();
    void consumesRetryTopicsButNotTheDlq();
    void reportsPartitionLeaders();

private:
    std::unique_ptr<EmbeddedCluster> m_cluster;
};

void ConsumerGroupTest::initTestCase()
{
    auto cluster = EmbeddedCluster::start(3, 6);
    QVERIFY2(cluster.ok(), cluster.ok() ? "" : qPrintable(cluster.error().message));
    m_cluster = std::move(cluster).value();
}

void ConsumerGroupTest::rejectsBadSettings_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("messagePart");

    QTest::newRow("no bootstrap") << u"bootstrap"_s << QString() << u"bootstrap"_s;
    QTest::newRow("empty group id") << u"groupId"_s << u"  "_s << u"group id"_s;
    QTest::newRow("bad pattern") << u"topicPattern"_s << u"^webhooks\\.(["_s << u"^webhooks\\.(["_s;
    QTest::newRow("negative members") << u"memberCount"_s << u"-1"_s << u"-1"_s;
    QTest::newRow("too many members") << u"memberCount"_s << u"33"_s << u"33"_s;
    QTest::newRow("unknown property") << u"property"_s << u"no.such.property"_s << u"no.such.property"_s;
    QTest::newRow("bad property value") << u"property"_s << u"session.timeout.ms"_s << u"session.timeout.ms"_s;
}

void ConsumerGroupTest::rejectsBadSettings()
{
    QFETCH(QString, field);
    QFETCH(QString, value);
    QFETCH(QString, messagePart);

    ConsumerGroupSettings settings;
    settings.bootstrap = m_cluster->bootstrap();
    settings.memberCount = 0;
    if (field == u"bootstrap")
        settings.bootstrap = value;
    else if (field == u"groupId")
        settings.groupId = value;
    else if (field == u"topicPattern")
        settings.topicPattern = value;
    else if (field == u"memberCount")
        settings.memberCount = value.toInt();
    else
        settings.properties.insert(value, u"not-a-number"_s);

    const auto group = ConsumerGroup::create(settings);
    QVERIFY(!group.ok());
    QVERIFY2(group.error().message.contains(messagePart), qPrintable(group.error().message));
}

void ConsumerGroupTest::handlesEveryRecordOnceInKeyOrder()
{
    const QString topic = u"webhooks.orders"_s;
    QVERIFY(m_cluster->createTopic(topic, 6).ok());
    const QList<Produced> produced = produce(m_cluster->bootstrap(), topic, 300, 20);
    QCOMPARE(produced.size(), 300);

    auto group = createGroup(m_cluster->bootstrap(), u"group-once"_s, 2, u"^webhooks\\.orders$"_s);
    QVERIFY(group);
    QCOMPARE(group->topics(), QStringList{topic});
    // Records wait in librdkafka until there is a handler: start once both members have theirs,
    // so no rebalance happens while records are handed out.
    QTRY_VERIFY_WITH_TIMEOUT(everyMemberAssigned(*group, 6), 20000);

    Recorder recorder;
    group->setHandler([&recorder](const ConsumedRecord &record, Completion done) {
        recorder.begin(record);
        recorder.end(record);
        done();
    });
    QTRY_COMPARE_WITH_TIMEOUT(recorder.seen.size(), 300, 20000);

    QHash<Position, Produced> expected;
    for (const Produced &p : produced)
        expected.insert(positionOf(p.topic, p.partition, p.offset), p);
    QSet<Position> positions;
    QHash<QByteArray, QList<int>> sequenceByKey;
    QSet<QString> members;
    for (const ConsumedRecord &record : std::as_const(recorder.seen)) {
        QVERIFY2(!positions.contains(positionOf(record)), "a record was handled twice");
        positions.insert(positionOf(record));
        QVERIFY(expected.contains(positionOf(record)));
        const Produced &original = expected[positionOf(record)];
        QCOMPARE(record.key, original.key);
        QCOMPARE(record.value, original.value);     // exact bytes, NUL and 0xff included
        QCOMPARE(record.headers, original.headers); // order and repeats kept
        QVERIFY(record.timestampMs > 0);
        sequenceByKey[record.key].append(record.headers.first().second.toInt());
        members.insert(record.memberId);
    }
    QCOMPARE(members.size(), 2);
    QCOMPARE(recorder.overlaps, 0);
    for (auto it = sequenceByKey.cbegin(); it != sequenceByKey.cend(); ++it)
        QVERIFY2(std::is_sorted(it->cbegin(), it->cend()), it.key().constData());

    // At the end the group has committed everything: checked by a separate client...
    Probe probe(m_cluster->bootstrap(), u"group-once"_s);
    const QList<qint64> high = probe.highWatermarks(topic, 6);
    QCOMPARE(std::accumulate(high.cbegin(), high.cend(), qint64(0)), qint64(300));
    QTRY_COMPARE_WITH_TIMEOUT(probe.committed(topic, 6), high, 10000);
    // ...and in the group's own state.
    group->refreshNow();
    const ConsumerGroupState state = group->state();
    QCOMPARE(state.partitions.size(), 6);
    for (const PartitionState &partition : state.partitions) {
        QCOMPARE(partition.committed, high.at(partition.partition));
        QCOMPARE(partition.highWatermark, high.at(partition.partition));
        QCOMPARE(partition.lag, qint64(0));
        QVERIFY(!partition.owner.isEmpty());
    }
    QCOMPARE(state.handled, qint64(300));
    QCOMPARE(state.completed, qint64(300));
    QCOMPARE(state.dropped, qint64(0));
}

void ConsumerGroupTest::commitsOnlyAfterCompletion()
{
    const QString topic = u"webhooks.slow"_s;
    QVERIFY(m_cluster->createTopic(topic, 2).ok());
    // One key per partition is not guaranteed by murmur2, so count per partition afterwards.
    const QList<Produced> produced = produce(m_cluster->bootstrap(), topic, 20, 4);
    QCOMPARE(produced.size(), 20);
    QHash<int, int> perPartition;
    for (const Produced &p : produced)
        ++perPartition[p.partition];

    auto group = createGroup(m_cluster->bootstrap(), u"group-slow"_s, 1, u"^webhooks\\.slow$"_s);
    QVERIFY(group);
    Recorder recorder;
    QList<QPair<ConsumedRecord, Completion>> held;
    bool holding = true;
    group->setHandler([&](const ConsumedRecord &record, Completion done) {
        recorder.begin(record);
        if (holding) {
            held.append({record, std::move(done)});
            return;
        }
        // Later: complete a little later, from a timer, like a processor would.
        QTimer::singleShot(20, group.get(), [&recorder, record, done] {
            recorder.end(record);
            done();
        });
    });

    // Exactly one record per partition, however long we wait.
    QTRY_COMPARE_WITH_TIMEOUT(held.size(), int(perPartition.size()), 20000);
    QSignalSpy stateSpy(group.get(), &ConsumerGroup::stateChanged);
    for (int i = 0; i < 3; ++i)
        QVERIFY(stateSpy.wait(3000)); // state refreshes: the member had time to fetch the rest
    QCOMPARE(held.size(), int(perPartition.size()));
    QCOMPARE(recorder.overlaps, 0);
    for (const auto &[record, done] : std::as_const(held))
        QCOMPARE(group->state().partitions.at(record.partition).inFlightOffset, record.offset);

    // Nothing is committed before a completion.
    Probe probe(m_cluster->bootstrap(), u"group-slow"_s);
    QCOMPARE(probe.committed(topic, 2), QList<qint64>(2, -1));

    // The first completion comes from another thread; its offset + 1 is committed, and only
    // then the partition's next record is handed out.
    const ConsumedRecord first = held.first().first;
    Completion firstDone = held.first().second;
    held.removeFirst();
    recorder.end(first);
    const int before = int(recorder.seen.size());
    std::unique_ptr<QThread> thread(QThread::create([firstDone] { firstDone(); }));
    thread->start();
    QVERIFY(thread->wait(5000));
    QTRY_COMPARE_WITH_TIMEOUT(probe.committed(topic, 2).at(first.partition), first.offset + 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(int(recorder.seen.size()), before + 1, 10000);
    QCOMPARE(recorder.seen.last().partition, first.partition);
    QCOMPARE(recorder.seen.last().offset, first.offset + 1);
    QCOMPARE(recorder.overlaps, 0);
    // Calling a completion twice does nothing.
    firstDone();

    // Release everything: completions now arrive later from a timer.
    holding = false;
    const auto rest = std::exchange(held, {});
    for (const auto &[record, done] : rest) {
        QTimer::singleShot(10, group.get(), [&recorder, record = record, done = done] {
            recorder.end(record);
            done();
        });
    }
    QTRY_COMPARE_WITH_TIMEOUT(int(recorder.seen.size()), 20, 20000);
    QCOMPARE(recorder.overlaps, 0);
    QTRY_COMPARE_WITH_TIMEOUT(probe.committed(topic, 2), probe.highWatermarks(topic, 2), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(group->state().dropped == 1 && group->state().completed == 20, 5000);
}

void ConsumerGroupTest::consumesRetryTopicsButNotTheDlq()
{
    for (const QString &topic : {u"webhooks.x"_s, u"webhooks.x.retry.1"_s, u"webhooks.dlq"_s, u"other.topic"_s})
        QVERIFY(m_cluster->createTopic(topic, 2).ok());
    for (const QString &topic : {u"webhooks.x"_s, u"webhooks.x.retry.1"_s, u"webhooks.dlq"_s, u"other.topic"_s})
        QCOMPARE(produce(m_cluster->bootstrap(), topic, 5, 5).size(), 5);

    auto group = createGroup(m_cluster->bootstrap(), u"group-topics"_s, 1, QString());
    QVERIFY(group);
    // Topics from the other tests exist too; this group sees all matching ones.
    const QStringList topics = group->topics();
    QVERIFY(topics.contains(u"webhooks.x"_s));
    QVERIFY(topics.contains(u"webhooks.x.retry.1"_s));
    QVERIFY(!topics.contains(u"webhooks.dlq"_s));
    QVERIFY(!topics.contains(u"other.topic"_s));

    QHash<QString, int> perTopic;
    group->setHandler([&perTopic](const ConsumedRecord &record, Completion done) {
        ++perTopic[record.topic];
        done();
    });
    QTRY_VERIFY_WITH_TIMEOUT(perTopic.value(u"webhooks.x"_s) == 5 && perTopic.value(u"webhooks.x.retry.1"_s) == 5,
                             20000);
    // Give the DLQ every chance to show up: a few more state refreshes.
    QSignalSpy stateSpy(group.get(), &ConsumerGroup::stateChanged);
    for (int i = 0; i < 2; ++i)
        QVERIFY(stateSpy.wait(3000));
    QCOMPARE(perTopic.value(u"webhooks.dlq"_s), 0);
    QCOMPARE(perTopic.value(u"other.topic"_s), 0);
    for (const MemberState &member : group->members()) {
        for (const TopicPartition &tp : member.assigned)
            QVERIFY(tp.topic != u"webhooks.dlq"_s);
    }
    for (const PartitionState &partition : group->partitions())
        QVERIFY(partition.topic != u"webhooks.dlq"_s);
    Probe probe(m_cluster->bootstrap(), u"group-topics"_s);
    QCOMPARE(probe.committed(u"webhooks.dlq"_s, 2), QList<qint64>(2, -1));
    QTRY_COMPARE_WITH_TIMEOUT(probe.committed(u"webhooks.x.retry.1"_s, 2),
                              probe.highWatermarks(u"webhooks.x.retry.1"_s, 2), 10000);
}

void ConsumerGroupTest::reportsPartitionLeaders()
{
    const QString topic = u"webhooks.leaders"_s;
    QVERIFY(m_cluster->createTopic(topic, 6).ok());
    auto group = createGroup(m_cluster->bootstrap(), u"group-leaders"_s, 1, u"^webhooks\\.leaders$"_s);
    QVERIFY(group);

    // Every partition of the topic names one of the cluster's brokers as its leader.
    auto leaders = [&group] {
        QList<int> result;
        const ConsumerGroupState state = group->state();
        for (const PartitionState &partition : state.partitions)
            result.append(partition.leader);
        return result;
    };
    auto allKnown = [&] {
        const QList<int> current = leaders();
        return current.size() == 6 && std::all_of(current.cbegin(), current.cend(), [this](int leader) {
                   return leader >= 1 && leader <= m_cluster->brokerCount();
               });
    };
    QTRY_VERIFY_WITH_TIMEOUT(allKnown(), 15000);
    const QList<PartitionState> partitions = group->partitions();
    for (int p = 0; p < 6; ++p) {
        QCOMPARE(partitions.at(p).topic, topic);
        QCOMPARE(partitions.at(p).partition, p);
    }
    // The same leaders a separate client reads from the cluster's metadata.
    Probe probe(m_cluster->bootstrap(), u"group-leaders"_s);
    QCOMPARE(leaders(), probe.leaders(topic, 6));
}

QTEST_GUILESS_MAIN(ConsumerGroupTest)
#include "test_consumer_group.moc"
