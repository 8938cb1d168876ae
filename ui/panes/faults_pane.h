#pragma once

// FaultsPane: provoke failures on purpose. For the embedded cluster: take a broker down and up,
// add round-trip delay per broker, fail the next N produce or fetch requests, move a partition
// leader; for the consumer: the simulate handler's settings of a source, live. A chaos preset
// combines them, calm undoes them. Every fault lands in the timeline with its time and whether
// it applied. The work happens in core's FaultInjector, off the GUI thread.

#include <QHash>
#include <QTimer>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTreeWidget;

namespace hookbench::pipeline {
class IngestPipeline;
} // namespace hookbench::pipeline
namespace hookbench::faults {
class FaultInjector;
struct FaultEvent;
} // namespace hookbench::faults

namespace hookbench::ui {

class FaultsPane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FaultsPane)

public:
    explicit FaultsPane(pipeline::IngestPipeline &pipeline, QWidget *parent = nullptr);
    ~FaultsPane() override;

    faults::FaultInjector *injector() const { return m_injector; }

private:
    QWidget *buildKafka();
    QWidget *buildConsumer();
    void addToTimeline(const faults::FaultEvent &event);
    void refreshBrokers();
    void loadSimulate();
    void applySimulate();

    pipeline::IngestPipeline &m_pipeline;
    faults::FaultInjector *m_injector = nullptr;
    QHash<int, QLabel *> m_brokerState;
    QSpinBox *m_errorCount = nullptr;
    QComboBox *m_errorCode = nullptr;
    QComboBox *m_leaderTopic = nullptr;
    QSpinBox *m_leaderPartition = nullptr;
    QSpinBox *m_leaderBroker = nullptr;
    QLabel *m_leaderNow = nullptr;
    QComboBox *m_simSource = nullptr;
    QSpinBox *m_simLatency = nullptr;
    QDoubleSpinBox *m_simRate = nullptr;
    QComboBox *m_simClass = nullptr;
    QLineEdit *m_simKeys = nullptr;
    QLineEdit *m_poisonPointer = nullptr;
    QLineEdit *m_poisonValue = nullptr;
    QLabel *m_simState = nullptr;
    QTreeWidget *m_timeline = nullptr;
    QTimer m_refresh;
};

} // namespace hookbench::ui
