#pragma once

// LimitsPage: the receiver — listen address, request limits (body and header size, header and
// idle timeouts, connections) — how long deduplication remembers a key, and the data retention.
// Applied after a restart (the listener and the dedup store are set up with them), except the
// retention, which the journal writer reads at each purge and the dialog applies live.

#include "ui/settings/settings_page.h"

class QLineEdit;
class QSpinBox;

namespace hookbench::ui {

class LimitsPage final : public SettingsPage
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LimitsPage)

public:
    explicit LimitsPage(QWidget *parent = nullptr);

    void load(const QJsonObject &root) override;
    void store(QJsonObject &root) const override;

    QLineEdit *listenEdit() const { return m_listen; }
    QSpinBox *maxBodyBox() const { return m_maxBody; }
    QSpinBox *dedupTtlBox() const { return m_ttl; }
    QSpinBox *retentionBox() const { return m_retention; }

private:
    QLineEdit *m_listen = nullptr;
    QSpinBox *m_maxBody = nullptr;
    QSpinBox *m_maxHeader = nullptr;
    QSpinBox *m_headerTimeout = nullptr;
    QSpinBox *m_idleTimeout = nullptr;
    QSpinBox *m_connections = nullptr;
    QSpinBox *m_ttl = nullptr;
    QSpinBox *m_retention = nullptr;
};

} // namespace hookbench::ui
