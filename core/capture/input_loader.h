#pragma once

// InputLoader: whatever a user points the replay tools at, as an ImportReport — a HAR file, a
// Hookbench session, a saved replay collection (its options come along), a fixture folder
// (signed for a configured source), or a text file of curl commands. The kind is decided from
// the content (a folder; a session's first line; a collection's "format"; a HAR's "log"), then
// the file name (.har, .sh/.txt/.curl), and is stated in the report's format.

#include <optional>

#include <QString>

#include "core/capture/import_report.h"
#include "core/capture/replay_collection.h"
#include "core/config/config.h"
#include "core/util/result.h"

namespace hookbench::capture {

struct LoadedInput
{
    ImportReport report;
    std::optional<ReplayOptions> options; // a saved collection's options
};

class InputLoader
{
public:
    // fixtureSource: the source a fixture folder is signed for (required for folders).
    static Result<LoadedInput> load(const QString &path, const config::Config &config, const QString &fixtureSource);
};

} // namespace hookbench::capture
