// Tests of the analysis panes: the partition model against a real consumer group on the embedded
// cluster, in-place updates, key → partition, hot keys, chart rates, and the panes built on a
// real IngestPipeline (reading its journal off the GUI thread).

#include <memory>

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QHeaderView>
#include <QSignalSpy>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include "core/config/config_loader.h"
#include "core/kafka/consumer_group.h"
#include "core/kafka/embedded_cluster.h"
#include "core/kafka/murmur2.h"
#include "core/kafka/producer.h"
#include "core/metrics/metrics_registry.h"
#include "core/metrics/rate_series.h"
#include "core/pipeline/ingest_pipeline.h"
#include "test_client.h"
#include "ui/models/hot_key_model.h"
#include "ui/models/lag_table_model.h"
#include "ui/models/partition_table_model.h"
#include "ui/panes/charts_pane.h"
#include "ui/panes/consumer_group_pane.h"
#include "ui/panes/dlq_pane.h"
#include "ui/panes/faults_pane.h"
#include "ui/panes/feed_pane.h"
#include "ui/panes/key_explorer_pane.h"
#include "ui/panes/partitions_pane.h"
#include "ui/panes/retries_pane.h"
#include "ui/widgets/empty_view_hint.h"

using namespace Qt::StringLiterals;
using namespace hookbench;
using namespace hookbench::ui;

namespace {

kafka::PartitionState partition(const QString &topic, int p, qint64 high, qint64 committed, const QString &owner)
{
    kafka::PartitionState s;
    s.topic = topic;
    s.partition = p;
    s.highWatermark = high;
    s.committed = committed;
    s.lag = committed < 0 ? high : high - committed;
    s.owner = owner;
    return s;
}

RecentRecord record(const QString &topic, int p, qint64 offset, const QByteArray &key)
{
    RecentRecord r;
    r.topic = topic;
    r.partition = p;
    r.offset = offset;
    r.entityKey = key;
    return r;
}

config::Config paneConfig()
{
    const QByteArray json = R"({
        "sources": [{"name": "plain", "provider": "none", "entity_key": "/customer"}],
        "kafka": {"mode": "embedded", "brokers": 3, "partitions": 6},
        "listen": "127.0.0.1:0"
    })";
    auto config = config::ConfigLoader::parse(json, u"<test>"_s);
    return config ? *config : config::Config{};
}

} // namespace

class UiPanesTest : public QObject
{
    Q_OBJECT

private slots:
    void partitionModelMatchesRealWatermarks();
    void setStateUpdatesInPlace();
    void keyExplorerMatchesMurmur2_data();
    void keyExplorerMatchesMurmur2();
    void hotKeys();
    void rateSeries();
    void chartsRates();
    void chartsMarkFaults();
    void lagDrainEstimate();
    void panesOnRealPipeline();
    void emptyViewHintOnlyWhileEmpty();
    void emptyPanesSayWhatAppearsThere();
    void feedColumnsFitTheirTitles();
    void cleanupTestCase();

private:
    void startPipeline();
    QTemporaryDir m_dir;
    std::unique_ptr<pipeline::IngestPipeline> m_pipeline;
};

void UiPanesTest::startPipeline()
{
    if (m_pipeline)
        return;
    pipeline::PipelineOptions options;
    options.config = paneConfig();
    options.dataDir = m_dir.path();
    auto started = pipeline::IngestPipeline::start(options);
    QVERIFY2(started.ok(), started.ok() ? "" : qPrintable(started.error().message));
    m_pipeline = std::move(started).value();
}

void UiPanesTest::cleanupTestCase()
{
    if (m_pipeline)
        m_pipeline->stop(2000);
}

