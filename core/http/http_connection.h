#pragma once

// HttpConnection (private to core/http): one accepted TCP connection of HttpServer. Bytes go
// through RequestParser; limits and timeouts are checked as they arrive. One request at a time is
// in flight: after a complete request the parser is paused until its answer is written, and
// bytes of later (pipelined) requests stay buffered, within a bound. A client that half-closes
// after its request (shutdown(SHUT_WR), `nc -N`) still gets every complete request answered.

#include <memory>

#include <QByteArray>
#include <QElapsedTimer>
#include <QMutex>
#include <QObject>

#include "core/config/config.h"
#include "core/http/http_request.h"
#include "core/http/http_response.h"
#include "core/http/http_server.h"
#include "core/http/request_parser.h"
#include "core/util/clock.h"

class QSocketNotifier;
class QTcpSocket;
class QThread;

namespace hookbench::http {

class HttpConnection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpConnection)

public:
    // What every connection of one server shares; owned by the server, outlives its connections.
    struct Context
    {
        config::LimitsConfig limits;
        const Clock *clock = nullptr;
        HttpServer::RequestHandler requestHandler;
        HttpServer::RejectionHandler rejectionHandler;
        QElapsedTimer monotonic; // started by the server; timeouts are measured on it
        qint64 lingerMs = 2000;  // how long a rejected client may keep sending before we abort
    };

    // Takes ownership of socket (reparented to this).
    HttpConnection(Context &context, QTcpSocket *socket, QObject *parent);
    ~HttpConnection() override;

    // Called periodically by the server: enforces header, body and idle timeouts.
    void checkTimeouts(qint64 nowMonotonicMs);

    // An idle keep-alive connection (no byte of a request received or pending) that may be closed
    // to make room for a new client, and since when it is idle (monotonic ms).
    bool isReusable() const;
    qint64 idleSinceMs() const { return m_stateSinceMono; }
    // Closes a reusable connection at once (the server is at max_connections).
    void closeIdle();

private:
    enum class State { Idle, Headers, Body, Awaiting, Closing };

    // Shared with the Responders handed out, so that they can find the connection (or learn it
    // is gone) from any thread.
    struct Link
    {
        QMutex mutex;
        HttpConnection *connection = nullptr; // cleared by ~HttpConnection under mutex
        QThread *thread = nullptr;
    };

    static void deliver(const std::shared_ptr<Link> &link, quint64 sequence, HttpResponse response);

    void onReadyRead();
    void onBytesWritten();
    void readSocket();
    void processBuffer();
    void afterHeaders();
    void dispatch();
    void respond(quint64 sequence, HttpResponse response);
    void reject(int status, const QString &reason);
    void beginClose();
    void shutdownWrite();
    void resetRequest();
    void write(const char *data, qsizetype size);
    void onPeerClosed();
    void flushRaw();
    void releaseRawFd();
    void finishHalfClosed();
    qint64 nowMono() const { return m_context.monotonic.elapsed(); }

    Context &m_context;
    QTcpSocket *m_socket;
    std::shared_ptr<Link> m_link;
    RequestParser m_parser;

    QByteArray m_buffer; // bytes read from the socket; [m_offset, size) not parsed yet
    qsizetype m_offset = 0;
    QByteArray m_out; // reused for every answer

    State m_state = State::Idle;
    bool m_processing = false;
    bool m_inHandler = false;
    bool m_writeBlocked = false; // the client does not read its answers: stop parsing
    bool m_keepAlive = true;
    bool m_shutdownPending = false;
    quint64 m_sequence = 0; // numbers the requests handed to the handler

    // Qt closes its socket when it reads the client's FIN, even if the client still waits for
    // answers (TCP half-close). While an answer is pending we hold a duplicate of the descriptor,
    // so the connection outlives Qt's close and the answers can still be written on it.
    int m_rawFd = -1;
    bool m_peerClosed = false; // Qt saw the client's FIN; answers go to m_rawFd
    QByteArray m_rawOut;       // answer bytes not yet accepted by the kernel
    QSocketNotifier *m_rawWritable = nullptr;

    qint64 m_unparsedSinceWallMs = 0; // when the oldest unparsed byte was read (wall clock)
    qint64 m_lastReadMono = 0;        // last read from the socket (body progress)
    qint64 m_stateSinceMono = 0;      // start of Idle, Headers or Closing
};

} // namespace hookbench::http
