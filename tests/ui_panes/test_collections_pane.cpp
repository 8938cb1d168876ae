// The capture tools in the window, offscreen: the Import dialog on the HAR recorded with
// Chromium, and the Collections pane running a replay through a real pipeline's receiver.

#include <QDir>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

#include "core/capture/har_importer.h"
#include "core/config/config_loader.h"
#include "core/pipeline/ingest_pipeline.h"
#include "ui/dialogs/import_dialog.h"
#include "ui/panes/collections_pane.h"

using namespace Qt::StringLiterals;
using namespace hookbench;

namespace {

void saveShot(QWidget &widget, const QString &name)
{
    const QString dir = qEnvironmentVariable("HOOKBENCH_SCREENSHOT_DIR");
    if (!dir.isEmpty())
        widget.grab().save(QDir(dir).filePath(name));
}

} // namespace

class TestCollectionsPane final : public QObject
{
    Q_OBJECT

private slots:
    void importDialogListsEveryEntry();
    void paneRunsAReplayAndReports();
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

    QSignalSpy finished(&pane, &ui::CollectionsPane::runFinished);
    pane.run();
    QVERIFY(pane.isRunning());
    QVERIFY(finished.wait(60'000));
    const auto result = finished.constFirst().constFirst().value<capture::ReplayReport>();
    QVERIFY2(result.allAsExpected(), qPrintable(result.toText()));
    QCOMPARE(result.dedupCatches, 2);
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

QTEST_MAIN(TestCollectionsPane)
#include "test_collections_pane.moc"
