#pragma once

// BuildInfo: what this binary is — the project version from CMake's project(VERSION), the git
// commit it was built from, and the versions of the libraries it runs with. --version, the
// "started" log line and the About dialog all read it, so they cannot disagree.

#include <QString>

namespace hookbench {

class BuildInfo final
{
public:
    BuildInfo() = delete;

    // "0.1.0", from project(VERSION) in the top-level CMakeLists.txt.
    static QString version();
    // Short commit hash, empty when not built from a git checkout.
    static QString commit();
    // True when tracked files differed from commit() at build time.
    static bool modified();
    // "0.1.0 (commit 1a2b3c4d5e)", "0.1.0 (commit 1a2b3c4d5e, modified)" or "0.1.0".
    static QString versionString();

    // Versions of the libraries in use at run time (not the headers compiled against).
    static QString qtVersion();
    static QString librdkafkaVersion();
    static QString sqliteVersion();
    static QString opensslVersion();
};

} // namespace hookbench