void UiPanesTest::partitionModelMatchesRealWatermarks()
{
    auto cluster = kafka::EmbeddedCluster::start(3, 3);
    QVERIFY2(cluster.ok(), cluster.ok() ? "" : qPrintable(cluster.error().message));
    const QString topic = u"webhooks.panes"_s;
    QVERIFY((*cluster)->createTopic(topic, 3).ok());

    // Produce 40 keyed records; the delivery reports say where each landed.
    kafka::ProducerSettings producerSettings;
    producerSettings.bootstrap = (*cluster)->bootstrap();
    auto producer = kafka::Producer::create(producerSettings);
    QVERIFY(producer.ok());
    QSignalSpy delivered(producer->get(), &kafka::Producer::delivered);
    for (int i = 0; i < 40; ++i) {
        const QByteArray key = "cus_" + QByteArray::number(i % 7);
        QVERIFY((*producer)->produce({topic, key, "{}", {}, i}).ok());
    }
    QHash<int, qint64> expectedHigh; // partition → last offset + 1
    int reports = 0;
    QElapsedTimer clock;
    clock.start();
    while (reports < 40 && clock.elapsed() < 20000) {
        if (delivered.isEmpty() && !delivered.wait(1000))
            continue;
        for (const kafka::DeliveryReport &report : delivered.takeFirst().at(0).value<QList<kafka::DeliveryReport>>()) {
            QVERIFY2(report.ok, qPrintable(report.error));
            expectedHigh[report.partition] = std::max(expectedHigh.value(report.partition), report.offset + 1);
            ++reports;
        }
    }
    QCOMPARE(reports, 40);

    kafka::ConsumerGroupSettings settings;
    settings.bootstrap = (*cluster)->bootstrap();
    settings.groupId = u"panes-group"_s;
    settings.topicPattern = u"^webhooks\\.panes$"_s;
    settings.memberCount = 1;
    settings.stateRefreshMs = 300;
    settings.properties = {{u"session.timeout.ms"_s, u"4000"_s}, {u"heartbeat.interval.ms"_s, u"200"_s}};
    auto group = kafka::ConsumerGroup::create(settings);
    QVERIFY2(group.ok(), group.ok() ? "" : qPrintable(group.error().message));
    (*group)->setHandler([](const kafka::ConsumedRecord &, kafka::Completion done) { done(); });

    PartitionTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    connect((*group).get(), &kafka::ConsumerGroup::stateChanged, &model,
            [&model, g = (*group).get()] { model.setState(g->state()); });

    auto column = [&model](int row, int col) {
        return model.data(model.index(row, col), PartitionTableModel::SortRole).toLongLong();
    };
    auto allMatch = [&] {
        if (model.rowCount() != 3)
            return false;
        for (int row = 0; row < 3; ++row) {
            const int p = int(column(row, PartitionTableModel::Partition));
            if (column(row, PartitionTableModel::HighWatermark) != expectedHigh.value(p)
                || column(row, PartitionTableModel::Committed) != expectedHigh.value(p)
                || column(row, PartitionTableModel::Lag) != 0 || column(row, PartitionTableModel::Leader) < 1)
                return false;
        }
        return true;
    };
    QTRY_VERIFY_WITH_TIMEOUT(allMatch(), 30000);
    for (int row = 0; row < 3; ++row) {
        QCOMPARE(model.data(model.index(row, PartitionTableModel::Topic)).toString(), topic);
        QCOMPARE(model.data(model.index(row, PartitionTableModel::Owner)).toString(), u"consumer-1"_s);
        // The leader the cluster metadata reports: one of the embedded cluster's brokers.
        const int leader = model.partitions().at(row).leader;
        QVERIFY2(leader >= 1 && leader <= (*cluster)->brokerCount(), qPrintable(QString::number(leader)));
        QCOMPARE(model.data(model.index(row, PartitionTableModel::Leader)).toString(),
                 QString(u"broker "_s + QString::number(leader)));
        QCOMPARE(column(row, PartitionTableModel::Leader), qint64(leader));
    }
    QCOMPARE(model.partitionCount(topic), 3);
}

