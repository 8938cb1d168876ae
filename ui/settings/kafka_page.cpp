#include "ui/settings/kafka_page.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace hookbench::ui {

namespace {

// The properties with a field of their own; the table holds the rest.
const QStringList &dedicatedProperties()
{
    static const QStringList keys{u"security.protocol"_s, u"sasl.mechanism"_s, u"sasl.username"_s, u"sasl.password"_s,
                                  u"ssl.ca.location"_s};
    return keys;
}

QString propertyField(const QString &key)
{
    return u"kafka.properties."_s + key;
}

QSpinBox *spinBox(const QString &name, QWidget *parent)
{
    auto *box = new QSpinBox(parent);
    box->setObjectName(name);
    // Wide on purpose: the config's rules (core) decide what is valid, and say why.
    box->setRange(-1'000'000, 100'000'000);
    box->setMaximumWidth(240); // a number, not a sentence
    return box;
}

} // namespace

KafkaPage::KafkaPage(QWidget *parent) : SettingsPage(tr("Kafka"), parent)
{
    setObjectName(u"kafkaPage"_s);
    auto *layout = new QVBoxLayout(this);

    layout->addWidget(noteLabel(tr("Kafka settings take effect after a restart of Hookbench."), this));
    auto *general = new QFormLayout;
    general->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    layout->addLayout(general);
    m_mode = new QComboBox(this);
    m_mode->setObjectName(u"kafkaMode"_s);
    m_mode->addItem(tr("Embedded — an in-process mock cluster, data in memory"), u"embedded"_s);
    m_mode->addItem(tr("External — your own Kafka cluster"), u"external"_s);
    addField(general, tr("Mode"), m_mode, u"kafka.mode"_s);
    m_partitions = spinBox(u"kafkaPartitions"_s, this);
    m_partitions->setToolTip(tr("Partitions of the topics Hookbench creates"));
    addField(general, tr("Partitions per topic"), m_partitions, u"kafka.partitions"_s);
    m_produceWait = spinBox(u"kafkaProduceWait"_s, this);
    m_produceWait->setSuffix(tr(" ms"));
    m_produceWait->setToolTip(tr("How long the receiver waits for Kafka's acknowledgement before it answers 202 "
                                 "queued (the journal keeps the event)"));
    addField(general, tr("Produce wait"), m_produceWait, u"kafka.produce_wait_ms"_s);

    m_embedded = new QGroupBox(tr("Embedded cluster"), this);
    auto *embedded = new QFormLayout(m_embedded);
    m_brokers = spinBox(u"kafkaBrokers"_s, m_embedded);
    addField(embedded, tr("Brokers"), m_brokers, u"kafka.brokers"_s);
    layout->addWidget(m_embedded);

    m_external = new QGroupBox(tr("External cluster"), this);
    auto *external = new QFormLayout(m_external);
    external->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_bootstrap = new QLineEdit(m_external);
    m_bootstrap->setObjectName(u"kafkaBootstrap"_s);
    m_bootstrap->setPlaceholderText(tr("host:port[,host:port…], e.g. localhost:9092"));
    addField(external, tr("Bootstrap servers"), m_bootstrap, u"kafka.bootstrap"_s);
    m_protocol = new QComboBox(m_external);
    m_protocol->setObjectName(u"kafkaSecurityProtocol"_s);
    m_protocol->setEditable(true);
    m_protocol->addItems({QString(), u"plaintext"_s, u"ssl"_s, u"sasl_plaintext"_s, u"sasl_ssl"_s});
    m_protocol->setToolTip(tr("security.protocol (empty: librdkafka's default, plaintext)"));
    addField(external, tr("Security protocol"), m_protocol, propertyField(u"security.protocol"_s));
    m_mechanism = new QComboBox(m_external);
    m_mechanism->setObjectName(u"kafkaSaslMechanism"_s);
    m_mechanism->setEditable(true);
    m_mechanism->addItems(
        {QString(), u"PLAIN"_s, u"SCRAM-SHA-256"_s, u"SCRAM-SHA-512"_s, u"OAUTHBEARER"_s, u"GSSAPI"_s});
    m_mechanism->setToolTip(tr("sasl.mechanism"));
    addField(external, tr("SASL mechanism"), m_mechanism, propertyField(u"sasl.mechanism"_s));
    m_username = new QLineEdit(m_external);
    m_username->setObjectName(u"kafkaSaslUsername"_s);
    addField(external, tr("SASL user name"), m_username, propertyField(u"sasl.username"_s));
    auto *passwordRow = new QWidget(m_external);
    auto *passwordLayout = new QHBoxLayout(passwordRow);
    passwordLayout->setContentsMargins(0, 0, 0, 0);
    m_password = new QLineEdit(passwordRow);
    m_password->setObjectName(u"kafkaSaslPassword"_s);
    m_password->setEchoMode(QLineEdit::Password);
    auto *show = new QCheckBox(tr("Show"), passwordRow);
    show->setObjectName(u"showKafkaPassword"_s);
    passwordLayout->addWidget(m_password, 1);
    passwordLayout->addWidget(show);
    connect(show, &QCheckBox::toggled, m_password,
            [this](bool on) { m_password->setEchoMode(on ? QLineEdit::Normal : QLineEdit::Password); });
    addField(external, tr("SASL password"), passwordRow, propertyField(u"sasl.password"_s));
    auto *caRow = new QWidget(m_external);
    auto *caLayout = new QHBoxLayout(caRow);
    caLayout->setContentsMargins(0, 0, 0, 0);
    m_caFile = new QLineEdit(caRow);
    m_caFile->setObjectName(u"kafkaCaFile"_s);
    m_caFile->setPlaceholderText(tr("PEM file of the CA that signed the brokers' certificates"));
    auto *browse = new QPushButton(tr("Browse…"), caRow);
    caLayout->addWidget(m_caFile, 1);
    caLayout->addWidget(browse);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("CA certificate"), m_caFile->text(),
                                                          tr("Certificates (*.pem *.crt *.cer);;All files (*)"));
        if (!file.isEmpty()) {
            m_caFile->setText(file);
            emit edited();
        }
    });
    addField(external, tr("CA file"), caRow, propertyField(u"ssl.ca.location"_s));
    layout->addWidget(m_external);

    auto *extra = new QGroupBox(tr("Extra librdkafka properties"), this);
    auto *extraLayout = new QVBoxLayout(extra);
    m_properties = new QTableWidget(0, 2, extra);
    m_properties->setObjectName(u"kafkaProperties"_s);
    m_properties->setHorizontalHeaderLabels({tr("Property"), tr("Value")});
    m_properties->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Interactive);
    m_properties->horizontalHeader()->setStretchLastSection(true);
    m_properties->setColumnWidth(0, 220);
    m_properties->verticalHeader()->hide();
    // The scroll area sizes a page with wrapped labels to its preferred height (height for
    // width): a short table keeps the page on one screen.
    m_properties->setMinimumHeight(90);
    m_properties->setMaximumHeight(130);
    extraLayout->addWidget(noteLabel(tr("Passed to the producer and consumers as they are, like kcat -X."), extra));
    extraLayout->addWidget(m_properties);
    auto *propertiesError = new QLabel(extra);
    propertiesError->setObjectName(u"error:kafka.properties"_s);
    propertiesError->setWordWrap(true);
    propertiesError->setStyleSheet(u"color: #c62828;"_s);
    propertiesError->hide();
    extraLayout->addWidget(propertiesError);
    m_errorLabels.insert(u"kafka.properties"_s, propertiesError);
    auto *buttons = new QHBoxLayout;
    auto *addRow = new QPushButton(tr("Add property"), extra);
    auto *removeRow = new QPushButton(tr("Remove"), extra);
    buttons->addWidget(addRow);
    buttons->addWidget(removeRow);
    buttons->addStretch(1);
    extraLayout->addLayout(buttons);
    connect(addRow, &QPushButton::clicked, this, [this] {
        addProperty({}, {});
        m_properties->editItem(m_properties->item(m_properties->rowCount() - 1, 0));
    });
    connect(removeRow, &QPushButton::clicked, this, [this] {
        if (m_properties->currentRow() >= 0) {
            m_properties->removeRow(m_properties->currentRow());
            emit edited();
        }
    });
    layout->addWidget(extra);
    layout->addStretch(1);

    connect(m_mode, &QComboBox::currentIndexChanged, this, [this] {
        updateModeVisibility();
        emit edited();
    });
    for (QSpinBox *box : {m_brokers, m_partitions, m_produceWait})
        connect(box, &QSpinBox::valueChanged, this, &KafkaPage::edited);
    for (QLineEdit *edit : {m_bootstrap, m_username, m_password, m_caFile})
        connect(edit, &QLineEdit::textEdited, this, &KafkaPage::edited);
    for (QComboBox *box : {m_protocol, m_mechanism})
        connect(box, &QComboBox::currentTextChanged, this, &KafkaPage::edited);
    connect(m_properties, &QTableWidget::itemChanged, this, &KafkaPage::edited);
}

