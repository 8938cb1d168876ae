#include "core/util/private_path.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace hookbench::util {

namespace {
constexpr QFileDevice::Permissions kOwnerOnlyDir = QFileDevice::ReadOwner | QFileDevice::WriteOwner
                                                   | QFileDevice::ExeOwner | QFileDevice::ReadUser
                                                   | QFileDevice::WriteUser | QFileDevice::ExeUser;
constexpr QFileDevice::Permissions kOwnerOnlyFile =
    QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadUser | QFileDevice::WriteUser;
} // namespace

bool PrivatePath::makeDir(const QString &path)
{
    const QFileInfo info(path);
    if (info.isDir())
        return true;
    const QString absolute = info.absoluteFilePath();
    const QString parent = QFileInfo(absolute).absolutePath();
    if (!QDir().mkpath(parent))
        return false;
    // mkdir() with permissions creates with exactly that mode (no umask window); another process
    // creating it at the same moment is fine too.
    return QDir().mkdir(absolute, kOwnerOnlyDir) || QFileInfo(absolute).isDir();
}

bool PrivatePath::touchFile(const QString &path, QString *error)
{
    if (QFileInfo::exists(path))
        return true;
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly, kOwnerOnlyFile)) {
        if (QFileInfo::exists(path))
            return true; // created by someone else meanwhile
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

} // namespace hookbench::util
