#pragma once

// PartitionsPane: per-topic partition table (leader, watermarks, committed offset, lag, owner) and the lane view of
// recent records by entity key.

#include <QWidget>

namespace hookbench::pipeline {
class IngestPipeline;
} // namespace hookbench::pipeline

namespace hookbench::ui {

class PartitionsPane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PartitionsPane)

public:
    explicit PartitionsPane(pipeline::IngestPipeline &pipeline, QWidget *parent = nullptr);

private:
    pipeline::IngestPipeline &m_pipeline;
};

} // namespace hookbench::ui
