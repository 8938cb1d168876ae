#include "core/http/http_connection.h"

#include <algorithm>

#include <QJsonObject>
#include <QMutexLocker>
#include <QSocketNotifier>
#include <QTcpSocket>
#include <QThread>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace hookbench::http {

namespace {

#ifdef Q_OS_UNIX
// Whether the client may still read what we write: it sent FIN (half-close) but no reset.
bool peerStillReads(int fd)
{
#ifdef Q_OS_LINUX
    tcp_info info{};
    socklen_t size = sizeof info;
    if (::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &size) == 0)
        return info.tcpi_state == TCP_CLOSE_WAIT;
#endif
    Q_UNUSED(fd)
    return true; // cannot tell: the answer is attempted, a write error then ends the connection
}
#endif

// Qt's own socket buffer: beyond this QTcpSocket stops reading, so TCP flow control holds back a
// client that sends faster than we parse (e.g. pipelined requests while one awaits its answer).
constexpr qint64 kSocketReadBufferBytes = 256 * 1024;
// Unparsed bytes we take from the socket while parsing is paused.
constexpr qsizetype kMaxPausedBufferBytes = 256 * 1024;
// A client that does not read its answers: stop parsing its requests above this, resume below half.
constexpr qint64 kMaxPendingWriteBytes = 1024 * 1024;

} // namespace

HttpConnection::HttpConnection(Context &context, QTcpSocket *socket, QObject *parent)
    : QObject(parent)
    , m_context(context)
    , m_socket(socket)
    , m_link(std::make_shared<Link>())
    , m_parser(context.limits)
{
    m_socket->setParent(this);
    // Answers are small and written whole: Nagle would hold them back for the client's delayed ACK.
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_socket->setReadBufferSize(kSocketReadBufferBytes);

    m_link->connection = this;
    m_link->thread = thread();

    m_parser.request().remoteAddress = m_socket->peerAddress();
    m_parser.request().remotePort = m_socket->peerPort();
    m_stateSinceMono = nowMono();
    m_lastReadMono = m_stateSinceMono;

    connect(m_socket, &QIODevice::readyRead, this, &HttpConnection::onReadyRead);
    connect(m_socket, &QIODevice::bytesWritten, this, &HttpConnection::onBytesWritten);
    connect(m_socket, &QAbstractSocket::disconnected, this, &HttpConnection::onPeerClosed);
    connect(m_socket, &QAbstractSocket::errorOccurred, this, [this] {
        if (m_socket->state() == QAbstractSocket::UnconnectedState)
            onPeerClosed();
    });
}

HttpConnection::~HttpConnection()
{
    releaseRawFd();
    const QMutexLocker locker(&m_link->mutex);
    m_link->connection = nullptr;
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

void HttpConnection::write(const char *data, qsizetype size)
{
    if (!m_peerClosed) {
        m_socket->write(data, size);
        return;
    }
    m_rawOut.append(data, size);
    flushRaw();
}

// --- half-closed clients -----------------------------------------------------------------------

void HttpConnection::onPeerClosed()
{
    if (m_rawFd < 0 || m_peerClosed) {
        if (!m_peerClosed)
            deleteLater();
        return;
    }
    // The client sent FIN while a request awaits its answer: it may well be waiting for it (HTTP/1.0
    // clients, `nc -N`). Qt has closed its descriptor; ours keeps the connection open for writing.
    // What Qt had read but we had not parsed is still in its buffer: parsed after this answer.
    // A client that reset the connection reads nothing more: then the connection ends here.
#ifdef Q_OS_UNIX
    if (!peerStillReads(m_rawFd)) {
        releaseRawFd();
        deleteLater();
        return;
    }
#endif
    m_peerClosed = true;
}

void HttpConnection::flushRaw()
{
#ifdef Q_OS_UNIX
    while (!m_rawOut.isEmpty()) {
        const ssize_t sent = ::send(m_rawFd, m_rawOut.constData(), size_t(m_rawOut.size()), MSG_NOSIGNAL);
        if (sent > 0) {
            m_rawOut.remove(0, qsizetype(sent));
            continue;
        }
        if (sent < 0 && errno == EINTR)
            continue;
        if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (!m_rawWritable) {
                m_rawWritable = new QSocketNotifier(qintptr(m_rawFd), QSocketNotifier::Write, this);
                connect(m_rawWritable, &QSocketNotifier::activated, this, &HttpConnection::flushRaw);
            }
            m_rawWritable->setEnabled(true);
            return;
        }
        // The client is gone for good (reset): nothing left to answer.
        m_rawOut.clear();
        m_state = State::Closing;
        finishHalfClosed();
        return;
    }
    if (m_rawWritable)
        m_rawWritable->setEnabled(false);
    if (m_state == State::Closing)
        finishHalfClosed();
#endif
}

void HttpConnection::releaseRawFd()
{
#ifdef Q_OS_UNIX
    if (m_rawWritable) {
        m_rawWritable->setEnabled(false);
        delete m_rawWritable;
        m_rawWritable = nullptr;
    }
    if (m_rawFd >= 0) {
        ::close(m_rawFd); // the last descriptor when Qt closed its own: FIN, our answers are sent
        m_rawFd = -1;
    }
#endif
}

