// The inspector following the entry it shows, on real parts: a real IngestPipeline with a
// consumer, the embedded cluster and the journal in a temporary directory, a scripted HTTP
// target on 127.0.0.1 (or the simulate handler) that fails first, widgets on the offscreen
// platform. The entry is selected once; every later state must arrive without selecting again,
// and without losing the user's place.

#include <QElapsedTimer>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

#include "core/pipeline/ingest_pipeline.h"
#include "core/store/database.h"
#include "core/store/processing_store.h"
#include "tests/processing/scripted_http_server.h"
#include "ui/panes/inspector_pane.h"
#include "ui_test_support.h"

using namespace Qt::StringLiterals;
using namespace hookbench;
using namespace uitest;
using ui::InspectorPane;

namespace {

constexpr int kDeadlineMs = 60'000; // the consumer group joins first

// Blocking retries with short delays.
QByteArray configJson(const QByteArray &sourceExtra, int maxAttempts)
{
    return R"({
        "sources": [{"name": "orders", "provider": "none")"
           + sourceExtra + R"(}],
        "kafka": {"mode": "embedded", "brokers": 1, "partitions": 2},
        "consumers": {"count": 1},
        "retry": {"strategy": "blocking", "base_ms": 200, "cap_ms": 400, "max_attempts": )"
           + QByteArray::number(maxAttempts) + R"(, "time_scale": 1},
        "listen": "127.0.0.1:0"
    })";
}

RawResponse postOrder(quint16 port, const QByteArray &body)
{
    return post(port, "/webhooks/orders", body, {{"Content-Type", "application/json"}});
}

// Every event of every source goes to the target (a subscription without a filter).
bool subscribe(const QString &databasePath, quint16 targetPort)
{
    auto db = store::Database::open(databasePath);
    if (!db)
        return false;
    store::ProcessingStore processing(**db);
    store::TargetRow target;
    target.url = u"http://127.0.0.1:%1/hooks"_s.arg(targetPort);
    target.timeoutMs = 5000;
    const Result<qint64> targetId = processing.createTarget(target);
    if (!targetId)
        return false;
    store::SubscriptionRow subscription;
    subscription.targetId = *targetId;
    return bool(processing.createSubscription(subscription));
}

QStringList timelineColumn(const QTableWidget &timeline, int column)
{
    QStringList cells;
    for (int r = 0; r < timeline.rowCount(); ++r)
        cells.append(timeline.item(r, column) ? timeline.item(r, column)->text() : QString());
    return cells;
}

} // namespace

class TestInspector final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void followsRetriesToDoneAndKeepsThePlace();
    void followsRetriesToTheDlq();
};

