#pragma once

// DlqPane: the dead-letter queue, to triage and redrive it. The letters' table (time, source,
// event type, entity key, error class and message, attempts, replays, original placement,
// status) beside the error groups with their counts (click one to filter). Actions on the
// selection: Replay to the original topic, Replay through the receiver, Edit & replay (the
// payload editor), Discard (recorded, never deleted), and a Dry run that shows what a replay of
// the selection would send — how many, to which topics, which keys, and what the loop guard
// skips. The loop guard: a letter whose event was replayed N times already and died again shows
// its replay count; bulk replays skip it at the limit unless "include" is ticked. Everything runs
// through the pipeline's ReplayService; answers land in the result box, never in a modal.

#include <QWidget>

#include "core/replay/replay_request.h"

class QCheckBox;
class QLabel;
class QListWidget;
class QMenu;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTableView;

namespace hookbench::pipeline {
class IngestPipeline;
} // namespace hookbench::pipeline

namespace hookbench::ui {

class DeadLetterFilter;
class DeadLetterModel;
class PayloadEditorDialog;

class DlqPane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DlqPane)

public:
    explicit DlqPane(pipeline::IngestPipeline &pipeline, QWidget *parent = nullptr);
    ~DlqPane() override;

    DeadLetterModel *model() const { return m_model; }
    DeadLetterFilter *filter() const { return m_filter; }
    QTableView *view() const { return m_view; }
    QListWidget *groups() const { return m_groups; }

    QList<qint64> selectedLetterIds() const;  // in table order
    QList<qint64> selectedJournalIds() const; // the selected letters' journal entries, ascending
    void selectLetters(const QList<qint64> &ids);
    void setLoopGuard(int maxReplays, bool includeOverLimit);

    void replaySelected(replay::ReplayMode mode);
    void dryRun(replay::ReplayMode mode);
    void discardSelected();
    PayloadEditorDialog *editSelected(); // the dialog opened (non-modal), or nullptr
    QString resultText() const;

signals:
    // An action's answers are all in (the result box says what happened).
    void actionFinished();
    // A journal entry to show (a replay's new entry, or a letter's original).
    void entryActivated(qint64 journalId);
    // The table's context menu is about to open on a selection: add actions on its entries
    // (the window adds Copy as curl and the exports, as in the feed's menu).
    void contextMenuAboutToShow(QMenu *menu, const QList<qint64> &journalIds);

private:
    replay::DeadLetterReplay request(replay::ReplayMode mode) const;
    void refreshGroups();
    void showContextMenu(const QPoint &pos);
    void updateActions();
    void report(const QString &text);
    static QString describePlan(const replay::ReplayPlan &plan, bool dryRun);

    pipeline::IngestPipeline &m_pipeline;
    DeadLetterModel *m_model = nullptr;
    DeadLetterFilter *m_filter = nullptr;
    QTableView *m_view = nullptr;
    QListWidget *m_groups = nullptr;
    QCheckBox *m_deadOnly = nullptr;
    QSpinBox *m_maxReplays = nullptr;
    QCheckBox *m_includeOverLimit = nullptr;
    QPushButton *m_replayTopic = nullptr;
    QPushButton *m_replayReceiver = nullptr;
    QPushButton *m_edit = nullptr;
    QPushButton *m_discard = nullptr;
    QPushButton *m_dryRun = nullptr;
    QLabel *m_summary = nullptr;
    QPlainTextEdit *m_result = nullptr;
    int m_busy = 0; // actions waiting for answers
};

} // namespace hookbench::ui
