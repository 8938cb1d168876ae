#include "ui/dialogs/settings_dialog.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QScrollArea>
#include <QStackedWidget>
#include <QVBoxLayout>

#include "core/config/config_writer.h"
#include "core/pipeline/ingest_pipeline.h"
#include "core/processing/event_processor.h"
#include "ui/settings/delivery_page.h"
#include "ui/settings/kafka_page.h"
#include "ui/settings/limits_page.h"
#include "ui/settings/processing_page.h"
#include "ui/settings/sources_page.h"

using namespace Qt::StringLiterals;

namespace hookbench::ui {

namespace {

// The sources without their retry settings, which apply live: what needs a restart.
QJsonArray sourcesWithoutRetry(const QJsonObject &root)
{
    QJsonArray out;
    for (const QJsonValue &v : root.value(u"sources"_s).toArray()) {
        QJsonObject o = v.toObject();
        o.remove(u"retry"_s);
        out.append(o);
    }
    return out;
}

// Each source's own retry settings by name: adding or removing a source without one is not a
// retry change.
QJsonObject sourceRetries(const QJsonObject &root)
{
    QJsonObject out;
    for (const QJsonValue &v : root.value(u"sources"_s).toArray()) {
        const QJsonObject o = v.toObject();
        if (o.contains(u"retry"_s))
            out.insert(o.value(u"name"_s).toString(), o.value(u"retry"_s));
    }
    return out;
}

// The config the dialog starts from: the file as written (not the command line's --listen).
QJsonObject initialConfig(const pipeline::IngestPipeline &pipeline)
{
    if (const QString path = pipeline.configPath(); !path.isEmpty()) {
        if (auto loaded = config::ConfigLoader::loadFile(path))
            return config::ConfigWriter::toJson(*loaded);
    }
    return config::ConfigWriter::toJson(pipeline.config());
}

} // namespace

SettingsDialog::SettingsDialog(pipeline::IngestPipeline &pipeline, QWidget *parent)
    : QDialog(parent)
    , m_pipeline(pipeline)
    , m_applied(initialConfig(pipeline))
{
    setObjectName(u"settingsDialog"_s);
    setWindowTitle(tr("Hookbench settings"));
    resize(980, 720);

    auto *layout = new QVBoxLayout(this);
    auto *body = new QHBoxLayout;
    m_nav = new QListWidget(this);
    m_nav->setObjectName(u"settingsNav"_s);
    m_nav->setMaximumWidth(170);
    m_stack = new QStackedWidget(this);
    body->addWidget(m_nav);
    body->addWidget(m_stack, 1);
    layout->addLayout(body, 1);

    m_sources = new SourcesPage(pipeline.databasePath(), this);
    m_kafka = new KafkaPage(this);
    m_delivery = new DeliveryPage(pipeline.databasePath(), this);
    m_processing = new ProcessingPage(this);
    m_limits = new LimitsPage(this);
    for (SettingsPage *page : {static_cast<SettingsPage *>(m_sources), static_cast<SettingsPage *>(m_kafka),
                               static_cast<SettingsPage *>(m_delivery), static_cast<SettingsPage *>(m_processing),
                               static_cast<SettingsPage *>(m_limits)})
        addPage(page);
    connect(m_nav, &QListWidget::currentRowChanged, m_stack, &QStackedWidget::setCurrentIndex);
    m_nav->setCurrentRow(0);

    m_summary = new QLabel(this);
    m_summary->setObjectName(u"settingsSummary"_s);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setText(pipeline.configPath().isEmpty() ? tr("No config file: changes apply to this run only.")
                                                       : tr("Config file: %1").arg(pipeline.configPath()));
    layout->addWidget(m_summary);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Apply | QDialogButtonBox::Close, this);
    m_buttons->button(QDialogButtonBox::Apply)->setObjectName(u"settingsApply"_s);
    m_buttons->button(QDialogButtonBox::Apply)
        ->setToolTip(tr("Check every field, apply what can change live and save the config file"));
    layout->addWidget(m_buttons);
    connect(m_buttons->button(QDialogButtonBox::Apply), &QPushButton::clicked, this, [this] { apply(); });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    for (SettingsPage *page : std::as_const(m_pages))
        page->load(m_applied);
}

SettingsDialog::~SettingsDialog() = default;

void SettingsDialog::addPage(SettingsPage *page)
{
    m_pages.append(page);
    m_nav->addItem(page->title());
    // Scrolls on a small screen instead of squeezing labels and messages.
    auto *scroll = new QScrollArea(m_stack);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(page);
    m_stack->addWidget(scroll);
}

void SettingsDialog::showPage(SettingsPage *page)
{
    const qsizetype index = m_pages.indexOf(page);
    if (index >= 0)
        m_nav->setCurrentRow(int(index));
}

QJsonObject SettingsDialog::editedJson() const
{
    QJsonObject root = m_applied;
    for (const SettingsPage *page : m_pages)
        page->store(root);
    return root;
}

void SettingsDialog::showErrors(const QList<config::FieldError> &errors)
{
    int first = -1;
    for (qsizetype i = 0; i < m_pages.size(); ++i) {
        const int shown = m_pages.at(i)->showErrors(errors);
        QListWidgetItem *item = m_nav->item(int(i));
        item->setText(shown > 0 ? u"%1 (%2)"_s.arg(m_pages.at(i)->title()).arg(shown) : m_pages.at(i)->title());
        item->setForeground(shown > 0 ? QBrush(QColor(0xc6, 0x28, 0x28)) : palette().text());
        if (shown > 0 && first < 0)
            first = int(i);
    }
    // Take the user to the first problem unless the page shown has one.
    const int current = m_nav->currentRow();
    if (first >= 0 && (current < 0 || m_nav->item(current)->foreground().color() != QColor(0xc6, 0x28, 0x28)))
        m_nav->setCurrentRow(first);
}

