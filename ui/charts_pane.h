#pragma once

// ChartsPane: rates over the last 5 minutes (received, accepted, duplicates, rejected, produced, processed, retried,
// dead-lettered) and lag.

#include <QWidget>

namespace hookbench::pipeline {
class IngestPipeline;
} // namespace hookbench::pipeline

namespace hookbench::ui {

class ChartsPane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChartsPane)

public:
    explicit ChartsPane(pipeline::IngestPipeline &pipeline, QWidget *parent = nullptr);

private:
    pipeline::IngestPipeline &m_pipeline;
};

} // namespace hookbench::ui
