// Saves PNGs of the views to act from, fed by a real pipeline: the DLQ view with dead letters
// from a failing simulate handler (one of them dead again after a replay, and a dry run shown),
// the payload editor with an edited body and its diff, and the Retries view.
// Usage: ui_action_screenshots OUTDIR (under Xvfb or QT_QPA_PLATFORM=offscreen).

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QHeaderView>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>

#include "core/pipeline/ingest_pipeline.h"
#include "ui/dialogs/payload_editor_dialog.h"
#include "ui/models/dead_letter_model.h"
#include "ui/models/scheduled_retry_model.h"
#include "ui/panes/dlq_pane.h"
#include "ui/panes/retries_pane.h"
#include "ui_actions_support.h"

using namespace Qt::StringLiterals;
using namespace hookbench;

namespace {

// Runs the event loop until `done` holds or the deadline passes.
template <typename F>
bool waitFor(F done, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        QEventLoop loop;
        QTimer::singleShot(50, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return true;
}

bool save(QWidget &widget, const QString &path)
{
    widget.show();
    waitFor([] { return false; }, 400); // a few layout and paint passes
    const bool ok = widget.grab().save(path);
    qInfo("%s %s", ok ? "saved" : "FAILED", qPrintable(path));
    return ok;
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"hookbench-screenshots"_s);
    const QString out = argc > 1 ? QString::fromLocal8Bit(argv[1]) : u"."_s;
    QDir().mkpath(out);
    QTemporaryDir dir;
    auto ingest = uitest::startPipeline(dir.path(), uiactions::configJson());
    if (!ingest)
        return 1;
    const quint16 port = ingest->port();

    ui::DlqPane dlq(*ingest);
    dlq.resize(1400, 520);
    const QList<QByteArray> customers{"cus_bad", "cus_bad", "cus_bad", "cus_good", "cus_bad"};
    for (int i = 0; i < customers.size(); ++i)
        uitest::postStripe(port, uiactions::stripeEvent("evt_shot_" + QByteArray::number(i), customers.at(i)));
    for (int i = 0; i < 2; ++i)
        post(port, "/webhooks/plain", "{\"type\":\"order.created\",\"n\":" + QByteArray::number(i) + "}",
             {{"Content-Type", "application/json"}});
    if (!waitFor([&] { return dlq.model()->rowCount() >= 4; }, 60'000))
        return 2;
    // One replayed, so it dies again and carries its replay count.
    dlq.selectLetters({dlq.model()->item(0).id});
    QSignalSpy finished(&dlq, &ui::DlqPane::actionFinished);
    dlq.replaySelected(replay::ReplayMode::Topic);
    waitFor([&] { return !finished.isEmpty(); }, 30'000);
    waitFor([&] { return dlq.model()->rowCount() >= 5; }, 30'000);
    QList<qint64> dead;
    for (int r = 0; r < dlq.model()->rowCount(); ++r) {
        if (dlq.model()->item(r).status == store::DeadLetterStatus::Dead)
            dead.append(dlq.model()->item(r).id);
    }
    dlq.setLoopGuard(1, false);
    dlq.selectLetters(dead);
    finished.clear();
    dlq.dryRun(replay::ReplayMode::Topic);
    waitFor([&] { return !finished.isEmpty(); }, 10'000);
    // One row selected, so the picture shows the flagged replay count in its own colour.
    dlq.selectLetters({dead.constFirst()});
    dlq.view()->resizeColumnsToContents();
    save(dlq, out + u"/dlq.png"_s);

    // The editor on a dead letter, its amount and id edited, re-signed.
    ui::PayloadEditorDialog editor(*ingest, dlq.model()->item(1).journalId, dlq.model()->item(1).id);
    waitFor([&] { return editor.isLoaded(); }, 10'000);
    QString text = editor.bodyEdit()->toPlainText();
    text.replace(u"\"amount_paid\": 2000"_s, u"\"amount_paid\": 2500"_s);
    text.replace(u"\"customer\": \"cus_bad\""_s, u"\"customer\": \"cus_fixed\""_s);
    editor.bodyEdit()->setPlainText(text);
    editor.resize(1100, 800);
    save(editor, out + u"/editor.png"_s);

    // Two retries waiting an hour, side by side on the two partitions.
    ui::RetriesPane retries(*ingest);
    retries.resize(1200, 300);
    uiactions::postSlow(port, "k0");
    uiactions::postSlow(port, "k2");
    uiactions::postSlow(port, "k5");
    waitFor([&] { return retries.model()->rowCount() >= 2; }, 60'000);
    retries.view()->resizeColumnsToContents();
    retries.view()->selectRow(0);
    save(retries, out + u"/retries.png"_s);
    ingest->stop();
    return 0;
}
