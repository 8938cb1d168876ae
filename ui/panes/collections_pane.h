#pragma once

// CollectionsPane: build, save, open and run replay collections. Captures come from files
// (Import…, or dropped onto the window: a HAR, a session, a collection, curl commands, a fixture
// folder) through the ImportDialog, or from the live feed's selection. A run goes to a
// ReplayRunner on a worker thread; the pane shows a progress bar and then the report, with the
// journal entries the run made as links into the feed. attach() adds the window-wide parts:
// drops onto the main window and the feed's selection for addFeedActions() and the File menu.

#include <QHash>
#include <QList>
#include <QWidget>

#include "core/capture/replay_collection.h"
#include "core/capture/replay_report.h"
#include "ui/workers/worker_thread.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QListWidget;
class QMainWindow;
class QMenu;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace hookbench::pipeline {
class IngestPipeline;
} // namespace hookbench::pipeline

namespace hookbench::capture {
class ReplayRunner;
} // namespace hookbench::capture

namespace hookbench::ui {

class CaptureWorker;
class FeedPane;

class CollectionsPane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CollectionsPane)

public:
    explicit CollectionsPane(pipeline::IngestPipeline &pipeline, QWidget *parent = nullptr);
    ~CollectionsPane() override;

    // Drops onto `window` import files; the feed gets capture actions in its context menu; the
    // report's journal links select entries in the feed.
    void attach(QMainWindow *window, FeedPane *feed);

    // File menu: open a session or collection, import captures, export the feed's selection.
    void addFileActions(QMenu *menu);
    // The feed's context menu: addEntryActions() on the feed's selection and Add to collection.
    void addFeedActions(QMenu *menu);
    // Copy as curl and the exports for journal entries (the feed's and the DLQ's context menus).
    void addEntryActions(QMenu *menu, const QList<qint64> &ids);

    // By kind: a .hbsession opens as journal entries (or, when askForSessions, after asking,
    // goes to the collection), a .hbcollection opens here, anything else goes to importPath().
    void openPath(const QString &path, bool askForSessions = false);
    // Imports a session file's entries, attempts and dead letters into the journal (off the GUI
    // thread, one transaction) and shows the first of them in the feed.
    void openSession(const QString &path);
    void openCollectionFile(const QString &path);
    // Reads the file or folder off the GUI thread, then shows the ImportDialog.
    void importPath(const QString &path);
    void addCaptures(const QList<capture::Capture> &captures);
    capture::ReplayCollection collection() const;
    void setCollection(const capture::ReplayCollection &collection);
    void run();
    bool isRunning() const;
    QString reportText() const;

signals:
    void journalEntryActivated(qint64 id);
    // A session was opened: its entries' ids on the exporting machine → their ids here.
    void sessionOpened(const QHash<qint64, qint64> &ids);
    void runFinished(const hookbench::capture::ReplayReport &report);
    void message(const QString &text);

private:
    void buildUi();
    void refreshTable();
    void showReport(const capture::ReplayReport &report);
    void openCollection();
    void saveCollection();
    void chooseImport(bool folder);
    void exportEntries(const QList<qint64> &ids, const QString &format);

    pipeline::IngestPipeline &m_pipeline;
    FeedPane *m_feed = nullptr;
    WorkerThread m_thread{QStringLiteral("hookbench-captures")};
    CaptureWorker *m_worker = nullptr;
    capture::ReplayRunner *m_runner = nullptr;
    QList<capture::Capture> m_captures;
    QString m_fixtureSource;

    QTableWidget *m_table = nullptr;
    QComboBox *m_mode = nullptr;
    QComboBox *m_target = nullptr;
    QCheckBox *m_resign = nullptr;
    QCheckBox *m_mint = nullptr;
    QComboBox *m_pace = nullptr;
    QDoubleSpinBox *m_rate = nullptr;
    QComboBox *m_order = nullptr;
    QSpinBox *m_seed = nullptr;
    QSpinBox *m_repeat = nullptr;
    QDoubleSpinBox *m_duplicates = nullptr;
    QPushButton *m_runButton = nullptr;
    QPushButton *m_cancelButton = nullptr;
    QProgressBar *m_progress = nullptr;
    QPlainTextEdit *m_report = nullptr;
    QListWidget *m_journalLinks = nullptr;
    QLabel *m_status = nullptr;
};

} // namespace hookbench::ui
