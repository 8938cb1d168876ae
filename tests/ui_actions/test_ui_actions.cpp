// Acting from the window on real parts: a real IngestPipeline on 127.0.0.1:0 with the embedded
// cluster, one consumer running the simulate handler, SQLite in a temporary directory, requests
// over loopback, widgets on the offscreen platform. Covers the DLQ view (single and bulk replay,
// dry run, loop guard, discard), the payload editor (validation, diff, re-sign or not), the
// Retries view (retry now, give up) and the window's accepted count and Kafka health.

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeView>

#include "core/kafka/embedded_cluster.h"
#include "core/kafka/murmur2.h"
#include "core/pipeline/ingest_pipeline.h"
#include "core/processing/event_processor.h"
#include "core/store/processing_query.h"
#include "ui/dialogs/payload_editor_dialog.h"
#include "ui/format/json_text.h"
#include "ui/main_window.h"
#include "ui/models/dead_letter_filter.h"
#include "ui/models/dead_letter_model.h"
#include "ui/models/scheduled_retry_model.h"
#include "ui/panes/dlq_pane.h"
#include "ui/panes/inspector_pane.h"
#include "ui/panes/retries_pane.h"
#include "ui_actions_support.h"

using namespace Qt::StringLiterals;
using namespace hookbench;
using namespace uiactions;

namespace {

constexpr int kDeadlineMs = 60'000; // the consumer group joins first

QList<store::DeadLetterRow> letters(const pipeline::IngestPipeline &ingest)
{
    auto query = store::ProcessingQuery::open(ingest.databasePath());
    if (!query)
        return {};
    auto rows = (*query)->deadLetters(std::nullopt, 0);
    return rows ? *rows : QList<store::DeadLetterRow>{};
}

QList<qint64> deadIds(const QList<store::DeadLetterRow> &rows)
{
    QList<qint64> ids;
    for (const store::DeadLetterRow &row : rows) {
        if (row.status == store::DeadLetterStatus::Dead)
            ids.append(row.id);
    }
    return ids;
}

std::pair<QByteArray, QByteArray> keysOnTwoPartitions(int partitions)
{
    const QByteArray a = "k0";
    for (int i = 1;; ++i) {
        const QByteArray b = "k" + QByteArray::number(i);
        if (kafka::murmur2Partition(b, partitions) != kafka::murmur2Partition(a, partitions))
            return {a, b};
    }
}

} // namespace

class TestUiActions final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void jsonValidationNamesLineAndColumn();
    void dlqViewReplaysAndGuardsLoops();
    void dlqDiscardIsRecorded();
    void editorResignPassesAndOldSignatureIsRejected();
    void editorRawModeForFormBodies();
    void retriesViewRetriesNowAndGivesUp();
    void windowCountsAcceptedAndMeasuresKafka();
    void inspectorFormatsLargeBodiesOffTheGuiThread();
};

void TestUiActions::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true); // QSettings of the main window stay out of ~/.config
}

void TestUiActions::jsonValidationNamesLineAndColumn()
{
    const ui::JsonCheck ok = ui::JsonText::check(u"{\"a\": [1, 2]}"_s);
    QVERIFY(ok.ok);
    const ui::JsonCheck bad = ui::JsonText::check(u"{\n  \"a\": 1,\n  \"b\" 2\n}"_s);
    QVERIFY(!bad.ok);
    QCOMPARE(bad.line, 3);
    QVERIFY2(bad.column >= 6 && bad.column <= 8, qPrintable(QString::number(bad.column)));
    QVERIFY(!bad.message.isEmpty());
    // Offsets count UTF-8 bytes; columns count characters.
    QCOMPARE(ui::JsonText::lineColumn(u"ab\ncd"_s, 4), std::make_pair(2, 2));
    QCOMPARE(ui::JsonText::lineColumn(u"\"é€\" x"_s, 7), std::make_pair(1, 5));
    QCOMPARE(ui::JsonText::pretty(u"{\"a\":1}"_s), u"{\n    \"a\": 1\n}\n"_s);
    QCOMPARE(ui::JsonText::compact(u"{\n \"a\" : 1 }"_s), u"{\"a\":1}"_s);
}

