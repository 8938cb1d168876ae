#include "ui/widgets/stall_probe.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace hookbench::ui {

StallProbe::StallProbe(QObject *parent) : QObject(parent)
{
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(kIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &StallProbe::onTick);
    m_clock.start();
    m_timer.start();
}

StallProbe::~StallProbe()
{
    qInfo().noquote() << QString::fromUtf8(QJsonDocument(QJsonObject{{u"event"_s, u"stall_probe"_s},
                                                                     {u"max_stall_ms"_s, m_maxLateMs},
                                                                     {u"samples"_s, m_samples},
                                                                     {u"interval_ms"_s, kIntervalMs}})
                                               .toJson(QJsonDocument::Compact));
}

bool StallProbe::enabledByEnvironment()
{
    return qEnvironmentVariableIntValue("HOOKBENCH_STALL_PROBE") == 1;
}

void StallProbe::onTick()
{
    const qint64 now = m_clock.elapsed();
    if (m_samples > 0)
        m_maxLateMs = qMax(m_maxLateMs, now - m_lastMs - kIntervalMs);
    m_lastMs = now;
    ++m_samples;
}

} // namespace hookbench::ui
