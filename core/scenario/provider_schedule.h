#pragma once

// ProviderSchedule: when a provider re-delivers an event it did not see acknowledged, as
// offsets from the first attempt.
//  - standard-webhooks: the specification's schedule — immediately, then 5 s, 5 min, 30 min,
//    2 h, 5 h, 10 h and 10 h after the previous attempt (27 h 35 min 5 s in all).
//  - stripe: Stripe documents "up to three days with an exponential back off" without the exact
//    delays; this is an approximation with doubling delays from one hour: 0, 1 h, 3 h, 7 h, 15 h,
//    31 h, 63 h.

#include <QList>
#include <QString>
#include <QStringList>

namespace hookbench::scenario {

class ProviderSchedule
{
public:
    // Offsets in seconds from the first delivery, the first being 0; empty for an unknown name.
    static QList<qint64> offsetsS(const QString &name);
    static QStringList names();
    // "5 s", "2 h 35 min", ... for a report.
    static QString describe(qint64 seconds);
};

} // namespace hookbench::scenario
