#pragma once

// MainWindow: the workbench window. For now it shows where to send webhooks (one receiver URL per
// source, click to copy), the Kafka mode and bootstrap address, and live per-source counters read
// from core's metrics on a timer.

#include <QMainWindow>
#include <QTimer>

class QLabel;
class QTableWidget;

namespace hookbench::pipeline {
class IngestPipeline;
} // namespace hookbench::pipeline

namespace hookbench::ui {

class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(pipeline::IngestPipeline &pipeline, QWidget *parent = nullptr);

private:
    void refreshCounters();

    pipeline::IngestPipeline &m_pipeline;
    QTableWidget *m_sources = nullptr;
    QLabel *m_status = nullptr;
    QTimer m_refresh;
};

} // namespace hookbench::ui
