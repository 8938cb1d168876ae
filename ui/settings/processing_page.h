#pragma once

// ProcessingPage: how the consumer side processes records — the retry policy (exponential
// backoff with full jitter: base, cap, attempts, time scale, with a preview of the schedule) and
// strategy (blocking in place or retry topics), and the consumer group (members, group id).
// Retry settings and the member count apply live; the group id after a restart.

#include "ui/settings/settings_page.h"

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace hookbench::ui {

class ProcessingPage final : public SettingsPage
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProcessingPage)

public:
    explicit ProcessingPage(QWidget *parent = nullptr);

    void load(const QJsonObject &root) override;
    void store(QJsonObject &root) const override;

    QComboBox *strategyBox() const { return m_strategy; }
    QSpinBox *baseBox() const { return m_base; }
    QSpinBox *capBox() const { return m_cap; }
    QSpinBox *attemptsBox() const { return m_attempts; }
    QDoubleSpinBox *timeScaleBox() const { return m_timeScale; }
    QSpinBox *consumersBox() const { return m_consumers; }
    QLabel *scheduleLabel() const { return m_schedule; }

private:
    QJsonObject retryJson() const;
    void updateSchedule();

    QComboBox *m_strategy = nullptr;
    QSpinBox *m_base = nullptr;
    QSpinBox *m_cap = nullptr;
    QSpinBox *m_attempts = nullptr;
    QDoubleSpinBox *m_timeScale = nullptr;
    QLabel *m_schedule = nullptr;
    QSpinBox *m_consumers = nullptr;
    QLineEdit *m_group = nullptr;
    QJsonObject m_retry; // as loaded: keeps fields this page does not show
};

} // namespace hookbench::ui
