#include "core/http/http_response.h"

#include <charconv>

#include <QJsonDocument>

namespace hookbench::http {

namespace {

QByteArrayView reasonPhraseView(int status)
{
    switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 411: return "Length Required";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    default: return "Status";
    }
}

// Integers are formatted on the stack: QByteArray::number would allocate twice per answer.
void appendNumber(QByteArray &out, qint64 value)
{
    char digits[24];
    const auto result = std::to_chars(digits, digits + sizeof digits, value);
    out.append(digits, result.ptr - digits);
}

} // namespace

HttpResponse HttpResponse::json(int status, const QJsonObject &object)
{
    HttpResponse response;
    response.status = status;
    response.body = QJsonDocument(object).toJson(QJsonDocument::Compact);
    response.body.append('\n');
    return response;
}

QByteArray HttpResponse::reasonPhrase(int status)
{
    return reasonPhraseView(status).toByteArray();
}

QByteArray HttpResponse::toWire(bool keepAlive) const
{
    QByteArray out;
    appendWire(out, keepAlive);
    return out;
}

void HttpResponse::appendWire(QByteArray &out, bool keepAlive) const
{
    out.reserve(out.size() + 160 + body.size());
    out.append("HTTP/1.1 ");
    appendNumber(out, status);
    out.append(' ');
    out.append(reasonPhraseView(status));
    out.append("\r\n");
    if (!body.isEmpty() || status != 204) {
        out.append("Content-Type: ");
        out.append(contentType);
        out.append("\r\n");
    }
    out.append("Content-Length: ");
    appendNumber(out, body.size());
    out.append("\r\n");
    for (const auto &[name, value] : headers) {
        out.append(name);
        out.append(": ");
        out.append(value);
        out.append("\r\n");
    }
    out.append((keepAlive && !closeConnection) ? QByteArrayView("Connection: keep-alive\r\n\r\n")
                                               : QByteArrayView("Connection: close\r\n\r\n"));
    out.append(body);
}

} // namespace hookbench::http
