#include "tests/processing/scripted_http_server.h"

#include <QHostAddress>
#include <QTcpSocket>

QByteArray RecordedRequest::header(const QByteArray &name) const
{
    for (const auto &[n, v] : headers) {
        if (n.compare(name, Qt::CaseInsensitive) == 0)
            return v;
    }
    return {};
}

int RecordedRequest::headerCount(const QByteArray &name) const
{
    int count = 0;
    for (const auto &h : headers)
        count += h.first.compare(name, Qt::CaseInsensitive) == 0 ? 1 : 0;
    return count;
}

ScriptedHttpServer::ScriptedHttpServer(QObject *parent) : QObject(parent)
{
    connect(&m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *socket = m_server.nextPendingConnection()) {
            socket->setParent(this);
            connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onData(socket); });
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        }
    });
}

bool ScriptedHttpServer::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

void ScriptedHttpServer::script(int status, QList<QPair<QByteArray, QByteArray>> headers, QByteArray body)
{
    m_status = status;
    m_headers = std::move(headers);
    m_body = std::move(body);
}

void ScriptedHttpServer::onData(QTcpSocket *socket)
{
    // The socket's buffer keeps partial requests until they are complete.
    for (;;) {
        const QByteArray buffered = socket->peek(socket->bytesAvailable());
        const qsizetype headerEnd = buffered.indexOf("\r\n\r\n");
        if (headerEnd < 0)
            return;
        RecordedRequest req;
        const QList<QByteArray> lines = buffered.left(headerEnd).split('\n');
        const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
        req.method = requestLine.value(0);
        req.target = requestLine.value(1);
        qsizetype contentLength = 0;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines.at(i).endsWith('\r') ? lines.at(i).chopped(1) : lines.at(i);
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                continue;
            const QByteArray name = line.left(colon);
            const QByteArray value = line.mid(colon + 1).trimmed();
            req.headers.append({name, value});
            if (name.compare("Content-Length", Qt::CaseInsensitive) == 0)
                contentLength = value.toLongLong();
        }
        const qsizetype total = headerEnd + 4 + contentLength;
        if (buffered.size() < total)
            return;
        socket->read(total);
        req.body = buffered.mid(headerEnd + 4, contentLength);
        requests.append(req);
        if (m_status != 0) {
            QByteArray answer = "HTTP/1.1 " + QByteArray::number(m_status) + " Scripted\r\n";
            for (const auto &[n, v] : m_headers)
                answer += n + ": " + v + "\r\n";
            answer += "Content-Length: " + QByteArray::number(m_body.size()) + "\r\n\r\n" + m_body;
            socket->write(answer);
        }
        Q_EMIT requestReceived();
    }
}
