// HttpServer over real loopback sockets: request fidelity, keep-alive, ordering of pipelined
// answers, limits, timeouts and the server's own rejections.

#include <memory>

#include <sys/socket.h>

#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>
#include <QtTest>

#include "core/config/config.h"
#include "core/http/http_server.h"
#include "core/util/clock.h"

using namespace Qt::StringLiterals;
using hookbench::ManualClock;
using hookbench::config::LimitsConfig;
using namespace hookbench::http;

namespace {

constexpr int kWaitMs = 5000;

// One answer as the client saw it. The test reads answers with a few lines of its own so that the
// server's code is not used to check itself.
struct Reply
{
    int status = 0;
    QByteArray head;
    QByteArray body;
    QByteArray header(QByteArrayView name) const
    {
        for (const QByteArray &line : head.split('\n')) {
            const qsizetype colon = line.indexOf(':');
            if (colon > 0 && line.left(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
                return line.mid(colon + 1).trimmed();
        }
        return {};
    }
    QString reason() const { return QJsonDocument::fromJson(body).object().value(u"reason"_s).toString(); }
};

class Client
{
public:
    explicit Client(quint16 port)
    {
        QObject::connect(&socket, &QIODevice::readyRead, &socket, [this] {
            in += socket.readAll();
            parse();
        });
        QObject::connect(&socket, &QAbstractSocket::disconnected, &socket, [this] { closed = true; });
        socket.connectToHost(QHostAddress::LocalHost, port);
    }
    bool waitConnected()
    {
        return QTest::qWaitFor([this] { return socket.state() == QAbstractSocket::ConnectedState; }, kWaitMs);
    }
    void send(const QByteArray &bytes)
    {
        socket.write(bytes);
        socket.flush();
    }
    bool waitReplies(qsizetype count, int ms = kWaitMs)
    {
        return QTest::qWaitFor([&] { return replies.size() >= count; }, ms);
    }
    bool waitClosed(int ms = kWaitMs)
    {
        return QTest::qWaitFor([this] { return closed; }, ms);
    }

    QTcpSocket socket;
    QByteArray in;
    QList<Reply> replies;
    bool closed = false;

private:
    void parse()
    {
        for (;;) {
            const qsizetype end = in.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            Reply reply;
            reply.head = in.left(end);
            reply.status = in.mid(9, 3).toInt();
            const qsizetype length = reply.status == 100 ? 0 : reply.header("Content-Length").toLongLong();
            if (in.size() < end + 4 + length)
                return;
            reply.body = in.mid(end + 4, length);
            in.remove(0, end + 4 + length);
            replies.append(reply);
        }
    }
};

struct Rejection
{
    HttpRequest request;
    int status = 0;
    QString reason;
};

QByteArray post(const QByteArray &target, const QByteArray &body, const QByteArray &extraHeaders = {})
{
    return "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extraHeaders
           + "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

HttpResponse okAnswer(const HttpRequest &request)
{
    return HttpResponse::json(200, {{u"status"_s, u"ok"_s}, {u"target"_s, QString::fromLatin1(request.target)}});
}

} // namespace

class TestHttpServer : public QObject
{
    Q_OBJECT

private:
    // A server on 127.0.0.1 that records requests and rejections; by default it answers at once.
    void start(const LimitsConfig &limits = {})
    {
        m_requests.clear();
        m_rejections.clear();
        m_server = std::make_unique<HttpServer>(limits, m_clock);
        m_server->setRequestHandler([this](const HttpRequest &request, const Responder &responder) {
            m_requests.append(request);
            if (m_handler)
                m_handler(request, responder);
            else
                responder.send(okAnswer(request));
        });
        m_server->setRejectionHandler([this](const HttpRequest &partial, int status, const QString &reason) {
            m_rejections.append({partial, status, reason});
        });
        const auto listening = m_server->listen(QHostAddress::LocalHost, 0);
        QVERIFY2(listening.ok(), qPrintable(listening.ok() ? QString() : listening.error().message));
        QVERIFY(m_server->serverPort() != 0);
    }

    ManualClock m_clock;
    std::unique_ptr<HttpServer> m_server;
    HttpServer::RequestHandler m_handler;
    QList<HttpRequest> m_requests;
    QList<Rejection> m_rejections;

private slots:
    void cleanup()
    {
        m_handler = nullptr;
        m_server.reset();
    }

    void postKeepsHeadersAndBodyBytes()
    {
        start();
        m_clock.setMs(1'700'000'123'456);
        Client client(m_server->serverPort());
        QVERIFY(client.waitConnected());
        // NUL, bytes that are not UTF-8 and a trailing CRLF must all arrive untouched.
        static constexpr char raw[] = "{\"a\":\"\x00\xff\xfe\xc3\x28\"}\r\n";
        const QByteArray body(raw, sizeof raw - 1);
        client.send(post(
            "/webhooks/demo?x=1", body,
            "X-Dup: one\r\nContent-Type: application/json\r\nx-dup: two\r\nX-MiXeD-Case: Value With Spaces\r\nX-Empty:\r\n"));
        QVERIFY(client.waitReplies(1));

        QCOMPARE(client.replies[0].status, 200);
        QCOMPARE(client.replies[0].header("Content-Type"), "application/json");
        QCOMPARE(m_requests.size(), 1);
        const HttpRequest &r = m_requests[0];
        QCOMPARE(r.method, "POST");
        QCOMPARE(r.target, "/webhooks/demo?x=1");
        QCOMPARE(r.path(), "/webhooks/demo");
        const HeaderList expected = {{"Host", "127.0.0.1"},
                                     {"X-Dup", "one"},
                                     {"Content-Type", "application/json"},
                                     {"x-dup", "two"},
                                     {"X-MiXeD-Case", "Value With Spaces"},
                                     {"X-Empty", ""},
                                     {"Content-Length", "15"}};
        QCOMPARE(r.headers, expected);
        QCOMPARE(r.headerValues("x-DUP"), QList<QByteArray>({"one", "two"}));
        QCOMPARE(r.body.size(), 15);
        QCOMPARE(r.body.at(6), '\0');
        QCOMPARE(r.body, body);
        QCOMPARE(r.remoteAddress, QHostAddress(QHostAddress::LocalHost));
        QCOMPARE(r.remotePort, client.socket.localPort());
        QCOMPARE(r.receivedAtMs, 1'700'000'123'456);
        QVERIFY(m_rejections.isEmpty());
    }

    void keepAliveServesTwoRequests()
    {
        start();
        Client client(m_server->serverPort());
        QVERIFY(client.waitConnected());
        client.send(post("/one", "1"));
        QVERIFY(client.waitReplies(1));
        QCOMPARE(client.replies[0].header("Connection"), "keep-alive");
        client.send(post("/two", "22"));
        QVERIFY(client.waitReplies(2));
        QCOMPARE(client.replies[1].status, 200);
        QCOMPARE(m_requests.size(), 2);
        QCOMPARE(m_requests[1].body, "22");
        QVERIFY(!client.closed);
        QCOMPARE(m_server->connectionCount(), 1);
    }

    void pipelinedAnswersKeepRequestOrder()
    {
        start();
        // The first request is answered later than the second would be: order must still hold,
        // and the second is handed over only once the first has been answered.
        bool slowAnswered = false;
        QList<bool> slowAnsweredWhenSeen;
        m_handler = [&](const HttpRequest &request, const Responder &responder) {
            slowAnsweredWhenSeen.append(slowAnswered);
            if (request.target == "/slow") {
                QTimer::singleShot(300, m_server.get(), [request, responder, &slowAnswered] {
                    slowAnswered = true;
                    responder.send(okAnswer(request));
                });
            } else {
                responder.send(okAnswer(request));
            }
        };
        Client client(m_server->serverPort());
        QVERIFY(client.waitConnected());
        client.send(post("/slow", "a") + post("/fast", "b") + post("/fast2", "c"));
        QVERIFY(client.waitReplies(3));
        QCOMPARE(client.replies[0].body, okAnswer(m_requests[0]).body);
        QCOMPARE(QJsonDocument::fromJson(client.replies[0].body)[u"target"_s].toString(), u"/slow"_s);
        QCOMPARE(QJsonDocument::fromJson(client.replies[1].body)[u"target"_s].toString(), u"/fast"_s);
        QCOMPARE(QJsonDocument::fromJson(client.replies[2].body)[u"target"_s].toString(), u"/fast2"_s);
        QCOMPARE(m_requests[2].body, "c");
        QCOMPARE(slowAnsweredWhenSeen, QList<bool>({false, true, true}));
    }

    void chunkedBodyIsDechunked()
    {
        start();
        Client client(m_server->serverPort());
        QVERIFY(client.waitConnected());
        client.send("POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                    "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n");
        QVERIFY(client.waitReplies(1));
        QCOMPARE(client.replies[0].status, 200);
        QCOMPARE(m_requests.size(), 1);
        QCOMPARE(m_requests[0].body, "hello world");
        QVERIFY(!m_requests[0].hasHeader("X-Trailer"));
        // The connection stays usable after a chunked body.
        client.send(post("/after", "x"));
        QVERIFY(client.waitReplies(2));
        QCOMPARE(m_requests[1].target, "/after");
    }

    void contentLengthOverLimitAnsweredBeforeBody()
    {
        LimitsConfig limits;
        limits.maxBodyBytes = 1024;
        start(limits);
        Client client(m_server->serverPort());
        QVERIFY(client.waitConnected());
        // Only the headers: the 413 must come without the server waiting for the body.
        client.send("POST /big HTTP/1.1\r\nHost: h\r\nContent-Length: 4096\r\n\r\n");
        QVERIFY(client.waitReplies(1));
        QCOMPARE(client.socket.bytesToWrite(), 0);
        QCOMPARE(client.replies[0].status, 413);
        QCOMPARE(client.replies[0].reason(), u"body_too_large"_s);
        QCOMPARE(client.replies[0].header("Connection"), "close");
        QVERIFY(client.waitClosed());
        QVERIFY(m_requests.isEmpty());
    }

    void rejections_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("target");

        const QByteArray bigHeader = "X-Big: " + QByteArray(600, 'a') + "\r\n";
        QTest::newRow("garbage request line")
            << QByteArray("GARBAGE\r\n\r\n") << 400 << u"malformed_request"_s << QByteArray() << QByteArray();
        QTest::newRow("bad header") << QByteArray("POST /m HTTP/1.1\r\nBad Header\r\n\r\n") << 400
                                    << u"malformed_request"_s << QByteArray("POST") << QByteArray("/m");
        QTest::newRow("headers over limit")
            << post("/h", "x", bigHeader) << 431 << u"headers_too_large"_s << QByteArray("POST") << QByteArray("/h");
        QTest::newRow("unfinished headers over limit")
            << QByteArray("POST /u HTTP/1.1\r\n" + bigHeader) << 431 << u"headers_too_large"_s << QByteArray("POST")
            << QByteArray("/u");
        QTest::newRow("content-length over limit")
            << QByteArray("POST /l HTTP/1.1\r\nContent-Length: 65\r\n\r\n") << 413 << u"body_too_large"_s
            << QByteArray("POST") << QByteArray("/l");
        QTest::newRow("chunked over limit")
            << QByteArray("POST /k HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n20\r\n" + QByteArray(32, 'x')
                          + "\r\n21\r\n" + QByteArray(33, 'y') + "\r\n")
            << 413 << u"body_too_large"_s << QByteArray("POST") << QByteArray("/k");
        QTest::newRow("half a header") << QByteArray("POST /t HTTP/1.1\r\nHost: h\r\nX-Part") << 408
                                       << u"header_timeout"_s << QByteArray("POST") << QByteArray("/t");
        QTest::newRow("stalled body") << QByteArray("POST /s HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc") << 408
                                      << u"idle_timeout"_s << QByteArray("POST") << QByteArray("/s");
    }

    void rejections()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, status);
        QFETCH(QString, reason);
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, target);

