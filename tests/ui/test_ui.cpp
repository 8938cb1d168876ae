// UI tests on real parts: a real IngestPipeline on 127.0.0.1:0 with the embedded cluster and its
// journal in a temporary directory, real HTTP requests, widgets on the offscreen platform.

#include <atomic>
#include <thread>

#include <QAbstractItemModelTester>
#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QTreeView>

#include "core/kafka/embedded_cluster.h"
#include "core/kafka/murmur2.h"
#include "core/pipeline/ingest_pipeline.h"
#include "core/store/journal_query.h"
#include "core/store/journal_writer.h"
#include "ui/format/byte_format.h"
#include "ui/main_window.h"
#include "ui/models/journal_feed_model.h"
#include "ui/panes/feed_pane.h"
#include "ui/panes/inspector_pane.h"
#include "ui/widgets/filter_bar.h"
#include "ui_test_support.h"

using namespace Qt::StringLiterals;
using namespace hookbench;
using namespace uitest;
using ui::JournalFeedModel;

namespace {

QString cell(const JournalFeedModel &model, int row, int column)
{
    return model.data(model.index(row, column)).toString();
}

QList<qint64> windowIds(const JournalFeedModel &model)
{
    QList<qint64> ids;
    for (int row = 0; row < model.rowCount(); ++row)
        ids.append(model.idAt(row));
    return ids;
}

// Every journal id, oldest first (after the writer committed what it holds).
QList<qint64> allIds(pipeline::IngestPipeline &ingest)
{
    ingest.journalWriter().sync();
    auto query = store::JournalQuery::open(ingest.databasePath());
    if (!query)
        return {};
    store::JournalFilter filter;
    filter.limit = 0;
    auto entries = (*query)->list(filter);
    QList<qint64> ids;
    if (entries) {
        for (const auto &entry : *entries)
            ids.append(entry.id);
    }
    return ids;
}

bool produced(pipeline::IngestPipeline &ingest, qint64 id)
{
    ingest.journalWriter().sync();
    auto query = store::JournalQuery::open(ingest.databasePath());
    if (!query)
        return false;
    auto entry = (*query)->entry(id);
    return entry && entry->has_value() && (*entry)->kafkaState == store::KafkaState::Produced;
}

} // namespace

class TestUi final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void rowsAppearWithTheRightColumns();
    void burstIsInsertedInFewBatches();
    void pagingBothWaysReturnsTheRightIds();
    void filterReturnsOnlyMatchingRows();
    void filterBarBuildsTheFilter();
    void inspectorShowsAcceptedEntry();
    void inspectorShowsDuplicateEntry();
    void inspectorShowsRejectedEntry();
    void byteFormatFindsFirstDifference();
    void mainWindowHasDocksShortcutsAndCounters();
    void healthStaysInSightWhenKafkaIsDown();
};

void TestUi::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true); // QSettings of the window go to a test location
    QCoreApplication::setOrganizationName(u"hookbench-tests"_s);
}