void UiPanesTest::setStateUpdatesInPlace()
{
    PartitionTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    kafka::ConsumerGroupState state;
    state.partitions = {partition(u"webhooks.a"_s, 0, 10, 5, u"consumer-1"_s),
                        partition(u"webhooks.a"_s, 1, 4, -1, QString()),
                        partition(u"webhooks.a"_s, 2, 7, 7, u"consumer-2"_s)};
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setState(state);
    QCOMPARE(reset.size(), 1);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.data(model.index(1, PartitionTableModel::Committed)).toString(), u"—"_s);
    QCOMPARE(model.data(model.index(1, PartitionTableModel::Owner)).toString(), u"unassigned"_s);
    QCOMPARE(model.data(model.index(1, PartitionTableModel::Leader)).toString(), u"—"_s);

    // Same partitions, new offsets on partition 1 only: one dataChanged over that row, no reset.
    state.partitions[1] = partition(u"webhooks.a"_s, 1, 9, 3, u"consumer-1"_s);
    model.setState(state);
    QCOMPARE(reset.size(), 1);
    QCOMPARE(changed.size(), 1);
    const auto topLeft = changed.at(0).at(0).value<QModelIndex>();
    const auto bottomRight = changed.at(0).at(1).value<QModelIndex>();
    QCOMPARE(topLeft.row(), 1);
    QCOMPARE(bottomRight.row(), 1);
    QCOMPARE(model.data(model.index(1, PartitionTableModel::Lag), PartitionTableModel::SortRole).toLongLong(), 6);
    QCOMPARE(model.data(model.index(1, PartitionTableModel::Owner)).toString(), u"consumer-1"_s);

    // Identical snapshot: nothing to tell the views.
    model.setState(state);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(reset.size(), 1);

    // A new leader for partition 2 alone (the metadata moved it): one dataChanged over that row.
    state.partitions[2].leader = 3;
    model.setState(state);
    QCOMPARE(reset.size(), 1);
    QCOMPARE(changed.size(), 2);
    QCOMPARE(changed.at(1).at(0).value<QModelIndex>().row(), 2);
    QCOMPARE(changed.at(1).at(1).value<QModelIndex>().row(), 2);
    QCOMPARE(model.data(model.index(2, PartitionTableModel::Leader)).toString(), u"broker 3"_s);
    QCOMPARE(model.data(model.index(2, PartitionTableModel::Leader), PartitionTableModel::SortRole).toLongLong(), 3);

    // A partition more: reset.
    state.partitions.append(partition(u"webhooks.a"_s, 3, 1, -1, QString()));
    model.setState(state);
    QCOMPARE(reset.size(), 2);
    QCOMPARE(model.rowCount(), 4);
}

void UiPanesTest::keyExplorerMatchesMurmur2_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<int>("partitions");
    QTest::addColumn<int>("expected");
    QTest::addColumn<int>("other");
    QTest::addColumn<int>("expectedOther");
    // toPositive(Java Utils.murmur2(key)) % n, from the Java client's murmur2 test values.
    QTest::newRow("21") << u"21"_s << 6 << 0 << 7 << 3;
    QTest::newRow("foobar") << u"foobar"_s << 6 << 0 << 12 << 6;
    QTest::newRow("a-little-bit-long-string") << u"a-little-bit-long-string"_s << 6 << 2 << 12 << 8;
    QTest::newRow("abc") << u"abc"_s << 6 << 3 << 7 << 4;
    QTest::newRow("hejsan") << u"hejsan"_s << 6 << 1 << 7 << 6;
}

void UiPanesTest::keyExplorerMatchesMurmur2()
{
    QFETCH(QString, key);
    QFETCH(int, partitions);
    QFETCH(int, expected);
    QFETCH(int, other);
    QFETCH(int, expectedOther);
    startPipeline();
    QVERIFY(m_pipeline);
    KeyExplorerPane pane(*m_pipeline);
    QCOMPARE(pane.currentPartitionCount(), partitions); // the config's 6
    pane.setKey(key);
    pane.setOtherPartitionCount(other);
    QCOMPARE(pane.currentPartition(), expected);
    QCOMPARE(pane.currentPartition(), kafka::murmur2Partition(key.toUtf8(), partitions));
    QCOMPARE(pane.otherPartition(), expectedOther);
    pane.setKey(QString());
    QCOMPARE(pane.currentPartition(), -1);
}

