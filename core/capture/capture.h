#pragma once

// Capture: one HTTP request captured elsewhere (a HAR entry, a curl command, a fixture file, a
// journal entry of a Hookbench session), as the replay tools keep it: method, URL or path,
// headers in order with repeats, the body bytes, when it was captured and where it came from.

#include <QByteArray>
#include <QString>

#include "core/http/http_request.h"

namespace hookbench::capture {

struct Capture
{
    QByteArray method = "POST";
    QByteArray url;           // absolute URL ("https://host/path?q") or a request target ("/path?q")
    http::HeaderList headers; // in order, repeated headers kept, names as captured
    QByteArray body;          // raw bytes
    qint64 timeMs = 0;        // when it was captured (ms since the epoch); 0 when unknown
    QString origin;           // the file (or "<stdin>", "journal") it came from
    int entryIndex = -1;      // its index in that file (HAR entry, curl command, file, journal id)
    QString source;           // Hookbench source it was received on or is meant for; may be empty
    QString notes;            // free text shown beside it (why it is unselected, ...)
    bool selected = true;     // whether a replay takes it (unselected ones are listed only)

    // The path and query of url ("/webhooks/stripe?x=1"); "/" for an empty path.
    QByteArray target() const;
    // First header with this name, compared case-insensitively; empty if absent.
    QByteArray header(QByteArrayView name) const;
    // The capture as a request (method, target, headers, body).
    http::HttpRequest toRequest() const;
    // "/webhooks/<name>" targets name their source; empty otherwise.
    QString sourceFromTarget() const;
};

} // namespace hookbench::capture
