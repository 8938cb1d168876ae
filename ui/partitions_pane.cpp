#include "ui/partitions_pane.h"

namespace hookbench::ui {

PartitionsPane::PartitionsPane(pipeline::IngestPipeline &pipeline, QWidget *parent)
    : QWidget(parent)
    , m_pipeline(pipeline)
{}

} // namespace hookbench::ui
