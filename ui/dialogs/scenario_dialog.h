#pragma once

// ScenarioDialog: demos of ordering and deduplication. The Scenario tab sets up a run (provider
// templates, events, entities, duplicate and out-of-order rates, rate, the retry strategy and the
// simulate handler's failures for the run), runs it with a progress bar and shows the result:
// sent, accepted, duplicates caught, per-entity order preserved or violated with the first
// violations, processing outcomes. Scenarios save to and load from JSON files. Two built-in
// demos sit beside it: a dedup race and a provider retry simulator. The runs happen in core's
// ScenarioRunner on a thread of its own.

#include <QDialog>
#include <QJsonObject>

#include "core/scenario/scenario.h"
#include "ui/workers/worker_thread.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTabWidget;
class QTextBrowser;

namespace hookbench::pipeline {
class IngestPipeline;
} // namespace hookbench::pipeline
namespace hookbench::scenario {
class ScenarioRunner;
struct ScenarioReport;
} // namespace hookbench::scenario

namespace hookbench::ui {

class ScenarioDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ScenarioDialog)

public:
    explicit ScenarioDialog(pipeline::IngestPipeline &pipeline, QWidget *parent = nullptr);
    ~ScenarioDialog() override;

    // The form as a scenario, and the other way round.
    scenario::Scenario scenarioFromForm() const;
    void setScenario(const scenario::Scenario &scenario);
    QJsonObject lastReport() const { return m_lastReport; }
    bool isRunning() const { return m_running; }

    // Start what the Run buttons start (tests call them directly).
    void runScenario();
    void runDedupRace();
    void runProviderRetry();
    Result<void> saveTo(const QString &file) const;
    Result<void> loadFrom(const QString &file);

signals:
    void reportReady(const QJsonObject &report);

private:
    QWidget *buildScenarioTab();
    QWidget *buildRaceTab();
    QWidget *buildRetryTab();
    void start(const scenario::Scenario &scenario);
    void onProgress(const QString &phase, int done, int total);
    void onFinished(const QJsonObject &report);
    void setRunning(bool running);
    static QString reportHtml(const QJsonObject &report);

    pipeline::IngestPipeline &m_pipeline;
    WorkerThread m_thread;
    scenario::ScenarioRunner *m_runner = nullptr; // lives on m_thread
    bool m_running = false;
    QJsonObject m_lastReport;

    QTabWidget *m_tabs = nullptr;
    QListWidget *m_providers = nullptr;
    QSpinBox *m_events = nullptr;
    QSpinBox *m_entities = nullptr;
    QDoubleSpinBox *m_duplicateRate = nullptr;
    QDoubleSpinBox *m_outOfOrderRate = nullptr;
    QSpinBox *m_window = nullptr;
    QDoubleSpinBox *m_rate = nullptr;
    QDoubleSpinBox *m_duration = nullptr;
    QSpinBox *m_concurrency = nullptr;
    QSpinBox *m_seed = nullptr;
    QComboBox *m_strategy = nullptr;
    QSpinBox *m_baseMs = nullptr;
    QSpinBox *m_maxAttempts = nullptr;
    QCheckBox *m_injectFailures = nullptr;
    QDoubleSpinBox *m_failureRate = nullptr;
    QSpinBox *m_latency = nullptr;
    QComboBox *m_expect = nullptr;
    QSpinBox *m_settle = nullptr;
    QComboBox *m_raceProvider = nullptr;
    QSpinBox *m_deliveries = nullptr;
    QComboBox *m_schedule = nullptr;
    QDoubleSpinBox *m_compression = nullptr;
    QDoubleSpinBox *m_lateHours = nullptr;
    QList<QPushButton *> m_runButtons;
    QPushButton *m_cancel = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_phase = nullptr;
    QTextBrowser *m_result = nullptr;
};

} // namespace hookbench::ui