        LimitsConfig limits;
        limits.maxBodyBytes = 64;
        limits.maxHeaderBytes = 512;
        limits.headerTimeoutMs = 200;
        limits.idleTimeoutMs = 300;
        start(limits);
        Client client(m_server->serverPort());
        QVERIFY(client.waitConnected());
        const quint16 clientPort = client.socket.localPort();
        client.send(bytes);

        QVERIFY(client.waitReplies(1));
        QCOMPARE(client.replies[0].status, status);
        QCOMPARE(QJsonDocument::fromJson(client.replies[0].body)[u"status"_s].toString(), u"rejected"_s);
        QCOMPARE(client.replies[0].reason(), reason);
        QCOMPARE(client.replies[0].header("Connection"), "close");
        QVERIFY(client.waitClosed());
        QTRY_COMPARE_WITH_TIMEOUT(m_server->connectionCount(), 0, kWaitMs);

        QVERIFY(m_requests.isEmpty());
        QCOMPARE(m_rejections.size(), 1);
        QCOMPARE(m_rejections[0].status, status);
        QCOMPARE(m_rejections[0].reason, reason);
        QCOMPARE(m_rejections[0].request.method, method);
        QCOMPARE(m_rejections[0].request.target, target);
        QVERIFY(m_rejections[0].request.body.isEmpty());
        QCOMPARE(m_rejections[0].request.remotePort, clientPort);
        QVERIFY(m_rejections[0].request.receivedAtMs != 0);
    }

