#include "core/replay/loopback_client.h"

#include <http_parser.h>

#include <QTcpSocket>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace hookbench::replay {

struct LoopbackClient::Private
{
    QTcpSocket *socket = nullptr;
    QTimer *timer = nullptr;
    http_parser parser{};
    http_parser_settings settings{};
    ReceiverAnswer answer;
    bool complete = false;
    bool finished = false;
    Done done;
    QString address;
};

namespace {

int onBody(http_parser *parser, const char *at, size_t length)
{
    auto *answer = static_cast<ReceiverAnswer *>(parser->data);
    answer->body.append(at, static_cast<qsizetype>(length));
    return 0;
}

int onComplete(http_parser *parser)
{
    // Stop at the end of the answer: anything after it is not ours.
    http_parser_pause(parser, 1);
    return 0;
}

} // namespace

LoopbackClient::LoopbackClient(QObject *parent) : QObject(parent), d(std::make_unique<Private>()) {}

LoopbackClient::~LoopbackClient() = default;

Result<QPair<QHostAddress, quint16>> LoopbackClient::parseAddress(const QString &address)
{
    const qsizetype colon = address.lastIndexOf(u':');
    bool portOk = false;
    const uint port = colon > 0 ? address.mid(colon + 1).toUInt(&portOk) : 0;
    QString host = colon > 0 ? address.left(colon) : QString();
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    QHostAddress hostAddress(host);
    if (!portOk || port == 0 || port > 65535 || hostAddress.isNull()) {
        return Error{u"invalid_argument"_s, u"receiver address \"%1\" is not <ip>:<port>"_s.arg(address)};
    }
    // A receiver listening on every interface is reached over loopback.
    if (hostAddress == QHostAddress::AnyIPv4 || hostAddress == QHostAddress::Any)
        hostAddress = QHostAddress(QHostAddress::LocalHost);
    else if (hostAddress == QHostAddress::AnyIPv6)
        hostAddress = QHostAddress(QHostAddress::LocalHostIPv6);
    return qMakePair(hostAddress, static_cast<quint16>(port));
}

QByteArray LoopbackClient::serialise(const http::HttpRequest &request)
{
    QByteArray out =
        request.method + ' ' + (request.target.isEmpty() ? QByteArray("/") : request.target) + " HTTP/1.1\r\n";
    for (const auto &[name, value] : request.headers) {
        // The body is sent whole with its own length: the original framing does not apply.
        if (name.compare("Content-Length", Qt::CaseInsensitive) == 0
            || name.compare("Transfer-Encoding", Qt::CaseInsensitive) == 0
            || name.compare("Expect", Qt::CaseInsensitive) == 0)
            continue;
        out += name + ": " + value + "\r\n";
    }
    out += "Content-Length: " + QByteArray::number(request.body.size()) + "\r\n\r\n";
    out += request.body;
    return out;
}

void LoopbackClient::send(const QString &address, const http::HttpRequest &request, int timeoutMs, QObject *parent,
                          Done done)
{
    auto *client = new LoopbackClient(parent);
    Private &p = *client->d;
    p.done = std::move(done);
    p.address = address;
    const auto target = parseAddress(address);
    if (!target) {
        // Answer asynchronously like every other outcome, so callers see one behaviour.
        QTimer::singleShot(0, client, [client, error = target.error()] { client->finish(error); });
        return;
    }

    http_parser_init(&p.parser, HTTP_RESPONSE);
    p.parser.data = &p.answer;
    http_parser_settings_init(&p.settings);
    p.settings.on_body = onBody;
    p.settings.on_message_complete = onComplete;

    p.timer = new QTimer(client);
    p.timer->setSingleShot(true);
    connect(p.timer, &QTimer::timeout, client, [client, timeoutMs] {
        client->finish(
            Error{u"receiver_unreachable"_s,
                  u"the receiver at %1 did not answer within %2 ms"_s.arg(client->d->address).arg(timeoutMs)});
    });
    p.timer->start(timeoutMs);

    p.socket = new QTcpSocket(client);
    const QByteArray bytes = serialise(request);
    connect(p.socket, &QTcpSocket::connected, client, [client, bytes] { client->d->socket->write(bytes); });
    connect(p.socket, &QTcpSocket::readyRead, client, [client] {
        Private &q = *client->d;
        const QByteArray chunk = q.socket->readAll();
        const size_t parsed =
            http_parser_execute(&q.parser, &q.settings, chunk.constData(), static_cast<size_t>(chunk.size()));
        const auto error = static_cast<http_errno>(q.parser.http_errno);
        if (error == HPE_PAUSED) {
            q.answer.status = static_cast<int>(q.parser.status_code);
            client->finish(q.answer);
        } else if (error != HPE_OK || parsed != static_cast<size_t>(chunk.size())) {
            client->finish(
                Error{u"receiver_unreachable"_s, u"the receiver at %1 sent a malformed answer: %2"_s.arg(
                                                     q.address, QString::fromLatin1(http_errno_description(error)))});
        }
    });
    connect(p.socket, &QTcpSocket::errorOccurred, client, [client](QAbstractSocket::SocketError) {
        client->finish(Error{u"receiver_unreachable"_s,
                             u"sending to %1 failed: %2"_s.arg(client->d->address, client->d->socket->errorString())});
    });
    p.socket->connectToHost(target->first, target->second);
}

void LoopbackClient::finish(const Result<ReceiverAnswer> &result)
{
    if (d->finished)
        return;
    d->finished = true;
    if (d->timer)
        d->timer->stop();
    if (d->socket) {
        d->socket->disconnect(this);
        d->socket->abort();
    }
    Done done = std::move(d->done);
    deleteLater();
    if (done)
        done(result);
}

} // namespace hookbench::replay
