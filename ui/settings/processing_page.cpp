#include "ui/settings/processing_page.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QVBoxLayout>

#include "core/processing/retry_policy.h"
#include "core/processing/retry_settings.h"

using namespace Qt::StringLiterals;

namespace hookbench::ui {

namespace {

QSpinBox *spinBox(const QString &name, const QString &suffix, QWidget *parent)
{
    auto *box = new QSpinBox(parent);
    box->setObjectName(name);
    // Wide on purpose: the config's rules (core) decide what is valid, and say why.
    box->setRange(-1'000'000, 2'000'000'000);
    box->setSuffix(suffix);
    box->setMaximumWidth(240); // a number, not a sentence
    return box;
}

QString duration(qint64 ms)
{
    if (ms < 1000)
        return u"%1 ms"_s.arg(ms);
    if (ms < 60'000)
        return u"%1 s"_s.arg(double(ms) / 1000.0, 0, 'f', 1);
    if (ms < 3'600'000)
        return u"%1 min"_s.arg(double(ms) / 60'000.0, 0, 'f', 1);
    return u"%1 h"_s.arg(double(ms) / 3'600'000.0, 0, 'f', 1);
}

} // namespace

ProcessingPage::ProcessingPage(QWidget *parent) : SettingsPage(tr("Retries and consumers"), parent)
{
    setObjectName(u"processingPage"_s);
    auto *layout = new QVBoxLayout(this);

    auto *retry = new QGroupBox(tr("Retry policy (every source without its own \"retry\")"), this);
    auto *form = new QFormLayout(retry);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_strategy = new QComboBox(retry);
    m_strategy->setObjectName(u"retryStrategy"_s);
    m_strategy->addItem(tr("Blocking — retry in place: keeps per-entity order, stalls the partition"), u"blocking"_s);
    m_strategy->addItem(tr("Retry topics — keeps the partition moving, breaks per-entity order"), u"topics"_s);
    addField(form, tr("Strategy"), m_strategy, u"retry.strategy"_s);
    m_base = spinBox(u"retryBase"_s, tr(" ms"), retry);
    m_base->setToolTip(tr("Ceiling of the first retry's delay; each retry doubles it, up to the cap"));
    addField(form, tr("First delay (base)"), m_base, u"retry.base_ms"_s);
    m_cap = spinBox(u"retryCap"_s, tr(" ms"), retry);
    addField(form, tr("Longest delay (cap)"), m_cap, u"retry.cap_ms"_s);
    m_attempts = spinBox(u"retryAttempts"_s, QString(), retry);
    m_attempts->setToolTip(tr("Deliveries in total, the first one included; then the record goes to webhooks.dlq"));
    addField(form, tr("Attempts"), m_attempts, u"retry.max_attempts"_s);
    m_timeScale = new QDoubleSpinBox(retry);
    m_timeScale->setObjectName(u"retryTimeScale"_s);
    m_timeScale->setRange(-1'000'000.0, 1'000'000.0);
    m_timeScale->setDecimals(3);
    m_timeScale->setMaximumWidth(240);
    m_timeScale->setToolTip(tr("Delays are divided by it: 1440 runs a day's schedule in a minute"));
    addField(form, tr("Time scale"), m_timeScale, u"retry.time_scale"_s);
    m_schedule = new QLabel(retry);
    m_schedule->setObjectName(u"retrySchedule"_s);
    m_schedule->setWordWrap(true);
    form->addRow(tr("Schedule (example)"), m_schedule);
    layout->addWidget(retry);

    auto *consumers = new QGroupBox(tr("Consumer group"), this);
    auto *consumerForm = new QFormLayout(consumers);
    consumerForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_consumers = spinBox(u"consumerCount"_s, QString(), consumers);
    m_consumers->setToolTip(tr("In-process consumers; each change is a real rebalance"));
    addField(consumerForm, tr("Consumers"), m_consumers, u"consumers.count"_s);
    m_group = new QLineEdit(consumers);
    m_group->setObjectName(u"consumerGroup"_s);
    addField(consumerForm, tr("Group id"), m_group, u"consumers.group"_s);
    layout->addWidget(consumers);
    layout->addWidget(noteLabel(tr("The retry policy and the number of consumers apply at once; the group id after a "
                                   "restart. Records already waiting for a retry keep their due time."),
                                this));
    layout->addStretch(1);

    connect(m_strategy, &QComboBox::currentIndexChanged, this, &ProcessingPage::edited);
    for (QSpinBox *box : {m_base, m_cap, m_attempts, m_consumers})
        connect(box, &QSpinBox::valueChanged, this, &ProcessingPage::edited);
    connect(m_timeScale, &QDoubleSpinBox::valueChanged, this, &ProcessingPage::edited);
    connect(m_group, &QLineEdit::textEdited, this, &ProcessingPage::edited);
    connect(this, &ProcessingPage::edited, this, &ProcessingPage::updateSchedule);
}

void ProcessingPage::load(const QJsonObject &root)
{
    const processing::RetrySettings defaults;
    m_retry = root.value(u"retry"_s).toObject();
    m_strategy->setCurrentIndex(m_retry.value(u"strategy"_s).toString(u"blocking"_s) == u"topics"_s ? 1 : 0);
    m_base->setValue(int(m_retry.value(u"base_ms"_s).toInteger(defaults.baseMs)));
    m_cap->setValue(int(m_retry.value(u"cap_ms"_s).toInteger(defaults.capMs)));
    m_attempts->setValue(m_retry.value(u"max_attempts"_s).toInt(defaults.maxAttempts));
    m_timeScale->setValue(m_retry.value(u"time_scale"_s).toDouble(defaults.timeScale));
    const QJsonObject consumers = root.value(u"consumers"_s).toObject();
    m_consumers->setValue(consumers.value(u"count"_s).toInt(2));
    m_group->setText(consumers.value(u"group"_s).toString(u"hookbench-processors"_s));
    updateSchedule();
}

QJsonObject ProcessingPage::retryJson() const
{
    QJsonObject retry = m_retry;
    retry.insert(u"strategy"_s, m_strategy->currentData().toString());
    retry.insert(u"base_ms"_s, m_base->value());
    retry.insert(u"cap_ms"_s, m_cap->value());
    retry.insert(u"max_attempts"_s, m_attempts->value());
    retry.insert(u"time_scale"_s, m_timeScale->value());
    return retry;
}

void ProcessingPage::store(QJsonObject &root) const
{
    root.insert(u"retry"_s, retryJson());
    QJsonObject consumers = root.value(u"consumers"_s).toObject();
    consumers.insert(u"count"_s, m_consumers->value());
    consumers.insert(u"group"_s, m_group->text());
    root.insert(u"consumers"_s, consumers);
}

void ProcessingPage::updateSchedule()
{
    const auto settings = processing::RetrySettings::fromJson(retryJson(), u"retry"_s);
    if (!settings) {
        m_schedule->setText(tr("— (fix the values above)"));
        return;
    }
    // A seeded preview: the same settings show the same example delays.
    const processing::RetryPolicy policy(*settings, SystemClock::instance());
    QStringList delays;
    for (const qint64 ms : policy.schedulePreview(1))
        delays.append(duration(ms));
    m_schedule->setText(delays.isEmpty() ? tr("no retries: the first failure goes to the DLQ")
                                         : tr("retries after %1, then the DLQ").arg(delays.join(u", "_s)));
}

} // namespace hookbench::ui
