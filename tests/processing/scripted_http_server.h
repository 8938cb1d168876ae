#pragma once

// ScriptedHttpServer: a tiny HTTP/1.1 server on 127.0.0.1 for forwarder tests. It records each
// request (method, target, headers, body bytes) and answers with the scripted response, or never
// answers when the script says so (to test timeouts).

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QTcpServer>

class QTcpSocket;

struct RecordedRequest
{
    QByteArray method;
    QByteArray target;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;

    QByteArray header(const QByteArray &name) const; // first match, case-insensitive
    int headerCount(const QByteArray &name) const;
};

class ScriptedHttpServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ScriptedHttpServer)

public:
    explicit ScriptedHttpServer(QObject *parent = nullptr);

    bool listen();
    quint16 port() const { return m_server.serverPort(); }

    // status 0 = never answer
    void script(int status, QList<QPair<QByteArray, QByteArray>> headers = {}, QByteArray body = {});

    QList<RecordedRequest> requests;

Q_SIGNALS:
    void requestReceived();

private:
    void onData(QTcpSocket *socket);

    QTcpServer m_server;
    int m_status = 200;
    QList<QPair<QByteArray, QByteArray>> m_headers;
    QByteArray m_body;
};