void TestUi::rowsAppearWithTheRightColumns()
{
    QTemporaryDir dir;
    auto ingest = startPipeline(dir.path());
    QVERIFY(ingest);
    JournalFeedModel model(*ingest);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);

    const QByteArray body = stripeEvent("evt_ui_columns_1");
    const RawResponse accepted = postStripe(ingest->port(), body);
    QCOMPARE(accepted.status, 200);
    QCOMPARE(postStripe(ingest->port(), body).status, 200); // duplicate
    QCOMPARE(postStripeBadSignature(ingest->port(), stripeEvent("evt_ui_columns_2")).status, 401);
    const qint64 firstId = journalId(accepted);

    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 3, 10000);
    QCOMPARE(model.idAt(0), firstId);
    QCOMPARE(model.columnCount(), int(JournalFeedModel::ColumnCount));
    QCOMPARE(cell(model, 0, JournalFeedModel::Source), u"stripe"_s);
    QCOMPARE(cell(model, 0, JournalFeedModel::EventType), u"invoice.paid"_s);
    QCOMPARE(cell(model, 0, JournalFeedModel::IdempotencyKey), u"evt_ui_columns_1"_s);
    QCOMPARE(cell(model, 0, JournalFeedModel::EntityKey), u"cus_00000000000000"_s);
    QTRY_COMPARE_WITH_TIMEOUT(cell(model, 0, JournalFeedModel::Verdict), u"accepted"_s, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(
        QRegularExpression(u"^p\\d+ @ \\d+$"_s).match(cell(model, 0, JournalFeedModel::Placement)).hasMatch(), 10000);
    const int partition = cell(model, 0, JournalFeedModel::Placement).mid(1).section(u' ', 0, 0).toInt();
    QCOMPARE(partition, kafka::murmur2Partition("cus_00000000000000", 6));

    QCOMPARE(cell(model, 1, JournalFeedModel::Verdict), u"duplicate of #%1"_s.arg(firstId));
    QCOMPARE(cell(model, 1, JournalFeedModel::Placement), u"—"_s);
    QCOMPARE(cell(model, 1, JournalFeedModel::Processing), u"—"_s);
    QCOMPARE(cell(model, 2, JournalFeedModel::Verdict), u"rejected 401: signature_mismatch"_s);
    // State is told by text and an icon, not by colour alone.
    for (int row = 0; row < 3; ++row) {
        const QModelIndex verdict = model.index(row, JournalFeedModel::Verdict);
        QVERIFY(!model.data(verdict, Qt::DecorationRole).value<QIcon>().isNull());
        QVERIFY(model.data(verdict, Qt::ForegroundRole).isValid());
    }
}

void TestUi::burstIsInsertedInFewBatches()
{
    QTemporaryDir dir;
    auto ingest = startPipeline(dir.path());
    QVERIFY(ingest);
    JournalFeedModel model(*ingest);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), 5000);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);

    // Four clients send while this thread runs the event loop, as the GUI would.
    constexpr int clients = 4;
    constexpr int perClient = 60;
    constexpr int total = clients * perClient;
    std::atomic<int> ok{0};
    QElapsedTimer elapsed;
    elapsed.start();
    std::vector<std::thread> threads;
    const quint16 port = ingest->port();
    for (int c = 0; c < clients; ++c) {
        threads.emplace_back([c, port, &ok] {
            for (int i = 0; i < perClient; ++i) {
                const QByteArray body = "{\"burst\":" + QByteArray::number(c) + ",\"i\":" + QByteArray::number(i) + "}";
                if (postPlain(port, body).status == 200)
                    ++ok;
            }
        });
    }
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), total, 60000);
    const qint64 ms = elapsed.elapsed();
    for (auto &thread : threads)
        thread.join();
    QCOMPARE(ok.load(), total);

    const qsizetype batches = inserted.size() + resets.size();
    qInfo("%d rows in %lld ms arrived in %lld inserts and %lld resets", total, ms, qint64(inserted.size()),
          qint64(resets.size()));
    // At most one batch per coalescing tick (100 ms), plus the edges; never one per request.
    QVERIFY2(batches <= ms / 100 + 3, qPrintable(u"%1 batches in %2 ms"_s.arg(batches).arg(ms)));
    QVERIFY2(batches < total / 5, qPrintable(u"%1 batches for %2 rows"_s.arg(batches).arg(total)));
    QCOMPARE(windowIds(model), allIds(*ingest));
}

