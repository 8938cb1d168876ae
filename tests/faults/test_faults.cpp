// FaultInjector: faults run off the caller's thread and land in the timeline with their outcome.

#include <QSignalSpy>
#include <QTest>

#include "core/faults/fault_injector.h"
#include "core/kafka/embedded_cluster.h"

using namespace Qt::StringLiterals;
using namespace hookbench;
using faults::FaultEvent;
using faults::FaultInjector;

class TestFaults final : public QObject
{
    Q_OBJECT

private slots:
    void kafkaFaultsNeedTheEmbeddedCluster();
    void faultsApplyAndAreRecordedInOrder();
    void invalidFaultsAreRecordedWithTheReason();
};

void TestFaults::kafkaFaultsNeedTheEmbeddedCluster()
{
    FaultInjector injector(nullptr, nullptr, {});
    QVERIFY(!injector.hasCluster());
    QVERIFY(injector.brokerIds().isEmpty());
    QSignalSpy recorded(&injector, &FaultInjector::recorded);
    injector.setBrokerDown(1);
    injector.setSimulate(u"stripe"_s, std::nullopt);
    QTRY_COMPARE(recorded.count(), 2);
    const FaultEvent down = recorded.at(0).at(0).value<FaultEvent>();
    QCOMPARE(down.kind, FaultEvent::Kind::BrokerDown);
    QVERIFY(!down.ok);
    QVERIFY2(down.error.contains(u"embedded cluster"_s), qPrintable(down.error));
    const FaultEvent simulate = recorded.at(1).at(0).value<FaultEvent>();
    QVERIFY(!simulate.ok);
    QVERIFY(simulate.error.contains(u"consumer side"_s));
}

void TestFaults::faultsApplyAndAreRecordedInOrder()
{
    auto cluster = kafka::EmbeddedCluster::start(3, 2);
    QVERIFY(cluster);
    QVERIFY((*cluster)->createTopic(u"webhooks.faults"_s, 2));
    FaultInjector injector(cluster->get(), nullptr, {});
    QCOMPARE(injector.brokerIds(), (QList<int>{1, 2, 3}));
    QSignalSpy recorded(&injector, &FaultInjector::recorded);
    injector.setBrokerDown(2);
    injector.setBrokerRtt(3, 150);
    injector.failProduce(3, FaultInjector::kNotEnoughReplicas);
    injector.failFetch(2, FaultInjector::kNotLeader);
    injector.moveLeader(u"webhooks.faults"_s, 1, 3);
    QTRY_COMPARE(recorded.count(), 5);
    const QList<FaultEvent> timeline = injector.timeline();
    QCOMPARE(timeline.size(), 5);
    for (const FaultEvent &e : timeline)
        QVERIFY2(e.ok, qPrintable(e.description % u": "_s % e.error));
    QCOMPARE(timeline.at(0).description, u"broker 2 down"_s);
    QCOMPARE(timeline.at(1).kind, FaultEvent::Kind::Rtt);
    QCOMPARE(timeline.at(2).description, u"next 3 produce requests fail with NOT_ENOUGH_REPLICAS (19)"_s);
    QCOMPARE(timeline.at(3).kind, FaultEvent::Kind::FetchErrors);
    QCOMPARE(timeline.at(4).description, u"leader of webhooks.faults/1 moved to broker 3"_s);
    QVERIFY(timeline.at(0).atMs <= timeline.at(4).atMs);
    QVERIFY(!injector.isBrokerUp(2));
    QVERIFY(injector.isBrokerUp(1));
    QCOMPARE(injector.brokerRttMs(3), 150);

    injector.calm();
    QTRY_VERIFY(injector.isBrokerUp(2));
    QTRY_COMPARE(injector.brokerRttMs(3), 0);
    QCOMPARE(injector.timeline().at(5).description, u"calm preset"_s);
}

void TestFaults::invalidFaultsAreRecordedWithTheReason()
{
    auto cluster = kafka::EmbeddedCluster::start(1, 1);
    QVERIFY(cluster);
    FaultInjector injector(cluster->get(), nullptr, {});
    QSignalSpy recorded(&injector, &FaultInjector::recorded);
    injector.setBrokerDown(7);
    injector.moveLeader(u"webhooks.faults"_s, 0, 4);
    injector.setBrokerRtt(1, -5);
    QTRY_COMPARE(recorded.count(), 3);
    for (const QList<QVariant> &args : std::as_const(recorded)) {
        const FaultEvent e = args.at(0).value<FaultEvent>();
        QVERIFY2(!e.ok, qPrintable(e.description));
        QVERIFY(!e.error.isEmpty());
    }
    QVERIFY(recorded.at(0).at(0).value<FaultEvent>().error.contains(u"No broker 7"_s));
    QVERIFY(injector.isBrokerUp(1));
}

QTEST_GUILESS_MAIN(TestFaults)
#include "test_faults.moc"
