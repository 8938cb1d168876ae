// The capture tools in the window, offscreen: the Import dialog on the HAR recorded with
// Chromium, the Collections pane running a replay through a real pipeline's receiver, and the
// window opening a session exported from another data directory.

#include <QDir>
#include <QDragEnterEvent>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

#include "core/capture/har_importer.h"
#include "core/capture/journal_export.h"
#include "core/capture/session_file.h"
#include "core/config/config_loader.h"
#include "core/pipeline/ingest_pipeline.h"
#include "core/store/journal_query.h"
#include "core/store/journal_writer.h"
#include "core/store/processing_store.h"
#include "ui/dialogs/import_dialog.h"
#include "ui/main_window.h"
#include "ui/models/journal_feed_model.h"
#include "ui/panes/collections_pane.h"
#include "ui/panes/dlq_pane.h"
#include "ui/panes/feed_pane.h"
#include "ui/panes/inspector_pane.h"
#include "ui/widgets/empty_view_hint.h"

using namespace Qt::StringLiterals;
using namespace hookbench;

namespace {

void saveShot(QWidget &widget, const QString &name)
{
    const QString dir = qEnvironmentVariable("HOOKBENCH_SCREENSHOT_DIR");
    if (!dir.isEmpty())
        widget.grab().save(QDir(dir).filePath(name));
}

const QByteArray kConfig = R"({"sources": [{"name": "stripe", "provider": "stripe", "secrets": ["whsec_pane"]},
    {"name": "github", "provider": "github", "secrets": ["gh_pane"]}],
    "kafka": {"mode": "embedded", "brokers": 1, "partitions": 2}, "consumers": {"count": 0},
    "listen": "127.0.0.1:0"})";

std::unique_ptr<pipeline::IngestPipeline> startPipeline(const QString &dataDir)
{
    pipeline::PipelineOptions options;
    options.config = *config::ConfigLoader::parse(kConfig, u"<test>"_s);
    options.dataDir = dataDir;
    auto ingest = pipeline::IngestPipeline::start(options);
    return ingest ? std::move(ingest.value()) : nullptr;
}

} // namespace

class TestCollectionsPane final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void importDialogListsEveryEntry();
    void paneRunsAReplayAndReports();
    void windowOpensASessionFromAnotherDataDir();
};

void TestCollectionsPane::importDialogListsEveryEntry()
{
    auto report =
        capture::HarImporter::importFile(QStringLiteral(HOOKBENCH_TEST_DATA_DIR "/har/chromium-webhooks.har"));
    QVERIFY(report.ok());
    ui::ImportDialog dialog(*report);
    dialog.show();
    auto *entries = dialog.findChild<QTreeWidget *>(u"importEntries"_s);
    QVERIFY(entries);
    QCOMPARE(entries->topLevelItemCount(), 7);
    QCOMPARE(dialog.checkedCount(), 3);
    QVERIFY(!dialog.findChild<QPlainTextEdit *>(u"importPreview"_s)->toPlainText().isEmpty());
    // Unchecking one leaves it listed, unselected.
    for (int i = 0; i < entries->topLevelItemCount(); ++i) {
        if (entries->topLevelItem(i)->checkState(0) == Qt::Checked) {
            entries->topLevelItem(i)->setCheckState(0, Qt::Unchecked);
            break;
        }
    }
    QCOMPARE(dialog.checkedCount(), 2);
    const QList<capture::Capture> captures = dialog.captures();
    QCOMPARE(captures.size(), 7);
    QCOMPARE(std::count_if(captures.cbegin(), captures.cend(), [](const auto &c) { return c.selected; }), 2);
    saveShot(dialog, u"import-dialog.png"_s);
}

