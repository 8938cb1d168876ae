#pragma once

// PartitionsPane: per-topic partition table (leader, watermarks, committed offset, lag, owner)
// live from the EventProcessor's snapshots, and the lane view of the recent records by entity
// key (read from the journal off the GUI thread). Selecting a key (click a mark or type it)
// highlights its records across lanes.

#include <QPointer>
#include <QTimer>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QSplitter;
class QStackedWidget;
class QTableView;

namespace hookbench::pipeline {
class IngestPipeline;
} // namespace hookbench::pipeline
namespace hookbench::processing {
class EventProcessor;
} // namespace hookbench::processing

namespace hookbench::ui {

class LaneView;
class PartitionTableModel;
class RecentRecordsFeed;

class PartitionsPane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PartitionsPane)

public:
    explicit PartitionsPane(pipeline::IngestPipeline &pipeline, QWidget *parent = nullptr);
    ~PartitionsPane() override;

    PartitionTableModel *partitionModel() const { return m_model; }
    QString currentTopic() const;
    void selectKey(const QByteArray &key);

protected:
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void attachProcessor();
    void refreshState();
    void refreshTopics();
    void refreshLanes();
    void updateStatus();

    pipeline::IngestPipeline &m_pipeline;
    QPointer<processing::EventProcessor> m_processor;
    PartitionTableModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    RecentRecordsFeed *m_feed = nullptr;
    QComboBox *m_topic = nullptr;
    bool m_topicChosen = false; // the user picked a topic: stop following the traffic
    QLabel *m_status = nullptr;
    QStackedWidget *m_tableStack = nullptr;
    QSplitter *m_splitter = nullptr; // table and lanes: side by side in a wide, short dock
    QTableView *m_table = nullptr;
    QLineEdit *m_key = nullptr;
    LaneView *m_lanes = nullptr;
    QTimer m_attach; // looks for the processor until it exists
};

} // namespace hookbench::ui