SettingsApplyOutcome SettingsDialog::apply()
{
    SettingsApplyOutcome outcome;
    const QJsonObject edited = editedJson();
    const QByteArray json = QJsonDocument(edited).toJson(QJsonDocument::Indented);
    outcome.errors = config::ConfigLoader::validate(json);
    showErrors(outcome.errors);
    if (!outcome.errors.isEmpty()) {
        QStringList lines;
        for (const config::FieldError &e : std::as_const(outcome.errors))
            lines.append((e.field.isEmpty() ? QString() : e.field % u": "_s) % e.why);
        m_summary->setStyleSheet(u"color: #c62828;"_s);
        m_summary->setText((lines.size() == 1 ? tr("Not applied — 1 problem: %1")
                                              : tr("Not applied — %1 problems: %2").arg(lines.size()))
                               .arg(lines.join(u"; "_s)));
        return outcome;
    }
    auto parsed = config::ConfigLoader::parse(json, u"<settings>"_s);
    if (!parsed) { // cannot happen after validate(); kept so a rule mismatch is seen, not hidden
        m_summary->setText(parsed.error().message);
        return outcome;
    }
    const config::Config &config = *parsed;
    // Compared in the writer's form on both sides, so only real changes count.
    const QJsonObject canonical = config::ConfigWriter::toJson(config);

    // Live: what the running pipeline can take now.
    if (canonical.value(u"retry"_s) != m_applied.value(u"retry"_s)
        || sourceRetries(canonical) != sourceRetries(m_applied)) {
        if (processing::EventProcessor *processor = m_pipeline.processor()) {
            processor->setRetrySettings(config);
            outcome.appliedLive.append(
                tr("retry policy (%1)").arg(processing::RetrySettings::strategyName(config.retry.strategy)));
        }
    }
    const QJsonObject consumers = canonical.value(u"consumers"_s).toObject();
    const QJsonObject appliedConsumers = m_applied.value(u"consumers"_s).toObject();
    if (consumers.value(u"count"_s) != appliedConsumers.value(u"count"_s)) {
        if (processing::EventProcessor *processor = m_pipeline.processor()) {
            if (auto set = processor->setConsumerCount(config.consumers.count); set)
                outcome.appliedLive.append(tr("consumers: %1").arg(config.consumers.count));
        }
    }
    // The journal writer reads the retention at each purge.
    if (canonical.value(u"store"_s) != m_applied.value(u"store"_s)) {
        m_pipeline.setRetentionDays(config.store.retentionDays);
        outcome.appliedLive.append(config.store.retentionDays > 0
                                       ? (config.store.retentionDays == 1
                                              ? tr("data retention: 1 day")
                                              : tr("data retention: %1 days").arg(config.store.retentionDays))
                                       : tr("data retention: keep everything"));
    }
    // After a restart: what the pipeline was built with.
    const QList<QPair<QString, bool>> restart{
        {tr("sources"), sourcesWithoutRetry(canonical) != sourcesWithoutRetry(m_applied)},
        {tr("Kafka"), canonical.value(u"kafka"_s) != m_applied.value(u"kafka"_s)},
        {tr("limits"), canonical.value(u"limits"_s) != m_applied.value(u"limits"_s)},
        {tr("dedup TTL"), canonical.value(u"dedup"_s) != m_applied.value(u"dedup"_s)},
        {tr("listen address"), canonical.value(u"listen"_s) != m_applied.value(u"listen"_s)},
        {tr("consumer group id"), consumers.value(u"group"_s) != appliedConsumers.value(u"group"_s)},
    };
    for (const auto &[what, changed] : restart) {
        if (changed && !m_pendingRestart.contains(what))
            m_pendingRestart.append(what);
    }
    outcome.needsRestart = m_pendingRestart;

    const bool changed = canonical != m_applied;
    const QString path = m_pipeline.configPath();
    if (changed && !path.isEmpty()) {
        if (auto written = config::ConfigWriter::writeFile(path, config); written)
            outcome.savedTo = path;
        else
            outcome.saveError = written.error().message;
    } else if (changed) {
        outcome.saveError = tr("no config file to save to (changes apply to this run only)");
    }
    if (outcome.saveError.isEmpty())
        m_applied = canonical;

    QStringList parts;
    if (!outcome.savedTo.isEmpty())
        parts.append(tr("Saved to %1.").arg(outcome.savedTo));
    else if (outcome.saveError.isEmpty())
        parts.append(tr("Nothing changed in the config file."));
    else
        parts.append(tr("Not saved: %1.").arg(outcome.saveError));
    if (!outcome.appliedLive.isEmpty())
        parts.append(tr("Applied now: %1.").arg(outcome.appliedLive.join(u", "_s)));
    if (!outcome.needsRestart.isEmpty())
        parts.append(tr("Restart Hookbench to apply: %1.").arg(outcome.needsRestart.join(u", "_s)));
    m_summary->setStyleSheet(outcome.saveError.isEmpty() ? QString() : u"color: #c62828;"_s);
    m_summary->setText(parts.join(u' '));
    return outcome;
}

} // namespace hookbench::ui
