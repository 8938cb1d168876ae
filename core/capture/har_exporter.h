#pragma once

// HarExporter: captures as a HAR 1.2 file that browsers' devtools and HarImporter read back.
// Bodies that are valid UTF-8 go into postData.text; other bytes are base64 with
// postData.encoding "base64" (the extension HarImporter and several proxies understand).
// Credentials are redacted (CredentialRedactor); there is no response (status 0) unless known.

#include <QByteArray>
#include <QList>

#include "core/capture/capture.h"

namespace hookbench::capture {

class HarExporter
{
public:
    // baseUrl completes captures that only have a path ("http://127.0.0.1:8088").
    static QByteArray write(const QList<Capture> &captures, const QByteArray &baseUrl = "http://127.0.0.1:8088");
};

} // namespace hookbench::capture
