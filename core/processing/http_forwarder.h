#pragma once

// HttpForwarder: POSTs records to a target URL, like `stripe listen --forward-to`. The body is
// the payload exactly as received with its original Content-Type; the target's headers are
// added, then hookbench-idempotency-key, hookbench-source and hookbench-attempt (so the target
// can deduplicate and see retries).
//
// Redirects are NOT followed (ManualRedirectPolicy): Qt would turn a POST into a GET on
// 301/302/303 and drop the body, so a webhook would arrive changed or not at all. A 3xx is a
// permanent failure naming the Location, and the user fixes the target URL.
//
// The timeout is QNetworkRequest::setTransferTimeout: it fires after timeout_ms without progress
// (a target that trickles bytes is not cut off). No cookies are stored or sent.
//
// Lives on the thread that creates it; call forward() from that thread.

#include <functional>

#include <QObject>

#include "core/processing/forward_outcome.h"
#include "core/processing/forward_request.h"
#include "core/util/clock.h"

class QNetworkAccessManager;
class QNetworkReply;

namespace hookbench::processing {

class HttpForwarder final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpForwarder)

public:
    static constexpr qsizetype maxResponseBytes = 4096;

    explicit HttpForwarder(const Clock &clock = SystemClock::instance(), QObject *parent = nullptr);
    ~HttpForwarder() override;

    // Sends asynchronously; done runs in context's thread once, unless context is destroyed
    // first (then the outcome is dropped and the request aborted).
    void forward(const ForwardRequest &request, QObject *context, std::function<void(const ForwardOutcome &)> done);

    // Requests sent and not finished yet.
    int inFlight() const;

private:
    ForwardOutcome outcomeOf(QNetworkReply *reply, const QString &url, int timeoutMs, qint64 durationMs) const;

    const Clock &m_clock;
    QNetworkAccessManager *m_nam;
};

} // namespace hookbench::processing