void TestUi::pagingBothWaysReturnsTheRightIds()
{
    QTemporaryDir dir;
    auto ingest = startPipeline(dir.path());
    QVERIFY(ingest);
    for (int i = 0; i < 45; ++i)
        QCOMPARE(postPlain(ingest->port(), "{\"page\":" + QByteArray::number(i) + "}").status, 200);
    const QList<qint64> ids = allIds(*ingest);
    QCOMPARE(ids.size(), 45);

    JournalFeedModel::Options options;
    options.windowSize = 20;
    options.pageSize = 10;
    JournalFeedModel model(*ingest, options);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy applied(&model, &JournalFeedModel::pageApplied);
    QVERIFY(applied.wait(5000) || applied.size() > 0);
    QCOMPARE(windowIds(model), ids.mid(35, 10)); // the newest page
    QVERIFY(model.atNewest());

    auto page = [&](bool older) {
        applied.clear();
        const bool started = older ? model.fetchOlder() : model.fetchNewer();
        return started && applied.wait(5000);
    };
    QVERIFY(page(true));
    QCOMPARE(windowIds(model), ids.mid(25, 20));
    QVERIFY(page(true)); // the window keeps 20: newer rows fall off the bottom
    QCOMPARE(windowIds(model), ids.mid(15, 20));
    QVERIFY(!model.atNewest());
    QVERIFY(page(true));
    QCOMPARE(windowIds(model), ids.mid(5, 20));
    QVERIFY(page(true)); // only 5 older left
    QCOMPARE(windowIds(model), ids.mid(0, 20));
    QVERIFY(!model.hasOlder());
    QVERIFY(!model.fetchOlder());

    QVERIFY(page(false));
    QCOMPARE(windowIds(model), ids.mid(10, 20));
    QVERIFY(page(false));
    QCOMPARE(windowIds(model), ids.mid(20, 20));
    QVERIFY(!model.atNewest());
    QVERIFY(page(false));
    QCOMPARE(windowIds(model), ids.mid(25, 20));
    QVERIFY(model.atNewest());
    QVERIFY(!model.fetchNewer());

    // Jumping to an entry outside the window loads the rows around it.
    QSignalSpy loaded(&model, &JournalFeedModel::rowLoaded);
    model.showEntry(ids.at(3));
    QVERIFY(loaded.wait(5000));
    QCOMPARE(loaded.constFirst().constFirst().toLongLong(), ids.at(3));
    QVERIFY(model.rowOf(ids.at(3)) >= 0);
}

void TestUi::filterReturnsOnlyMatchingRows()
{
    QTemporaryDir dir;
    auto ingest = startPipeline(dir.path());
    QVERIFY(ingest);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(postStripe(ingest->port(), stripeEvent("evt_ui_filter_" + QByteArray::number(i))).status, 200);
    QCOMPARE(postStripeBadSignature(ingest->port(), stripeEvent("evt_ui_filter_bad_1")).status, 401);
    QCOMPARE(postStripeBadSignature(ingest->port(), stripeEvent("evt_ui_filter_bad_2")).status, 401);
    QCOMPARE(postPlain(ingest->port(), "{\"plain\":1}").status, 200);
    QCOMPARE(postPlain(ingest->port(), "{\"plain\":2}").status, 200);
    ingest->journalWriter().sync();

    JournalFeedModel model(*ingest);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 7, 10000);

    // Each filter reloads the window from SQLite: wait for that page, not for a row count that
    // the previous filter may already have.
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    auto apply = [&](const store::JournalFilter &filter) {
        reset.clear();
        model.setFilter(filter);
        return reset.wait(5000);
    };
    store::JournalFilter rejected;
    rejected.verdict = store::Verdict::Rejected;
    QVERIFY(apply(rejected));
    QCOMPARE(model.rowCount(), 2);
    for (int row = 0; row < model.rowCount(); ++row)
        QVERIFY(cell(model, row, JournalFeedModel::Verdict).startsWith(u"rejected"_s));

    store::JournalFilter plain;
    plain.source = u"plain"_s;
    QVERIFY(apply(plain));
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(cell(model, 0, JournalFeedModel::Source), u"plain"_s);
    QCOMPARE(cell(model, 1, JournalFeedModel::Source), u"plain"_s);

    store::JournalFilter key;
    key.keySubstring = "ui_filter_1";
    QVERIFY(apply(key));
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(cell(model, 0, JournalFeedModel::IdempotencyKey), u"evt_ui_filter_1"_s);

    // New rows that do not match stay out of a filtered window.
    QCOMPARE(postPlain(ingest->port(), "{\"plain\":3}").status, 200);
    QCOMPARE(postStripe(ingest->port(), stripeEvent("evt_ui_filter_1x")).status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 2, 5000);
    QCOMPARE(cell(model, 1, JournalFeedModel::IdempotencyKey), u"evt_ui_filter_1x"_s);

    QVERIFY(apply({}));
    QCOMPARE(model.rowCount(), 9);
}

