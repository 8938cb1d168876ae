#pragma once

// FaultEvent: one fault the user (or a preset) injected, as the fault timeline lists it.

#include <QMetaType>
#include <QString>

namespace hookbench::faults {

struct FaultEvent
{
    enum class Kind { BrokerDown, BrokerUp, Rtt, ProduceErrors, FetchErrors, LeaderMove, Simulate, Preset };

    qint64 atMs = 0; // wall clock, when it was applied
    Kind kind = Kind::Preset;
    QString description; // "broker 2 down", "next 5 produce requests fail with NOT_ENOUGH_REPLICAS (19)"
    bool ok = true;
    QString error; // why it could not be applied

    static QString kindName(Kind kind); // "broker_down", "rtt", ...
};

} // namespace hookbench::faults

Q_DECLARE_METATYPE(hookbench::faults::FaultEvent)
