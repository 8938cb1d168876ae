#pragma once

// HttpResponse: what the receiver writes back. Bodies are JSON by convention.

#include <QByteArray>
#include <QJsonObject>

#include "core/http/http_request.h"

namespace hookbench::http {

struct HttpResponse
{
    int status = 200;
    HeaderList headers; // extra headers (Content-Type and Content-Length are added on write)
    QByteArray contentType = QByteArrayLiteral("application/json"); // literal: no allocation per response
    QByteArray body;
    bool closeConnection = false; // close after writing (400, 408, 413, 431)

    static HttpResponse json(int status, const QJsonObject &object);
    // Serialises status line, headers and body for the wire (HTTP/1.1).
    QByteArray toWire(bool keepAlive) const;
    // Appends the same bytes to out, so a caller can reuse one buffer for every answer.
    void appendWire(QByteArray &out, bool keepAlive) const;
    static QByteArray reasonPhrase(int status);
};

} // namespace hookbench::http