void TestUi::filterBarBuildsTheFilter()
{
    ui::FilterBar bar({u"stripe"_s, u"plain"_s});
    QSignalSpy changed(&bar, &ui::FilterBar::filterChanged);
    auto *source = bar.findChild<QComboBox *>(u"filterSource"_s);
    auto *verdict = bar.findChild<QComboBox *>(u"filterVerdict"_s);
    auto *key = bar.findChild<QLineEdit *>(u"filterKey"_s);
    auto *processing = bar.findChild<QComboBox *>(u"filterProcessingState"_s);
    QVERIFY(source && verdict && key && processing);
    QVERIFY(!bar.filter().processingState);
    QCOMPARE(processing->count(), 7); // "any" and the six states
    QCOMPARE(processing->itemText(4), u"dead-lettered"_s);
    source->setCurrentIndex(2);
    verdict->setCurrentIndex(verdict->findData(u"duplicate"_s));
    processing->setCurrentIndex(processing->findData(int(store::ProcessingState::DeadLettered)));
    key->setText(u"cus_"_s);
    QTRY_VERIFY(changed.size() >= 4); // the key field is debounced
    const store::JournalFilter filter = bar.filter();
    QCOMPARE(filter.source, u"plain"_s);
    QCOMPARE(filter.verdict, std::optional(store::Verdict::Duplicate));
    QCOMPARE(filter.processingState, std::optional(store::ProcessingState::DeadLettered));
    QCOMPARE(filter.keySubstring, QByteArray("cus_"));
    QVERIFY(!filter.kafkaState);
    bar.clear();
    QVERIFY(bar.filter().source.isEmpty());
    QVERIFY(!bar.filter().processingState);
}

void TestUi::inspectorShowsAcceptedEntry()
{
    QTemporaryDir dir;
    auto ingest = startPipeline(dir.path());
    QVERIFY(ingest);
    const RawResponse response = postStripe(ingest->port(), stripeEvent("evt_ui_inspect_ok"));
    QCOMPARE(response.status, 200);
    const qint64 id = journalId(response);
    QTRY_VERIFY_WITH_TIMEOUT(produced(*ingest, id), 10000);

    ui::InspectorPane pane(*ingest);
    QSignalSpy loaded(&pane, &ui::InspectorPane::entryLoaded);
    pane.showEntry(id);
    QVERIFY(loaded.wait(5000));
    const QString request = pane.tabText(ui::InspectorPane::RequestTab);
    QVERIFY2(request.contains(u"POST /webhooks/stripe"_s), qPrintable(request));
    QVERIFY(request.contains(u"Stripe-Signature: t="_s));
    auto *json = pane.findChild<QTreeView *>(u"bodyJson"_s);
    QVERIFY(json && json->model()->rowCount() == 1);
    QVERIFY(json->model()->rowCount(json->model()->index(0, 0)) > 3); // the event's top-level keys
    QVERIFY(pane.tabText(ui::InspectorPane::VerificationTab).contains(u"signature valid"_s));
    const QString dedup = pane.tabText(ui::InspectorPane::DedupTab);
    QVERIFY2(dedup.contains(u"evt_ui_inspect_ok"_s) && dedup.contains(u"holds the claim"_s), qPrintable(dedup));
    const QString kafka = pane.tabText(ui::InspectorPane::KafkaTab);
    const int partition = kafka::murmur2Partition("cus_00000000000000", 6);
    QVERIFY2(kafka.contains(u"webhooks.stripe"_s) && kafka.contains(u"mod 6 partitions = %1"_s.arg(partition))
                 && kafka.contains(u"same partition"_s),
             qPrintable(kafka));
}

