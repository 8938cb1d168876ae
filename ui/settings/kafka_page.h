#pragma once

// KafkaPage: the Kafka cluster — embedded (brokers, partitions) or external (bootstrap servers,
// security.protocol, sasl.mechanism with user name and password, ssl.ca.location) — plus extra
// librdkafka properties as a key/value list, passed through like `kcat -X`. Applied after a
// restart: the producer and the consumer group are built with them.

#include "ui/settings/settings_page.h"

class QComboBox;
class QGroupBox;
class QLineEdit;
class QSpinBox;
class QTableWidget;

namespace hookbench::ui {

class KafkaPage final : public SettingsPage
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KafkaPage)

public:
    explicit KafkaPage(QWidget *parent = nullptr);

    void load(const QJsonObject &root) override;
    void store(QJsonObject &root) const override;
    int showErrors(const QList<config::FieldError> &errors) override;

    QComboBox *modeBox() const { return m_mode; }
    QSpinBox *brokersBox() const { return m_brokers; }
    QSpinBox *partitionsBox() const { return m_partitions; }
    QLineEdit *bootstrapEdit() const { return m_bootstrap; }
    QComboBox *protocolBox() const { return m_protocol; }
    QComboBox *mechanismBox() const { return m_mechanism; }
    QLineEdit *usernameEdit() const { return m_username; }
    QLineEdit *passwordEdit() const { return m_password; }
    QLineEdit *caFileEdit() const { return m_caFile; }
    QTableWidget *propertiesTable() const { return m_properties; }
    void addProperty(const QString &key, const QString &value);

private:
    void updateModeVisibility();

    QComboBox *m_mode = nullptr;
    QGroupBox *m_embedded = nullptr;
    QGroupBox *m_external = nullptr;
    QSpinBox *m_brokers = nullptr;
    QSpinBox *m_partitions = nullptr;
    QSpinBox *m_produceWait = nullptr;
    QLineEdit *m_bootstrap = nullptr;
    QComboBox *m_protocol = nullptr;
    QComboBox *m_mechanism = nullptr;
    QLineEdit *m_username = nullptr;
    QLineEdit *m_password = nullptr;
    QLineEdit *m_caFile = nullptr;
    QTableWidget *m_properties = nullptr;
};

} // namespace hookbench::ui
