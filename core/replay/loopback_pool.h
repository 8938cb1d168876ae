#pragma once

// LoopbackPool: LoopbackClient's exact-bytes requests over a few kept-alive HTTP/1.1
// connections to one receiver, for replays that send thousands of requests: opening a TCP
// connection per request costs more than the request itself on loopback. At most `size`
// connections are open; requests beyond that wait in order for a free one. A connection is
// reused when the answer allows it (HTTP/1.1 without "Connection: close"); one the receiver
// closed while idle is replaced and the request sent again on a new one (nothing of it was
// answered). Lives on the caller's thread; answers arrive on it.

#include <memory>

#include <QObject>
#include <QString>

#include "core/replay/loopback_client.h"

namespace hookbench::replay {

class LoopbackPool final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LoopbackPool)

public:
    LoopbackPool(QString address, int size, QObject *parent = nullptr);
    ~LoopbackPool() override;

    // Like LoopbackClient::send: done is called once, with the answer or "receiver_unreachable".
    void send(const http::HttpRequest &request, int timeoutMs, LoopbackClient::Done done);

    // Connections opened since construction (tests check the reuse).
    int connectionsOpened() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace hookbench::replay