void TestUi::inspectorShowsDuplicateEntry()
{
    QTemporaryDir dir;
    auto ingest = startPipeline(dir.path());
    QVERIFY(ingest);
    const QByteArray body = stripeEvent("evt_ui_inspect_dup");
    const qint64 first = journalId(postStripe(ingest->port(), body));
    const RawResponse again = postStripe(ingest->port(), body);
    QCOMPARE(again.status, 200);
    ingest->journalWriter().sync();
    const QList<qint64> ids = allIds(*ingest);
    QCOMPARE(ids.size(), 2);
    QCOMPARE(ids.first(), first);
    const qint64 duplicate = ids.last();

    ui::InspectorPane pane(*ingest);
    QSignalSpy loaded(&pane, &ui::InspectorPane::entryLoaded);
    QSignalSpy link(&pane, &ui::InspectorPane::entryLinkActivated);
    pane.showEntry(duplicate);
    QVERIFY(loaded.wait(5000));
    const QString dedup = pane.tabText(ui::InspectorPane::DedupTab);
    QVERIFY2(dedup.contains(u"duplicate of #%1"_s.arg(first)), qPrintable(dedup));
    QVERIFY(dedup.contains(u"First seen"_s));
    QVERIFY(pane.tabText(ui::InspectorPane::KafkaTab).contains(u"not produced again"_s));

    pane.showEntry(first);
    QVERIFY(loaded.wait(5000));
    const QString firstDedup = pane.tabText(ui::InspectorPane::DedupTab);
    QVERIFY2(firstDedup.contains(u"Duplicates\t1"_s) || firstDedup.contains(u"Duplicates 1"_s)
                 || firstDedup.contains(u"#%1"_s.arg(duplicate)),
             qPrintable(firstDedup));

    // The links select entries.
    auto *browser = pane.findChild<QTextBrowser *>(u"dedupText"_s);
    QVERIFY(browser);
    emit browser->anchorClicked(QUrl(u"journal:%1"_s.arg(duplicate)));
    QCOMPARE(link.size(), 1);
    QCOMPARE(link.constFirst().constFirst().toLongLong(), duplicate);
}

void TestUi::inspectorShowsRejectedEntry()
{
    QTemporaryDir dir;
    auto ingest = startPipeline(dir.path());
    QVERIFY(ingest);
    const QByteArray body = stripeEvent("evt_ui_inspect_bad");
    QCOMPARE(postStripeBadSignature(ingest->port(), body).status, 401);
    const QList<qint64> ids = allIds(*ingest);
    QCOMPARE(ids.size(), 1);

    ui::InspectorPane pane(*ingest);
    QSignalSpy loaded(&pane, &ui::InspectorPane::entryLoaded);
    pane.showEntry(ids.first());
    QVERIFY(loaded.wait(5000));
    const QString verification = pane.tabText(ui::InspectorPane::VerificationTab);
    QVERIFY2(verification.contains(u"signature_mismatch"_s), qPrintable(verification));
    QVERIFY(verification.contains(u"Expected"_s));
    // Why, without the signature that would have been valid over these bytes.
    QVERIFY2(verification.contains(u"matches none of the 1 configured secret"_s), qPrintable(verification));
    QVERIFY(verification.contains(u"not shown"_s));
    QVERIFY(verification.contains(u"Received"_s));
    QVERIFY(verification.contains(u"v1="_s));
    QVERIFY(pane.tabText(ui::InspectorPane::KafkaTab).contains(u"not produced"_s));

    // The paste box finds the first differing byte.
    QByteArray edited = body;
    edited[100] = edited[100] == 'x' ? 'y' : 'x';
    auto *paste = pane.findChild<QPlainTextEdit *>(u"pasteBody"_s);
    auto *result = pane.findChild<QPlainTextEdit *>(u"compareResult"_s);
    QVERIFY(paste && result);
    paste->setPlainText(QString::fromUtf8(edited));
    QVERIFY2(result->toPlainText().contains(u"byte offset 100"_s), qPrintable(result->toPlainText()));
    paste->setPlainText(QString::fromUtf8(body));
    QVERIFY(result->toPlainText().startsWith(u"Identical"_s));
}

void TestUi::byteFormatFindsFirstDifference()
{
    QCOMPARE(ui::ByteFormat::firstDifference("abc", "abc"), qsizetype(-1));
    QCOMPARE(ui::ByteFormat::firstDifference("abc", "abd"), qsizetype(2));
    QCOMPARE(ui::ByteFormat::firstDifference("abc", "abcd"), qsizetype(3));
    const QString dump = ui::ByteFormat::hexDump(QByteArray("{\"id\":1}\x01", 9));
    QVERIFY2(dump.startsWith(u"00000000  7b 22 69 64"_s), qPrintable(dump));
    QVERIFY2(dump.contains(u"|{\"id\":1}."_s), qPrintable(dump));
    QVERIFY(!ui::ByteFormat::isText(QByteArray("\x00\x01", 2)));
    QVERIFY(ui::ByteFormat::isText("{\"a\": \"é\"}\n"));
}