void UiPanesTest::hotKeys()
{
    const QString a = u"webhooks.a"_s;
    QList<RecentRecord> records;
    qint64 offset = 0;
    for (int i = 0; i < 5; ++i)
        records.append(record(a, 0, offset++, "hot"));
    for (int i = 0; i < 2; ++i)
        records.append(record(a, 0, offset++, "warm"));
    records.append(record(a, 0, offset++, "cold"));
    records.append(record(a, 0, offset++, "alsocold"));
    records.append(record(a, 1, 0, "other"));
    records.append(record(a, 1, 1, QByteArray()));
    records.append(record(a, 1, 2, QByteArray()));
    records.append(record(u"webhooks.b"_s, 0, 0, "hot"));

    const QList<HotKey> top = HotKeyModel::compute(records, 3);
    const QList<HotKey> expected = {
        {a, 0, "hot", 5, 9},        {a, 0, "warm", 2, 9},  {a, 0, "alsocold", 1, 9}, // tie: key order
        {a, 1, QByteArray(), 2, 3}, {a, 1, "other", 1, 3}, {u"webhooks.b"_s, 0, "hot", 1, 1},
    };
    QCOMPARE(top, expected);

    HotKeyModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setHotKeys(top);
    QCOMPARE(model.rowCount(), 6);
    QCOMPARE(model.data(model.index(0, HotKeyModel::Share)).toString(), u"56%"_s);
    QCOMPARE(model.data(model.index(3, HotKeyModel::Key)).toString(), u"(no key)"_s);
    QCOMPARE(model.data(model.index(1, HotKeyModel::Key), HotKeyModel::KeyRole).toByteArray(), QByteArray("warm"));
}

