#include "core/api/api_reply.h"

using namespace Qt::StringLiterals;

namespace hookbench::api {

http::HttpResponse ApiReply::json(int status, const QJsonObject &object)
{
    http::HttpResponse response = http::HttpResponse::json(status, object);
    // Answers hold local data and tokens are per machine: nothing here may be cached.
    response.headers.append(qMakePair(QByteArray("Cache-Control"), QByteArray("no-store")));
    return response;
}

http::HttpResponse ApiReply::list(const QJsonArray &items, std::optional<qint64> next)
{
    return json(200, QJsonObject{{u"items"_s, items}, {u"next"_s, next ? QJsonValue(*next) : QJsonValue()}});
}

http::HttpResponse ApiReply::error(int status, const QString &code, const QString &message)
{
    return json(status, QJsonObject{{u"error"_s, code}, {u"message"_s, message}});
}

http::HttpResponse ApiReply::invalid(const QString &field, const QString &message)
{
    return json(400, QJsonObject{{u"error"_s, u"invalid_argument"_s}, {u"field"_s, field}, {u"message"_s, message}});
}

http::HttpResponse ApiReply::methodNotAllowed(const QByteArray &allow)
{
    http::HttpResponse response =
        error(405, u"method_not_allowed"_s, u"this resource accepts %1"_s.arg(QString::fromLatin1(allow)));
    response.headers.append(qMakePair(QByteArray("Allow"), allow));
    return response;
}

http::HttpResponse ApiReply::fromError(const Error &e, const QString &field)
{
    if (e.code == u"not_found"_s)
        return error(404, e.code, e.message);
    if (e.code == u"in_use"_s)
        return error(409, e.code, e.message);
    if (e.code == u"invalid_argument"_s || e.code == u"invalid_reference"_s)
        return invalid(field, e.message);
    if (e.code == u"unsupported"_s)
        return error(422, e.code, e.message);
    return error(500, e.code, e.message);
}

} // namespace hookbench::api
