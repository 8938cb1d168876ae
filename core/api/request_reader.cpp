#include "core/api/request_reader.h"

#include <algorithm>
#include <limits>

#include <QJsonDocument>
#include <QRegularExpression>
#include <QUrlQuery>

#include "core/api/api_reply.h"

using namespace Qt::StringLiterals;

namespace hookbench::api {

namespace {

QString describe(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null: return u"null"_s;
    case QJsonValue::Bool: return u"a boolean"_s;
    case QJsonValue::Double: return u"the number %1"_s.arg(value.toDouble());
    case QJsonValue::String: return u"a string"_s;
    case QJsonValue::Array: return u"an array"_s;
    case QJsonValue::Object: return u"an object"_s;
    case QJsonValue::Undefined: break;
    }
    return u"missing"_s;
}

} // namespace

RequestReader RequestReader::fromBody(const QByteArray &body, bool allowEmpty)
{
    RequestReader r;
    if (body.trimmed().isEmpty()) {
        if (!allowEmpty)
            r.fail(u"body"_s, u"the request body is empty; expected a JSON object"_s);
        return r;
    }
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        r.fail(u"body"_s,
               u"the request body is not valid JSON: %1 at offset %2"_s.arg(error.errorString()).arg(error.offset));
    else if (!doc.isObject())
        r.fail(u"body"_s, u"the request body must be a JSON object"_s);
    else
        r.m_object = doc.object();
    return r;
}

RequestReader RequestReader::fromQuery(const QByteArray &query)
{
    RequestReader r;
    r.m_query = true;
    const QUrlQuery parsed(QString::fromUtf8(query));
    for (const auto &[name, value] : parsed.queryItems(QUrl::FullyDecoded)) {
        if (r.m_object.contains(name)) {
            r.fail(name, u"is given more than once"_s);
            break;
        }
        r.m_object.insert(name, value);
    }
    return r;
}

http::HttpResponse RequestReader::errorResponse() const
{
    return ApiReply::invalid(m_field, m_field + u": "_s + m_message);
}

void RequestReader::fail(const QString &field, const QString &message)
{
    if (!ok())
        return;
    m_field = field.isNull() ? u""_s : field;
    m_message = message;
}

void RequestReader::rejectUnknown(std::initializer_list<QString> known)
{
    for (auto it = m_object.constBegin(); it != m_object.constEnd(); ++it) {
        if (std::find(known.begin(), known.end(), it.key()) == known.end()) {
            QStringList names(known.begin(), known.end());
            fail(it.key(), u"unknown %1; expected one of: %2"_s.arg(m_query ? u"query parameter"_s : u"field"_s,
                                                                    names.join(u", "_s)));
            return;
        }
    }
}

std::optional<qint64> RequestReader::integer(const QString &field, qint64 min, qint64 max)
{
    if (!has(field))
        return std::nullopt;
    const QJsonValue value = m_object.value(field);
    qint64 n = 0;
    bool valid = false;
    if (m_query && value.isString()) {
        n = value.toString().toLongLong(&valid);
    } else if (value.isDouble()) {
        const double d = value.toDouble();
        // Integral and inside what a double represents exactly.
        valid = d == double(qint64(d)) && d >= -9007199254740992.0 && d <= 9007199254740992.0;
        n = qint64(d);
    }
    if (!valid) {
        fail(field, u"must be an integer, got %1"_s.arg(m_query ? u"\"%1\""_s.arg(value.toString()) : describe(value)));
        return std::nullopt;
    }
    if (n < min || n > max) {
        fail(field, u"must be between %1 and %2, got %3"_s.arg(min).arg(max).arg(n));
        return std::nullopt;
    }
    return n;
}

std::optional<QString> RequestReader::string(const QString &field, bool allowEmpty)
{
    if (!has(field))
        return std::nullopt;
    const QJsonValue value = m_object.value(field);
    if (!value.isString()) {
        fail(field, u"must be a string, got %1"_s.arg(describe(value)));
        return std::nullopt;
    }
    if (!allowEmpty && value.toString().isEmpty()) {
        fail(field, u"must not be empty"_s);
        return std::nullopt;
    }
    return value.toString();
}

std::optional<bool> RequestReader::boolean(const QString &field)
{
    if (!has(field))
        return std::nullopt;
    const QJsonValue value = m_object.value(field);
    if (value.isBool())
        return value.toBool();
    if (m_query && (value.toString() == u"true"_s || value.toString() == u"false"_s))
        return value.toString() == u"true"_s;
    fail(field, u"must be true or false, got %1"_s.arg(describe(value)));
    return std::nullopt;
}

std::optional<http::HeaderList> RequestReader::headers(const QString &field)
{
    if (!has(field))
        return std::nullopt;
    const QJsonValue value = m_object.value(field);
    if (!value.isObject()) {
        fail(field, u"must be an object of header names to string values, got %1"_s.arg(describe(value)));
        return std::nullopt;
    }
    // RFC 9110 token characters for names.
    static const QRegularExpression token(u"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"_s);
    http::HeaderList list;
    const QJsonObject object = value.toObject();
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        const QString path = field + u'.' + it.key();
        if (!token.match(it.key()).hasMatch()) {
            fail(path, u"\"%1\" is not a valid header name"_s.arg(it.key()));
            return std::nullopt;
        }
        if (!it.value().isString()) {
            fail(path, u"must be a string, got %1"_s.arg(describe(it.value())));
            return std::nullopt;
        }
        const QString text = it.value().toString();
        if (text.contains(u'\r') || text.contains(u'\n') || text.contains(QChar(0))) {
            fail(path, u"must not contain CR, LF or NUL"_s);
            return std::nullopt;
        }
        list.append({it.key().toUtf8(), text.toUtf8()});
    }
    return list;
}

std::optional<qint64> RequestReader::id(const QString &field, bool allowNull, bool *isNull)
{
    if (isNull)
        *isNull = false;
    if (allowNull && has(field) && m_object.value(field).isNull()) {
        if (isNull)
            *isNull = true;
        return std::nullopt;
    }
    if (!has(field))
        return std::nullopt;
    const QJsonValue value = m_object.value(field);
    const double d = value.toDouble(-1);
    if (!value.isDouble() || d < 1 || d != double(qint64(d)) || d > 9007199254740992.0) {
        fail(field, u"must be a positive integer id, got %1"_s.arg(describe(value)));
        return std::nullopt;
    }
    return qint64(d);
}

} // namespace hookbench::api
