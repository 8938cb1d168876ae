// The Faults pane on real pipelines: each fault, clicked in the pane, changes what the pipeline
// reports — broker down: webhooks answered 202 queued, produced and processed after the broker is
// back, none lost; round-trip delay: produce latency grows; produce errors: the error metric;
// leader move: the partition's leader as the consumers see it; simulate failures: retries and
// dead letters.

#include <memory>

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

#include "core/faults/fault_injector.h"
#include "core/kafka/consumer_group_state.h"
#include "core/metrics/metrics_registry.h"
#include "core/processing/event_processor.h"
#include "core/scenario/scenario_runner.h"
#include "core/store/journal_query.h"
#include "core/store/processing_query.h"
#include "ui/panes/faults_pane.h"
#include "ui_test_support.h"

using namespace Qt::StringLiterals;
using namespace hookbench;

namespace {

constexpr int kTimeoutMs = 60'000;

const QByteArray kConfig = R"({
    "sources": [
        {"name": "stripe", "provider": "stripe", "secrets": ["whsec_ui_test_secret"]},
        {"name": "plain", "provider": "none"}
    ],
    "kafka": {"mode": "embedded", "brokers": 1, "partitions": 2, "produce_wait_ms": 1000},
    "consumers": {"count": 2},
    "retry": {"strategy": "blocking", "base_ms": 10, "cap_ms": 50, "max_attempts": 3},
    "listen": "127.0.0.1:0"
})";

const QByteArray kThreeBrokers = R"({
    "sources": [{"name": "stripe", "provider": "stripe", "secrets": ["whsec_ui_test_secret"]}],
    "kafka": {"mode": "embedded", "brokers": 3, "partitions": 2},
    "consumers": {"count": 1},
    "listen": "127.0.0.1:0"
})";

void saveShot(QWidget &widget, const QString &name)
{
    const QString dir = qEnvironmentVariable("HOOKBENCH_SCREENSHOT_DIR");
    if (!dir.isEmpty())
        widget.grab().save(dir % u'/' % name);
}

// (sum, count) of the produce latency histogram from the Prometheus text.
QPair<double, double> produceLatency(const metrics::MetricsRegistry &metrics)
{
    const QString text = QString::fromUtf8(metrics.renderPrometheus());
    auto value = [&text](const QString &name) {
        const QRegularExpression re(u"^"_s % name % u"(?:\\{[^}]*\\})? (\\S+)$"_s, QRegularExpression::MultilineOption);
        const auto match = re.match(text);
        return match.hasMatch() ? match.captured(1).toDouble() : 0.0;
    };
    return {value(u"webhook_produce_latency_ms_sum"_s), value(u"webhook_produce_latency_ms_count"_s)};
}

int leaderOf(processing::EventProcessor *processor, const QString &topic, int partition)
{
    for (const kafka::PartitionState &p : processor->snapshot().partitions) {
        if (p.topic == topic && p.partition == partition)
            return p.leader;
    }
    return -1;
}

} // namespace

class TestUiFaults final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void brokerDownQueuesThenProducesWithoutLoss();
    void scenarioAcrossABrokerOutageLosesNothing();
    void roundTripDelayGrowsProduceLatency();
    void produceErrorsShowInTheErrorMetric();
    void simulateFailuresRetryThenDeadLetter();
    void chaosAndCalm();
    void leaderMoveShowsTheNewLeader();

private:
    template <typename T>
    T *child(const QString &name)
    {
        return m_pane->findChild<T *>(name);
    }
    int timelineCount() const { return m_pane->findChild<QTreeWidget *>(u"faultTimeline"_s)->topLevelItemCount(); }
    QTreeWidgetItem *lastFault() const
    {
        auto *tree = m_pane->findChild<QTreeWidget *>(u"faultTimeline"_s);
        return tree->topLevelItem(tree->topLevelItemCount() - 1);
    }
    // Clicks and waits for the fault to be in the timeline as applied.
    bool click(const QString &button);

    QTemporaryDir m_dir;
    std::unique_ptr<pipeline::IngestPipeline> m_pipeline;
    std::unique_ptr<ui::FaultsPane> m_pane;
    int m_eventCounter = 0;
};

void TestUiFaults::initTestCase()
{
    m_pipeline = uitest::startPipeline(m_dir.path(), kConfig);
    QVERIFY(m_pipeline);
    m_pane = std::make_unique<ui::FaultsPane>(*m_pipeline);
    m_pane->resize(1400, 300); // a bottom dock of the 1500 px wide window
    m_pane->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_pane.get()));
}

