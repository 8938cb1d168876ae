#include "ui/key_explorer_pane.h"

namespace hookbench::ui {

KeyExplorerPane::KeyExplorerPane(pipeline::IngestPipeline &pipeline, QWidget *parent)
    : QWidget(parent)
    , m_pipeline(pipeline)
{}

} // namespace hookbench::ui
