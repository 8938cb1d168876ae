#pragma once

// SourcesPage: the sources of the config — a list on the left, the selected source's fields on
// the right: name, provider, secrets (masked; add, rotate, remove), timestamp tolerance, entity
// key pointer with a live preview against the last payload the source received, event type
// pointer, topic and (Twilio) public URL. Sources take effect after a restart.

#include <memory>

#include <QJsonArray>
#include <QTimer>

#include "ui/settings/settings_page.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;

namespace hookbench::ui {

class SecretListEditor;
class WorkerThread;
class EntityKeyPreviewer;
struct EntityKeyPreview;

class SourcesPage final : public SettingsPage
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SourcesPage)

public:
    // databasePath: the journal the entity key preview reads.
    SourcesPage(const QString &databasePath, QWidget *parent = nullptr);
    ~SourcesPage() override;

    void load(const QJsonObject &root) override;
    void store(QJsonObject &root) const override;
    int showErrors(const QList<config::FieldError> &errors) override;

    // For tests and the dialog: select a source, add or remove one.
    void selectSource(int index);
    int currentSource() const { return m_current; }
    void addSource();
    void removeCurrentSource();

    QLineEdit *nameEdit() const { return m_name; }
    QComboBox *providerBox() const { return m_provider; }
    SecretListEditor *secretEditor() const { return m_secrets; }
    QSpinBox *toleranceBox() const { return m_tolerance; }
    QLineEdit *entityKeyEdit() const { return m_entityKey; }
    QLineEdit *topicEdit() const { return m_topic; }
    QString previewText() const;

signals:
    void previewUpdated();

private:
    void writeForm(); // form → m_sources[m_current]
    void readForm();  // m_sources[m_current] → form
    // The source object `o` with the form's values (fields the form does not show are kept).
    QJsonObject formObject(QJsonObject o) const;
    void refreshList();
    void requestPreview();
    void showPreview(const EntityKeyPreview &preview);

    QJsonArray m_sources;
    int m_current = -1;
    bool m_loading = false;
    QList<config::FieldError> m_errors;

    QListWidget *m_list = nullptr;
    QPushButton *m_remove = nullptr;
    QWidget *m_form = nullptr;
    QLineEdit *m_name = nullptr;
    QComboBox *m_provider = nullptr;
    SecretListEditor *m_secrets = nullptr;
    QSpinBox *m_tolerance = nullptr;
    QLineEdit *m_entityKey = nullptr;
    QLabel *m_preview = nullptr;
    QLineEdit *m_eventType = nullptr;
    QLineEdit *m_topic = nullptr;
    QLineEdit *m_publicUrl = nullptr;

    std::unique_ptr<WorkerThread> m_thread;
    EntityKeyPreviewer *m_previewer = nullptr; // lives on m_thread
    QTimer m_previewDelay;
    quint64 m_previewGeneration = 0;
};

} // namespace hookbench::ui
