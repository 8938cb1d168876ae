#pragma once

// RequestReader: reads and validates the fields of a JSON request body or of a query string for
// the admin API. The first problem is kept with the field it concerns, so the answer can be
// 400 {"error": "invalid_argument", "field": "...", "message": "..."}. Query values are text;
// their integers and booleans are parsed from it.

#include <initializer_list>
#include <optional>

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include "core/http/http_request.h"
#include "core/http/http_response.h"

namespace hookbench::api {

class RequestReader
{
public:
    // A JSON object body; an empty body reads as {} when allowEmpty.
    static RequestReader fromBody(const QByteArray &body, bool allowEmpty = false);
    static RequestReader fromQuery(const QByteArray &query);

    bool ok() const { return m_field.isNull(); }
    const QString &errorField() const { return m_field; }
    const QString &errorMessage() const { return m_message; }
    // The 400 answer for the first problem.
    http::HttpResponse errorResponse() const;
    void fail(const QString &field, const QString &message);

    bool has(const QString &field) const { return m_object.contains(field); }
    const QJsonObject &object() const { return m_object; }
    // Fails on the first field not in `known`.
    void rejectUnknown(std::initializer_list<QString> known);

    // Each returns nullopt when the field is absent or invalid (then ok() is false).
    std::optional<qint64> integer(const QString &field, qint64 min, qint64 max);
    std::optional<QString> string(const QString &field, bool allowEmpty = false);
    std::optional<bool> boolean(const QString &field);
    // {"Name": "value", ...}: names must be HTTP tokens, values free of CR, LF and NUL.
    std::optional<http::HeaderList> headers(const QString &field);
    // A positive id, or null (nullopt, ok() stays true, *isNull set) when allowNull.
    std::optional<qint64> id(const QString &field, bool allowNull = false, bool *isNull = nullptr);

private:
    RequestReader() = default;

    QJsonObject m_object;
    bool m_query = false;
    QString m_field; // null while there is no problem
    QString m_message;
};

} // namespace hookbench::api
