#pragma once

// ApiReply: the admin API's answers — JSON objects, lists with a paging cursor, and errors as
// {"error": "<code>", "message": "..."} (plus "field" for invalid arguments), with the status
// that matches each store or service error code.

#include <optional>

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>

#include "core/http/http_response.h"
#include "core/util/result.h"

namespace hookbench::api {

class ApiReply
{
public:
    static http::HttpResponse json(int status, const QJsonObject &object);
    // {"items": [...], "next": <cursor or null>}
    static http::HttpResponse list(const QJsonArray &items, std::optional<qint64> next);
    static http::HttpResponse error(int status, const QString &code, const QString &message);
    static http::HttpResponse invalid(const QString &field, const QString &message);
    static http::HttpResponse methodNotAllowed(const QByteArray &allow);
    // not_found 404, in_use 409, invalid_argument / invalid_reference 400 (naming `field`),
    // unsupported 422, anything else 500 with the code.
    static http::HttpResponse fromError(const Error &error, const QString &field = {});
};

} // namespace hookbench::api
