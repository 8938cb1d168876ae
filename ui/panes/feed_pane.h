#pragma once

// FeedPane: the live feed dock — the filter bar over a table of JournalFeedModel. Reaching the
// top or bottom edge pages older or newer rows in; at the bottom the view follows new rows.
// The current row's journal id is announced with entrySelected().

#include <QWidget>

class QTableView;

namespace hookbench::pipeline {
class IngestPipeline;
} // namespace hookbench::pipeline

namespace hookbench::ui {

class FilterBar;
class JournalFeedModel;

class FeedPane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FeedPane)

public:
    explicit FeedPane(pipeline::IngestPipeline &pipeline, QWidget *parent = nullptr);

    JournalFeedModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    FilterBar *filterBar() const { return m_filterBar; }
    void focusFilter();
    // Selects the entry with this journal id, paging it in when it is outside the window.
    void selectEntry(qint64 id);

signals:
    void entrySelected(qint64 id);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void onScrolled(int value);
    void onRowsInserted(int first, int last);

    FilterBar *m_filterBar = nullptr;
    QTableView *m_view = nullptr;
    JournalFeedModel *m_model = nullptr;
    qint64 m_pendingSelect = 0;
};

} // namespace hookbench::ui