void UiPanesTest::rateSeries()
{
    metrics::RateSeries series(10'000);
    QCOMPARE(series.addSample(1000, 5), 0.0); // baseline
    QCOMPARE(series.points().size(), size_t(0));
    QCOMPARE(series.addSample(2000, 15), 10.0);
    QCOMPARE(series.addSample(4000, 25), 5.0);
    QCOMPARE(series.addSample(4000, 30), 0.0); // no interval
    QCOMPARE(series.addSample(5000, 2), 0.0);  // counter went down: new baseline, no negative rate
    QCOMPARE(series.addSample(5500, 4), 4.0);
    QCOMPARE(series.addSample(5400, 9), 0.0); // clock went back: new baseline
    QCOMPARE(series.addSample(5500, 9), 0.0);
    QCOMPARE(series.points().size(), size_t(4));
    QCOMPARE(series.maximum(), 10.0);
    QCOMPARE(series.addSample(14'000, 9), 0.0); // 2000 falls out of the 10 s window
    QCOMPARE(series.points().front().timeMs, qint64(4000));
    QCOMPARE(series.latest(), 0.0);
}

void UiPanesTest::chartsRates()
{
    startPipeline();
    QVERIFY(m_pipeline);
    ChartsPane pane(*m_pipeline); // takes its baseline sample now
    ChartsPane::CounterSample s;
    const qint64 t0 = QDateTime::currentMSecsSinceEpoch() + 60'000;
    pane.addSample(t0, s);
    s.totals[ChartsPane::Received] = 30;
    s.totals[ChartsPane::Duplicates] = 4;
    s.totals[ChartsPane::Rejected] = 6;
    s.totals[ChartsPane::Accepted] = 20;
    s.totals[ChartsPane::Processed] = 10;
    s.lag = 7;
    pane.addSample(t0 + 2000, s);
    QCOMPARE(pane.series(ChartsPane::Received).latest(), 15.0);
    QCOMPARE(pane.series(ChartsPane::Accepted).latest(), 10.0);
    QCOMPARE(pane.series(ChartsPane::Duplicates).latest(), 2.0);
    QCOMPARE(pane.series(ChartsPane::Rejected).latest(), 3.0);
    QCOMPARE(pane.series(ChartsPane::Processed).latest(), 5.0);
    QCOMPARE(pane.series(ChartsPane::DeadLettered).latest(), 0.0);
    // Counters from the registry: accepted is the 200 answers counted, not received minus
    // duplicates and rejections (which would count 202 queued answers as accepted).
    const double acceptedBefore = pane.readCounters().totals[ChartsPane::Accepted];
    m_pipeline->metrics().increment(u"webhook_received_total"_s, {{u"source"_s, u"x"_s}}, 5);
    m_pipeline->metrics().increment(u"webhook_received_total"_s, {{u"source"_s, u"y"_s}}, 3);
    m_pipeline->metrics().increment(u"webhook_rejected_total"_s, {{u"source"_s, u"x"_s}, {u"reason"_s, u"r"_s}}, 2);
    m_pipeline->metrics().increment(u"webhook_accepted_total"_s, {{u"source"_s, u"x"_s}}, 2);
    m_pipeline->metrics().increment(u"webhook_queued_total"_s, {{u"source"_s, u"y"_s}}, 3);
    const ChartsPane::CounterSample read = pane.readCounters();
    QVERIFY(read.totals[ChartsPane::Received] >= 8);
    QCOMPARE(read.totals[ChartsPane::Accepted], acceptedBefore + 2);
}

// A fault is marked on the chart at once (a line and a legend entry "Faults") and leaves with
// the five-minute window.
void UiPanesTest::chartsMarkFaults()
{
    startPipeline();
    QVERIFY(m_pipeline);
    ChartsPane pane(*m_pipeline);
    QCOMPARE(pane.faultMarkerCount(), 0);
    const qint64 t0 = QDateTime::currentMSecsSinceEpoch();
    pane.addFault(t0, u"broker 1 down"_s);
    QCOMPARE(pane.faultMarkerCount(), 1);
    pane.addFault(t0 + 500, u"broker 1 up"_s);
    QCOMPARE(pane.faultMarkerCount(), 2);
    pane.addSample(t0 + ChartsPane::kWindowMs + 200, {});
    QCOMPARE(pane.faultMarkerCount(), 1); // the first left the window
    pane.addSample(t0 + ChartsPane::kWindowMs + 1000, {});
    QCOMPARE(pane.faultMarkerCount(), 0);
}

void UiPanesTest::lagDrainEstimate()
{
    QCOMPARE(LagTableModel::drainSeconds(0, 0), 0.0);
    QCOMPARE(LagTableModel::drainSeconds(100, 0), -1.0);
    QCOMPARE(LagTableModel::drainSeconds(100, 4), 25.0);
    QCOMPARE(LagTableModel::formatDuration(25), u"25 s"_s);
    QCOMPARE(LagTableModel::formatDuration(200), u"3 min 20 s"_s);

    LagTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    kafka::ConsumerGroupState state;
    state.partitions = {partition(u"webhooks.a"_s, 0, 100, 0, u"consumer-1"_s)};
    model.addSnapshot(state, 0);
    state.partitions[0] = partition(u"webhooks.a"_s, 0, 100, 20, u"consumer-1"_s);
    model.addSnapshot(state, 10'000);
    QCOMPARE(model.consumptionRate(0), 2.0); // 20 records in 10 s
    QCOMPARE(model.data(model.index(0, LagTableModel::Drain)).toString(), u"40 s"_s);
    QCOMPARE(model.data(model.index(0, LagTableModel::Trend), LagTableModel::HistoryRole).value<QList<qreal>>(),
             (QList<qreal>{100, 80}));
}

void UiPanesTest::panesOnRealPipeline()
{
    startPipeline();
    QVERIFY(m_pipeline);
    const bool consumers = m_pipeline->processor() != nullptr;

    PartitionsPane partitions(*m_pipeline);
    KeyExplorerPane keys(*m_pipeline);
    ConsumerGroupPane group(*m_pipeline);
    ChartsPane charts(*m_pipeline);
    for (QWidget *pane : std::initializer_list<QWidget *>{&partitions, &keys, &group, &charts}) {
        pane->resize(900, 600);
        pane->show();
        QVERIFY(!pane->accessibleName().isEmpty());
    }
    QVERIFY(QTest::qWaitForWindowExposed(&charts));
    if (!consumers) {
        QVERIFY(!group.addConsumerAction()->isEnabled());
        QVERIFY(!group.removeConsumerAction()->isEnabled());
    }
    QCOMPARE(group.actions().size(), 2);

    // Webhooks through the real receiver land in the journal; the panes read them back off the
    // GUI thread: the hot-key table and the lane view's topic follow.
    for (int i = 0; i < 6; ++i) {
        const QByteArray body =
            R"({"customer":"cus_)" + QByteArray::number(i % 2) + R"(","n":)" + QByteArray::number(i) + "}";
        const RawResponse response =
            post(m_pipeline->port(), "/webhooks/plain", body, {{"Content-Type", "application/json"}});
        QCOMPARE(response.status, 200);
    }
    // The feed hands over rows once they are marked produced, which may be a few at a time.
    const auto hotTotal = [&keys] {
        int total = 0;
        for (const HotKey &hot : keys.hotKeyModel()->hotKeys())
            total += hot.count;
        return total;
    };
    QTRY_COMPARE_WITH_TIMEOUT(hotTotal(), 6, 15000);
    for (const HotKey &hot : keys.hotKeyModel()->hotKeys()) {
        QCOMPARE(hot.topic, u"webhooks.plain"_s);
        QCOMPARE(hot.partition, kafka::murmur2Partition(hot.key, 6));
    }
    QTRY_COMPARE_WITH_TIMEOUT(partitions.currentTopic(), u"webhooks.plain"_s, 15000);

    // A wide, short pane (a bottom dock) puts the table beside the lanes, so all rows fit; a tall
    // one stacks them.
    auto *splitter = partitions.findChild<QSplitter *>();
    QVERIFY(splitter);
    QCOMPARE(splitter->orientation(), Qt::Vertical); // 900 x 600
    partitions.resize(1300, 240);
    QTRY_COMPARE(splitter->orientation(), Qt::Horizontal);
    QVERIFY(splitter->sizes().at(0) > 0 && splitter->sizes().at(1) > 0);
    partitions.resize(600, 700);
    QTRY_COMPARE(splitter->orientation(), Qt::Vertical);
}

void UiPanesTest::emptyViewHintOnlyWhileEmpty()
{
    QStandardItemModel model(0, 2);
    QTableView plain;
    QTableView hinted;
    plain.setModel(&model);
    hinted.setModel(&model);
    auto *hint = new EmptyViewHint(&hinted, u"Nothing here yet"_s);
    for (QTableView *view : {&plain, &hinted})
        view->resize(400, 200);
    QVERIFY(hint->showing());
    // The empty view carries the text; once a row exists it looks like any other view.
    QVERIFY(plain.viewport()->grab().toImage() != hinted.viewport()->grab().toImage());
    model.appendRow({new QStandardItem(u"a"_s), new QStandardItem(u"b"_s)});
    QVERIFY(!hint->showing());
    QCOMPARE(plain.viewport()->grab().toImage(), hinted.viewport()->grab().toImage());
}

void UiPanesTest::emptyPanesSayWhatAppearsThere()
{
    startPipeline();
    QVERIFY(m_pipeline);
    if (!m_pipeline->processor())
        QSKIP("the DLQ and Retries panes need the consumer side");
    RetriesPane retries(*m_pipeline);
    DlqPane dlq(*m_pipeline);
    FaultsPane faults(*m_pipeline);
    for (QWidget *pane : std::initializer_list<QWidget *>{&retries, &dlq, &faults}) {
        const auto *hint = pane->findChild<EmptyViewHint *>();
        QVERIFY2(hint, qPrintable(pane->objectName()));
        QVERIFY(!hint->text().isEmpty());
    }
    QVERIFY(retries.findChild<EmptyViewHint *>()->showing());
    QVERIFY(faults.findChild<EmptyViewHint *>()->showing());
}

void UiPanesTest::feedColumnsFitTheirTitles()
{
    startPipeline();
    QVERIFY(m_pipeline);
    FeedPane feed(*m_pipeline);
    feed.resize(600, 300); // narrower than all columns: the last one is not stretched wider
    feed.show();
    QVERIFY(QTest::qWaitForWindowExposed(&feed));
    QHeaderView *header = feed.view()->horizontalHeader();
    for (int column = 0; column < header->count(); ++column) {
        const QString title = feed.view()->model()->headerData(column, Qt::Horizontal).toString();
        QVERIFY2(header->sectionSize(column) >= header->fontMetrics().horizontalAdvance(title), qPrintable(title));
    }
}

QTEST_MAIN(UiPanesTest)
#include "test_ui_panes.moc"
