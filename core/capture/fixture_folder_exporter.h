#pragma once

// FixtureFolderExporter: captures as a fixture folder — one payload file per capture (the body
// bytes as they are; .txt for form bodies, .json otherwise), named <event>.<NNN>.<ext> (so the importer reads the event
// back from the name), plus headers.json listing each file's method, path and headers (credentials redacted) so the
// exact request can be rebuilt. FixtureFolderImporter reads the payload files back.

#include <QList>
#include <QString>

#include "core/capture/capture.h"
#include "core/util/result.h"

namespace hookbench::capture {

class FixtureFolderExporter
{
public:
    // Creates dir if needed; "export_failed" with the path and why. Returns the files written.
    static Result<QStringList> write(const QList<Capture> &captures, const QString &dir);
};

} // namespace hookbench::capture
