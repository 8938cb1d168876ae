#pragma once

// HttpRequest: one request exactly as it arrived — header order, repeated headers and the raw
// body bytes are kept, because signatures are computed over bytes and the journal shows what
// happened byte for byte.

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QPair>

namespace hookbench::http {

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

struct HttpRequest
{
    QByteArray method;  // "POST"
    QByteArray target;  // request-target as sent: path plus optional "?query"
    HeaderList headers; // in arrival order, names as sent (case kept), repeats kept
    QByteArray body;    // raw bytes, de-chunked when Transfer-Encoding: chunked
    QHostAddress remoteAddress;
    quint16 remotePort = 0;
    qint64 receivedAtMs = 0; // when the request line started arriving

    // The path without the query string.
    QByteArray path() const;
    // The query string without '?', or empty.
    QByteArray query() const;
    // First header with this name, compared case-insensitively; empty if absent.
    QByteArray header(QByteArrayView name) const;
    bool hasHeader(QByteArrayView name) const;
    // Every value of this header, in arrival order.
    QList<QByteArray> headerValues(QByteArrayView name) const;
};

} // namespace hookbench::http