void TestUi::mainWindowHasDocksShortcutsAndCounters()
{
    QTemporaryDir dir;
    auto ingest = startPipeline(dir.path());
    QVERIFY(ingest);
    ui::MainWindow window(*ingest);
    window.show();

    const auto docks = window.findChildren<QDockWidget *>();
    // feed, inspector, partitions, keys, consumers, charts, collections, DLQ, retries, faults
    QCOMPARE(docks.size(), 10);
    QVERIFY(window.findChild<QDockWidget *>(u"faultsDock"_s));
    QVERIFY(window.findChild<QDockWidget *>(u"collectionsDock"_s));
    for (QDockWidget *dock : docks)
        QVERIFY2(!dock->objectName().isEmpty(), "saveState needs object names");
    // Every menu action has a keyboard shortcut.
    for (QAction *menu : window.menuBar()->actions()) {
        for (QAction *action : menu->menu()->actions()) {
            if (action->isSeparator() || action->menu())
                continue;
            QVERIFY2(!action->shortcut().isEmpty(), qPrintable(action->text()));
        }
    }
    QTRY_COMPARE_WITH_TIMEOUT(window.healthText(), u"Healthy"_s, 10000);

    // A test event for the unsigned source goes through the receiver and gets selected.
    QSignalSpy answered(&window, &ui::MainWindow::testEventAnswered);
    window.sendTestEvent(u"plain"_s);
    QVERIFY(answered.wait(10000));
    QCOMPARE(answered.constFirst().at(0).toInt(), 200);
    const qint64 id = answered.constFirst().at(1).toLongLong();
    QVERIFY(id > 0);
    QTRY_COMPARE_WITH_TIMEOUT(window.feed()->model()->idAt(window.feed()->view()->currentIndex().row()), id, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(window.inspector()->entryId(), id, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(window.statusText().startsWith(u"Received 1 "_s), 5000);
    if (const QString shot = qEnvironmentVariable("HOOKBENCH_UI_SCREENSHOT"); !shot.isEmpty())
        QVERIFY(window.grab().save(shot)); // for looking at the layout by hand

    // Pausing freezes the view, not the pipeline.
    window.feed()->model()->setPaused(true);
    // A page asked for before the pause still lands; the count is taken after it.
    QTRY_VERIFY_WITH_TIMEOUT(!window.feed()->model()->isLoading(), 5000);
    const int rows = window.feed()->model()->rowCount();
    QCOMPARE(postPlain(ingest->port(), "{\"while\":\"paused\"}").status, 200);
    QTRY_VERIFY_WITH_TIMEOUT(window.statusText().startsWith(u"Received 2 "_s), 5000);
    QCOMPARE(window.feed()->model()->rowCount(), rows);
    window.feed()->model()->setPaused(false);
    QTRY_COMPARE_WITH_TIMEOUT(window.feed()->model()->rowCount(), rows + 1, 5000);
}

void TestUi::healthStaysInSightWhenKafkaIsDown()
{
    QTemporaryDir dir;
    auto ingest = startPipeline(dir.path());
    QVERIFY(ingest);
    kafka::EmbeddedCluster *cluster = ingest->embeddedCluster();
    QVERIFY(cluster);
    ui::MainWindow window(*ingest);
    window.resize(1300, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *health = window.findChild<QLabel *>(u"healthLabel"_s);
    QVERIFY(health);
    QTRY_COMPARE_WITH_TIMEOUT(window.healthText(), u"Healthy"_s, 10000);
    QVERIFY(health->isVisible());

    // With every broker down the reading is long; the toolbar must not push the health label
    // into its overflow menu.
    const QList<int> brokers = cluster->brokerIds();
    for (int id : brokers)
        QVERIFY(cluster->setBrokerDown(id).ok());
    QCOMPARE(postPlain(ingest->port(), "{\"kafka\":\"down\"}").status, 202);
    QTRY_VERIFY_WITH_TIMEOUT(window.healthText().startsWith(u"Kafka unavailable"_s), 15000);
    QTRY_VERIFY_WITH_TIMEOUT(health->isVisible(), 2000);
    QVERIFY2(health->toolTip().startsWith(window.healthText()), qPrintable(health->toolTip()));
    for (int id : brokers)
        QVERIFY(cluster->setBrokerUp(id).ok());
}

QTEST_MAIN(TestUi)
#include "test_ui.moc"