// Three events of cus_bad die at once (permanent). One is replayed alone to its topic, is consumed
// again, dies again and comes back flagged with its replay count; the dry run of all dead letters
// with a limit of 1 shows the two it would send and the flagged one it skips; the bulk replay
// through the receiver sends exactly those two.
void TestUiActions::dlqViewReplaysAndGuardsLoops()
{
    QTemporaryDir dir;
    auto ingest = uitest::startPipeline(dir.path(), configJson());
    QVERIFY(ingest);
    ui::DlqPane pane(*ingest);
    QAbstractItemModelTester tester(pane.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester filterTester(pane.filter(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(pane.model(), &QAbstractItemModel::rowsInserted);

    for (const QByteArray id : {"evt_dlq_a", "evt_dlq_b", "evt_dlq_c"})
        QCOMPARE(uitest::postStripe(ingest->port(), stripeEvent(id, "cus_bad")).status, 200);
    QCOMPARE(uitest::postStripe(ingest->port(), stripeEvent("evt_dlq_ok", "cus_good")).status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(pane.model()->rowCount(), 3, kDeadlineMs);
    QVERIFY(!inserted.isEmpty());

    const ui::DeadLetterModel &model = *pane.model();
    QCOMPARE(model.index(0, ui::DeadLetterModel::Source).data().toString(), u"stripe"_s);
    QCOMPARE(model.index(0, ui::DeadLetterModel::EventType).data().toString(), u"invoice.paid"_s);
    QCOMPARE(model.index(0, ui::DeadLetterModel::EntityKey).data().toString(), u"cus_bad"_s);
    QCOMPARE(model.index(0, ui::DeadLetterModel::ErrorClass).data().toString(), u"permanent"_s);
    QVERIFY(model.index(0, ui::DeadLetterModel::Error).data().toString().startsWith(u"simulate: "_s));
    QCOMPARE(model.index(0, ui::DeadLetterModel::Attempts).data().toInt(), 1);
    QVERIFY(model.index(0, ui::DeadLetterModel::Original).data().toString().startsWith(u"webhooks.stripe / "_s));
    // One error group with its count, after "All errors".
    QTRY_COMPARE_WITH_TIMEOUT(pane.groups()->count(), 2, 5000);
    QCOMPARE(pane.groups()->item(0)->text(), u"All errors (3)"_s);
    QVERIFY2(pane.groups()->item(1)->text().startsWith(u"3 × permanent · simulate: "_s),
             qPrintable(pane.groups()->item(1)->text()));

    // A single replay to the topic: accepted, the letter reads "replayed as #n", and the event
    // (still failing) dies again with a replay count of 1.
    const qint64 first = model.item(0).id;
    pane.selectLetters({first});
    QSignalSpy finished(&pane, &ui::DlqPane::actionFinished);
    pane.replaySelected(replay::ReplayMode::Topic);
    QVERIFY(finished.wait(30'000));
    QVERIFY2(pane.resultText().contains(u"accepted"_s), qPrintable(pane.resultText()));
    QTRY_VERIFY_WITH_TIMEOUT(
        model.index(model.rowOfId(first), ui::DeadLetterModel::Status).data().toString().startsWith(u"replayed as #"_s),
        10'000);
    QTRY_COMPARE_WITH_TIMEOUT(pane.model()->rowCount(), 4, kDeadlineMs);
    const ui::DeadLetterItem again = model.item(3);
    QCOMPARE(again.replayCount, 1);
    QCOMPARE(model.index(3, ui::DeadLetterModel::Replays).data().toString(), u"⟳ 1"_s);
    QTRY_VERIFY_WITH_TIMEOUT(pane.findChild<QLabel *>(u"dlqSummary"_s)->text().contains(u"1 dead again"_s), 5000);

    // Dry run over every dead letter with a limit of 1 replay: two would go, the flagged one not.
    const QList<qint64> dead = deadIds(letters(*ingest));
    QCOMPARE(dead.size(), 3);
    pane.setLoopGuard(1, false);
    pane.selectLetters(dead);
    QCOMPARE(pane.selectedLetterIds(), dead);
    finished.clear();
    pane.dryRun(replay::ReplayMode::Topic);
    QVERIFY(finished.wait(10'000));
    const QString plan = pane.resultText();
    QVERIFY2(plan.contains(u"would send 2 letter(s)"_s), qPrintable(plan));
    QVERIFY2(plan.contains(u"topics: webhooks.stripe (2)"_s), qPrintable(plan));
    QVERIFY2(plan.contains(u"keys: cus_bad"_s), qPrintable(plan));
    QVERIFY2(plan.contains(u"skipped letter %1 (loop_guard): dead-lettered again after 1 replay(s)"_s.arg(again.id)),
             qPrintable(plan));
    QCOMPARE(letters(*ingest).size(), 4); // a dry run sends nothing

    // The bulk replay through the receiver sends the same two (re-signed, new keys).
    finished.clear();
    pane.replaySelected(replay::ReplayMode::Receiver);
    QVERIFY(finished.wait(30'000));
    QVERIFY2(pane.resultText().contains(u"answers: 2 accepted"_s), qPrintable(pane.resultText()));
    const QList<store::DeadLetterRow> after = letters(*ingest);
    for (const store::DeadLetterRow &row : after) {
        if (row.id == again.id)
            QCOMPARE(row.status, store::DeadLetterStatus::Dead);
        else if (dead.contains(row.id))
            QCOMPARE(row.status, store::DeadLetterStatus::Replayed);
    }
    // With "include them" the flagged one goes too.
    pane.setLoopGuard(1, true);
    pane.selectLetters({again.id});
    finished.clear();
    pane.dryRun(replay::ReplayMode::Topic);
    QVERIFY(finished.wait(10'000));
    QVERIFY2(pane.resultText().contains(u"would send 1 letter(s)"_s), qPrintable(pane.resultText()));
}

void TestUiActions::dlqDiscardIsRecorded()
{
    QTemporaryDir dir;
    auto ingest = uitest::startPipeline(dir.path(), configJson());
    QVERIFY(ingest);
    ui::DlqPane pane(*ingest);
    QAbstractItemModelTester tester(pane.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(uitest::postStripe(ingest->port(), stripeEvent("evt_discard", "cus_bad")).status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(pane.filter()->rowCount(), 1, kDeadlineMs);
    const qint64 id = pane.model()->item(0).id;
    pane.selectLetters({id});
    QSignalSpy finished(&pane, &ui::DlqPane::actionFinished);
    QSignalSpy changed(pane.model(), &QAbstractItemModel::dataChanged);
    pane.discardSelected();
    QVERIFY(finished.wait(10'000));
    QVERIFY2(pane.resultText().contains(u"Letter %1 discarded"_s.arg(id)), qPrintable(pane.resultText()));
    QTRY_COMPARE_WITH_TIMEOUT(pane.model()->index(0, ui::DeadLetterModel::Status).data().toString(), u"discarded"_s,
                              10'000);
    QCOMPARE(changed.size(), 1);            // one row changed: one dataChanged
    QCOMPARE(pane.filter()->rowCount(), 0); // only dead letters are shown by default
    QCOMPARE(letters(*ingest).constFirst().status, store::DeadLetterStatus::Discarded);
    // A second discard is refused with the reason.
    pane.filter()->setDeadOnly(false);
    pane.selectLetters({id});
    finished.clear();
    pane.discardSelected();
    QVERIFY(finished.wait(10'000));
    QVERIFY2(pane.resultText().contains(u"already discarded"_s), qPrintable(pane.resultText()));
}

// Edit the amount of an accepted Stripe event and send it through the receiver: re-signed it is
// accepted as a new entry; with the old signature kept it is rejected with signature_mismatch. The
// diff shows the changed body line and, when re-signing, the new Stripe-Signature.
void TestUiActions::editorResignPassesAndOldSignatureIsRejected()
{
    QTemporaryDir dir;
    auto ingest = uitest::startPipeline(dir.path(), configJson());
    QVERIFY(ingest);
    const RawResponse original = uitest::postStripe(ingest->port(), stripeEvent("evt_edit", "cus_good"));
    QCOMPARE(original.status, 200);
    const qint64 originalId = uitest::journalId(original);

    for (const bool resign : {true, false}) {
        ui::PayloadEditorDialog editor(*ingest, originalId, 0);
        QSignalSpy loaded(&editor, &ui::PayloadEditorDialog::loaded);
        QVERIFY(editor.isLoaded() || loaded.wait(10'000));
        QVERIFY(!editor.rawMode());
        QVERIFY(editor.validation().ok);
        QVERIFY(!LineDiff::hasChanges(editor.bodyDiff()));

        // Invalid JSON is named by line and column, and cannot be sent as JSON.
        QString text = editor.bodyEdit()->toPlainText();
        editor.bodyEdit()->setPlainText(text + u",}"_s);
        QVERIFY(!editor.validation().ok);
        QVERIFY2(editor.validationText().startsWith(u"Line "_s), qPrintable(editor.validationText()));
        QVERIFY(!editor.canSend());

        const QString newId = resign ? u"evt_edit_resigned"_s : u"evt_edit_kept"_s;
        text.replace(u"\"amount_paid\": 2000"_s, u"\"amount_paid\": 2500"_s);
        text.replace(u"\"evt_edit\""_s, u"\""_s % newId % u'"');
        editor.bodyEdit()->setPlainText(text);
        QVERIFY(editor.validation().ok);
        editor.setSendTo(ui::PayloadEditorDialog::SendTo::Receiver);
        editor.setResign(resign);

        const QList<DiffLine> bodyDiff = editor.bodyDiff();
        QCOMPARE(std::count_if(bodyDiff.cbegin(), bodyDiff.cend(),
                               [](const DiffLine &l) { return l.kind == DiffLine::Kind::Removed; }),
                 2);
        QCOMPARE(std::count_if(bodyDiff.cbegin(), bodyDiff.cend(),
                               [](const DiffLine &l) { return l.kind == DiffLine::Kind::Added; }),
                 2);
        const QString diff = editor.diffText();
        QVERIFY2(diff.contains(u"-       \"amount_paid\": 2000,"_s), qPrintable(diff));
        QVERIFY2(diff.contains(u"+       \"amount_paid\": 2500,"_s), qPrintable(diff));
        QCOMPARE(diff.contains(u"+ Stripe-Signature: t="_s), resign);
        QCOMPARE(diff.contains(u"@@ headers (unchanged)"_s), !resign);

        QSignalSpy sent(&editor, &ui::PayloadEditorDialog::sent);
        editor.send();
        QVERIFY(sent.wait(30'000));
        const QList<QVariant> answer = sent.takeFirst();
        if (resign) {
            QCOMPARE(answer.at(0).toInt(), 200);
            QCOMPARE(answer.at(1).toString(), u"accepted"_s);
            QVERIFY(answer.at(3).toLongLong() > originalId);
        } else {
            QCOMPARE(answer.at(0).toInt(), 401);
            QCOMPARE(answer.at(1).toString(), u"rejected"_s);
            QCOMPARE(answer.at(2).toString(), u"signature_mismatch"_s);
        }
        QVERIFY2(editor.statusText().startsWith(u"HTTP "_s), qPrintable(editor.statusText()));
    }
}

void TestUiActions::editorRawModeForFormBodies()
{
    QTemporaryDir dir;
    auto ingest = uitest::startPipeline(dir.path(), configJson());
    QVERIFY(ingest);
    const QByteArray form = "SmsSid=SM1&SmsStatus=delivered&To=%2B1555";
    const RawResponse posted =
        post(ingest->port(), "/webhooks/plain", form, {{"Content-Type", "application/x-www-form-urlencoded"}});
    QCOMPARE(posted.status, 200);
    ui::PayloadEditorDialog editor(*ingest, uitest::journalId(posted), 0);
    QSignalSpy loaded(&editor, &ui::PayloadEditorDialog::loaded);
    QVERIFY(editor.isLoaded() || loaded.wait(10'000));
    QVERIFY(editor.rawMode());
    QVERIFY(editor.canSend());
    QCOMPARE(editor.editedBody(), form);
    // Headers are a list: one removed and one added show in the diff and are what is sent.
    editor.headersTable()->removeRow(0);
    editor.headersTable()->insertRow(0);
    editor.headersTable()->setItem(0, 0, new QTableWidgetItem(u"X-Edited"_s));
    editor.headersTable()->setItem(0, 1, new QTableWidgetItem(u"yes"_s));
    QVERIFY2(editor.diffText().contains(u"+ X-Edited: yes"_s), qPrintable(editor.diffText()));
    QVERIFY(editor.editedHeaders().contains(qMakePair(QByteArray("X-Edited"), QByteArray("yes"))));
    // Saved as a fixture (the body byte for byte) and as a template (resources/templates' format).
    QTemporaryDir out;
    QVERIFY(editor.saveFixture(out.filePath(u"body.txt"_s)));
    QFile fixture(out.filePath(u"body.txt"_s));
    QVERIFY(fixture.open(QIODevice::ReadOnly));
    QCOMPARE(fixture.readAll(), form);
    QVERIFY(editor.saveTemplate(out.filePath(u"template.json"_s)));
    QFile templateFile(out.filePath(u"template.json"_s));
    QVERIFY(templateFile.open(QIODevice::ReadOnly));
    const QJsonObject saved = QJsonDocument::fromJson(templateFile.readAll()).object();
    QCOMPARE(saved.value(u"provider"_s).toString(), u"none"_s);
    QCOMPARE(saved.value(u"body_text"_s).toString(), QString::fromLatin1(form));
    QCOMPARE(saved.value(u"headers"_s).toArray().at(0).toArray().at(0).toString(), u"X-Edited"_s);

    // Provider "none" keys on the body's hash: there is no key to mint, and the editor says why.
    editor.setNewIdempotencyKey(true);
    QSignalSpy sent(&editor, &ui::PayloadEditorDialog::sent);
    editor.send();
    QVERIFY(sent.wait(30'000));
    QCOMPARE(sent.first().at(1).toString(), u"error"_s);
    QVERIFY2(sent.first().at(2).toString().contains(u"from the body (sha256)"_s),
             qPrintable(sent.first().at(2).toString()));
    // An edited body is a new key by itself.
    editor.setNewIdempotencyKey(false);
    editor.bodyEdit()->setPlainText(QString::fromLatin1(form) + u"&Edited=1"_s);
    sent.clear();
    editor.send();
    QVERIFY(sent.wait(30'000));
    QCOMPARE(sent.first().at(1).toString(), u"accepted"_s);
}

// Two "slow" events fail and wait hours for their next attempt: the Retries view lists both
// with attempt 2 and the last error; "Retry now" attempts one at once (it fails again and waits
// for attempt 3), "Give up" dead-letters the other.
void TestUiActions::retriesViewRetriesNowAndGivesUp()
{
    QTemporaryDir dir;
    auto ingest = uitest::startPipeline(dir.path(), configJson());
    QVERIFY(ingest);
    ui::RetriesPane pane(*ingest);
    QAbstractItemModelTester tester(pane.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    // Keys on the two partitions, so the blocking strategy lets both wait side by side.
    const auto [keyA, keyB] = keysOnTwoPartitions(2);
    QCOMPARE(postSlow(ingest->port(), keyA).status, 200);
    QCOMPARE(postSlow(ingest->port(), keyB).status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(pane.model()->rowCount(), 2, kDeadlineMs);
    const ui::ScheduledRetryModel &model = *pane.model();
    for (int r = 0; r < 2; ++r) {
        QCOMPARE(model.index(r, ui::ScheduledRetryModel::Attempt).data().toInt(), 2);
        const QString due = model.index(r, ui::ScheduledRetryModel::DueIn).data().toString();
        QVERIFY2(due.contains(u" h "_s) || due.contains(u" min "_s), qPrintable(due));
        QVERIFY(model.index(r, ui::ScheduledRetryModel::LastError).data().toString().startsWith(u"simulate: "_s));
        QCOMPARE(model.index(r, ui::ScheduledRetryModel::Strategy).data().toString(), u"blocking"_s);
    }
    const qint64 retriedJournal = model.retry(0).journalId;
    const qint64 givenUpJournal = model.retry(1).journalId;

    QSignalSpy finished(&pane, &ui::RetriesPane::actionFinished);
    pane.view()->selectRow(0);
    pane.retryNowSelected();
    QVERIFY(finished.wait(10'000));
    QCOMPARE(pane.resultText(), u"1 retried now"_s);
    auto query = store::ProcessingQuery::open(ingest->databasePath());
    QVERIFY(query);
    QTRY_COMPARE_WITH_TIMEOUT((*query)->attemptsFor(retriedJournal)->size(), 2, 20'000);
    auto attemptOf = [&model](qint64 journalId) {
        for (int r = 0; r < model.rowCount(); ++r) {
            if (model.retry(r).journalId == journalId)
                return model.retry(r).attempt;
        }
        return 0;
    };
    QTRY_COMPARE_WITH_TIMEOUT(attemptOf(retriedJournal), 3, 10'000);

    pane.view()->clearSelection();
    for (int r = 0; r < model.rowCount(); ++r) {
        if (model.retry(r).journalId == givenUpJournal)
            pane.view()->selectRow(r);
    }
    finished.clear();
    pane.giveUpSelected();
    QVERIFY(finished.wait(10'000));
    QCOMPARE(pane.resultText(), u"1 given up → DLQ"_s);
    QTRY_COMPARE_WITH_TIMEOUT(letters(*ingest).size(), 1, 20'000);
    QCOMPARE(letters(*ingest).constFirst().journalId, givenUpJournal);
    QVERIFY(letters(*ingest).constFirst().error.startsWith(u"given up by the user after 1 attempts: simulate: "_s));
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 1, 5000);
}

// The status bar counts 200 accepted and 202 queued answers apart (from the metrics, not
// received - duplicates - rejected), and the health indicator reports Kafka as the producer saw
// it: with every broker down a webhook is answered 202 queued and the indicator says so.
void TestUiActions::windowCountsAcceptedAndMeasuresKafka()
{
    QTemporaryDir dir;
    auto ingest = uitest::startPipeline(dir.path(), configJson(1500));
    QVERIFY(ingest);
    ui::MainWindow window(*ingest);
    QCOMPARE(uitest::postPlain(ingest->port(), "{\"n\":1}").status, 200);
    QTRY_VERIFY_WITH_TIMEOUT(window.statusText().contains(u"accepted 1 · queued 0"_s), 5000);
    QTRY_COMPARE_WITH_TIMEOUT(window.healthText(), u"Healthy"_s, 15'000);

    // The editor from the window: on a template (signed when sent, accepted) and on an entry.
    ui::PayloadEditorDialog *fromTemplate = window.openTemplateEditor(u"stripe"_s);
    QVERIFY(fromTemplate && fromTemplate->isLoaded());
    QVERIFY(fromTemplate->bodyEdit()->toPlainText().contains(u"invoice.paid"_s));
    QSignalSpy templateSent(fromTemplate, &ui::PayloadEditorDialog::sent);
    fromTemplate->send();
    QVERIFY(templateSent.wait(30'000));
    QCOMPARE(templateSent.first().at(0).toInt(), 200);
    QCOMPARE(templateSent.first().at(1).toString(), u"accepted"_s);
    fromTemplate->close();
    ui::PayloadEditorDialog *fromEntry = window.openEditor(templateSent.first().at(3).toLongLong());
    QSignalSpy entryLoaded(fromEntry, &ui::PayloadEditorDialog::loaded);
    QVERIFY(fromEntry->isLoaded() || entryLoaded.wait(10'000));
    QVERIFY(fromEntry->bodyEdit()->toPlainText().contains(u"invoice.paid"_s));
    fromEntry->close();
    QTRY_VERIFY_WITH_TIMEOUT(window.statusText().contains(u"accepted 2 · queued 0"_s), 5000);

    kafka::EmbeddedCluster *cluster = ingest->embeddedCluster();
    QVERIFY(cluster);
    for (int id : cluster->brokerIds())
        QVERIFY(cluster->setBrokerDown(id));
    const RawResponse queued = uitest::postPlain(ingest->port(), "{\"n\":2}");
    QCOMPARE(queued.status, 202);
    QTRY_VERIFY_WITH_TIMEOUT(window.statusText().contains(u"accepted 2 · queued 1"_s), 5000);
    QVERIFY2(window.statusText().contains(u"Received 3"_s), qPrintable(window.statusText()));
    QTRY_VERIFY_WITH_TIMEOUT(window.healthText().startsWith(u"Kafka unavailable: no broker up"_s), 15'000);
    QVERIFY2(window.healthText().contains(u"1 answered 202 queued"_s)
                 || window.healthText() == u"Kafka unavailable: no broker up"_s,
             qPrintable(window.healthText()));

    for (int id : cluster->brokerIds())
        QVERIFY(cluster->setBrokerUp(id));
    // The relay produces the queued event; the next checks see no new failures.
    QTRY_COMPARE_WITH_TIMEOUT(window.healthText(), u"Healthy"_s, 30'000);
}

// A 2 MiB body: the inspector offers it behind "Show anyway"; clicking returns at once (the views
// are built on the loader's thread) and the views arrive afterwards.
void TestUiActions::inspectorFormatsLargeBodiesOffTheGuiThread()
{
    QTemporaryDir dir;
    auto ingest = uitest::startPipeline(dir.path(), configJson());
    QVERIFY(ingest);
    QByteArray body = "{\"items\":[";
    for (int i = 0; body.size() < 2 * 1024 * 1024; ++i)
        body += (i ? "," : "") + QByteArray("{\"i\":") + QByteArray::number(i) + ",\"pad\":\"xxxxxxxxxxxxxxxx\"}";
    body += "]}";
    // Over Kafka's default message size too: answered 202 queued, journaled all the same.
    const RawResponse posted = uitest::postPlain(ingest->port(), body);
    QVERIFY2(posted.status == 200 || posted.status == 202, qPrintable(QString::number(posted.status)));

    ui::InspectorPane pane(*ingest);
    QSignalSpy loaded(&pane, &ui::InspectorPane::entryLoaded);
    pane.showEntry(uitest::journalId(posted));
    QVERIFY(loaded.wait(10'000));
    auto *showAnyway = pane.findChild<QPushButton *>();
    for (auto *button : pane.findChildren<QPushButton *>()) {
        if (button->text() == u"Show anyway"_s)
            showAnyway = button;
    }
    QVERIFY(showAnyway && showAnyway->text() == u"Show anyway"_s);
    auto *hex = pane.findChild<QPlainTextEdit *>(u"bodyHex"_s);
    auto *json = pane.findChild<QTreeView *>(u"bodyJson"_s);
    QVERIFY(hex && json);
    QVERIFY(hex->toPlainText().isEmpty());

    // The longest the GUI thread went without running a 10 ms timer while the views were built
    // and shown: what a user would feel as a freeze.
    QElapsedTimer sinceTick;
    qint64 longestStallMs = 0;
    QTimer tick;
    tick.setInterval(10);
    connect(&tick, &QTimer::timeout, this, [&] { longestStallMs = std::max(longestStallMs, sinceTick.restart()); });
    sinceTick.start();
    tick.start();
    QElapsedTimer clickTime;
    clickTime.start();
    showAnyway->click();
    const qint64 clickMs = clickTime.elapsed();
    QVERIFY2(clickMs < 100, qPrintable(QString::number(clickMs)));
    QCOMPARE(json->model()->rowCount(), 0); // not formatted on this thread
    QTRY_COMPARE_WITH_TIMEOUT(json->model()->rowCount(), 1, 20'000);
    QCOMPARE(json->model()->rowCount(json->model()->index(0, 0)), 1); // "items"
    const qint64 arrivedMs = clickTime.elapsed();
    tick.stop();
    QVERIFY2(longestStallMs < 1000, qPrintable(QString::number(longestStallMs)));
    // The Hex tab is filled when it is first shown (1 MiB dumped: 65,536 lines).
    QVERIFY(hex->toPlainText().isEmpty());
    QElapsedTimer hexTime;
    hexTime.start();
    pane.findChild<QTabWidget *>(u"bodyTabs"_s)->setCurrentIndex(2);
    const qint64 hexMs = hexTime.elapsed();
    QVERIFY(hex->toPlainText().contains(u"more bytes not dumped"_s));
    qInfo("Show anyway on a %lld-byte body returned after %lld ms; the views arrived after %lld ms; the GUI "
          "thread's longest stall meanwhile: %lld ms; opening the Hex tab: %lld ms",
          qint64(body.size()), clickMs, arrivedMs, longestStallMs, hexMs);
}

QTEST_MAIN(TestUiActions)
#include "test_ui_actions.moc"
