#pragma once

// CurlExporter: "Copy as curl" — a capture as a curl command that sends the same request
// (method, headers in order with repeats, body bytes) to baseUrl + the capture's path. Headers
// curl computes itself (Host, Content-Length) are left to it; credentials are redacted
// (CredentialRedactor). Bodies that are not printable text use $'…' quoting so every byte is kept.

#include <QByteArray>
#include <QList>
#include <QString>

#include "core/capture/capture.h"

namespace hookbench::capture {

class CurlExporter
{
public:
    // baseUrl like "http://127.0.0.1:8088"; empty keeps an absolute capture URL as it is.
    static QByteArray toCurl(const Capture &capture, const QByteArray &baseUrl = {});
    // One command per capture, separated by blank lines.
    static QByteArray toCurl(const QList<Capture> &captures, const QByteArray &baseUrl = {});
    // A word quoted for a POSIX shell: 'text' (with '\'' for quotes) or $'…' for control bytes.
    static QByteArray quote(const QByteArray &word);
};

} // namespace hookbench::capture