void KafkaPage::addProperty(const QString &key, const QString &value)
{
    const int row = m_properties->rowCount();
    m_properties->insertRow(row);
    m_properties->setItem(row, 0, new QTableWidgetItem(key));
    m_properties->setItem(row, 1, new QTableWidgetItem(value));
}

void KafkaPage::load(const QJsonObject &root)
{
    const QJsonObject kafka = root.value(u"kafka"_s).toObject();
    m_mode->setCurrentIndex(kafka.value(u"mode"_s).toString(u"embedded"_s) == u"external"_s ? 1 : 0);
    m_brokers->setValue(kafka.value(u"brokers"_s).toInt(3));
    m_partitions->setValue(kafka.value(u"partitions"_s).toInt(6));
    m_produceWait->setValue(kafka.value(u"produce_wait_ms"_s).toInt(2000));
    m_bootstrap->setText(kafka.value(u"bootstrap"_s).toString());
    const QJsonObject properties = kafka.value(u"properties"_s).toObject();
    const auto text = [&properties](const QString &key) { return properties.value(key).toVariant().toString(); };
    m_protocol->setCurrentText(text(u"security.protocol"_s));
    m_mechanism->setCurrentText(text(u"sasl.mechanism"_s));
    m_username->setText(text(u"sasl.username"_s));
    m_password->setText(text(u"sasl.password"_s));
    m_caFile->setText(text(u"ssl.ca.location"_s));
    m_properties->setRowCount(0);
    for (auto it = properties.begin(); it != properties.end(); ++it) {
        if (!dedicatedProperties().contains(it.key()))
            addProperty(it.key(), it.value().toVariant().toString());
    }
    updateModeVisibility();
}