void TestCollectionsPane::paneRunsAReplayAndReports()
{
    QTemporaryDir dir;
    const QByteArray json = R"({"sources": [{"name": "stripe", "provider": "stripe", "secrets": ["whsec_pane"]},
        {"name": "github", "provider": "github", "secrets": ["gh_pane"]}],
        "kafka": {"mode": "embedded", "brokers": 1, "partitions": 2}, "consumers": {"count": 0},
        "listen": "127.0.0.1:0"})";
    pipeline::PipelineOptions options;
    options.config = *config::ConfigLoader::parse(json, u"<test>"_s);
    options.dataDir = dir.path();
    auto ingest = pipeline::IngestPipeline::start(options);
    QVERIFY(ingest.ok());

    ui::CollectionsPane pane(**ingest);
    pane.resize(1100, 420);
    pane.show();
    auto report =
        capture::HarImporter::importFile(QStringLiteral(HOOKBENCH_TEST_DATA_DIR "/har/chromium-webhooks.har"));
    QVERIFY(report.ok());
    capture::ReplayCollection collection;
    for (capture::Capture c : report->captures) {
        c.selected = c.selected && c.source != u"twilio"_s;
        collection.captures.append(c);
    }
    collection.options.resign = true;
    collection.options.duplicateRate = 1.0;
    pane.setCollection(collection);
    QCOMPARE(pane.collection().plan().size(), 4);

    // Before the first run the list of entries it makes says what it is for.
    auto *hint = pane.findChild<QListWidget *>(u"collectionJournalLinks"_s)->findChild<ui::EmptyViewHint *>();
    QVERIFY(hint && hint->showing());
    saveShot(pane, u"collections-pane-before.png"_s);

    QSignalSpy finished(&pane, &ui::CollectionsPane::runFinished);
    pane.run();
    QVERIFY(pane.isRunning());
    QVERIFY(finished.wait(60'000));
    const auto result = finished.constFirst().constFirst().value<capture::ReplayReport>();
    QVERIFY2(result.allAsExpected(), qPrintable(result.toText()));
    QCOMPARE(result.dedupCatches, 2);
    QVERIFY(!hint->showing());
    QVERIFY(pane.reportText().contains(u"4 of 4 sent"_s));
    auto *progress = pane.findChild<QProgressBar *>(u"collectionProgress"_s);
    QCOMPARE(progress->value(), progress->maximum());
    QCOMPARE(pane.findChild<QListWidget *>(u"collectionJournalLinks"_s)->count(), 4);
    QSignalSpy activated(&pane, &ui::CollectionsPane::journalEntryActivated);
    auto *links = pane.findChild<QListWidget *>(u"collectionJournalLinks"_s);
    emit links->itemActivated(links->item(0));
    QCOMPARE(activated.size(), 1);
    QCOMPARE(activated.constFirst().constFirst().toLongLong(), result.journalIds.constFirst());
    saveShot(pane, u"collections-pane.png"_s);
    (*ingest)->stop();
}

void TestCollectionsPane::windowOpensASessionFromAnotherDataDir()
{
    // The QA side: a replay of the Chromium HAR, then a handler history on one entry, exported.
    QTemporaryDir first;
    auto ingest = startPipeline(first.path());
    QVERIFY(ingest);
    auto har = capture::HarImporter::importFile(QStringLiteral(HOOKBENCH_TEST_DATA_DIR "/har/chromium-webhooks.har"));
    QVERIFY(har.ok());
    capture::ReplayCollection collection;
    for (capture::Capture c : har->captures) {
        c.selected = c.selected && c.source != u"twilio"_s;
        collection.captures.append(c);
    }
    collection.options.resign = true;
    {
        ui::CollectionsPane pane(*ingest);
        pane.setCollection(collection);
        QSignalSpy finished(&pane, &ui::CollectionsPane::runFinished);
        pane.run();
        QVERIFY(finished.wait(60'000));
    }
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            ingest->journalWriter().sync();
            auto query = store::JournalQuery::open(ingest->databasePath());
            store::JournalFilter produced;
            produced.kafkaState = store::KafkaState::Produced;
            return query && *(*query)->count(produced) == 2;
        }(),
        30'000);
    auto before = capture::JournalExport::select(ingest->databasePath(), {}, store::JournalFilter{});
    QVERIFY(before.ok());
    QCOMPARE(before->entries.size(), 2);
    const qint64 deadId = before->entries.constLast().id;
    ingest->journalWriter().write(
        [deadId](store::Database &db) -> Result<void> {
            store::ProcessingStore processing(db);
            for (int attempt = 1; attempt <= 2; ++attempt) {
                store::AttemptRow row;
                row.journalId = deadId;
                row.source = u"github"_s;
                row.attempt = attempt;
                row.outcome = attempt == 1 ? store::AttemptOutcome::Transient : store::AttemptOutcome::Permanent;
                row.error = u"handler said no %1"_s.arg(attempt);
                if (auto r = processing.recordAttempt(row); !r)
                    return r.error();
            }
            store::DeadLetterRow letter;
            letter.journalId = deadId;
            letter.source = u"github"_s;
            letter.value = "dead";
            letter.error = u"handler said no 2"_s;
            letter.attempts = 2;
            if (auto r = processing.addDeadLetter(letter); !r)
                return r.error();
            return {};
        },
        nullptr, {});
    ingest->journalWriter().sync();
    auto selected = capture::JournalExport::select(ingest->databasePath(), {}, store::JournalFilter{});
    QVERIFY(selected.ok());
    const QString sessionPath = QDir(first.path()).filePath(u"bug-1234.hbsession"_s);
    QVERIFY(capture::SessionFile::write(*selected, sessionPath).ok());
    const QList<store::JournalEntry> originals = selected->entries;
    ingest->stop();
    ingest.reset();

    // The developer side: another data directory, the window opens the file as `hookbench FILE` does.
    QTemporaryDir second;
    ingest = startPipeline(second.path());
    QVERIFY(ingest);
    ui::MainWindow window(*ingest);
    window.resize(1500, 900);
    window.show();
    QSignalSpy opened(window.collections(), &ui::CollectionsPane::sessionOpened);
    window.openFiles({sessionPath});
    QVERIFY(opened.wait(30'000));
    const auto ids = opened.constFirst().constFirst().value<QHash<qint64, qint64>>();
    QCOMPARE(ids.size(), originals.size());

    ui::JournalFeedModel *feed = window.feed()->model();
    for (const store::JournalEntry &original : originals) {
        const qint64 id = ids.value(original.id);
        QVERIFY(id > 0);
        QTRY_VERIFY_WITH_TIMEOUT(feed->rowOf(id) >= 0, 10'000);
        const int row = feed->rowOf(id);
        QCOMPARE(feed->data(feed->index(row, ui::JournalFeedModel::Source)).toString(), original.source);
        QVERIFY(feed->data(feed->index(row, ui::JournalFeedModel::Placement))
                    .toString()
                    .contains(QString::number(original.offset)));
    }
    // The first imported entry is shown; the one with the handler history shows its attempts.
    ui::InspectorPane *inspector = window.inspector();
    QTRY_COMPARE_WITH_TIMEOUT(inspector->entryId(), std::min(ids.value(originals.at(0).id), ids.value(deadId)), 10'000);
    window.feed()->selectEntry(ids.value(deadId));
    QTRY_COMPARE_WITH_TIMEOUT(inspector->entryId(), ids.value(deadId), 10'000);
    QTRY_VERIFY_WITH_TIMEOUT(inspector->tabText(ui::InspectorPane::ProcessingTab).contains(u"handler said no 2"_s),
                             10'000);
    const QString kafka = inspector->tabText(ui::InspectorPane::KafkaTab);
    QVERIFY2(kafka.contains(QString::number(originals.constLast().offset)), qPrintable(kafka));
    inspector->tabs()->setCurrentIndex(ui::InspectorPane::ProcessingTab);
    saveShot(window, u"session-opened.png"_s);

    // The imported dead letter is in the DLQ, whose context menu has the feed's exports.
    ui::DlqPane *dlq = window.dlq();
    QTRY_COMPARE_WITH_TIMEOUT(dlq->view()->model()->rowCount(), 1, 10'000);
    dlq->view()->selectRow(0);
    QCOMPARE(dlq->selectedJournalIds(), QList<qint64>{ids.value(deadId)});
    QMenu menu;
    emit dlq->contextMenuAboutToShow(&menu, dlq->selectedJournalIds());
    QStringList texts;
    for (const QAction *action : menu.actions())
        texts.append(action->text());
    QVERIFY2(texts.contains(u"Export as session…"_s) && texts.contains(u"Copy as curl (signed again)"_s),
             qPrintable(texts.join(u", "_s)));

    // Everything is reachable from the File menu too: open, import, and export of the feed's selection.
    QMenu *fileMenu = window.menuBar()->actions().constFirst()->menu();
    QStringList fileTexts;
    QMenu *exportMenu = nullptr;
    for (QAction *action : fileMenu->actions()) {
        fileTexts.append(action->text());
        if (action->menu())
            exportMenu = action->text() == u"&Export selected entries"_s ? action->menu() : exportMenu;
    }
    for (const QString &text : {u"&Open session…"_s, u"Open co&llection…"_s, u"&Import captures…"_s})
        QVERIFY2(fileTexts.contains(text), qPrintable(fileTexts.join(u", "_s)));
    QVERIFY(exportMenu);
    emit exportMenu->aboutToShow(); // the feed's selection: the dead-lettered entry
    QVERIFY(exportMenu->actions().size() >= 5);
    QVERIFY(exportMenu->actions().constFirst()->isEnabled());

    // A collection file dropped onto the window opens in the Collections pane, options and all
    // (larger than the head that input detection reads: the format comes first in the file).
    collection.options.seed = 4242;
    const QString collectionPath = QDir(first.path()).filePath(u"regression.hbcollection"_s);
    QVERIFY(collection.save(collectionPath).ok());
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(collectionPath)});
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&window, &enter);
    QCoreApplication::sendEvent(&window, &drop);
    QTRY_COMPARE_WITH_TIMEOUT(window.collections()->collection().captures.size(), collection.captures.size(), 10'000);
    QCOMPARE(window.collections()->collection().options.seed, quint64(4242));
    ingest->stop();
}

QTEST_MAIN(TestCollectionsPane)
#include "test_collections_pane.moc"
