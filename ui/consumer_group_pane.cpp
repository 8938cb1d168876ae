#include "ui/consumer_group_pane.h"

namespace hookbench::ui {

ConsumerGroupPane::ConsumerGroupPane(pipeline::IngestPipeline &pipeline, QWidget *parent)
    : QWidget(parent)
    , m_pipeline(pipeline)
{}

} // namespace hookbench::ui