void KafkaPage::store(QJsonObject &root) const
{
    QJsonObject kafka = root.value(u"kafka"_s).toObject();
    kafka.insert(u"mode"_s, m_mode->currentData().toString());
    kafka.insert(u"brokers"_s, m_brokers->value());
    kafka.insert(u"partitions"_s, m_partitions->value());
    kafka.insert(u"produce_wait_ms"_s, m_produceWait->value());
    if (m_bootstrap->text().trimmed().isEmpty())
        kafka.remove(u"bootstrap"_s);
    else
        kafka.insert(u"bootstrap"_s, m_bootstrap->text().trimmed());
    QJsonObject properties;
    for (int row = 0; row < m_properties->rowCount(); ++row) {
        const QString key = m_properties->item(row, 0) ? m_properties->item(row, 0)->text().trimmed() : QString();
        if (!key.isEmpty())
            properties.insert(key, m_properties->item(row, 1) ? m_properties->item(row, 1)->text() : QString());
    }
    const QList<QPair<QString, QString>> dedicated{{u"security.protocol"_s, m_protocol->currentText().trimmed()},
                                                   {u"sasl.mechanism"_s, m_mechanism->currentText().trimmed()},
                                                   {u"sasl.username"_s, m_username->text()},
                                                   {u"sasl.password"_s, m_password->text()},
                                                   {u"ssl.ca.location"_s, m_caFile->text().trimmed()}};
    for (const auto &[key, value] : dedicated) {
        if (!value.isEmpty())
            properties.insert(key, value);
    }
    if (properties.isEmpty())
        kafka.remove(u"properties"_s);
    else
        kafka.insert(u"properties"_s, properties);
    root.insert(u"kafka"_s, kafka);
}

int KafkaPage::showErrors(const QList<config::FieldError> &errors)
{
    clearErrors();
    int shown = 0;
    QList<config::FieldError> others; // properties without a field of their own: under the table
    for (const config::FieldError &e : errors) {
        bool dedicated = false;
        for (const QString &key : dedicatedProperties())
            dedicated = dedicated || isUnder(e.field, propertyField(key));
        if (isUnder(e.field, u"kafka.properties"_s) && !dedicated)
            others.append(e);
    }
    for (auto it = m_errorLabels.constBegin(); it != m_errorLabels.constEnd(); ++it) {
        if (it.key() == u"kafka.properties"_s)
            shown += showIn(it.key(), it.key(), others);
        else
            shown += showIn(it.key(), it.key(), errors);
    }
    return shown;
}

void KafkaPage::updateModeVisibility()
{
    const bool external = m_mode->currentData().toString() == u"external"_s;
    m_embedded->setEnabled(!external);
    m_external->setEnabled(external);
}

} // namespace hookbench::ui
