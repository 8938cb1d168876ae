#include "ui/settings/delivery_page.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

#include "core/processing/event_filter.h"
#include "core/processing/target_settings.h"
#include "ui/workers/worker_thread.h"

using namespace Qt::StringLiterals;

namespace hookbench::ui {

namespace {

// "field: why" (the settings readers' form) → FieldError; the field is kept under `prefix`.
config::FieldError splitError(const QString &message)
{
    const qsizetype colon = message.indexOf(u": "_s);
    if (colon < 0)
        return {QString(), message};
    return {message.left(colon), message.mid(colon + 2)};
}

QString headersText(const http::HeaderList &headers)
{
    QStringList lines;
    for (const auto &[name, value] : headers)
        lines.append(QString::fromLatin1(name) % u": "_s % QString::fromUtf8(value));
    return lines.join(u'\n');
}

} // namespace

DeliveryPage::DeliveryPage(const QString &databasePath, QWidget *parent)
    : SettingsPage(tr("Targets and subscriptions"), parent)
    , m_thread(std::make_unique<WorkerThread>(u"hookbench-delivery-catalog"_s))
{
    setObjectName(u"deliveryPage"_s);
    qRegisterMetaType<DeliveryRow>();
    qRegisterMetaType<QList<DeliveryRow>>();
    m_worker = new DeliveryCatalogWorker(databasePath);
    m_thread->adopt(m_worker);
    m_thread->start();
    connect(m_worker, &DeliveryCatalogWorker::loaded, this, &DeliveryPage::showRows);
    connect(m_worker, &DeliveryCatalogWorker::saved, this, [this](qint64 id) {
        m_status->setText(tr("Subscription %1 saved: the consumers use it within a second.").arg(id));
    });
    connect(m_worker, &DeliveryCatalogWorker::failed, this, [this](const QString &message) {
        m_status->setText(message);
        m_status->setStyleSheet(u"color: #c62828;"_s);
    });

    auto *layout = new QVBoxLayout(this);
    m_table = new QTableWidget(0, 5, this);
    m_table->setObjectName(u"subscriptionTable"_s);
    m_table->setHorizontalHeaderLabels({tr("Target URL"), tr("Events"), tr("Timeout"), tr("Headers"), tr("Active")});
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    layout->addWidget(m_table, 1);

    auto *edit = new QGroupBox(tr("Subscription"), this);
    auto *form = new QFormLayout(edit);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_url = new QLineEdit(edit);
    m_url->setObjectName(u"targetUrl"_s);
    m_url->setPlaceholderText(u"http://127.0.0.1:3000/hooks"_s);
    addField(form, tr("Target URL"), m_url, u"url"_s);
    m_events = new QLineEdit(edit);
    m_events->setObjectName(u"filterEvents"_s);
    m_events->setPlaceholderText(tr("every event; or patterns such as invoice.*, customer.created"));
    addField(form, tr("Event types"), m_events, u"events"_s);
    m_headers = new QPlainTextEdit(edit);
    m_headers->setObjectName(u"targetHeaders"_s);
    m_headers->setPlaceholderText(tr("one per line: X-Env: dev"));
    m_headers->setFixedHeight(m_headers->fontMetrics().lineSpacing() * 3 + 12);
    addField(form, tr("Extra headers"), m_headers, u"headers"_s);
    m_timeout = new QSpinBox(edit);
    m_timeout->setObjectName(u"targetTimeout"_s);
    m_timeout->setRange(-1'000'000, 100'000'000);
    m_timeout->setSuffix(tr(" ms"));
    m_timeout->setValue(10'000);
    m_timeout->setMaximumWidth(240);
    addField(form, tr("Timeout"), m_timeout, u"timeout_ms"_s);
    m_active = new QCheckBox(tr("Active"), edit);
    m_active->setObjectName(u"subscriptionActive"_s);
    m_active->setChecked(true);
    form->addRow(QString(), m_active);
    auto *buttons = new QHBoxLayout;
    auto *add = new QPushButton(tr("Add subscription"), edit);
    add->setObjectName(u"addSubscription"_s);
    m_update = new QPushButton(tr("Save changes"), edit);
    m_update->setObjectName(u"updateSubscription"_s);
    m_remove = new QPushButton(tr("Remove"), edit);
    m_remove->setObjectName(u"removeSubscription"_s);
    buttons->addWidget(add);
    buttons->addWidget(m_update);
    buttons->addWidget(m_remove);
    buttons->addStretch(1);
    form->addRow(buttons);
    layout->addWidget(edit);
    m_status = noteLabel(tr("Changes here apply at once: the consumers re-read subscriptions every second."), this);
    m_status->setObjectName(u"deliveryStatus"_s);
    layout->addWidget(m_status);

    connect(add, &QPushButton::clicked, this, &DeliveryPage::addFromForm);
    connect(m_update, &QPushButton::clicked, this, &DeliveryPage::updateSelected);
    connect(m_remove, &QPushButton::clicked, this, &DeliveryPage::removeSelected);
    connect(m_table, &QTableWidget::currentCellChanged, this, [this](int row) { fillForm(row); });
    fillForm(-1);
    reload();
}

DeliveryPage::~DeliveryPage() = default;

void DeliveryPage::reload()
{
    QMetaObject::invokeMethod(m_worker, &DeliveryCatalogWorker::load, Qt::QueuedConnection);
}

DeliveryRow DeliveryPage::formRow(QList<config::FieldError> *errors) const
{
    DeliveryRow row;
    // Core's own rules for a target and a filter, the ones the config file and the API use.
    QJsonObject headers;
    const QStringList lines = m_headers->toPlainText().split(u'\n', Qt::SkipEmptyParts);
    for (const QString &line : lines) {
        const qsizetype colon = line.indexOf(u':');
        if (colon <= 0) {
            errors->append({u"headers"_s, tr("\"%1\" is not Name: value").arg(line.trimmed())});
            continue;
        }
        headers.insert(line.left(colon).trimmed(), line.mid(colon + 1).trimmed());
    }
    const QJsonObject target{
        {u"url"_s, m_url->text().trimmed()}, {u"headers"_s, headers}, {u"timeout_ms"_s, m_timeout->value()}};
    if (auto settings = processing::TargetSettings::fromJson(target, {}); !settings) {
        errors->append(splitError(settings.error().message));
    } else {
        row.url = settings->url.toString();
        row.headers = settings->headers;
        row.timeoutMs = settings->timeoutMs;
    }
    QJsonArray events;
    for (const QString &e : m_events->text().split(u',', Qt::SkipEmptyParts)) {
        if (!e.trimmed().isEmpty())
            events.append(e.trimmed());
    }
    if (auto filter = processing::EventFilter::fromJson(events, u"events"_s); !filter) {
        errors->append(splitError(filter.error().message));
    } else {
        row.events = filter->patterns();
        // The admin API's rule for what people type, so both refuse the same patterns.
        for (qsizetype i = 0; i < row.events.size(); ++i) {
            if (const QString problem = processing::EventFilter::patternProblem(row.events.at(i)); !problem.isEmpty())
                errors->append({u"events[%1]"_s.arg(i),
                                tr("\"%1\" is not an event type pattern: %2").arg(row.events.at(i), problem)});
        }
    }
    row.active = m_active->isChecked();
    return row;
}

void DeliveryPage::submit(DeliveryRow row)
{
    m_status->setStyleSheet(QString());
    m_status->setText(tr("Saving…"));
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, row] { worker->save(row); }, Qt::QueuedConnection);
}