    void idleKeepAliveClosedWithoutAnswer()
    {
        LimitsConfig limits;
        limits.idleTimeoutMs = 200;
        start(limits);
        Client client(m_server->serverPort());
        QVERIFY(client.waitConnected());
        client.send(post("/one", "1"));
        QVERIFY(client.waitReplies(1));
        QVERIFY(client.waitClosed());
        QCOMPARE(client.replies.size(), 1); // no 408 for a connection that started no request
        QVERIFY(client.in.isEmpty());
        QVERIFY(m_rejections.isEmpty());
    }

    void expectContinue_data()
    {
        QTest::addColumn<int>("length");
        QTest::addColumn<int>("firstStatus");
        QTest::newRow("acceptable body") << 2000 << 100;
        QTest::newRow("body over limit") << 5000 << 413;
    }

    void expectContinue()
    {
        QFETCH(int, length);
        QFETCH(int, firstStatus);
        LimitsConfig limits;
        limits.maxBodyBytes = 4096;
        start(limits);
        Client client(m_server->serverPort());
        QVERIFY(client.waitConnected());
        // What curl sends for a body over 1 KiB: headers, then it waits for 100 Continue.
        client.send("POST /e HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: "
                    + QByteArray::number(length) + "\r\n\r\n");
        QVERIFY(client.waitReplies(1));
        QCOMPARE(client.replies[0].status, firstStatus);
        if (firstStatus == 413) {
            QVERIFY(client.waitClosed());
            QCOMPARE(m_rejections.size(), 1);
            QCOMPARE(m_rejections[0].reason, u"body_too_large"_s);
            return;
        }
        QVERIFY(client.replies[0].body.isEmpty());
        client.send(QByteArray(length, 'z'));
        QVERIFY(client.waitReplies(2));
        QCOMPARE(client.replies[1].status, 200);
        QCOMPARE(m_requests.size(), 1);
        QCOMPARE(m_requests[0].body, QByteArray(length, 'z'));
    }

