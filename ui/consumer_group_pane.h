#pragma once

// ConsumerGroupPane: members and their partitions as an animated assignment diagram, the rebalance timeline, add/remove
// consumer, per-partition lag over time with time to drain.

#include <QWidget>

namespace hookbench::pipeline {
class IngestPipeline;
} // namespace hookbench::pipeline

namespace hookbench::ui {

class ConsumerGroupPane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConsumerGroupPane)

public:
    explicit ConsumerGroupPane(pipeline::IngestPipeline &pipeline, QWidget *parent = nullptr);

private:
    pipeline::IngestPipeline &m_pipeline;
};

} // namespace hookbench::ui
