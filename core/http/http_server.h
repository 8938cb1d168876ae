#pragma once

// HttpServer: HTTP/1.1 receiver on QtNetwork with http_parser underneath. Limits are enforced
// before buffering (413 from Content-Length or as soon as a chunked body exceeds the limit, 431
// for headers, 408 and close on header/idle timeouts, 400 and close on malformed input). Requests
// on one connection are answered in order: parsing pauses while a request awaits its answer.

#include <functional>
#include <memory>

#include <QHostAddress>
#include <QObject>

#include "core/config/config.h"
#include "core/http/http_request.h"
#include "core/http/http_response.h"
#include "core/util/clock.h"
#include "core/util/result.h"

namespace hookbench::http {

class HttpConnection;

// Answers one request exactly once. Call it on the server's thread; a call from another thread is
// re-posted to the server's thread (QMetaObject::invokeMethod), so it is safe but costs a hop.
// Safe to call after the client went away (the answer is then dropped); a second call for the same
// request is ignored. Copies share the same answer slot.
class Responder
{
public:
    Responder() = default;
    explicit Responder(std::function<void(HttpResponse)> send) : m_send(std::move(send)) {}
    void send(HttpResponse response) const;
    bool isValid() const { return static_cast<bool>(m_send); }

private:
    std::function<void(HttpResponse)> m_send;
};

class HttpServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpServer)

public:
    // Complete requests; the handler must eventually call responder.send(). The request reference is
    // valid during the call only: copy it (cheap, implicitly shared) to answer later. Until the
    // answer is written the connection reads no further request, so answers keep request order.
    using RequestHandler = std::function<void(const HttpRequest &, const Responder &)>;
    // Requests the server answered itself (400/408/413/431, and 503 to a client over
    // max_connections when no idle keep-alive connection could yield): what arrived of them, the
    // status and a reason code ("malformed_request", "header_timeout", "idle_timeout",
    // "body_too_large", "headers_too_large", "too_many_connections"), so they can be journaled too.
    using RejectionHandler = std::function<void(const HttpRequest &partial, int status, const QString &reason)>;

    explicit HttpServer(const config::LimitsConfig &limits, QObject *parent = nullptr);
    // clock stamps HttpRequest::receivedAtMs; it must outlive the server. Timeouts use a monotonic
    // clock of their own.
    HttpServer(const config::LimitsConfig &limits, const Clock &clock, QObject *parent = nullptr);
    ~HttpServer() override;

    void setRequestHandler(RequestHandler handler);
    void setRejectionHandler(RejectionHandler handler);

    // Bind and listen; port 0 picks a free port. The error names the address and why.
    Result<void> listen(const QHostAddress &address, quint16 port);
    // Stops listening; open connections finish what they are doing.
    void close();
    QHostAddress serverAddress() const;
    quint16 serverPort() const;
    // Open connections, including ones being closed.
    int connectionCount() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace hookbench::http
