#pragma once

// What librdkafka's log lines from Hookbench's producers and consumers are worth in Qt's log.

#include <cstring>

namespace hookbench::kafka {

// One property map configures every client, as kcat's -X does the one it makes: a consumer
// property reaching a producer (or the reverse) is expected, so librdkafka's CONFWARN saying it
// will be ignored there is a debug note, not a warning for every client at every start.
inline bool isOtherRolePropertyNotice(const char *facility, const char *message)
{
    return std::strcmp(facility, "CONFWARN") == 0 && std::strstr(message, " property and will be ignored by this ");
}

// Syslog levels: 0..3 emergency..error, 4 warning, 5..6 notice/info, 7 debug.
inline bool isWarning(int level, const char *facility, const char *message)
{
    return level <= 4 && !isOtherRolePropertyNotice(facility, message);
}

} // namespace hookbench::kafka
