// The workbench's "done when", from the window alone: the real MainWindow over a real
// IngestPipeline (embedded cluster, consumer with the simulate handler, SQLite in a temporary
// directory, HTTP over loopback), driven only through its widgets and actions, found by object
// name. One user session, in order:
//   a. Faults pane: the stripe source's handler fails every record permanently; "Send test event"
//   b. the DLQ pane lists the dead letters
//   c. a letter is selected and "Edit & replay…" opens the editor: a field is changed, the diff
//      shows it, re-sign is on; the handler is set back to succeed; Send
//   d. the replayed event is processed ("done" in the feed) and the letter reads "replayed as #n"
//   e. the scenario dialog: blocking keeps per-entity order and catches every duplicate; retry
//      topics break order
//   f. Faults pane: broker down, test events are answered 202 queued and the health indicator
//      says Kafka is unavailable; broker up, every acknowledged event is produced
// and every fault is marked on the charts. The figures are printed with qInfo for the record.
// With HOOKBENCH_SCREENSHOT_DIR set, the window (1600×1000, and 1280×800 once) and the dialogs
// are saved as PNGs at each step.

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QTreeWidget>

#include "core/pipeline/ingest_pipeline.h"
#include "ui/dialogs/payload_editor_dialog.h"
#include "ui/dialogs/scenario_dialog.h"
#include "ui/main_window.h"
#include "ui/models/dead_letter_model.h"
#include "ui/models/journal_feed_model.h"
#include "ui/panes/charts_pane.h"
#include "ui/panes/dlq_pane.h"
#include "ui/panes/feed_pane.h"
#include "ui/panes/inspector_pane.h"
#include "ui_test_support.h"

using namespace Qt::StringLiterals;
using namespace hookbench;

namespace {

constexpr int kDeadlineMs = 60'000; // the consumer group joins first on a loaded machine

// Short retry backoffs so the scenarios run in seconds; one broker so "down" is all of Kafka.
const QByteArray kConfig = R"({
    "sources": [
        {"name": "stripe", "provider": "stripe", "secrets": ["whsec_ui_test_secret"],
         "simulate": {"failure_rate": 0.0, "failure": "transient"},
         "retry": {"strategy": "blocking", "base_ms": 10, "cap_ms": 100, "max_attempts": 30}}
    ],
    "kafka": {"mode": "embedded", "brokers": 1, "partitions": 3, "produce_wait_ms": 1000},
    "consumers": {"count": 1},
    "listen": "127.0.0.1:0"
})";

void saveShot(QWidget &widget, const QString &name)
{
    const QString dir = qEnvironmentVariable("HOOKBENCH_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QCoreApplication::processEvents(); // the last layout and repaint before the grab
    widget.grab().save(dir % u'/' % name);
}

// "accepted 3" in the status bar → 3.
int counter(const QString &status, const QString &name)
{
    const QRegularExpression pattern(u"\\b%1 (\\d+)"_s.arg(name));
    const QRegularExpressionMatch match = pattern.match(status);
    return match.hasMatch() ? match.captured(1).toInt() : -1;
}

} // namespace

class TestWindowDoneWhen final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void fromTheWindowAlone();

private:
    template <typename T>
    T *child(const QString &name) const
    {
        return m_window->findChild<T *>(name);
    }
    void raiseDock(const QString &name);
    void setSimulate(double failureRate, const QString &failureClass);
    // Triggers "Send test event" `count` times; the HTTP answers, in order.
    QList<std::pair<int, qint64>> sendTestEvents(int count);
    QString feedCell(qint64 journalId, int column) const;
    QJsonObject runScenario(ui::ScenarioDialog *dialog);

    QTemporaryDir m_dir;
    std::unique_ptr<pipeline::IngestPipeline> m_pipeline;
    std::unique_ptr<ui::MainWindow> m_window;
};

