#pragma once

// HttpConnection (private to core/http): one accepted TCP connection of HttpServer. Bytes go
// through http_parser; limits and timeouts are checked as they arrive. One request at a time is
// in flight: after a complete request the parser is paused until its answer is written, and
// bytes of later (pipelined) requests stay buffered, within a bound.

#include <memory>

#include <http_parser.h>

#include <QByteArray>
#include <QElapsedTimer>
#include <QMutex>
#include <QObject>

#include "core/config/config.h"
#include "core/http/http_request.h"
#include "core/http/http_response.h"
#include "core/http/http_server.h"
#include "core/util/clock.h"

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

private:
    enum class State { Idle, Headers, Body, Awaiting, Closing };
    enum class Pause { None, HeadersComplete, MessageComplete };

    // Shared with the Responders handed out, so that they can find the connection (or learn it
    // is gone) from any thread.
    struct Link
    {
        QMutex mutex;
        HttpConnection *connection = nullptr; // cleared by ~HttpConnection under mutex
        QThread *thread = nullptr;
    };

    static int onMessageBegin(http_parser *parser);
    static int onUrl(http_parser *parser, const char *at, size_t length);
    static int onHeaderField(http_parser *parser, const char *at, size_t length);
    static int onHeaderValue(http_parser *parser, const char *at, size_t length);
    static int onHeadersComplete(http_parser *parser);
    static int onBody(http_parser *parser, const char *at, size_t length);
    static int onMessageComplete(http_parser *parser);
    static const http_parser_settings &parserSettings();

    static void deliver(const std::shared_ptr<Link> &link, quint64 sequence, HttpResponse response);

    void onReadyRead();
    void onBytesWritten();
    void readSocket();
    void processBuffer();
    bool headerBytesExceeded(const char *end);
    void afterHeaders();
    void dispatch();
    void respond(quint64 sequence, HttpResponse response);
    void reject(int status, const QString &reason);
    void beginClose();
    void shutdownWrite();
    void resetRequest();
    qint64 nowMono() const { return m_context.monotonic.elapsed(); }

    Context &m_context;
    QTcpSocket *m_socket;
    std::shared_ptr<Link> m_link;
    http_parser m_parser{};

    QByteArray m_buffer; // bytes read from the socket; [m_offset, size) not parsed yet
    qsizetype m_offset = 0;
    QByteArray m_out;      // reused for every answer
    HttpRequest m_request; // the request being read or awaiting its answer

    State m_state = State::Idle;
    Pause m_pause = Pause::None;
    bool m_processing = false;
    bool m_inHandler = false;
    bool m_writeBlocked = false; // the client does not read its answers: stop parsing
    bool m_inHeaderValue = false;
    bool m_headersDone = false;
    bool m_keepAlive = true;
    bool m_shutdownPending = false;
    quint64 m_sequence = 0; // numbers the requests handed to the handler

    // Header bytes are counted on the stream position: bytes consumed by the parser so far.
    const char *m_execBase = nullptr;
    qint64 m_streamPos = 0;
    qint64 m_messageStartPos = 0;

    int m_rejectStatus = 0; // set by a callback that stops the parser for a limit
    QString m_rejectReason;

    qint64 m_unparsedSinceWallMs = 0; // when the oldest unparsed byte was read (wall clock)
    qint64 m_lastReadMono = 0;        // last read from the socket (body progress)
    qint64 m_stateSinceMono = 0;      // start of Idle, Headers or Closing
};

} // namespace hookbench::http