void TestUiFaults::cleanupTestCase()
{
    m_pane.reset();
    if (m_pipeline)
        m_pipeline->stop(5000);
}

bool TestUiFaults::click(const QString &name)
{
    auto *button = child<QPushButton>(name);
    if (!button)
        return false;
    const int before = timelineCount();
    button->click();
    if (!QTest::qWaitFor([&] { return timelineCount() > before; }, kTimeoutMs))
        return false;
    return lastFault()->text(2) == u"applied"_s;
}

void TestUiFaults::brokerDownQueuesThenProducesWithoutLoss()
{
    const quint16 port = m_pipeline->port();
    QList<qint64> acknowledged;
    int answered200 = 0, answered202 = 0;
    auto send = [&] {
        const RawResponse r =
            uitest::postStripe(port, uitest::stripeEvent("evt_fault_" + QByteArray::number(++m_eventCounter)));
        if (r.status == 200)
            ++answered200;
        else if (r.status == 202)
            ++answered202;
        if (r.status == 200 || r.status == 202)
            acknowledged << uitest::journalId(r);
        return r;
    };
    for (int i = 0; i < 5; ++i)
        QCOMPARE(send().status, 200);

    QVERIFY(click(u"brokerDown1"_s));
    QCOMPARE(lastFault()->text(1), u"broker 1 down"_s);
    QTRY_COMPARE_WITH_TIMEOUT(child<QLabel>(u"brokerState1"_s)->text(), u"down"_s, kTimeoutMs);
    QVERIFY(!m_pane->injector()->isBrokerUp(1));
    for (int i = 0; i < 6; ++i) {
        const RawResponse r = send();
        QCOMPARE(r.status, 202);
        QVERIFY(r.body.contains("\"queued\""));
    }

    QVERIFY(click(u"brokerUp1"_s));
    QTRY_COMPARE_WITH_TIMEOUT(child<QLabel>(u"brokerState1"_s)->text(), u"up"_s, kTimeoutMs);
    for (int i = 0; i < 5; ++i)
        send(); // after up: 200, or 202 while the producer reconnects; counted either way

    auto journal = store::JournalQuery::open(m_pipeline->databasePath());
    auto processing = store::ProcessingQuery::open(m_pipeline->databasePath());
    QVERIFY(journal && processing);
    auto producedCount = [&] {
        int produced = 0;
        for (qint64 id : std::as_const(acknowledged)) {
            auto e = (*journal)->entry(id);
            produced += (e && *e && (**e).kafkaState == store::KafkaState::Produced) ? 1 : 0;
        }
        return produced;
    };
    auto processedCount = [&] {
        auto statuses = (*processing)->statusOf(acknowledged);
        int done = 0;
        if (statuses) {
            for (const auto &s : std::as_const(*statuses))
                done += s.state == store::ProcessingState::Done ? 1 : 0;
        }
        return done;
    };
    QTRY_COMPARE_WITH_TIMEOUT(producedCount(), int(acknowledged.size()), kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(processedCount(), int(acknowledged.size()), kTimeoutMs);
    QVERIFY(answered202 >= 6);
    qInfo("broker down/up: %d acknowledged (%d answered 200, %d answered 202 queued), %d produced, %d processed",
          int(acknowledged.size()), answered200, answered202, producedCount(), processedCount());
}

void TestUiFaults::scenarioAcrossABrokerOutageLosesNothing()
{
    // A scenario sent while the only broker is down; the broker comes back (clicked in the pane)
    // once every event is answered, while the runner waits for processing.
    scenario::ScenarioTarget target;
    target.listenAddress = m_pipeline->listenAddress();
    target.config = m_pipeline->config();
    target.databasePath = m_pipeline->databasePath();
    target.processor = m_pipeline->processor();
    scenario::ScenarioRunner runner(target);
    scenario::Scenario s;
    s.providers = {u"stripe"_s};
    s.events = 60;
    s.entities = 6;
    s.duplicateRate = 0.1;
    s.concurrency = 12;
    s.settleTimeoutS = 120;
    QVERIFY(click(u"brokerDown1"_s));
    bool upClicked = false;
    connect(&runner, &scenario::ScenarioRunner::progress, this, [&](const QString &phase, int, int) {
        if (phase == u"processing"_s && !upClicked) {
            upClicked = true;
            child<QPushButton>(u"brokerUp1"_s)->click();
        }
    });
    QSignalSpy finished(&runner, &scenario::ScenarioRunner::finished);
    runner.start(s);
    QVERIFY(finished.wait(180'000));
    const auto r = finished.first().first().value<scenario::ScenarioReport>();
    QVERIFY(upClicked);
    QVERIFY2(r.ok, qPrintable(r.problems.join(u"; "_s)));
    QVERIFY(r.queued > 0);
    QCOMPARE(r.accepted + r.queued, r.planned);
    QCOMPARE(r.failed + r.rejected, 0);
    QCOMPARE(r.done, r.planned);
    QCOMPARE(r.duplicatesCaught, r.duplicatesInjected);
    QVERIFY(m_pane->injector()->isBrokerUp(1));
    qInfo("scenario across a broker outage: %d events sent (+%d duplicates): %d answered 200, %d answered 202 "
          "queued; %d processed, %d dead-lettered; %d/%d duplicates caught; order preserved for %d of %d entities",
          r.planned, r.duplicatesInjected, r.accepted, r.queued, r.done, r.deadLettered, r.duplicatesCaught,
          r.duplicatesInjected, r.entitiesInOrder, r.entitiesChecked);
}

void TestUiFaults::roundTripDelayGrowsProduceLatency()
{
    const quint16 port = m_pipeline->port();
    const auto before = produceLatency(m_pipeline->metrics());
    for (int i = 0; i < 3; ++i)
        QCOMPARE(uitest::postStripe(port, uitest::stripeEvent("evt_rtt_a" + QByteArray::number(i))).status, 200);
    const auto base = produceLatency(m_pipeline->metrics());
    QVERIFY(base.second > before.second);
    const double baseAvg = (base.first - before.first) / (base.second - before.second);

    child<QSpinBox>(u"rttSpin1"_s)->setValue(300);
    QVERIFY(click(u"rttSet1"_s));
    QTRY_COMPARE_WITH_TIMEOUT(child<QLabel>(u"brokerState1"_s)->text(), u"up +300 ms"_s, kTimeoutMs);
    QCOMPARE(m_pane->injector()->brokerRttMs(1), 300);
    for (int i = 0; i < 3; ++i)
        QVERIFY(uitest::postStripe(port, uitest::stripeEvent("evt_rtt_b" + QByteArray::number(i))).status == 200);
    const auto slow = produceLatency(m_pipeline->metrics());
    QVERIFY(slow.second >= base.second + 3);
    const double slowAvg = (slow.first - base.first) / (slow.second - base.second);
    qInfo("produce latency: %.1f ms without delay, %.1f ms with broker 1 +300 ms", baseAvg, slowAvg);
    QVERIFY2(slowAvg > baseAvg + 200, qPrintable(u"%1 vs %2"_s.arg(slowAvg).arg(baseAvg)));

    child<QSpinBox>(u"rttSpin1"_s)->setValue(0);
    QVERIFY(click(u"rttSet1"_s));
    saveShot(*m_pane, u"faults-pane.png"_s);
}

void TestUiFaults::produceErrorsShowInTheErrorMetric()
{
    const double errorsBefore = m_pipeline->metrics().counterTotal(u"webhook_produce_errors_total"_s);
    auto *code = child<QComboBox>(u"errorCode"_s);
    code->setCurrentIndex(code->findData(faults::FaultInjector::kInvalidRecord));
    child<QSpinBox>(u"errorCount"_s)->setValue(1);
    QVERIFY(click(u"failProduce"_s));
    QVERIFY(lastFault()->text(1).contains(u"INVALID_RECORD"_s));
    const RawResponse r = uitest::postStripe(m_pipeline->port(), uitest::stripeEvent("evt_produce_error"));
    QVERIFY2(r.status == 202 || r.status == 200, r.body.constData());
    QTRY_VERIFY_WITH_TIMEOUT(m_pipeline->metrics().counterTotal(u"webhook_produce_errors_total"_s) > errorsBefore,
                             kTimeoutMs);
    // INVALID_RECORD is not retriable: the event is journaled as refused, with the reason, and
    // the relay leaves it alone (a replay sends it again) instead of leaving it pending forever.
    auto journal = store::JournalQuery::open(m_pipeline->databasePath());
    QVERIFY(journal);
    const qint64 id = uitest::journalId(r);
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            auto e = (*journal)->entry(id);
            return e && *e && (**e).kafkaError.contains(u"INVALID_RECORD"_s, Qt::CaseInsensitive);
        }(),
        kTimeoutMs);
    auto refused = (*journal)->entry(id);
    QVERIFY(refused && *refused);
    QVERIFY((**refused).kafkaState != store::KafkaState::Produced);
}

void TestUiFaults::simulateFailuresRetryThenDeadLetter()
{
    processing::EventProcessor *processor = m_pipeline->processor();
    const processing::ProcessorStats before = processor->stats();
    auto *source = child<QComboBox>(u"simSource"_s);
    source->setCurrentIndex(source->findText(u"stripe"_s));
    child<QDoubleSpinBox>(u"simRate"_s)->setValue(1.0);
    child<QComboBox>(u"simClass"_s)->setCurrentIndex(0); // transient
    QVERIFY(click(u"simApply"_s));
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            auto s = processor->sourceSettings(u"stripe"_s);
            return s && s->second && s->second->failureRate == 1.0;
        }(),
        kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(child<QLabel>(u"simState"_s)->text().contains(u"100 % failures"_s), kTimeoutMs);

    const RawResponse r = uitest::postStripe(m_pipeline->port(), uitest::stripeEvent("evt_always_fails"));
    QCOMPARE(r.status, 200);
    QTRY_VERIFY_WITH_TIMEOUT(processor->stats().deadLettered > before.deadLettered, kTimeoutMs);
    const processing::ProcessorStats after = processor->stats();
    // max_attempts 3: two transient retries, then the DLQ.
    QVERIFY(after.retries >= before.retries + 2);
    QVERIFY(click(u"simOff"_s));
    QTRY_VERIFY_WITH_TIMEOUT(!processor->sourceSettings(u"stripe"_s)->second.has_value(), kTimeoutMs);
}

