#include "core/scenario/provider_schedule.h"

using namespace Qt::StringLiterals;

namespace hookbench::scenario {

QList<qint64> ProviderSchedule::offsetsS(const QString &name)
{
    QList<qint64> delays;
    if (name == u"standard-webhooks"_s)
        delays = {0, 5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600};
    else if (name == u"stripe"_s)
        delays = {0, 3600, 2 * 3600, 4 * 3600, 8 * 3600, 16 * 3600, 32 * 3600};
    QList<qint64> offsets;
    qint64 at = 0;
    for (qint64 delay : std::as_const(delays)) {
        at += delay;
        offsets.append(at);
    }
    return offsets;
}

QStringList ProviderSchedule::names()
{
    return {u"standard-webhooks"_s, u"stripe"_s};
}

QString ProviderSchedule::describe(qint64 seconds)
{
    if (seconds == 0)
        return u"0 s"_s;
    QStringList parts;
    if (const qint64 d = seconds / 86'400)
        parts << QString::number(d) % u" d"_s;
    if (const qint64 h = seconds % 86'400 / 3600)
        parts << QString::number(h) % u" h"_s;
    if (const qint64 m = seconds % 3600 / 60)
        parts << QString::number(m) % u" min"_s;
    if (const qint64 s = seconds % 60)
        parts << QString::number(s) % u" s"_s;
    return parts.join(u' ');
}

} // namespace hookbench::scenario
