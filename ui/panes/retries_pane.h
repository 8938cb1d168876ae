#pragma once

// RetriesPane: the attempts scheduled now — due-time countdown, attempt number, last error —
// with "Retry now" (attempt at once) and "Give up → DLQ" (dead-letter it now) on the selection,
// both posted to the EventProcessor (thread-safe; answers come back queued). Under the blocking
// strategy a waiting record holds its partition, so "Retry now" also unblocks the records
// behind it; under retry topics only the copy already read and waiting is listed (copies still
// in the retry topic are not, until the consumer reads them).

#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace hookbench::pipeline {
class IngestPipeline;
} // namespace hookbench::pipeline

namespace hookbench::ui {

class ScheduledRetryModel;

class RetriesPane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RetriesPane)

public:
    explicit RetriesPane(pipeline::IngestPipeline &pipeline, QWidget *parent = nullptr);

    ScheduledRetryModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    void retryNowSelected();
    void giveUpSelected();
    QString resultText() const;

signals:
    void actionFinished();
    void entryActivated(qint64 journalId);

private:
    enum class Action { RetryNow, GiveUp };
    void act(Action action);
    void updateActions();

    pipeline::IngestPipeline &m_pipeline;
    ScheduledRetryModel *m_model = nullptr;
    QTableView *m_view = nullptr;
    QPushButton *m_retryNow = nullptr;
    QPushButton *m_giveUp = nullptr;
    QLabel *m_result = nullptr;
};

} // namespace hookbench::ui
