#pragma once

// LoopbackClient: sends one HTTP/1.1 request, exactly the bytes given, to the receiver's own
// listen address and reads its answer (http_parser in response mode). Replays through the
// receiver use it instead of QNetworkAccessManager, which would add headers of its own
// (User-Agent, Accept-Encoding, ...) that then end up in the replay's journal entry.
// One request per client; it deletes itself after answering. Lives on the caller's thread.

#include <functional>
#include <memory>

#include <QByteArray>
#include <QHostAddress>
#include <QObject>
#include <QString>

#include "core/http/http_request.h"
#include "core/util/result.h"

namespace hookbench::replay {

struct ReceiverAnswer
{
    int status = 0;
    QByteArray body;
};

class LoopbackClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LoopbackClient)

public:
    using Done = std::function<void(const Result<ReceiverAnswer> &)>;

    // Sends `request` to `address` ("127.0.0.1:PORT", "[::1]:PORT"; an any-address means the
    // loopback address) and calls done once, on this thread: the answer, or "receiver_unreachable"
    // (connection refused, closed early, malformed answer, no answer within timeoutMs).
    static void send(const QString &address, const http::HttpRequest &request, int timeoutMs, QObject *parent,
                     Done done);

    // The request on the wire: request line, headers in order (Content-Length, Transfer-Encoding
    // and Expect are replaced by one Content-Length for the body), empty line, body.
    static QByteArray serialise(const http::HttpRequest &request);
    // "host:port" split; "[v6]:port" brackets removed. Error "invalid_argument" when malformed.
    static Result<QPair<QHostAddress, quint16>> parseAddress(const QString &address);

    ~LoopbackClient() override;

private:
    explicit LoopbackClient(QObject *parent);
    void finish(const Result<ReceiverAnswer> &result);

    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace hookbench::replay
