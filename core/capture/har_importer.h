#pragma once

// HarImporter: reads HAR 1.2 (the HTTP Archive that browsers' devtools and proxies export;
// http://www.softwareishard.com/blog/har-12-spec/). Every entry is listed: POST entries become
// selected captures (method, URL, headers in order with repeats, postData.text — base64-decoded
// when postData.encoding says "base64" — or postData.params form-encoded, startedDateTime);
// other methods (GETs, assets) become unselected captures. HTTP/2 pseudo headers (":authority")
// are not headers of the request and are dropped, noted on the capture.
// Errors ("har_invalid"): not JSON (with line and column), no log.entries array; an entry that
// is not an object, lacks request.method/url or has undecodable base64 is skipped with why.

#include <QByteArray>
#include <QString>

#include "core/capture/import_report.h"
#include "core/util/result.h"

namespace hookbench::capture {

class HarImporter
{
public:
    static Result<ImportReport> parse(const QByteArray &json, const QString &origin);
    static Result<ImportReport> importFile(const QString &path);
};

} // namespace hookbench::capture
