#pragma once

// FixtureFolderImporter: a folder of provider payload files (like tests/data/fixtures: .json
// bodies, or raw x-www-form-urlencoded .txt bodies for Twilio) → captures for one configured
// source, each with the headers the provider sends (the source's test-event template from
// SampleEventFactory, fresh delivery ids, the event name taken from the file name where the
// provider puts it in a header: X-GitHub-Event, X-Shopify-Topic) and signed with the source's
// first secret by the provider's Verifier::signRequest, so the receiver accepts them.
// The folder may be a provider folder or a root holding one folder per provider (then the
// subfolder named after the source's provider is read). Files are taken in name order; other
// files (README.md, PROVENANCE.md) are listed as skipped; an unreadable file is skipped with why.
// Errors: "fixtures_invalid" (no such folder, no payload file), "unknown_provider", signing errors.

#include <QString>

#include "core/capture/import_report.h"
#include "core/config/config.h"
#include "core/util/clock.h"
#include "core/util/result.h"

namespace hookbench::capture {

class FixtureFolderImporter
{
public:
    static Result<ImportReport> importFolder(const QString &dir, const config::SourceConfig &source,
                                             const Clock &clock = SystemClock::instance());
    // One payload (a file's bytes) as a signed provider-shaped capture; `fileName` gives the event
    // name and the content type (.txt = form).
    static Result<Capture> makeCapture(const QByteArray &body, const QString &fileName,
                                       const config::SourceConfig &source, const Clock &clock);
};

} // namespace hookbench::capture
