#pragma once

// KeyExplorerPane: key to partition explorer (murmur2 for the current and another partition count) and the hot-key
// table.

#include <QWidget>

namespace hookbench::pipeline {
class IngestPipeline;
} // namespace hookbench::pipeline

namespace hookbench::ui {

class KeyExplorerPane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KeyExplorerPane)

public:
    explicit KeyExplorerPane(pipeline::IngestPipeline &pipeline, QWidget *parent = nullptr);

private:
    pipeline::IngestPipeline &m_pipeline;
};

} // namespace hookbench::ui
