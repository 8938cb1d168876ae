#include "ui/charts_pane.h"

namespace hookbench::ui {

ChartsPane::ChartsPane(pipeline::IngestPipeline &pipeline, QWidget *parent) : QWidget(parent), m_pipeline(pipeline) {}

} // namespace hookbench::ui