bool DeliveryPage::addFromForm()
{
    QList<config::FieldError> errors;
    DeliveryRow row = formRow(&errors);
    SettingsPage::showErrors(errors);
    if (!errors.isEmpty())
        return false;
    submit(row);
    return true;
}

bool DeliveryPage::updateSelected()
{
    const int selected = m_table->currentRow();
    if (selected < 0 || selected >= m_rows.size())
        return false;
    QList<config::FieldError> errors;
    DeliveryRow row = formRow(&errors);
    SettingsPage::showErrors(errors);
    if (!errors.isEmpty())
        return false;
    row.subscriptionId = m_rows.at(selected).subscriptionId;
    row.targetId = m_rows.at(selected).targetId;
    row.filterId = m_rows.at(selected).filterId;
    submit(row);
    return true;
}

void DeliveryPage::removeSelected()
{
    const int selected = m_table->currentRow();
    if (selected < 0 || selected >= m_rows.size())
        return;
    const DeliveryRow row = m_rows.at(selected);
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, row] { worker->remove(row); }, Qt::QueuedConnection);
}

void DeliveryPage::showRows(const QList<DeliveryRow> &rows)
{
    const qint64 selectedId = m_table->currentRow() >= 0 && m_table->currentRow() < m_rows.size()
                                  ? m_rows.at(m_table->currentRow()).subscriptionId
                                  : 0;
    m_rows = rows;
    m_table->setRowCount(int(rows.size()));
    for (int i = 0; i < rows.size(); ++i) {
        const DeliveryRow &r = rows.at(i);
        const QStringList cells{r.url, r.events.isEmpty() ? tr("every event") : r.events.join(u", "_s),
                                tr("%1 ms").arg(r.timeoutMs), headersText(r.headers).replace(u'\n', u"; "_s),
                                r.active ? tr("yes") : tr("no")};
        for (int c = 0; c < cells.size(); ++c)
            m_table->setItem(i, c, new QTableWidgetItem(cells.at(c)));
        if (r.subscriptionId == selectedId)
            m_table->setCurrentCell(i, 0);
    }
    emit catalogChanged();
}

void DeliveryPage::fillForm(int row)
{
    const bool any = row >= 0 && row < m_rows.size();
    m_update->setEnabled(any);
    m_remove->setEnabled(any);
    if (!any)
        return;
    const DeliveryRow &r = m_rows.at(row);
    m_url->setText(r.url);
    m_events->setText(r.events.join(u", "_s));
    m_headers->setPlainText(headersText(r.headers));
    m_timeout->setValue(r.timeoutMs);
    m_active->setChecked(r.active);
    clearErrors();
}

} // namespace hookbench::ui
