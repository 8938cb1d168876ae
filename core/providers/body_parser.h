#pragma once

// BodyParser: parses a request body once per request (JSON document and/or form parameters), so
// that every key extraction reads the same ParsedBody. The raw bytes stay untouched in the
// request: signatures and Kafka values always use them, never a re-serialisation.

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>
#include <QString>

#include "core/http/http_request.h"
#include "core/providers/verifier.h"

namespace hookbench::providers {

class BodyParser
{
public:
    // JSON when the body parses as a JSON object or array (whatever the Content-Type says); form
    // parameters when Content-Type is application/x-www-form-urlencoded.
    static ParsedBody parse(const http::HttpRequest &request);

    // application/x-www-form-urlencoded as browsers and Node read it: pairs split on '&' (empty
    // ones skipped), name and value split on the first '=', '+' is a space, %XX are bytes of
    // UTF-8 text (ill-formed UTF-8 becomes U+FFFD), a '%' without two hex digits stays literal.
    // Order and repeated names are kept.
    static QList<QPair<QString, QString>> parseForm(QByteArrayView body);

    // The Content-Type media type, lowercased, without parameters ("application/json").
    static QByteArray mediaType(const http::HttpRequest &request);
    // application/json, or any "+json" structured syntax suffix (application/cloudevents+json).
    static bool isJsonContentType(const http::HttpRequest &request);
    static bool isFormContentType(const http::HttpRequest &request);
};

} // namespace hookbench::providers
