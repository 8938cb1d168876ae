#include "core/faults/fault_event.h"

#include <QStringList>

using namespace Qt::StringLiterals;

namespace hookbench::faults {

QString FaultEvent::kindName(Kind kind)
{
    static const QStringList names{u"broker_down"_s,  u"broker_up"_s,   u"rtt"_s,      u"produce_errors"_s,
                                   u"fetch_errors"_s, u"leader_move"_s, u"simulate"_s, u"preset"_s};
    return names.value(int(kind));
}

} // namespace hookbench::faults
