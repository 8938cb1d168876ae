#include "core/processing/retry_settings.h"

#include "core/processing/settings_reader.h"

using namespace Qt::StringLiterals;

namespace hookbench::processing {

Result<RetrySettings> RetrySettings::fromJson(const QJsonObject &object, const QString &fieldPath)
{
    SettingsReader r(object, fieldPath);
    r.rejectUnknown({u"strategy"_s, u"base_ms"_s, u"cap_ms"_s, u"max_attempts"_s, u"time_scale"_s});
    RetrySettings s;
    s.strategy = r.choice(u"strategy"_s, u"blocking"_s, {u"blocking"_s, u"topics"_s}) == u"topics"_s
                     ? Strategy::Topics
                     : Strategy::Blocking;
    s.capMs = r.integer(u"cap_ms"_s, s.capMs, 1, maxCapMs);
    s.baseMs = r.integer(u"base_ms"_s, s.baseMs, 1, maxCapMs);
    if (!r.failed() && s.baseMs > s.capMs)
        r.fail(u"base_ms"_s, u"must not exceed cap_ms (%1), got %2"_s.arg(s.capMs).arg(s.baseMs));
    s.maxAttempts = static_cast<int>(r.integer(u"max_attempts"_s, s.maxAttempts, 1, 100));
    // Above 1 compresses the schedule for demos; below 1 stretches it. 1e-3 keeps a week's cap
    // well inside qint64 milliseconds.
    s.timeScale = r.number(u"time_scale"_s, s.timeScale, 0.001, 1'000'000.0);
    if (r.failed())
        return r.error();
    return s;
}

QJsonObject RetrySettings::toJson() const
{
    return QJsonObject{
        {u"strategy"_s, strategyName(strategy)}, {u"base_ms"_s, baseMs},       {u"cap_ms"_s, capMs},
        {u"max_attempts"_s, maxAttempts},        {u"time_scale"_s, timeScale},
    };
}

QString RetrySettings::strategyName(Strategy strategy)
{
    return strategy == Strategy::Topics ? u"topics"_s : u"blocking"_s;
}

} // namespace hookbench::processing
