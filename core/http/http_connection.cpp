#include "core/http/http_connection.h"

#include <algorithm>
#include <climits>

#include <QJsonObject>
#include <QMutexLocker>
#include <QTcpSocket>
#include <QThread>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

using namespace Qt::StringLiterals;

namespace hookbench::http {

namespace {

// Qt's own socket buffer: beyond this QTcpSocket stops reading, so TCP flow control holds back a
// client that sends faster than we parse (e.g. pipelined requests while one awaits its answer).
constexpr qint64 kSocketReadBufferBytes = 256 * 1024;
// Unparsed bytes we take from the socket while parsing is paused.
constexpr qsizetype kMaxPausedBufferBytes = 256 * 1024;
// A client that does not read its answers: stop parsing its requests above this, resume below half.
constexpr qint64 kMaxPendingWriteBytes = 1024 * 1024;
constexpr quint64 kMaxBodyReserveBytes = 1024 * 1024;

HttpConnection *self(http_parser *parser)
{
    return static_cast<HttpConnection *>(parser->data);
}

QByteArray methodName(const http_parser &parser)
{
    // http_method_str returns static strings: no copy needed.
    const char *name = http_method_str(static_cast<http_method>(parser.method));
    return QByteArray::fromRawData(name, qsizetype(qstrlen(name)));
}

} // namespace

HttpConnection::HttpConnection(Context &context, QTcpSocket *socket, QObject *parent)
    : QObject(parent)
    , m_context(context)
    , m_socket(socket)
    , m_link(std::make_shared<Link>())
{
    m_socket->setParent(this);
    // Answers are small and written whole: Nagle would hold them back for the client's delayed ACK.
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_socket->setReadBufferSize(kSocketReadBufferBytes);

    m_link->connection = this;
    m_link->thread = thread();

    http_parser_init(&m_parser, HTTP_REQUEST);
    m_parser.data = this;

    resetRequest();
    m_stateSinceMono = nowMono();
    m_lastReadMono = m_stateSinceMono;

    connect(m_socket, &QIODevice::readyRead, this, &HttpConnection::onReadyRead);
    connect(m_socket, &QIODevice::bytesWritten, this, &HttpConnection::onBytesWritten);
    connect(m_socket, &QAbstractSocket::disconnected, this, &QObject::deleteLater);
    connect(m_socket, &QAbstractSocket::errorOccurred, this, [this] {
        if (m_socket->state() == QAbstractSocket::UnconnectedState)
            deleteLater();
    });
}

HttpConnection::~HttpConnection()
{
    const QMutexLocker locker(&m_link->mutex);
    m_link->connection = nullptr;
}

const http_parser_settings &HttpConnection::parserSettings()
{
    static const http_parser_settings settings = [] {
        http_parser_settings s;
        http_parser_settings_init(&s);
        s.on_message_begin = &HttpConnection::onMessageBegin;
        s.on_url = &HttpConnection::onUrl;
        s.on_header_field = &HttpConnection::onHeaderField;
        s.on_header_value = &HttpConnection::onHeaderValue;
        s.on_headers_complete = &HttpConnection::onHeadersComplete;
        s.on_body = &HttpConnection::onBody;
        s.on_message_complete = &HttpConnection::onMessageComplete;
        return s;
    }();
    return settings;
}

// --- parser callbacks --------------------------------------------------------------------------

int HttpConnection::onMessageBegin(http_parser *parser)
{
    HttpConnection *c = self(parser);
    c->resetRequest();
    c->m_state = State::Headers;
    c->m_stateSinceMono = c->nowMono();
    // A message always starts at the beginning of an execute call: the parser is paused after every
    // message. Only leading blank lines, which the parser skips, would be counted as header bytes.
    c->m_messageStartPos = c->m_streamPos;
    c->m_inHeaderValue = false;
    c->m_headersDone = false;
    c->m_request.receivedAtMs = c->m_unparsedSinceWallMs;
    return 0;
}

int HttpConnection::onUrl(http_parser *parser, const char *at, size_t length)
{
    HttpConnection *c = self(parser);
    if (c->m_request.method.isEmpty())
        c->m_request.method = methodName(*parser);
    c->m_request.target.append(at, qsizetype(length));
    return c->headerBytesExceeded(at + length) ? -1 : 0;
}

int HttpConnection::onHeaderField(http_parser *parser, const char *at, size_t length)
{
    HttpConnection *c = self(parser);
    if (c->m_headersDone)
        return 0; // chunked trailers are not part of the request's headers
    // A name may arrive in pieces: a new header starts only after a value.
    if (c->m_inHeaderValue || c->m_request.headers.isEmpty()) {
        c->m_request.headers.append({QByteArray(at, qsizetype(length)), QByteArray()});
        c->m_inHeaderValue = false;
    } else {
        c->m_request.headers.last().first.append(at, qsizetype(length));
    }
    return c->headerBytesExceeded(at + length) ? -1 : 0;
}

int HttpConnection::onHeaderValue(http_parser *parser, const char *at, size_t length)
{
    HttpConnection *c = self(parser);
    if (c->m_headersDone || c->m_request.headers.isEmpty())
        return 0;
    c->m_request.headers.last().second.append(at, qsizetype(length));
    c->m_inHeaderValue = true;
    return c->headerBytesExceeded(at + length) ? -1 : 0;
}

int HttpConnection::onHeadersComplete(http_parser *parser)
{
    HttpConnection *c = self(parser);
    if (c->m_request.method.isEmpty())
        c->m_request.method = methodName(*parser);
    c->m_headersDone = true;
    // Limits and Expect are decided outside the parser, where the exact header size is known.
    c->m_pause = Pause::HeadersComplete;
    http_parser_pause(parser, 1);
    return 0;
}

int HttpConnection::onBody(http_parser *parser, const char *at, size_t length)
{
    HttpConnection *c = self(parser);
    if (c->m_request.body.size() + qint64(length) > c->m_context.limits.maxBodyBytes) {
        // Only a chunked body gets here: a too large Content-Length was refused with the headers.
        c->m_rejectStatus = 413;
        c->m_rejectReason = u"body_too_large"_s;
        return -1;
    }
    c->m_request.body.append(at, qsizetype(length));
    return 0;
}

int HttpConnection::onMessageComplete(http_parser *parser)
{
    HttpConnection *c = self(parser);
    c->m_pause = Pause::MessageComplete;
    http_parser_pause(parser, 1);
    return 0;
}

bool HttpConnection::headerBytesExceeded(const char *end)
{
    const qint64 headerBytes = m_streamPos + (end - m_execBase) - m_messageStartPos;
    if (headerBytes <= m_context.limits.maxHeaderBytes)
        return false;
    m_rejectStatus = 431;
    m_rejectReason = u"headers_too_large"_s;
    return true;
}

// --- socket ------------------------------------------------------------------------------------

void HttpConnection::onReadyRead()
{
    if (m_state == State::Closing) {
        // Rejected: drain what the client still sends so that closing does not reset the
        // connection before it has read our answer.
        m_socket->skip(m_socket->bytesAvailable());
        return;
    }
    readSocket();
    processBuffer();
}

void HttpConnection::readSocket()
{
    const qint64 available = m_socket->bytesAvailable();
    if (available <= 0)
        return;
    qsizetype unparsed = m_buffer.size() - m_offset;
    const bool paused = m_state == State::Awaiting || m_writeBlocked;
    if (paused && unparsed >= kMaxPausedBufferBytes)
        return; // leave it in the socket; its bounded buffer makes TCP hold the client back

    if (unparsed == 0) {
        m_buffer.resize(0); // keeps the capacity
        m_offset = 0;
        m_unparsedSinceWallMs = m_context.clock->nowMs();
    } else if (m_offset > 0) {
        m_buffer.remove(0, m_offset);
        m_offset = 0;
    }
    m_lastReadMono = nowMono();

    const qsizetype old = m_buffer.size();
    m_buffer.resize(old + qsizetype(available));
    const qint64 got = m_socket->read(m_buffer.data() + old, available);
    m_buffer.resize(old + qsizetype(std::max<qint64>(got, 0)));
}

void HttpConnection::onBytesWritten()
{
    const qint64 pending = m_socket->bytesToWrite();
    if (m_shutdownPending && pending == 0) {
        m_shutdownPending = false;
        shutdownWrite();
    }
    if (m_writeBlocked && pending <= kMaxPendingWriteBytes / 2) {
        m_writeBlocked = false;
        processBuffer();
    }
}

// --- the request cycle -------------------------------------------------------------------------

void HttpConnection::processBuffer()
{
    // respond() may run inside the handler, inside this loop: the loop then simply goes on.
    if (m_processing)
        return;
    m_processing = true;
    while (m_state != State::Closing && m_state != State::Awaiting && !m_writeBlocked) {
        if (m_offset >= m_buffer.size()) {
            readSocket(); // what the socket kept while parsing was paused
            if (m_offset >= m_buffer.size())
                break;
        }
        const char *base = m_buffer.constData() + m_offset;
        const size_t length = size_t(m_buffer.size() - m_offset);
        m_execBase = base;
        m_pause = Pause::None;
        const size_t parsed = http_parser_execute(&m_parser, &parserSettings(), base, length);
        m_offset += qsizetype(parsed);
        m_streamPos += qint64(parsed);

        const auto error = HTTP_PARSER_ERRNO(&m_parser);
        if (error == HPE_PAUSED) {
            http_parser_pause(&m_parser, 0);
            if (m_pause == Pause::HeadersComplete)
                afterHeaders();
            else if (m_pause == Pause::MessageComplete)
                dispatch();
            continue;
        }
        if (error != HPE_OK) {
            if (m_rejectStatus != 0)
                reject(m_rejectStatus, m_rejectReason);
            else if (error == HPE_HEADER_OVERFLOW)
                reject(431, u"headers_too_large"_s);
            else
                reject(400, u"malformed_request"_s);
            break;
        }
        // All bytes consumed; headers may still be incomplete and already too long.
        if (m_state == State::Headers && m_streamPos - m_messageStartPos > m_context.limits.maxHeaderBytes) {
            reject(431, u"headers_too_large"_s);
            break;
        }
    }
    m_processing = false;
}

void HttpConnection::afterHeaders()
{
    // The parser stopped on the final LF of the headers, which it will read again on resume.
    const qint64 headerBytes = m_streamPos + 1 - m_messageStartPos;
    if (headerBytes > m_context.limits.maxHeaderBytes) {
        reject(431, u"headers_too_large"_s);
        return;
    }
    m_state = State::Body;
    m_stateSinceMono = nowMono();

    const bool chunked = (m_parser.flags & F_CHUNKED) != 0;
    const bool hasLength = !chunked && m_parser.content_length != ULLONG_MAX && m_parser.content_length > 0;
    if (hasLength && m_parser.content_length > quint64(m_context.limits.maxBodyBytes)) {
        reject(413, u"body_too_large"_s); // before reading any of the body
        return;
    }
    // One allocation for the announced body, but not more than a client can claim without sending.
    if (hasLength)
        m_request.body.reserve(qsizetype(std::min<quint64>(m_parser.content_length, kMaxBodyReserveBytes)));

    // curl waits (1 s) for this before sending a body over 1 KiB.
    if ((chunked || hasLength) && m_parser.http_major == 1 && m_parser.http_minor >= 1) {
        for (const auto &[name, value] : std::as_const(m_request.headers)) {
            if (name.compare("expect", Qt::CaseInsensitive) == 0
                && value.trimmed().compare("100-continue", Qt::CaseInsensitive) == 0) {
                m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
                m_socket->flush();
                break;
            }
        }
    }
}

void HttpConnection::dispatch()
{
    m_state = State::Awaiting;
    m_keepAlive = http_should_keep_alive(&m_parser) != 0;
    const quint64 sequence = ++m_sequence;
    if (!m_context.requestHandler) {
        respond(sequence, HttpResponse::json(503, {{u"status"_s, u"error"_s}, {u"reason"_s, u"no_handler"_s}}));
        return;
    }
    const Responder responder(
        [link = m_link, sequence](HttpResponse response) { deliver(link, sequence, std::move(response)); });
    m_inHandler = true;
    m_context.requestHandler(m_request, responder);
    m_inHandler = false;
}

void HttpConnection::deliver(const std::shared_ptr<Link> &link, quint64 sequence, HttpResponse response)
{
    if (QThread::currentThread() == link->thread) {
        if (link->connection)
            link->connection->respond(sequence, std::move(response));
        return;
    }
    // Another thread: the lock keeps the connection alive while the call is posted; a posted call
    // is discarded if the connection is deleted before it runs.
    const QMutexLocker locker(&link->mutex);
    if (!link->connection)
        return;
    QMetaObject::invokeMethod(
        link->connection,
        [link, sequence, response = std::move(response)]() mutable {
            if (link->connection)
                link->connection->respond(sequence, std::move(response));
        },
        Qt::QueuedConnection);
}

void HttpConnection::respond(quint64 sequence, HttpResponse response)
{
    if (m_state != State::Awaiting || sequence != m_sequence)
        return; // answered already, or the connection moved on
    const bool keepAlive = m_keepAlive && !response.closeConnection;
    m_out.resize(0);
    response.appendWire(m_out, keepAlive);
    m_socket->write(m_out.constData(), m_out.size());
    if (!m_inHandler)
        resetRequest(); // frees the body now; inside the handler its reference must stay intact
    if (!keepAlive) {
        beginClose();
        return;
    }
    m_state = State::Idle;
    m_stateSinceMono = nowMono();
    if (m_offset >= m_buffer.size())
        m_socket->flush(); // nothing pipelined behind it: send now rather than on the next loop pass
    if (m_socket->bytesToWrite() > kMaxPendingWriteBytes)
        m_writeBlocked = true;
    processBuffer();
}

void HttpConnection::reject(int status, const QString &reason)
{
    if (m_state == State::Closing)
        return;
    if (m_state == State::Idle)
        resetRequest(); // nothing of a new request was understood (e.g. a bad first byte)
    m_request.body.clear();
    if (m_request.receivedAtMs == 0)
        m_request.receivedAtMs = m_unparsedSinceWallMs;
    if (m_context.rejectionHandler)
        m_context.rejectionHandler(m_request, status, reason);

    HttpResponse response = HttpResponse::json(status, {{u"status"_s, u"rejected"_s}, {u"reason"_s, reason}});
    response.closeConnection = true;
    m_out.resize(0);
    response.appendWire(m_out, false);
    m_socket->write(m_out.constData(), m_out.size());
    m_socket->flush();
    beginClose();
}

void HttpConnection::beginClose()
{
    m_state = State::Closing;
    m_stateSinceMono = nowMono();
    m_offset = m_buffer.size(); // whatever else was sent is not read
    if (m_socket->bytesToWrite() == 0)
        shutdownWrite();
    else
        m_shutdownPending = true;
}

void HttpConnection::shutdownWrite()
{
#ifdef Q_OS_UNIX
    // Half-close, then drain until the client closes (or the linger time ends): closing outright
    // with unread input would send RST, and the client could lose our answer.
    const qintptr fd = m_socket->socketDescriptor();
    if (fd >= 0 && ::shutdown(int(fd), SHUT_WR) == 0)
        return;
    m_socket->abort();
#else
    m_socket->disconnectFromHost();
#endif
}

void HttpConnection::resetRequest()
{
    m_request.method = QByteArray();
    m_request.target = QByteArray();
    m_request.headers.clear();
    m_request.body = QByteArray();
    if (m_request.remoteAddress.isNull()) {
        m_request.remoteAddress = m_socket->peerAddress();
        m_request.remotePort = m_socket->peerPort();
    }
    m_request.receivedAtMs = 0;
    m_rejectStatus = 0;
}

void HttpConnection::checkTimeouts(qint64 nowMonotonicMs)
{
    const config::LimitsConfig &limits = m_context.limits;
    switch (m_state) {
    case State::Idle:
        if (nowMonotonicMs - m_stateSinceMono >= limits.idleTimeoutMs) {
            // No request started: nobody to answer, just close.
            m_state = State::Closing;
            m_stateSinceMono = nowMonotonicMs;
            m_socket->disconnectFromHost();
        }
        break;
    case State::Headers:
        if (nowMonotonicMs - m_stateSinceMono >= limits.headerTimeoutMs)
            reject(408, u"header_timeout"_s);
        break;
    case State::Body:
        if (nowMonotonicMs - std::max(m_stateSinceMono, m_lastReadMono) >= limits.idleTimeoutMs)
            reject(408, u"idle_timeout"_s);
        break;
    case State::Awaiting: break; // the handler answers; its own deadline (produce wait) bounds this
    case State::Closing:
        if (nowMonotonicMs - m_stateSinceMono >= m_context.lingerMs)
            m_socket->abort();
        break;
    }
}

} // namespace hookbench::http
