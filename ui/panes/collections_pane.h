#pragma once

// CollectionsPane: build, save, open and run replay collections. Captures come from files
// (Import…, or dropped onto the window: a HAR, a session, a collection, curl commands, a fixture
// folder) through the ImportDialog, or from the live feed's selection. A run goes to a
// ReplayRunner on a worker thread; the pane shows a progress bar and then the report, with the
// journal entries the run made as links into the feed. attach() adds the window-wide parts:
// drops onto the main window and the feed's context menu (Copy as curl, export, add here).

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
    void runFinished(const hookbench::capture::ReplayReport &report);
    void message(const QString &text);

private:
    void buildUi();
    void refreshTable();
    void showReport(const capture::ReplayReport &report);
    void openCollection();
    void saveCollection();
    void chooseImport(bool folder);
    void showFeedMenu(FeedPane *feed, const QPoint &pos);

    pipeline::IngestPipeline &m_pipeline;
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
