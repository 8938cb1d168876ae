#pragma once

// CurlImporter: one or more `curl` commands as pasted from a provider's docs or a terminal →
// captures. Understood: the URL (or --url), -X/--request, -H/--header, -d/--data/--data-ascii
// (an @file's newlines are stripped, as curl does), --data-raw, --data-binary (@file read as
// is), --data-urlencode, --json, -u/--user (basic auth), -A/--user-agent, -e/--referer,
// -b/--cookie (a literal cookie string), -G/--get, and output-only options that do not change
// the request (-s, -S, -v, -i, -L, -k, --compressed, -o FILE, --max-time N, ...). Several -d
// are joined with '&'; data makes the method POST and adds the Content-Type curl would add.
// A command with an option that would change the request in a way not reproduced here (-F,
// -T, --cert, a header @file, ...) is skipped with the option named; a $VARIABLE left
// unexpanded is noted on the capture. @file paths are relative to baseDir; "@-" is refused.
// Errors: "curl_invalid" (unterminated quote, with the line; no curl command at all).

#include <QByteArray>
#include <QString>

#include "core/capture/import_report.h"
#include "core/util/result.h"

namespace hookbench::capture {

class CurlImporter
{
public:
    static Result<ImportReport> parse(const QByteArray &text, const QString &origin, const QString &baseDir = {});
    static Result<ImportReport> importFile(const QString &path);
};

} // namespace hookbench::capture
