#include "core/processing/processing_activity.h"

using namespace Qt::StringLiterals;

namespace hookbench::processing {

QString ProcessingActivity::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Started: return u"started"_s;
    case Kind::Succeeded: return u"succeeded"_s;
    case Kind::NoHandler: return u"no_handler"_s;
    case Kind::Redelivered: return u"redelivered"_s;
    case Kind::Retrying: return u"retrying"_s;
    case Kind::DeadLettered: return u"dead_lettered"_s;
    }
    return u"unknown"_s;
}

} // namespace hookbench::processing
