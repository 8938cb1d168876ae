#pragma once

// StallProbe: an opt-in measurement of GUI responsiveness (HOOKBENCH_STALL_PROBE=1). A 10 ms
// timer notes how late each tick fires (QElapsedTimer); the worst lateness is the longest
// event-loop stall, logged as one JSON line when the probe is destroyed.

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace hookbench::ui {

class StallProbe final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StallProbe)

public:
    explicit StallProbe(QObject *parent = nullptr);
    ~StallProbe() override;

    static bool enabledByEnvironment();
    qint64 maxStallMs() const { return m_maxLateMs; }
    qint64 samples() const { return m_samples; }

private:
    void onTick();

    static constexpr int kIntervalMs = 10;
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_lastMs = 0;
    qint64 m_maxLateMs = 0;
    qint64 m_samples = 0;
};

} // namespace hookbench::ui