    void connectionHeaderDecidesKeepAlive_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<bool>("keepAlive");
        QTest::newRow("1.1 default") << QByteArray("POST /a HTTP/1.1\r\nContent-Length: 1\r\n\r\nx") << true;
        QTest::newRow("1.1 close") << QByteArray("POST /a HTTP/1.1\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx")
                                   << false;
        QTest::newRow("1.0 default") << QByteArray("POST /a HTTP/1.0\r\nContent-Length: 1\r\n\r\nx") << false;
        QTest::newRow("1.0 keep-alive") << QByteArray(
            "POST /a HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nx")
                                        << true;
        // An HTTP/2 upgrade offer is declined by answering in HTTP/1.1; the connection goes on.
        QTest::newRow("1.1 upgrade offer")
            << QByteArray("POST /a HTTP/1.1\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                          "HTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\nContent-Length: 1\r\n\r\nx")
            << true;
    }

    void connectionHeaderDecidesKeepAlive()
    {
        QFETCH(QByteArray, request);
        QFETCH(bool, keepAlive);
        start();
        Client client(m_server->serverPort());
        QVERIFY(client.waitConnected());
        client.send(request);
        QVERIFY(client.waitReplies(1));
        QCOMPARE(client.replies[0].status, 200);
        QCOMPARE(client.replies[0].header("Connection"), keepAlive ? "keep-alive" : "close");
        if (!keepAlive) {
            QVERIFY(client.waitClosed());
            return;
        }
        client.send(request);
        QVERIFY(client.waitReplies(2));
        QCOMPARE(m_requests.size(), 2);
        QVERIFY(!client.closed);
    }

    void responderAfterDisconnectIsSafe()
    {
        start();
        Responder kept;
        m_handler = [&kept](const HttpRequest &, const Responder &responder) { kept = responder; };
        {
            Client client(m_server->serverPort());
            QVERIFY(client.waitConnected());
            client.send(post("/gone", "x"));
            QTRY_COMPARE_WITH_TIMEOUT(m_requests.size(), 1, kWaitMs);
            client.socket.abort();
        }
        // A client gone with FIN looks like one that half-closed and waits for its answer: the
        // connection stays until the answer is written (into the void), then ends.
        QVERIFY(kept.isValid());
        kept.send(HttpResponse::json(200, {})); // no crash
        QTRY_COMPARE_WITH_TIMEOUT(m_server->connectionCount(), 0, kWaitMs);
        kept.send(HttpResponse::json(200, {})); // the connection is gone: dropped
        m_server.reset();
        kept.send(HttpResponse::json(200, {})); // even with the server gone
    }

