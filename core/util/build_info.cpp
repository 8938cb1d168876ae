#include "core/util/build_info.h"

#include <librdkafka/rdkafka.h>
#include <openssl/crypto.h>
#include <sqlite3.h>

#include <QtGlobal>

#include "hookbench/build_commit.h"

using namespace Qt::StringLiterals;

namespace hookbench {

QString BuildInfo::version()
{
    return QStringLiteral(HOOKBENCH_VERSION);
}

QString BuildInfo::commit()
{
    return QStringLiteral(HOOKBENCH_GIT_COMMIT);
}

bool BuildInfo::modified()
{
    return HOOKBENCH_GIT_MODIFIED != 0;
}

QString BuildInfo::versionString()
{
    const QString hash = commit();
    if (hash.isEmpty())
        return version();
    return version() % u" (commit "_s % hash % (modified() ? u", modified)"_s : u")"_s);
}

QString BuildInfo::qtVersion()
{
    return QString::fromLatin1(qVersion());
}

QString BuildInfo::librdkafkaVersion()
{
    return QString::fromLatin1(rd_kafka_version_str());
}

QString BuildInfo::sqliteVersion()
{
    return QString::fromLatin1(sqlite3_libversion());
}

QString BuildInfo::opensslVersion()
{
    // "OpenSSL 3.0.x <date>": keep the name and number only.
    const QString full = QString::fromLatin1(OpenSSL_version(OPENSSL_VERSION));
    return full.section(u' ', 1, 1);
}

} // namespace hookbench