void HttpConnection::finishHalfClosed()
{
    releaseRawFd();
    deleteLater();
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
        const RequestParser::Step step = m_parser.execute(base, length);
        m_offset += qsizetype(step.consumed);

        if (m_parser.takeMessageBegun()) {
            m_state = State::Headers;
            m_stateSinceMono = nowMono();
            m_parser.request().receivedAtMs = m_unparsedSinceWallMs;
        }
        switch (step.event) {
        case RequestParser::Event::NeedMore: break;
        case RequestParser::Event::HeadersComplete: afterHeaders(); break;
        case RequestParser::Event::MessageComplete: dispatch(); break;
        case RequestParser::Event::Error: reject(m_parser.errorStatus(), m_parser.errorReason()); break;
        }
    }
    m_processing = false;
    // A half-closed client sends nothing more: once no answer is pending, the connection is done
    // (an incomplete request can never complete).
    if (m_peerClosed && m_state != State::Awaiting && m_state != State::Closing)
        beginClose();
}

void HttpConnection::afterHeaders()
{
    m_state = State::Body;
    m_stateSinceMono = nowMono();
    // curl waits (1 s) for this before sending a body over 1 KiB.
    if (!m_peerClosed && m_parser.expectsContinue()) {
        m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
        m_socket->flush();
    }
}

void HttpConnection::dispatch()
{
    m_state = State::Awaiting;
    m_keepAlive = m_parser.keepAlive();
    const quint64 sequence = ++m_sequence;
    if (!m_context.requestHandler) {
        respond(sequence, HttpResponse::json(503, {{u"status"_s, u"error"_s}, {u"reason"_s, u"no_handler"_s}}));
        return;
    }
    const Responder responder(
        [link = m_link, sequence](HttpResponse response) { deliver(link, sequence, std::move(response)); });
    m_inHandler = true;
    m_context.requestHandler(m_parser.request(), responder);
    m_inHandler = false;
#ifdef Q_OS_UNIX
    if (m_state == State::Awaiting && sequence == m_sequence && !m_peerClosed && m_rawFd < 0) {
        // Answered later: if the client half-closes meanwhile, QAbstractSocket takes the FIN for the
        // end of the connection and closes its descriptor. A duplicate keeps the connection
        // writable; earlier answers still in Qt's buffer go out now, before that can happen.
        m_socket->flush();
        const qintptr fd = m_socket->socketDescriptor();
        if (fd >= 0)
            m_rawFd = ::fcntl(int(fd), F_DUPFD_CLOEXEC, 0);
    }
#endif
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
    write(m_out.constData(), m_out.size());
    if (!m_peerClosed)
        releaseRawFd(); // the answer is in Qt's hands: a FIN from now on needs no special care
    if (!m_inHandler)
        resetRequest(); // frees the body now; inside the handler its reference must stay intact
    if (!keepAlive) {
        beginClose();
        return;
    }
    m_state = State::Idle;
    m_stateSinceMono = nowMono();
    if (!m_peerClosed) {
        if (m_offset >= m_buffer.size())
            m_socket->flush(); // nothing pipelined behind it: send now rather than on the next loop pass
        if (m_socket->bytesToWrite() > kMaxPendingWriteBytes)
            m_writeBlocked = true;
    }
    processBuffer();
}

void HttpConnection::reject(int status, const QString &reason)
{
    if (m_state == State::Closing)
        return;
    if (m_state == State::Idle)
        resetRequest(); // nothing of a new request was understood (e.g. a bad first byte)
    HttpRequest &request = m_parser.request();
    request.body.clear();
    if (request.receivedAtMs == 0)
        request.receivedAtMs = m_unparsedSinceWallMs;
    if (m_context.rejectionHandler)
        m_context.rejectionHandler(request, status, reason);

    HttpResponse response = HttpResponse::json(status, {{u"status"_s, u"rejected"_s}, {u"reason"_s, reason}});
    response.closeConnection = true;
    m_out.resize(0);
    response.appendWire(m_out, false);
    write(m_out.constData(), m_out.size());
    if (!m_peerClosed)
        m_socket->flush();
    beginClose();
}

void HttpConnection::beginClose()
{
    m_state = State::Closing;
    m_stateSinceMono = nowMono();
    m_offset = m_buffer.size(); // whatever else was sent is not read
    if (m_peerClosed) {
        if (m_rawOut.isEmpty())
            finishHalfClosed(); // else flushRaw() finishes once the kernel took the answer
        return;
    }
    releaseRawFd();
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
    m_parser.resetRequest();
}

bool HttpConnection::isReusable() const
{
    if (m_state != State::Idle || m_peerClosed || m_offset < m_buffer.size() || m_socket->bytesAvailable() > 0
        || m_socket->bytesToWrite() > 0)
        return false;
#ifdef Q_OS_UNIX
    // Bytes of a new request may have arrived that Qt has not read yet: then it is not idle.
    char byte = 0;
    const qintptr fd = m_socket->socketDescriptor();
    if (fd >= 0 && ::recv(int(fd), &byte, 1, MSG_PEEK | MSG_DONTWAIT) > 0)
        return false;
#endif
    return true;
}

void HttpConnection::closeIdle()
{
    // Nothing of a request is pending, so nobody is owed an answer: the client sees the close a
    // keep-alive connection may always see, and retries on a new connection.
    m_state = State::Closing;
    m_socket->abort(); // emits disconnected: deleteLater
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
        if (nowMonotonicMs - m_stateSinceMono >= m_context.lingerMs) {
            if (m_peerClosed)
                finishHalfClosed(); // a client that does not read its answer
            else
                m_socket->abort();
        }
        break;
    }
}

} // namespace hookbench::http