    void resetClientEndsConnectionAtOnce()
    {
        // Unlike a half-close, a reset says the client reads nothing more: no answer is waited for.
        start();
        Responder kept;
        m_handler = [&kept](const HttpRequest &, const Responder &responder) { kept = responder; };
        {
            Client client(m_server->serverPort());
            QVERIFY(client.waitConnected());
            client.send(post("/reset", "x"));
            QTRY_COMPARE_WITH_TIMEOUT(m_requests.size(), 1, kWaitMs);
            const linger resetOnClose{1, 0};
            QCOMPARE(::setsockopt(int(client.socket.socketDescriptor()), SOL_SOCKET, SO_LINGER, &resetOnClose,
                                  sizeof resetOnClose),
                     0);
            client.socket.abort();
        }
        QTRY_COMPARE_WITH_TIMEOUT(m_server->connectionCount(), 0, kWaitMs);
        kept.send(HttpResponse::json(200, {})); // dropped, no crash
    }

    void secondSendIsIgnored()
    {
        start();
        m_handler = [](const HttpRequest &request, const Responder &responder) {
            responder.send(okAnswer(request));
            responder.send(HttpResponse::json(500, {}));
        };
        Client client(m_server->serverPort());
        QVERIFY(client.waitConnected());
        client.send(post("/a", "1"));
        QVERIFY(client.waitReplies(1));
        client.send(post("/b", "2"));
        QVERIFY(client.waitReplies(2));
        QCOMPARE(client.replies[0].status, 200);
        QCOMPARE(client.replies[1].status, 200);
        QCOMPARE(QJsonDocument::fromJson(client.replies[1].body)[u"target"_s].toString(), u"/b"_s);
        QVERIFY(client.in.isEmpty());
    }

    void sendFromAnotherThreadIsReposted()
    {
        start();
        std::unique_ptr<QThread> worker;
        m_handler = [&worker](const HttpRequest &request, const Responder &responder) {
            worker.reset(QThread::create([request, responder] { responder.send(okAnswer(request)); }));
            worker->start();
        };
        Client client(m_server->serverPort());
        QVERIFY(client.waitConnected());
        client.send(post("/thread", "1"));
        QVERIFY(client.waitReplies(1));
        QCOMPARE(client.replies[0].status, 200);
        QVERIFY(worker->wait(kWaitMs));
    }

