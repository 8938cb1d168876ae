#pragma once

// SettingsDialog: edits a copy of the configuration, page by page (sources, Kafka, targets and
// subscriptions, retries and consumers, receiver limits). Apply validates the whole copy with
// core's config rules (ConfigLoader::validate) and shows every problem next to its field with
// the reason; a valid copy is
//   - applied live where core can: the retry policy (EventProcessor::setRetrySettings), the
//     number of consumers (setConsumerCount) and the data retention (setRetentionDays); targets
//     and subscriptions apply as they are edited;
//   - written to the config file atomically (mode 0600), so the rest — sources, Kafka, limits,
//     dedup TTL, listen address, group id — takes effect at the next start, which the dialog says.
// Secrets are shown masked and are never logged.

#include <QDialog>
#include <QJsonObject>
#include <QList>
#include <QStringList>

#include "core/config/config_loader.h"

class QDialogButtonBox;
class QLabel;
class QListWidget;
class QStackedWidget;

namespace hookbench::pipeline {
class IngestPipeline;
} // namespace hookbench::pipeline

namespace hookbench::ui {

class DeliveryPage;
class KafkaPage;
class LimitsPage;
class ProcessingPage;
class SettingsPage;
class SourcesPage;

struct SettingsApplyOutcome
{
    QList<config::FieldError> errors; // not applied when any
    QStringList appliedLive;          // what changed in the running pipeline
    QStringList needsRestart;         // what the saved file changes at the next start
    QString savedTo;                  // the config file written, or empty
    QString saveError;                // why it could not be written
};

class SettingsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsDialog)

public:
    explicit SettingsDialog(pipeline::IngestPipeline &pipeline, QWidget *parent = nullptr);
    ~SettingsDialog() override;

    // Validates, applies and saves; the outcome is also shown in the dialog's summary line.
    SettingsApplyOutcome apply();
    // The config as the pages have it now (JSON of a config file).
    QJsonObject editedJson() const;

    SourcesPage *sourcesPage() const { return m_sources; }
    KafkaPage *kafkaPage() const { return m_kafka; }
    DeliveryPage *deliveryPage() const { return m_delivery; }
    ProcessingPage *processingPage() const { return m_processing; }
    LimitsPage *limitsPage() const { return m_limits; }
    QLabel *summaryLabel() const { return m_summary; }
    void showPage(SettingsPage *page);

private:
    void addPage(SettingsPage *page);
    void showErrors(const QList<config::FieldError> &errors);

    pipeline::IngestPipeline &m_pipeline;
    QJsonObject m_applied; // the config as last saved or loaded
    QStringList m_pendingRestart;
    QList<SettingsPage *> m_pages;
    QListWidget *m_nav = nullptr;
    QStackedWidget *m_stack = nullptr;
    SourcesPage *m_sources = nullptr;
    KafkaPage *m_kafka = nullptr;
    DeliveryPage *m_delivery = nullptr;
    ProcessingPage *m_processing = nullptr;
    LimitsPage *m_limits = nullptr;
    QLabel *m_summary = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace hookbench::ui
