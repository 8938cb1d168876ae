#include "core/http/http_server.h"

#include <algorithm>

#include <http_parser.h>

#include <QJsonObject>
#include <QSet>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include "core/http/http_connection.h"

using namespace Qt::StringLiterals;

namespace hookbench::http {

void Responder::send(HttpResponse response) const
{
    if (m_send)
        m_send(std::move(response));
}

struct HttpServer::Private
{
    HttpConnection::Context context;
    QTcpServer *tcp = nullptr;
    QTimer *sweep = nullptr; // one timer checks every connection's deadlines
    QSet<HttpConnection *> connections;

    bool makeRoom();
    void refuse(QTcpSocket *socket);
};

bool HttpServer::Private::makeRoom()
{
    // At the limit, idle keep-alive connections yield to new clients (as nginx does with its
    // reusable connections): the one idle longest is closed. Only when every connection has a
    // request in progress is the new client refused.
    HttpConnection *oldest = nullptr;
    for (HttpConnection *connection : std::as_const(connections)) {
        if (connection->isReusable() && (!oldest || connection->idleSinceMs() < oldest->idleSinceMs()))
            oldest = connection;
    }
    if (!oldest)
        return false;
    connections.remove(oldest);
    oldest->closeIdle();
    return true;
}

void HttpServer::Private::refuse(QTcpSocket *socket)
{
    // Refused before reading anything: a short answer, then close; journaled like every rejection.
    if (context.rejectionHandler) {
        HttpRequest partial;
        partial.remoteAddress = socket->peerAddress();
        partial.remotePort = socket->peerPort();
        partial.receivedAtMs = context.clock->nowMs();
        context.rejectionHandler(partial, 503, u"too_many_connections"_s);
    }
    HttpResponse response =
        HttpResponse::json(503, {{u"status"_s, u"rejected"_s}, {u"reason"_s, u"too_many_connections"_s}});
    response.closeConnection = true;
    socket->write(response.toWire(false));
    QObject::connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
    socket->disconnectFromHost();
}

HttpServer::HttpServer(const config::LimitsConfig &limits, QObject *parent)
    : HttpServer(limits, SystemClock::instance(), parent)
{}

HttpServer::HttpServer(const config::LimitsConfig &limits, const Clock &clock, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    d->context.limits = limits;
    d->context.clock = &clock;
    d->context.monotonic.start();
    d->context.lingerMs = std::clamp(limits.idleTimeoutMs, 100, 2000);

    // http_parser has its own process-wide header cap (80 KiB); ours must be the one that bites.
    if (limits.maxHeaderBytes >= HTTP_MAX_HEADER_SIZE)
        http_parser_set_max_header_size(uint32_t(limits.maxHeaderBytes) + 1);

    d->tcp = new QTcpServer(this);
    d->tcp->setListenBacklogSize(std::max(128, limits.maxConnections));
    connect(d->tcp, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *socket = d->tcp->nextPendingConnection()) {
            if (d->connections.size() >= d->context.limits.maxConnections && !d->makeRoom()) {
                d->refuse(socket);
                continue;
            }
            auto *connection = new HttpConnection(d->context, socket, this);
            d->connections.insert(connection);
            connect(connection, &QObject::destroyed, this, [this, connection] {
                d->connections.remove(connection);
                if (d->connections.isEmpty())
                    d->sweep->stop();
            });
            if (!d->sweep->isActive())
                d->sweep->start();
        }
    });

    // Deadlines are checked a few times per shortest timeout, at most once a second.
    d->sweep = new QTimer(this);
    d->sweep->setInterval(std::clamp(std::min(limits.headerTimeoutMs, limits.idleTimeoutMs) / 4, 10, 1000));
    connect(d->sweep, &QTimer::timeout, this, [this] {
        const qint64 now = d->context.monotonic.elapsed();
        const QSet<HttpConnection *> connections = d->connections; // a check may close one
        for (HttpConnection *connection : connections)
            connection->checkTimeouts(now);
    });
}

HttpServer::~HttpServer()
{
    // Connections refer to d->context: delete them while it exists.
    const QSet<HttpConnection *> connections = d->connections;
    for (HttpConnection *connection : connections)
        delete connection;
}

void HttpServer::setRequestHandler(RequestHandler handler)
{
    d->context.requestHandler = std::move(handler);
}

void HttpServer::setRejectionHandler(RejectionHandler handler)
{
    d->context.rejectionHandler = std::move(handler);
}

Result<void> HttpServer::listen(const QHostAddress &address, quint16 port)
{
    if (!d->tcp->listen(address, port)) {
        return Result<void>::failure(
            u"listen_failed"_s,
            u"Cannot listen on %1 port %2: %3"_s.arg(address.toString()).arg(port).arg(d->tcp->errorString()));
    }
    return {};
}

void HttpServer::close()
{
    d->tcp->close();
}

QHostAddress HttpServer::serverAddress() const
{
    return d->tcp->serverAddress();
}

quint16 HttpServer::serverPort() const
{
    return d->tcp->serverPort();
}

int HttpServer::connectionCount() const
{
    return int(d->connections.size());
}

} // namespace hookbench::http