    void connectionsBeyondLimitAreRefused()
    {
        // Every slot holds a request in progress (headers half sent): nothing can yield.
        LimitsConfig limits;
        limits.maxConnections = 2;
        start(limits);
        Client first(m_server->serverPort());
        Client second(m_server->serverPort());
        QVERIFY(first.waitConnected());
        QVERIFY(second.waitConnected());
        first.send("POST /still HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        second.send("POST /also HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        QTRY_COMPARE_WITH_TIMEOUT(m_server->connectionCount(), 2, kWaitMs);
        Client third(m_server->serverPort());
        QVERIFY(third.waitReplies(1));
        QCOMPARE(third.replies[0].status, 503);
        QCOMPARE(third.replies[0].reason(), u"too_many_connections"_s);
        QVERIFY(third.waitClosed());
        // Journaled like every other rejection: who was refused and why.
        QCOMPARE(m_rejections.size(), 1);
        QCOMPARE(m_rejections[0].status, 503);
        QCOMPARE(m_rejections[0].reason, u"too_many_connections"_s);
        QCOMPARE(m_rejections[0].request.remoteAddress, QHostAddress(QHostAddress::LocalHost));
        QVERIFY(m_rejections[0].request.remotePort != 0);
        QVERIFY(m_rejections[0].request.receivedAtMs != 0);
        first.send("Content-Length: 2\r\n\r\nok");
        QVERIFY(first.waitReplies(1));
        QCOMPARE(first.replies[0].status, 200);
        QVERIFY(!first.closed);
    }

    void idleKeepAliveConnectionsYieldToNewClients()
    {
        // At the limit, the connection idle longest is closed for a new client (nginx's reusable
        // connections); before, the new client got 503 until an idle timeout freed a slot.
        constexpr int limit = 40;
        LimitsConfig limits;
        limits.maxConnections = limit;
        limits.idleTimeoutMs = 600'000; // no slot frees itself during the test
        start(limits);
        std::vector<std::unique_ptr<Client>> idle;
        for (int i = 0; i < limit; ++i) {
            idle.push_back(std::make_unique<Client>(m_server->serverPort()));
            QVERIFY(idle.back()->waitConnected());
            idle.back()->send(post("/idle/" + QByteArray::number(i), "x"));
            QVERIFY(idle.back()->waitReplies(1));
        }
        QCOMPARE(m_server->connectionCount(), limit);

        std::vector<std::unique_ptr<Client>> fresh;
        for (int i = 0; i < limit; ++i) {
            fresh.push_back(std::make_unique<Client>(m_server->serverPort()));
            QVERIFY(fresh.back()->waitConnected());
            fresh.back()->send(post("/fresh/" + QByteArray::number(i), "y"));
            QVERIFY(fresh.back()->waitReplies(1));
            QCOMPARE(fresh.back()->replies[0].status, 200);
            // The oldest idle connection made room, not a younger one.
            QVERIFY(idle[size_t(i)]->waitClosed());
            if (i + 1 < limit)
                QVERIFY(!idle[size_t(i) + 1]->closed);
        }
        QVERIFY(m_rejections.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(m_server->connectionCount(), limit, kWaitMs);
    }

    void halfClosedClientGetsItsAnswer_data()
    {
        QTest::addColumn<QByteArray>("requests");
        QTest::addColumn<int>("answers");
        QTest::addColumn<bool>("connectionClose");
        QTest::newRow("HTTP/1.1 then shutdown(SHUT_WR), like nc -N") << post("/one", "a") << 1 << false;
        QTest::newRow("HTTP/1.0") << QByteArray("POST /ten HTTP/1.0\r\nContent-Length: 1\r\n\r\nb") << 1 << true;
        QTest::newRow("two pipelined, then shutdown") << post("/p1", "c") + post("/p2", "d") << 2 << false;
        QTest::newRow("one complete, one cut short")
            << post("/whole", "e") + "POST /cut HTTP/1.1\r\nContent-Le" << 1 << false;
    }

    void halfClosedClientGetsItsAnswer()
    {
        QFETCH(QByteArray, requests);
        QFETCH(int, answers);
        QFETCH(bool, connectionClose);
        start();
        // The handler answers later, as the ingest path does after the journal and Kafka: by then
        // the server has read the client's FIN.
        m_handler = [this](const HttpRequest &request, const Responder &responder) {
            QTimer::singleShot(150, m_server.get(), [request, responder] { responder.send(okAnswer(request)); });
        };
        Client client(m_server->serverPort());
        QVERIFY(client.waitConnected());
        client.send(requests);
        QCOMPARE(::shutdown(int(client.socket.socketDescriptor()), SHUT_WR), 0);
        QVERIFY(client.waitReplies(answers));
        QVERIFY(client.waitClosed()); // and the server closes once everything is answered
        QCOMPARE(client.replies.size(), answers);
        for (int i = 0; i < answers; ++i) {
            QCOMPARE(client.replies[i].status, 200);
            QCOMPARE(QJsonDocument::fromJson(client.replies[i].body)[u"target"_s].toString(),
                     QString::fromLatin1(m_requests[i].target));
        }
        QCOMPARE(client.replies.last().header("Connection").compare("close", Qt::CaseInsensitive) == 0,
                 connectionClose);
        QVERIFY(client.in.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(m_server->connectionCount(), 0, kWaitMs);
    }

    void halfClosedClientRejectionIsAnswered()
    {
        // Synchronous answers were always written; they must stay so.
        start();
        m_handler = [](const HttpRequest &, const Responder &responder) {
            responder.send(HttpResponse::json(404, {{u"status"_s, u"rejected"_s}}));
        };
        Client client(m_server->serverPort());
        QVERIFY(client.waitConnected());
        client.send(post("/nowhere", "z"));
        QCOMPARE(::shutdown(int(client.socket.socketDescriptor()), SHUT_WR), 0);
        QVERIFY(client.waitReplies(1));
        QCOMPARE(client.replies[0].status, 404);
        QVERIFY(client.waitClosed());
    }

    void listenErrorNamesTheAddress()
    {
        start();
        HttpServer other(LimitsConfig{});
        const auto result = other.listen(QHostAddress::LocalHost, m_server->serverPort());
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, u"listen_failed"_s);
        QVERIFY(result.error().message.contains(QString::number(m_server->serverPort())));
    }
};

QTEST_GUILESS_MAIN(TestHttpServer)
#include "test_http_server.moc"
