#pragma once

// PrivatePath: creates the data directory and the files in it readable by their owner only
// (0700 / 0600) from the first moment, whatever the umask. The journal holds webhook bodies and
// headers, the config and admin-token hold secrets: a window in which others could read them is
// a leak, so the mode is set at creation rather than narrowed afterwards.

#include <QString>

namespace hookbench::util {

class PrivatePath
{
public:
    // Creates `path` with mode 0700 if it does not exist (missing parents get the default mode:
    // they are the user's own folders, e.g. ~/.local/share). An existing directory is left as it
    // is. False when it cannot be created.
    static bool makeDir(const QString &path);
    // Creates an empty file with mode 0600 if none exists at `path`; an existing file is left as
    // it is. False with the reason in *error when it cannot be created.
    static bool touchFile(const QString &path, QString *error = nullptr);
};

} // namespace hookbench::util
