#pragma once

// DeliveryPage: where processed records go — subscriptions, each a forward target (URL,
// headers, timeout) with an optional event filter ("invoice.*"). A change is checked with core's
// rules for targets and filters (TargetSettings, EventFilter), shown next to the field with the
// reason, and applied at once through the delivery catalog: the running consumers use it within
// a second, no restart. These live in the database, not in config.json.

#include <memory>

#include <QList>

#include "ui/settings/settings_page.h"
#include "ui/workers/delivery_catalog_worker.h"

class QCheckBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace hookbench::ui {

class WorkerThread;

class DeliveryPage final : public SettingsPage
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeliveryPage)

public:
    explicit DeliveryPage(const QString &databasePath, QWidget *parent = nullptr);
    ~DeliveryPage() override;

    // Subscriptions are not part of the config file.
    void load(const QJsonObject &) override {}
    void store(QJsonObject &) const override {}

    // The form's values as a row; field errors (url, headers, timeout_ms, events) with core's
    // reasons, empty when valid.
    DeliveryRow formRow(QList<config::FieldError> *errors) const;
    // Adds the form as a new subscription / saves it over the selected one; false (and the
    // reasons shown next to the fields) when it is invalid.
    bool addFromForm();
    bool updateSelected();
    void removeSelected();
    void reload();

    QLineEdit *urlEdit() const { return m_url; }
    QLineEdit *eventsEdit() const { return m_events; }
    QPlainTextEdit *headersEdit() const { return m_headers; }
    QSpinBox *timeoutBox() const { return m_timeout; }
    QCheckBox *activeBox() const { return m_active; }
    QTableWidget *table() const { return m_table; }
    QLabel *statusLabel() const { return m_status; }
    const QList<DeliveryRow> &rows() const { return m_rows; }

signals:
    void catalogChanged(); // rows re-read after a load or a change

private:
    void showRows(const QList<DeliveryRow> &rows);
    void fillForm(int row);
    void submit(DeliveryRow row);

    std::unique_ptr<WorkerThread> m_thread;
    DeliveryCatalogWorker *m_worker = nullptr; // lives on m_thread
    QList<DeliveryRow> m_rows;

    QTableWidget *m_table = nullptr;
    QLineEdit *m_url = nullptr;
    QLineEdit *m_events = nullptr;
    QPlainTextEdit *m_headers = nullptr;
    QSpinBox *m_timeout = nullptr;
    QCheckBox *m_active = nullptr;
    QPushButton *m_update = nullptr;
    QPushButton *m_remove = nullptr;
    QLabel *m_status = nullptr;
};

} // namespace hookbench::ui