void TestInspector::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestInspector::followsRetriesToDoneAndKeepsThePlace()
{
    QTemporaryDir dir;
    ScriptedHttpServer target;
    QVERIFY(target.listen());
    target.script(503); // fails until the test has seen the retries
    auto ingest = startPipeline(dir.path(), configJson({}, 50));
    QVERIFY(ingest);
    QVERIFY(subscribe(ingest->databasePath(), target.port()));

    const QByteArray body = R"({"order": {"id": 7, "lines": [{"sku": "a", "qty": 1}]}, "type": "order.created"})";
    const RawResponse accepted = postOrder(ingest->port(), body);
    QCOMPARE(accepted.status, 200);
    const qint64 id = journalId(accepted);
    QVERIFY(id > 0);

    InspectorPane pane(*ingest);
    pane.resize(900, 700);
    pane.show();
    QSignalSpy loaded(&pane, &InspectorPane::entryLoaded);
    QSignalSpy refreshed(&pane, &InspectorPane::entryRefreshed);
    QElapsedTimer shownFor;
    shownFor.start();
    pane.showEntry(id);
    QVERIFY(loaded.wait(5000));
    QVERIFY2(!pane.tabText(InspectorPane::ProcessingTab).contains(u"State: done"_s),
             qPrintable(pane.tabText(InspectorPane::ProcessingTab)));

    // The user's place: the Processing tab, the Raw body view, a collapsed and an expanded JSON
    // node, and text in the Verification paste box.
    pane.tabs()->setCurrentIndex(InspectorPane::ProcessingTab);
    auto *bodyTabs = pane.findChild<QTabWidget *>(u"bodyTabs"_s);
    auto *json = pane.findChild<QTreeView *>(u"bodyJson"_s);
    auto *paste = pane.findChild<QPlainTextEdit *>(u"pasteBody"_s);
    auto *compare = pane.findChild<QPlainTextEdit *>(u"compareResult"_s);
    auto *timeline = pane.findChild<QTableWidget *>(u"processingTimeline"_s);
    QVERIFY(bodyTabs && json && paste && compare && timeline);
    bodyTabs->setCurrentIndex(1);
    const QModelIndex root = json->model()->index(0, 0);
    QModelIndex order;
    QModelIndex type;
    for (int r = 0; r < json->model()->rowCount(root); ++r) {
        const QModelIndex child = json->model()->index(r, 0, root);
        if (child.data().toString() == u"order"_s)
            order = child;
        else if (child.data().toString() == u"type"_s)
            type = child;
    }
    QVERIFY(order.isValid() && type.isValid());
    QModelIndex lines;
    for (int r = 0; r < json->model()->rowCount(order); ++r) {
        if (json->model()->index(r, 0, order).data().toString() == u"lines"_s)
            lines = json->model()->index(r, 0, order);
    }
    QVERIFY(lines.isValid());
    json->expand(lines);  // deeper than the default expansion
    json->collapse(root); // and the top collapsed
    paste->setPlainText(u"{\"order\": {\"id\": 8"_s);
    const QString compareText = compare->toPlainText();
    QVERIFY(compareText.contains(u"First difference"_s));

    // Retries show up by themselves.
    QTRY_VERIFY_WITH_TIMEOUT(pane.tabText(InspectorPane::ProcessingTab).contains(u"State: retrying"_s), kDeadlineMs);
    QVERIFY(timeline->rowCount() >= 1);
    QCOMPARE(timeline->item(0, 3)->text(), u"transient"_s);
    QCOMPARE(timeline->item(0, 4)->text(), u"503"_s);
    timeline->selectRow(0);
    QCOMPARE(pane.tabs()->currentIndex(), int(InspectorPane::ProcessingTab));
    // More attempts arrive while the target keeps failing, each added to the table in place.
    QTRY_VERIFY_WITH_TIMEOUT(timeline->rowCount() >= 3, kDeadlineMs);

    target.script(200);
    QTRY_VERIFY_WITH_TIMEOUT(pane.tabText(InspectorPane::ProcessingTab).contains(u"State: done"_s), kDeadlineMs);
    const QStringList outcomes = timelineColumn(*timeline, 3);
    QVERIFY2(outcomes.size() >= 4, qPrintable(outcomes.join(u", "_s)));
    QCOMPARE(outcomes.last(), u"success"_s);
    QCOMPARE(outcomes.count(u"transient"_s), outcomes.size() - 1);
    QCOMPARE(timelineColumn(*timeline, 0).last(), QString::number(outcomes.size()));
    QVERIFY(refreshed.size() >= 2);

    // Never selected again, never re-read from scratch, and the place is kept.
    QCOMPARE(loaded.size(), 1);
    QCOMPARE(pane.entryId(), id);
    QCOMPARE(pane.tabs()->currentIndex(), int(InspectorPane::ProcessingTab));
    QCOMPARE(bodyTabs->currentIndex(), 1);
    QVERIFY(!json->isExpanded(root));
    QVERIFY(json->isExpanded(lines));
    QVERIFY(json->isExpanded(order));
    QCOMPARE(paste->toPlainText(), u"{\"order\": {\"id\": 8"_s);
    QCOMPARE(compare->toPlainText(), compareText);
    const QModelIndexList selected = timeline->selectionModel()->selectedRows();
    QCOMPARE(selected.size(), 1);
    QCOMPARE(selected.constFirst().row(), 0);

    // Coalesced: attempts and commits came in bursts, the re-reads did not follow each one.
    const qint64 ms = shownFor.elapsed();
    QVERIFY2(pane.refreshReads() <= ms / InspectorPane::kRefreshMs + 2,
             qPrintable(u"%1 re-reads in %2 ms"_s.arg(pane.refreshReads()).arg(ms)));

    // Other entries' commits and processing may cause re-reads, but the views only change when the
    // shown entry did.
    const int readsBefore = pane.refreshReads();
    const int refreshesBefore = int(refreshed.size());
    const qsizetype requestsBefore = target.requests.size();
    for (int i = 0; i < 10; ++i)
        QCOMPARE(postOrder(ingest->port(), "{\"other\": " + QByteArray::number(i) + "}").status, 200);
    QTRY_VERIFY_WITH_TIMEOUT(target.requests.size() >= requestsBefore + 10, kDeadlineMs);
    QTRY_VERIFY_WITH_TIMEOUT(pane.refreshReads() > readsBefore, 5000);
    QTest::qWait(2 * InspectorPane::kRefreshMs); // lets any re-read still running answer
    QCOMPARE(int(refreshed.size()), refreshesBefore);
    QCOMPARE(timeline->selectionModel()->selectedRows().constFirst().row(), 0);
    QCOMPARE(loaded.size(), 1);
}

void TestInspector::followsRetriesToTheDlq()
{
    QTemporaryDir dir;
    // The simulate handler fails every record transiently: three attempts, then the DLQ.
    auto ingest = startPipeline(dir.path(), configJson(R"(, "simulate": {"failure_rate": 1.0, "latency_ms": 300})", 3));
    QVERIFY(ingest);
    const RawResponse accepted = postOrder(ingest->port(), R"({"type": "order.created", "id": "o-1"})");
    QCOMPARE(accepted.status, 200);
    const qint64 id = journalId(accepted);

    InspectorPane pane(*ingest);
    QSignalSpy loaded(&pane, &InspectorPane::entryLoaded);
    pane.showEntry(id);
    QVERIFY(loaded.wait(5000));
    pane.tabs()->setCurrentIndex(InspectorPane::KafkaTab);
    QVERIFY(!pane.tabText(InspectorPane::ProcessingTab).contains(u"Dead-lettered"_s));

    QTRY_VERIFY_WITH_TIMEOUT(pane.tabText(InspectorPane::ProcessingTab).contains(u"State: dead-lettered"_s),
                             kDeadlineMs);
    const QString text = pane.tabText(InspectorPane::ProcessingTab);
    QVERIFY2(text.contains(u"Dead-lettered"_s) && text.contains(u"after 3 attempts"_s), qPrintable(text));
    auto *timeline = pane.findChild<QTableWidget *>(u"processingTimeline"_s);
    QVERIFY(timeline);
    QCOMPARE(timelineColumn(*timeline, 0), (QStringList{u"1"_s, u"2"_s, u"3"_s}));
    QCOMPARE(loaded.size(), 1);
    QCOMPARE(pane.tabs()->currentIndex(), int(InspectorPane::KafkaTab));
}

QTEST_MAIN(TestInspector)
#include "test_inspector.moc"
