#include "core/replay/loopback_pool.h"

#include <deque>
#include <optional>
#include <vector>

#include <http_parser.h>

#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace hookbench::replay {

namespace {

struct Job
{
    QByteArray bytes;
    int timeoutMs = 0;
    LoopbackClient::Done done;
};

// One kept-alive connection: one request in flight at a time.
struct Connection
{
    QTcpSocket *socket = nullptr;
    QTimer *timer = nullptr;
    http_parser parser{};
    ReceiverAnswer answer;
    std::optional<Job> job;
    bool reused = false;    // it answered before: an early close means it went idle-stale
    bool answering = false; // bytes of the current answer arrived
};

int onBody(http_parser *parser, const char *at, size_t length)
{
    static_cast<Connection *>(parser->data)->answer.body.append(at, static_cast<qsizetype>(length));
    return 0;
}

int onComplete(http_parser *parser)
{
    http_parser_pause(parser, 1); // one answer per request; the rest belongs to the next
    return 0;
}

} // namespace

struct LoopbackPool::Private
{
    LoopbackPool *q = nullptr;
    QString address;
    std::optional<QPair<QHostAddress, quint16>> target;
    QString addressError;
    int size = 1;
    int opened = 0;
    http_parser_settings settings{};
    std::deque<Job> queue;
    std::vector<std::unique_ptr<Connection>> connections;

    void pump();
    void start(Connection *c, Job job);
    void open(Connection *c);
    void onReadyRead(Connection *c);
    void fail(Connection *c, const QString &reason);
    void finish(Connection *c, const Result<ReceiverAnswer> &result, bool keep);
    void drop(Connection *c);
};

LoopbackPool::LoopbackPool(QString address, int size, QObject *parent) : QObject(parent), d(std::make_unique<Private>())
{
    d->q = this;
    d->address = std::move(address);
    d->size = std::max(1, size);
    if (auto target = LoopbackClient::parseAddress(d->address))
        d->target = *target;
    else
        d->addressError = target.error().message;
    http_parser_settings_init(&d->settings);
    d->settings.on_body = onBody;
    d->settings.on_message_complete = onComplete;
}

LoopbackPool::~LoopbackPool()
{
    for (auto &c : d->connections) {
        if (c->socket) {
            c->socket->disconnect(this);
            c->socket->abort();
        }
    }
}

int LoopbackPool::connectionsOpened() const
{
    return d->opened;
}

void LoopbackPool::send(const http::HttpRequest &request, int timeoutMs, LoopbackClient::Done done)
{
    if (!d->target) {
        QTimer::singleShot(0, this, [done = std::move(done), error = d->addressError] {
            done(Error{u"invalid_argument"_s, error});
        });
        return;
    }
    d->queue.push_back(Job{LoopbackClient::serialise(request), timeoutMs, std::move(done)});
    d->pump();
}

void LoopbackPool::Private::pump()
{
    while (!queue.empty()) {
        Connection *idle = nullptr;
        for (auto &c : connections) {
            if (!c->job) {
                idle = c.get();
                break;
            }
        }
        if (!idle) {
            if (static_cast<int>(connections.size()) >= size)
                return;
            connections.push_back(std::make_unique<Connection>());
            idle = connections.back().get();
        }
        Job job = std::move(queue.front());
        queue.pop_front();
        start(idle, std::move(job));
    }
}

void LoopbackPool::Private::open(Connection *c)
{
    ++opened;
    c->reused = false;
    c->socket = new QTcpSocket(q);
    c->socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    QObject::connect(c->socket, &QTcpSocket::connected, q, [c] {
        if (c->job)
            c->socket->write(c->job->bytes);
    });
    QObject::connect(c->socket, &QTcpSocket::readyRead, q, [this, c] { onReadyRead(c); });
    QObject::connect(c->socket, &QTcpSocket::errorOccurred, q,
                     [this, c](QAbstractSocket::SocketError) { fail(c, c->socket->errorString()); });
    c->socket->connectToHost(target->first, target->second);
}

void LoopbackPool::Private::start(Connection *c, Job job)
{
    c->job = std::move(job);
    c->answer = {};
    c->answering = false;
    http_parser_init(&c->parser, HTTP_RESPONSE);
    c->parser.data = c;
    if (!c->timer) {
        c->timer = new QTimer(q);
        c->timer->setSingleShot(true);
        QObject::connect(c->timer, &QTimer::timeout, q, [this, c] {
            const int ms = c->job ? c->job->timeoutMs : 0;
            finish(c,
                   Error{u"receiver_unreachable"_s,
                         u"the receiver at %1 did not answer within %2 ms"_s.arg(address).arg(ms)},
                   false);
        });
    }
    c->timer->start(c->job->timeoutMs);
    if (c->socket && c->socket->state() == QAbstractSocket::ConnectedState)
        c->socket->write(c->job->bytes);
    else {
        drop(c);
        open(c);
    }
}

void LoopbackPool::Private::onReadyRead(Connection *c)
{
    const QByteArray chunk = c->socket->readAll();
    if (!c->job)
        return; // an answer nobody asked for: the connection is dropped at the next request
    c->answering = true;
    const size_t parsed =
        http_parser_execute(&c->parser, &settings, chunk.constData(), static_cast<size_t>(chunk.size()));
    const auto error = static_cast<http_errno>(c->parser.http_errno);
    if (error == HPE_PAUSED) {
        c->answer.status = static_cast<int>(c->parser.status_code);
        // Kept only when the answer allows it and nothing follows it.
        const bool keep = http_should_keep_alive(&c->parser) != 0 && parsed == static_cast<size_t>(chunk.size());
        finish(c, c->answer, keep);
    } else if (error != HPE_OK || parsed != static_cast<size_t>(chunk.size())) {
        finish(c,
               Error{u"receiver_unreachable"_s, u"the receiver at %1 sent a malformed answer: %2"_s.arg(
                                                    address, QString::fromLatin1(http_errno_description(error)))},
               false);
    }
}

void LoopbackPool::Private::fail(Connection *c, const QString &reason)
{
    if (!c->job) {
        drop(c); // closed while idle: reopened for the next request
        return;
    }
    if (c->reused && !c->answering) {
        // The receiver closed a kept-alive connection before this request reached it (or
        // before it answered anything): send it again on a fresh one.
        Job job = std::move(*c->job);
        c->job.reset();
        drop(c);
        start(c, std::move(job));
        return;
    }
    finish(c, Error{u"receiver_unreachable"_s, u"sending the replay to %1 failed: %2"_s.arg(address, reason)}, false);
}

void LoopbackPool::Private::finish(Connection *c, const Result<ReceiverAnswer> &result, bool keep)
{
    if (!c->job)
        return;
    c->timer->stop();
    LoopbackClient::Done done = std::move(c->job->done);
    c->job.reset();
    if (keep)
        c->reused = true;
    else
        drop(c);
    QPointer<LoopbackPool> guard(q);
    if (done)
        done(result);
    if (guard)
        pump();
}

void LoopbackPool::Private::drop(Connection *c)
{
    if (!c->socket)
        return;
    c->socket->disconnect(q);
    c->socket->abort();
    c->socket->deleteLater();
    c->socket = nullptr;
    c->reused = false;
}

} // namespace hookbench::replay
