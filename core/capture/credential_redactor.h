#pragma once

// CredentialRedactor: keeps credentials out of exported files. Source secrets never leave the
// config (no exporter reads them); what a captured request itself carries as a credential —
// Authorization, Proxy-Authorization, Cookie — is replaced by a marker. Signature headers stay:
// they are MACs of one body, not secrets, and a bug report needs them as sent.

#include <QByteArray>

#include "core/http/http_request.h"

namespace hookbench::capture {

class CredentialRedactor
{
public:
    static constexpr char marker[] = "[redacted by hookbench export]";

    static bool isCredentialHeader(QByteArrayView name);
    // The headers with every credential value replaced by the marker.
    static http::HeaderList redact(const http::HeaderList &headers);
};

} // namespace hookbench::capture