void TestWindowDoneWhen::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true); // QSettings of the window stay out of ~/.config
    m_pipeline = uitest::startPipeline(m_dir.path(), kConfig);
    QVERIFY(m_pipeline);
    m_window = std::make_unique<ui::MainWindow>(*m_pipeline);
    m_window->resize(1600, 1000);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestWindowDoneWhen::cleanupTestCase()
{
    m_window.reset();
    if (m_pipeline)
        m_pipeline->stop(5000);
}

void TestWindowDoneWhen::raiseDock(const QString &name)
{
    auto *dock = child<QDockWidget>(name);
    QVERIFY2(dock, qPrintable(name));
    dock->show();
    dock->raise();
}

void TestWindowDoneWhen::setSimulate(double failureRate, const QString &failureClass)
{
    raiseDock(u"faultsDock"_s);
    auto *source = child<QComboBox>(u"simSource"_s);
    QVERIFY(source);
    source->setCurrentIndex(source->findText(u"stripe"_s));
    child<QDoubleSpinBox>(u"simRate"_s)->setValue(failureRate);
    auto *failures = child<QComboBox>(u"simClass"_s);
    failures->setCurrentIndex(failures->findData(failureClass));
    QTest::mouseClick(child<QPushButton>(u"simApply"_s), Qt::LeftButton);
    // The pane reads the live settings back once the injector applied them.
    const QString expected = u"%1 % failures"_s.arg(failureRate * 100.0);
    QTRY_VERIFY2_WITH_TIMEOUT(child<QLabel>(u"simState"_s)->text().contains(expected),
                              qPrintable(child<QLabel>(u"simState"_s)->text()), 10'000);
}

QList<std::pair<int, qint64>> TestWindowDoneWhen::sendTestEvents(int count)
{
    QSignalSpy answered(m_window.get(), &ui::MainWindow::testEventAnswered);
    auto *send = child<QAction>(u"sendTestEventAction"_s);
    for (int i = 0; i < count; ++i) {
        send->trigger();
        // One at a time, as a user clicks: the answers come back in order.
        if (!QTest::qWaitFor([&] { return answered.size() > i; }, 20'000))
            break;
    }
    QList<std::pair<int, qint64>> answers;
    for (const QList<QVariant> &args : answered)
        answers.append({args.at(0).toInt(), args.at(1).toLongLong()});
    return answers;
}

QString TestWindowDoneWhen::feedCell(qint64 journalId, int column) const
{
    const ui::JournalFeedModel *model = m_window->feed()->model();
    const int row = model->rowOf(journalId);
    return row < 0 ? QString() : model->index(row, column).data().toString();
}

QJsonObject TestWindowDoneWhen::runScenario(ui::ScenarioDialog *dialog)
{
    QSignalSpy ready(dialog, &ui::ScenarioDialog::reportReady);
    auto *run = dialog->findChild<QPushButton *>(u"runScenario"_s);
    if (!run || !run->isEnabled())
        return {};
    QTest::mouseClick(run, Qt::LeftButton);
    if (!ready.wait(120'000))
        return {};
    return ready.first().first().toJsonObject();
}

void TestWindowDoneWhen::fromTheWindowAlone()
{
    QElapsedTimer total;
    total.start();
    QList<std::pair<int, qint64>> acknowledged; // every 200/202 answer to a test event

    // a. Provoke failures: every stripe record fails permanently, then three test events.
    setSimulate(1.0, u"permanent"_s);
    const auto failing = sendTestEvents(3);
    QCOMPARE(failing.size(), 3);
    for (const auto &[status, id] : failing) {
        QCOMPARE(status, 200);
        QVERIFY(id > 0);
    }
    acknowledged += failing;

    // b. They land in the DLQ.
    raiseDock(u"dlqDock"_s);
    QElapsedTimer toDlq;
    toDlq.start();
    ui::DlqPane *dlq = m_window->dlq();
    QTRY_COMPARE_WITH_TIMEOUT(dlq->model()->rowCount(), 3, kDeadlineMs);
    const qint64 dlqMs = toDlq.elapsed();
    auto *table = child<QTableView>(u"dlqTable"_s);
    QCOMPARE(table->model()->rowCount(), 3);
    QCOMPARE(dlq->model()->index(0, ui::DeadLetterModel::ErrorClass).data().toString(), u"permanent"_s);
    QTRY_VERIFY_WITH_TIMEOUT(child<QLabel>(u"dlqSummary"_s)->text().contains(u"3"_s), 5000);
    for (const auto &[status, id] : failing)
        QTRY_COMPARE_WITH_TIMEOUT(feedCell(id, ui::JournalFeedModel::Processing), u"dead-lettered"_s, 10'000);
    saveShot(*m_window, u"done-when-1-dlq.png"_s);
    qInfo("a/b: 3 test events answered 200; all 3 in the DLQ view %lld ms after the last answer (permanent, "
          "simulate failure rate 100 %%)",
          dlqMs);

    // c. Select one letter, Edit & replay: change the amount, the diff shows it, re-sign is on.
    const QRect firstRow = table->visualRect(table->model()->index(0, ui::DeadLetterModel::Source));
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, firstRow.center());
    QCOMPARE(dlq->selectedLetterIds().size(), 1);
    const qint64 letterId = dlq->selectedLetterIds().constFirst();
    auto *editButton = child<QPushButton>(u"dlqEdit"_s);
    QVERIFY(editButton->isEnabled());
    QTest::mouseClick(editButton, Qt::LeftButton);
    auto *editor = m_window->findChild<ui::PayloadEditorDialog *>();
    QVERIFY(editor);
    QTRY_VERIFY_WITH_TIMEOUT(editor->isLoaded(), 10'000);
    QVERIFY(QTest::qWaitForWindowExposed(editor));
    auto *body = editor->findChild<QPlainTextEdit *>(u"editorBody"_s);
    QString text = body->toPlainText();
    const QRegularExpression amount(u"\"amount_paid\":\\s*2000"_s);
    QVERIFY2(amount.match(text).hasMatch(), qPrintable(text.left(400)));
    text.replace(amount, u"\"amount_paid\": 2500"_s);
    body->setPlainText(text);
    const QString diff = editor->findChild<QPlainTextEdit *>(u"editorDiff"_s)->toPlainText();
    QVERIFY2(diff.contains(u"-"_s) && diff.contains(u"\"amount_paid\": 2000"_s), qPrintable(diff));
    QVERIFY2(diff.contains(u"\"amount_paid\": 2500"_s), qPrintable(diff));
    QVERIFY(editor->findChild<QCheckBox *>(u"editorResign"_s)->isChecked());
    // The event id stays; a new idempotency key lets the receiver take it as a new delivery.
    QTest::mouseClick(editor->findChild<QCheckBox *>(u"editorNewKey"_s), Qt::LeftButton);
    QVERIFY(editor->findChild<QCheckBox *>(u"editorNewKey"_s)->isChecked());
    // The diff says where the new key goes (Stripe: the body's id, rewritten when sending).
    const QString keyNote = editor->findChild<QPlainTextEdit *>(u"editorDiff"_s)
                                ->toPlainText()
                                .section(u"@@ a new idempotency key"_s, 1)
                                .section(u'\n', 0, 0);
    QVERIFY2(keyNote.contains(u"(at "_s), qPrintable(keyNote));
    qInfo("c: the diff's note on the new key: \"a new idempotency key%s\"", qPrintable(keyNote));
    QVERIFY(editor->findChild<QLabel *>(u"editorValidation"_s)->text().contains(u"valid"_s, Qt::CaseInsensitive));
    editor->resize(1200, 800);
    saveShot(*editor, u"done-when-2-editor-diff.png"_s);

    // The handler is fixed (succeeds again) before the replay.
    setSimulate(0.0, u"transient"_s);
    QSignalSpy sent(editor, &ui::PayloadEditorDialog::sent);
    QElapsedTimer toDone;
    toDone.start();
    QTest::mouseClick(editor->findChild<QPushButton *>(u"editorSend"_s), Qt::LeftButton);
    QVERIFY(sent.wait(30'000));
    QCOMPARE(sent.first().at(0).toInt(), 200);
    QCOMPARE(sent.first().at(1).toString(), u"accepted"_s);
    const qint64 replayedId = sent.first().at(3).toLongLong();
    QVERIFY(replayedId > 0);
    acknowledged.append({200, replayedId});
    const QString editorStatus = editor->findChild<QLabel *>(u"editorStatus"_s)->text();
    editor->close();

    // d. The replayed event is processed, and the letter says where it went.
    QTRY_COMPARE_WITH_TIMEOUT(feedCell(replayedId, ui::JournalFeedModel::Processing), u"done"_s, kDeadlineMs);
    const qint64 doneMs = toDone.elapsed();
    QVERIFY2(feedCell(replayedId, ui::JournalFeedModel::Verdict) == u"accepted"_s,
             qPrintable(feedCell(replayedId, ui::JournalFeedModel::Verdict)));
    const int letterRow = dlq->model()->rowOfId(letterId);
    QVERIFY(letterRow >= 0);
    QTRY_COMPARE_WITH_TIMEOUT(dlq->model()->index(letterRow, ui::DeadLetterModel::Status).data().toString(),
                              u"replayed as #%1"_s.arg(replayedId), 10'000);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->inspector()->entryId(), replayedId, 5000); // the window shows it
    saveShot(*m_window, u"done-when-3-replayed.png"_s);
    qInfo("c/d: edited, re-signed replay answered 200 accepted (\"%s\"); entry #%lld processed (done) %lld ms "
          "after Send; letter %lld reads \"replayed as #%lld\"",
          qPrintable(editorStatus), replayedId, doneMs, letterId, replayedId);

    // e. Scenarios: blocking keeps per-entity order and catches every duplicate ...
    auto *scenarios = child<QAction>(u"scenariosAction"_s);
    QVERIFY(scenarios);
    scenarios->trigger();
    auto *dialog = m_window->findChild<ui::ScenarioDialog *>();
    QVERIFY(dialog);
    QVERIFY(QTest::qWaitForWindowExposed(dialog));
    dialog->findChild<QSpinBox *>(u"scenarioEvents"_s)->setValue(60);
    dialog->findChild<QSpinBox *>(u"scenarioEntities"_s)->setValue(4);
    dialog->findChild<QDoubleSpinBox *>(u"scenarioDuplicateRate"_s)->setValue(0.15);
    dialog->findChild<QSpinBox *>(u"scenarioBaseMs"_s)->setValue(10);
    dialog->findChild<QSpinBox *>(u"scenarioMaxAttempts"_s)->setValue(30);
    dialog->findChild<QCheckBox *>(u"scenarioInjectFailures"_s)->setChecked(true);
    dialog->findChild<QDoubleSpinBox *>(u"scenarioFailureRate"_s)->setValue(0.3);
    auto *strategy = dialog->findChild<QComboBox *>(u"scenarioStrategy"_s);
    auto *expect = dialog->findChild<QComboBox *>(u"scenarioExpect"_s);
    strategy->setCurrentIndex(strategy->findData(u"blocking"_s));
    expect->setCurrentIndex(1); // order preserved
    QElapsedTimer scenarioTime;
    scenarioTime.start();
    const QJsonObject blocking = runScenario(dialog);
    const qint64 blockingMs = scenarioTime.elapsed();
    QVERIFY2(blocking.value(u"ok"_s).toBool(), QJsonDocument(blocking).toJson().constData());
    QCOMPARE(blocking.value(u"strategy"_s).toString(), u"blocking"_s);
    const int blockingInjected = blocking.value(u"duplicates_injected"_s).toInt();
    QVERIFY(blockingInjected > 0);
    QCOMPARE(blocking.value(u"duplicates_caught"_s).toInt(), blockingInjected);
    QCOMPARE(blocking.value(u"order"_s).toObject().value(u"violated"_s).toInt(), 0);
    const QString blockingText = dialog->findChild<QTextBrowser *>(u"scenarioResult"_s)->toPlainText();
    QVERIFY2(blockingText.contains(u"Per-entity order preserved"_s), qPrintable(blockingText));
    dialog->resize(1000, 800);
    saveShot(*dialog, u"done-when-4-scenario-blocking.png"_s);

    // ... retry topics break it.
    strategy->setCurrentIndex(strategy->findData(u"topics"_s));
    expect->setCurrentIndex(2); // order violated
    scenarioTime.restart();
    const QJsonObject topics = runScenario(dialog);
    const qint64 topicsMs = scenarioTime.elapsed();
    QVERIFY2(topics.value(u"ok"_s).toBool(), QJsonDocument(topics).toJson().constData());
    QCOMPARE(topics.value(u"strategy"_s).toString(), u"topics"_s);
    const int topicsViolated = topics.value(u"order"_s).toObject().value(u"violated"_s).toInt();
    QVERIFY(topicsViolated > 0);
    QCOMPARE(topics.value(u"duplicates_caught"_s).toInt(), topics.value(u"duplicates_injected"_s).toInt());
    const QString topicsText = dialog->findChild<QTextBrowser *>(u"scenarioResult"_s)->toPlainText();
    QVERIFY2(topicsText.contains(u"First order violations"_s), qPrintable(topicsText));
    saveShot(*dialog, u"done-when-5-scenario-topics.png"_s);
    qInfo("e: blocking: %d events, %d entities, duplicates injected %d / caught %d, order violations %d (%lld ms); "
          "retry topics: duplicates injected %d / caught %d, order violations %d of %d entities (%lld ms)",
          blocking.value(u"planned"_s).toInt(), 4, blockingInjected, blocking.value(u"duplicates_caught"_s).toInt(),
          blocking.value(u"order"_s).toObject().value(u"violated"_s).toInt(), blockingMs,
          topics.value(u"duplicates_injected"_s).toInt(), topics.value(u"duplicates_caught"_s).toInt(), topicsViolated,
          4, topicsMs);
    dialog->close();

    // f. Broker down: test events are answered 202 queued, the indicator says so; broker up:
    // every acknowledged event is produced.
    raiseDock(u"faultsDock"_s);
    const QList<QPushButton *> downs = m_window->findChildren<QPushButton *>(QRegularExpression(u"^brokerDown\\d+$"_s));
    const QList<QPushButton *> ups = m_window->findChildren<QPushButton *>(QRegularExpression(u"^brokerUp\\d+$"_s));
    QVERIFY(!downs.isEmpty());
    QCOMPARE(ups.size(), downs.size());
    const int queuedBefore = counter(m_window->statusText(), u"queued"_s);
    QCOMPARE(queuedBefore, 0);
    for (QPushButton *down : downs)
        QTest::mouseClick(down, Qt::LeftButton);
    for (QLabel *state : m_window->findChildren<QLabel *>(QRegularExpression(u"^brokerState\\d+$"_s)))
        QTRY_COMPARE_WITH_TIMEOUT(state->text(), u"down"_s, 10'000);
    const auto duringOutage = sendTestEvents(3);
    QCOMPARE(duringOutage.size(), 3);
    for (const auto &[status, id] : duringOutage) {
        QCOMPARE(status, 202);
        QVERIFY(id > 0);
        QTRY_COMPARE_WITH_TIMEOUT(feedCell(id, ui::JournalFeedModel::Verdict), u"queued (202)"_s, 5000);
        QCOMPARE(feedCell(id, ui::JournalFeedModel::Placement), u"pending"_s);
    }
    acknowledged += duringOutage;
    QTRY_COMPARE_WITH_TIMEOUT(counter(m_window->statusText(), u"queued"_s), 3, 5000);
    QTRY_VERIFY2_WITH_TIMEOUT(m_window->healthText().startsWith(u"Kafka unavailable"_s),
                              qPrintable(m_window->healthText()), 15'000);
    const QString outageHealth = m_window->healthText();
    // Every fault applied so far (simulate settings, broker down) is marked on the charts.
    auto *timeline = child<QTreeWidget>(u"faultTimeline"_s);
    int applied = 0;
    for (int i = 0; i < timeline->topLevelItemCount(); ++i)
        applied += timeline->topLevelItem(i)->text(2) == u"applied"_s ? 1 : 0;
    QVERIFY(applied >= 3);
    auto *charts = m_window->findChild<ui::ChartsPane *>();
    QTRY_COMPARE_WITH_TIMEOUT(charts->faultMarkerCount(), applied, 5000);
    saveShot(*m_window, u"done-when-6-broker-down.png"_s);
    raiseDock(u"chartsDock"_s);
    saveShot(*m_window, u"done-when-7-charts-faults.png"_s);
    m_window->resize(1280, 800);
    saveShot(*m_window, u"done-when-8-broker-down-1280.png"_s);
    m_window->resize(1600, 1000);

    raiseDock(u"faultsDock"_s);
    const QRegularExpression produced(u"^p\\d+ @ \\d+$"_s); // "p2 @ 17"; "pending" until then
    QElapsedTimer toProduced;
    toProduced.start();
    for (QPushButton *up : ups)
        QTest::mouseClick(up, Qt::LeftButton);
    for (const auto &[status, id] : acknowledged)
        QTRY_VERIFY2_WITH_TIMEOUT(produced.match(feedCell(id, ui::JournalFeedModel::Placement)).hasMatch(),
                                  qPrintable(u"#%1: %2"_s.arg(id).arg(feedCell(id, ui::JournalFeedModel::Placement))),
                                  kDeadlineMs);
    const qint64 producedMs = toProduced.elapsed();
    QTRY_COMPARE_WITH_TIMEOUT(m_window->healthText(), u"Healthy"_s, 30'000);
    // The status bar's own counts: every 200 and every 202 was produced, nothing lost.
    QTRY_VERIFY_WITH_TIMEOUT(counter(m_window->statusText(), u"produced"_s)
                                 == counter(m_window->statusText(), u"accepted"_s)
                                        + counter(m_window->statusText(), u"queued"_s),
                             30'000);
    const QString status = m_window->statusText();
    QVERIFY2(counter(status, u"accepted"_s) > 0 && counter(status, u"queued"_s) == 3, qPrintable(status));
    QTRY_COMPARE_WITH_TIMEOUT(charts->faultMarkerCount(), applied + int(ups.size()), 5000); // the "up"s too
    QStringList changed;
    for (const QString &line : diff.split(u'\n'))
        if (line.startsWith(u'-') || line.startsWith(u'+'))
            changed << line;
    qInfo("c: the diff's changed lines:\n%s", qPrintable(changed.join(u'\n')));
    qInfo("f: broker down → 3 test events answered 202 queued, health \"%s\"; broker up → all %lld test events "
          "answered 200/202 in this session show a partition and offset after %lld ms; status bar: \"%s\" "
          "(produced = accepted + queued); fault markers on the charts: %d, one per applied fault",
          qPrintable(outageHealth), qint64(acknowledged.size()), producedMs, qPrintable(status),
          charts->faultMarkerCount());
    qInfo("done-when session: %lld ms", total.elapsed());
}

QTEST_MAIN(TestWindowDoneWhen)
#include "test_window_done_when.moc"