void TestUiFaults::chaosAndCalm()
{
    processing::EventProcessor *processor = m_pipeline->processor();
    const int before = timelineCount();
    child<QPushButton>(u"chaos"_s)->click();
    // preset, delay, produce errors, leader move, simulate for both sources (one broker: none down)
    QTRY_VERIFY_WITH_TIMEOUT(timelineCount() >= before + 6, kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(m_pane->injector()->brokerRttMs(1), 250, kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(processor->sourceSettings(u"plain"_s)->second.has_value(), kTimeoutMs);
    QCOMPARE(processor->sourceSettings(u"plain"_s)->second->failureRate, 0.2);
    saveShot(*m_pane, u"faults-pane-chaos.png"_s);

    child<QPushButton>(u"calm"_s)->click();
    QTRY_COMPARE_WITH_TIMEOUT(m_pane->injector()->brokerRttMs(1), 0, kTimeoutMs);
    // The sources had no simulate handler before chaos: calm takes it away again.
    QTRY_VERIFY_WITH_TIMEOUT(!processor->sourceSettings(u"plain"_s)->second.has_value(), kTimeoutMs);
    QVERIFY(m_pane->injector()->isBrokerUp(1));
}

void TestUiFaults::leaderMoveShowsTheNewLeader()
{
    QTemporaryDir dir;
    auto pipeline = uitest::startPipeline(dir.path(), kThreeBrokers);
    QVERIFY(pipeline);
    ui::FaultsPane pane(*pipeline);
    pane.show();
    processing::EventProcessor *processor = pipeline->processor();
    const QString topic = u"webhooks.stripe"_s;
    QTRY_VERIFY_WITH_TIMEOUT(leaderOf(processor, topic, 0) > 0, kTimeoutMs);
    const int from = leaderOf(processor, topic, 0);
    const int to = from % 3 + 1;
    pane.findChild<QComboBox *>(u"leaderTopic"_s)->setCurrentText(topic);
    pane.findChild<QSpinBox *>(u"leaderPartition"_s)->setValue(0);
    pane.findChild<QSpinBox *>(u"leaderBroker"_s)->setValue(to);
    pane.findChild<QPushButton *>(u"moveLeader"_s)->click();
    auto *timeline = pane.findChild<QTreeWidget *>(u"faultTimeline"_s);
    QTRY_COMPARE_WITH_TIMEOUT(timeline->topLevelItemCount(), 1, kTimeoutMs);
    QCOMPARE(timeline->topLevelItem(0)->text(2), u"applied"_s);
    QTRY_COMPARE_WITH_TIMEOUT(leaderOf(processor, topic, 0), to, kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(pane.findChild<QLabel *>(u"leaderNow"_s)->text().contains(u"broker %1"_s.arg(to)),
                             kTimeoutMs);
    qInfo("leader of %s/0 moved from broker %d to broker %d", qPrintable(topic), from, to);
    // And events still flow to the moved partition's new leader.
    const RawResponse r = uitest::postStripe(pipeline->port(), uitest::stripeEvent("evt_after_move"));
    QVERIFY(r.status == 200 || r.status == 202);
    pipeline->stop(5000);
}

QTEST_MAIN(TestUiFaults)
#include "test_ui_faults.moc"
