#include "ui/settings/sources_page.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include "ui/widgets/secret_list_editor.h"
#include "ui/workers/entity_key_previewer.h"
#include "ui/workers/worker_thread.h"

using namespace Qt::StringLiterals;

namespace hookbench::ui {

namespace {

constexpr int kPreviewDelayMs = 250; // typing a pointer: preview once the user pauses

QString path(int index, const QString &key)
{
    return u"sources[%1].%2"_s.arg(index).arg(key);
}

} // namespace

SourcesPage::SourcesPage(const QString &databasePath, QWidget *parent)
    : SettingsPage(tr("Sources"), parent)
    , m_thread(std::make_unique<WorkerThread>(u"hookbench-key-preview"_s))
{
    setObjectName(u"sourcesPage"_s);
    qRegisterMetaType<EntityKeyPreview>();
    m_previewer = new EntityKeyPreviewer(databasePath);
    m_thread->adopt(m_previewer);
    m_thread->start();
    connect(m_previewer, &EntityKeyPreviewer::previewed, this, &SourcesPage::showPreview);
    m_previewDelay.setSingleShot(true);
    m_previewDelay.setInterval(kPreviewDelayMs);
    connect(&m_previewDelay, &QTimer::timeout, this, &SourcesPage::requestPreview);

    auto *layout = new QHBoxLayout(this);
    auto *left = new QVBoxLayout;
    m_list = new QListWidget(this);
    m_list->setObjectName(u"sourceList"_s);
    m_list->setMaximumWidth(180);
    m_list->setTextElideMode(Qt::ElideMiddle);
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    left->addWidget(m_list, 1);
    auto *buttons = new QHBoxLayout;
    auto *add = new QPushButton(tr("Add source"), this);
    add->setObjectName(u"addSource"_s);
    m_remove = new QPushButton(tr("Remove"), this);
    m_remove->setObjectName(u"removeSource"_s);
    buttons->addWidget(add);
    buttons->addWidget(m_remove);
    left->addLayout(buttons);
    layout->addLayout(left);

    m_form = new QWidget(this);
    auto *right = new QVBoxLayout(m_form);
    right->setContentsMargins(0, 0, 0, 0);
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    right->addWidget(noteLabel(tr("Sources take effect after a restart of Hookbench. Secrets are kept in the config "
                                  "file (mode 0600) and shown masked here."),
                               m_form));
    right->addLayout(form);
    m_name = new QLineEdit(m_form);
    m_name->setObjectName(u"sourceName"_s);
    m_name->setToolTip(tr("Path segment of the receiver URL: POST /webhooks/<name>"));
    addField(form, tr("Name"), m_name, u"name"_s);
    m_provider = new QComboBox(m_form);
    m_provider->setObjectName(u"sourceProvider"_s);
    m_provider->setEditable(true);
    m_provider->addItems(config::ConfigLoader::providerNames());
    addField(form, tr("Provider"), m_provider, u"provider"_s);
    m_secrets = new SecretListEditor(m_form);
    addField(form, tr("Secrets"), m_secrets, u"secrets"_s);
    m_tolerance = new QSpinBox(m_form);
    m_tolerance->setObjectName(u"sourceTolerance"_s);
    // Wide on purpose: the config's rules (core) decide what is valid, and say why.
    m_tolerance->setRange(-1'000'000, 100'000'000);
    m_tolerance->setSuffix(tr(" s"));
    m_tolerance->setMaximumWidth(200);
    m_tolerance->setToolTip(tr("How far a signed timestamp may be from now (providers with a timestamp)"));
    addField(form, tr("Timestamp tolerance"), m_tolerance, u"tolerance_seconds"_s);
    m_entityKey = new QLineEdit(m_form);
    m_entityKey->setObjectName(u"sourceEntityKey"_s);
    m_entityKey->setPlaceholderText(tr("provider default, e.g. /data/object/customer"));
    m_entityKey->setToolTip(tr("JSON Pointer (RFC 6901) to the entity the event is about: the Kafka message key"));
    addField(form, tr("Entity key pointer"), m_entityKey, u"entity_key"_s);
    // A row of its own: a word-wrapped label directly in the form gets the height its text needs.
    m_preview = new QLabel(m_form);
    m_preview->setObjectName(u"entityKeyPreview"_s);
    m_preview->setWordWrap(true);
    m_preview->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_preview->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(QString(), m_preview);
    m_eventType = new QLineEdit(m_form);
    m_eventType->setObjectName(u"sourceEventType"_s);
    m_eventType->setPlaceholderText(tr("provider default, or /type"));
    addField(form, tr("Event type pointer"), m_eventType, u"event_type"_s);
    m_topic = new QLineEdit(m_form);
    m_topic->setObjectName(u"sourceTopic"_s);
    addField(form, tr("Topic"), m_topic, u"topic"_s);
    m_publicUrl = new QLineEdit(m_form);
    m_publicUrl->setObjectName(u"sourcePublicUrl"_s);
    m_publicUrl->setPlaceholderText(tr("Twilio: the URL Twilio calls, e.g. https://example.ngrok.app/webhooks/sms"));
    addField(form, tr("Public URL"), m_publicUrl, u"public_url"_s);
    right->addStretch(1);
    layout->addWidget(m_form, 1);

    connect(m_list, &QListWidget::currentRowChanged, this, [this](int row) {
        if (m_loading)
            return;
        writeForm();
        m_current = row;
        readForm();
    });
    connect(add, &QPushButton::clicked, this, &SourcesPage::addSource);
    connect(m_remove, &QPushButton::clicked, this, &SourcesPage::removeCurrentSource);
    auto changed = [this] {
        if (m_loading)
            return;
        writeForm();
        refreshList();
        emit edited();
    };
    for (QLineEdit *edit : {m_name, m_eventType, m_topic, m_publicUrl})
        connect(edit, &QLineEdit::textEdited, this, changed);
    connect(m_name, &QLineEdit::textEdited, this, [this] { m_previewDelay.start(); });
    connect(m_entityKey, &QLineEdit::textEdited, this, [this, changed] {
        changed();
        m_previewDelay.start();
    });
    connect(m_provider, &QComboBox::currentTextChanged, this, [this, changed](const QString &provider) {
        m_secrets->setProvider(provider);
        changed();
        m_previewDelay.start();
    });
    connect(m_tolerance, &QSpinBox::valueChanged, this, changed);
    connect(m_secrets, &SecretListEditor::edited, this, changed);
}

SourcesPage::~SourcesPage() = default;

void SourcesPage::load(const QJsonObject &root)
{
    m_sources = root.value(u"sources"_s).toArray();
    m_current = m_sources.isEmpty() ? -1 : 0;
    refreshList();
    readForm();
}

void SourcesPage::store(QJsonObject &root) const
{
    QJsonArray sources = m_sources;
    if (m_current >= 0 && m_current < sources.size())
        sources.replace(m_current, formObject(sources.at(m_current).toObject()));
    root.insert(u"sources"_s, sources);
}

void SourcesPage::selectSource(int index)
{
    m_list->setCurrentRow(index);
}

void SourcesPage::addSource()
{
    writeForm();
    // A new source starts valid: a free name, provider none (no secret needed).
    QString name = u"source"_s;
    for (int n = 2;; ++n) {
        bool taken = false;
        for (const QJsonValue &s : std::as_const(m_sources))
            taken = taken || s.toObject().value(u"name"_s).toString() == name;
        if (!taken)
            break;
        name = u"source%1"_s.arg(n);
    }
    m_sources.append(QJsonObject{{u"name"_s, name}, {u"provider"_s, u"none"_s}});
    m_current = int(m_sources.size()) - 1;
    refreshList();
    readForm();
    m_name->setFocus();
    m_name->selectAll();
    emit edited();
}

void SourcesPage::removeCurrentSource()
{
    if (m_current < 0 || m_current >= m_sources.size())
        return;
    m_sources.removeAt(m_current);
    m_current = std::min(m_current, int(m_sources.size()) - 1);
    refreshList();
    readForm();
    emit edited();
}

void SourcesPage::writeForm()
{
    if (m_loading || m_current < 0 || m_current >= m_sources.size())
        return;
    m_sources.replace(m_current, formObject(m_sources.at(m_current).toObject()));
}

QJsonObject SourcesPage::formObject(QJsonObject o) const
{
    o.insert(u"name"_s, m_name->text());
    o.insert(u"provider"_s, m_provider->currentText());
    o.remove(u"secret"_s); // written as the list
    QJsonArray secrets;
    for (const QByteArray &secret : m_secrets->secrets())
        secrets.append(QString::fromUtf8(secret));
    if (secrets.isEmpty())
        o.remove(u"secrets"_s);
    else
        o.insert(u"secrets"_s, secrets);
    o.insert(u"tolerance_seconds"_s, m_tolerance->value());
    const auto optional = [&o](const QString &key, const QString &value) {
        if (value.isEmpty())
            o.remove(key);
        else
            o.insert(key, value);
    };
    optional(u"entity_key"_s, m_entityKey->text());
    optional(u"event_type"_s, m_eventType->text());
    optional(u"topic"_s, m_topic->text());
    optional(u"public_url"_s, m_publicUrl->text());
    return o;
}

void SourcesPage::readForm()
{
    m_loading = true;
    const bool any = m_current >= 0 && m_current < m_sources.size();
    m_form->setEnabled(any);
    m_remove->setEnabled(any);
    const QJsonObject o = any ? m_sources.at(m_current).toObject() : QJsonObject();
    m_name->setText(o.value(u"name"_s).toString());
    m_provider->setCurrentText(o.value(u"provider"_s).toString());
    m_secrets->setProvider(m_provider->currentText());
    QList<QByteArray> secrets;
    if (const QString single = o.value(u"secret"_s).toString(); !single.isEmpty())
        secrets.append(single.toUtf8());
    for (const QJsonValue &s : o.value(u"secrets"_s).toArray())
        secrets.append(s.toString().toUtf8());
    m_secrets->setSecrets(secrets);
    m_tolerance->setValue(o.value(u"tolerance_seconds"_s).toInt(300));
    m_entityKey->setText(o.value(u"entity_key"_s).toString());
    m_eventType->setText(o.value(u"event_type"_s).toString());
    m_topic->setText(o.value(u"topic"_s).toString());
    m_topic->setPlaceholderText(tr("webhooks.%1").arg(m_name->text().isEmpty() ? u"<name>"_s : m_name->text()));
    m_publicUrl->setText(o.value(u"public_url"_s).toString());
    if (m_list->currentRow() != m_current)
        m_list->setCurrentRow(m_current);
    m_loading = false;
    showErrors(m_errors);
    m_preview->clear();
    if (any)
        requestPreview();
}

void SourcesPage::refreshList()
{
    const bool wasLoading = m_loading;
    m_loading = true;
    while (m_list->count() > m_sources.size())
        delete m_list->takeItem(m_list->count() - 1);
    for (qsizetype i = 0; i < m_sources.size(); ++i) {
        if (i >= m_list->count())
            m_list->addItem(QString());
        const QJsonObject o = m_sources.at(i).toObject();
        QListWidgetItem *item = m_list->item(int(i));
        const QString name = o.value(u"name"_s).toString();
        // The provider only where the name does not say it: the list stays narrow.
        const QString provider = o.value(u"provider"_s).toString();
        item->setText(name.isEmpty()                           ? tr("<no name>")
                      : name == provider || provider.isEmpty() ? name
                                                               : u"%1 · %2"_s.arg(name, provider));
        QStringList problems;
        for (const config::FieldError &e : std::as_const(m_errors)) {
            if (isUnder(e.field, u"sources[%1]"_s.arg(i)))
                problems.append(e.field % u": "_s % e.why);
        }
        item->setForeground(problems.isEmpty() ? palette().text() : QBrush(QColor(0xc6, 0x28, 0x28)));
        item->setToolTip(problems.isEmpty() ? u"%1 (%2)"_s.arg(name, provider) : problems.join(u'\n'));
    }
    m_topic->setPlaceholderText(tr("webhooks.%1").arg(m_name->text().isEmpty() ? u"<name>"_s : m_name->text()));
    if (m_list->currentRow() != m_current)
        m_list->setCurrentRow(m_current);
    m_loading = wasLoading;
}

int SourcesPage::showErrors(const QList<config::FieldError> &errors)
{
    m_errors = errors;
    clearErrors();
    refreshList();
    int shown = 0;
    if (m_current >= 0) {
        for (auto it = m_errorLabels.constBegin(); it != m_errorLabels.constEnd(); ++it)
            shown += showIn(it.key(), path(m_current, it.key()), errors);
    }
    return shown;
}

QString SourcesPage::previewText() const
{
    return m_preview->text();
}

void SourcesPage::requestPreview()
{
    const quint64 generation = ++m_previewGeneration;
    const QString name = m_name->text();
    const QString provider = m_provider->currentText();
    const QString pointer = m_entityKey->text();
    QMetaObject::invokeMethod(
        m_previewer,
        [previewer = m_previewer, generation, name, provider, pointer] {
            previewer->preview(generation, name, provider, pointer);
        },
        Qt::QueuedConnection);
}

void SourcesPage::showPreview(const EntityKeyPreview &preview)
{
    if (preview.generation != m_previewGeneration)
        return; // an answer to an older pointer
    m_preview->setText(tr("Preview: %1").arg(preview.text));
    m_preview->setStyleSheet(preview.ok ? u"color: #2e7d32;"_s : QString());
    emit previewUpdated();
}

} // namespace hookbench::ui
