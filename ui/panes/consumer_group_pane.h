#pragma once

// ConsumerGroupPane: members and their partitions as an animated assignment diagram, the
// rebalance timeline, add/remove consumer, per-partition lag over time with time to drain.
// actions() returns the Add/Remove consumer actions (with shortcuts) for the window's menus.

#include <QList>
#include <QPointer>
#include <QTimer>
#include <QWidget>

class QAction;
class QLabel;
class QTableView;

namespace hookbench::pipeline {
class IngestPipeline;
} // namespace hookbench::pipeline
namespace hookbench::processing {
class EventProcessor;
} // namespace hookbench::processing

namespace hookbench::ui {

class AssignmentDiagram;
class LagTableModel;
class RebalanceTableModel;

class ConsumerGroupPane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConsumerGroupPane)

public:
    explicit ConsumerGroupPane(pipeline::IngestPipeline &pipeline, QWidget *parent = nullptr);
    ~ConsumerGroupPane() override;

    // Add consumer (Ctrl+Alt+=), Remove consumer (Ctrl+Alt+-); disabled while consumers are not
    // running or at the limits.
    QList<QAction *> actions() const { return {m_add, m_remove}; }
    QAction *addConsumerAction() const { return m_add; }
    QAction *removeConsumerAction() const { return m_remove; }

private:
    void attachProcessor();
    void refreshState();
    void changeConsumerCount(int delta);
    void updateActions();

    pipeline::IngestPipeline &m_pipeline;
    QPointer<processing::EventProcessor> m_processor;
    AssignmentDiagram *m_diagram = nullptr;
    RebalanceTableModel *m_rebalances = nullptr;
    LagTableModel *m_lag = nullptr;
    QTableView *m_rebalanceTable = nullptr;
    QTableView *m_lagTable = nullptr;
    QLabel *m_status = nullptr;
    QAction *m_add = nullptr;
    QAction *m_remove = nullptr;
    QTimer m_attach;
    int m_memberCount = 0;
};

} // namespace hookbench::ui
