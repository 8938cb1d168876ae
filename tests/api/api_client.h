#pragma once

// A real HTTP client for the admin API tests (QNetworkAccessManager over loopback, no proxy):
// sends one request and waits, with a deadline, for the answer while the event loop runs, so
// an HttpServer on the same thread can answer it.

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkAccessManager>

namespace hookbench::tests {

struct ApiReplyData
{
    int status = 0; // 0: no answer before the deadline
    QByteArray body;
    QJsonObject json; // the body when it is a JSON object
    QList<QPair<QByteArray, QByteArray>> headers;

    QByteArray header(const QByteArray &name) const;
    QJsonArray items() const { return json.value(QStringLiteral("items")).toArray(); }
};

class ApiClient
{
public:
    explicit ApiClient(quint16 port) : m_port(port) {}

    // token: sent as "Authorization: Bearer <token>" unless null; authorization: the raw header
    // value instead, when not null.
    ApiReplyData send(const QByteArray &method, const QByteArray &pathAndQuery, const QByteArray &body = {},
                      const QByteArray &authorization = {});
    ApiReplyData get(const QByteArray &pathAndQuery) { return send("GET", pathAndQuery); }
    ApiReplyData post(const QByteArray &path, const QJsonObject &body) { return send("POST", path, json(body)); }
    ApiReplyData patch(const QByteArray &path, const QJsonObject &body) { return send("PATCH", path, json(body)); }
    ApiReplyData put(const QByteArray &path, const QJsonObject &body) { return send("PUT", path, json(body)); }
    ApiReplyData remove(const QByteArray &path) { return send("DELETE", path); }

    void setToken(const QByteArray &token) { m_token = token; }
    static QByteArray json(const QJsonObject &object);

private:
    quint16 m_port;
    QByteArray m_token;
    QNetworkAccessManager m_manager;
};

} // namespace hookbench::tests
