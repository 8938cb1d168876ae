#include "core/processing/http_forwarder.h"

#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>

using namespace Qt::StringLiterals;

namespace hookbench::processing {

namespace {

// Whether the transfer itself broke (no answer, or an answer cut short), as opposed to errors Qt
// derives from the HTTP status (400 -> ProtocolInvalidOperationError, 404 -> ContentNotFoundError,
// 407 -> ProxyAuthenticationRequiredError, 503 -> ServiceUnavailableError, ...).
bool isTransportError(QNetworkReply::NetworkError e)
{
    const int code = static_cast<int>(e);
    if (code >= 1 && code <= 99) // connection, DNS, timeout, cancel, TLS, redirect policy
        return true;
    if (code >= 101 && code <= 199 && e != QNetworkReply::ProxyAuthenticationRequiredError)
        return true;
    return e == QNetworkReply::ProtocolUnknownError || e == QNetworkReply::ProtocolFailure;
}

} // namespace

HttpForwarder::HttpForwarder(const Clock &clock, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_nam(new QNetworkAccessManager(this))
{
    // No cache and no cookie jar: every delivery is a fresh, self-contained request.
    m_nam->setCookieJar(nullptr);
}

HttpForwarder::~HttpForwarder()
{
    // Abort what is still in flight without calling anyone back: the callbacks' owners may be
    // gone already, and a half-destroyed forwarder cannot build outcomes.
    for (QNetworkReply *reply : m_nam->findChildren<QNetworkReply *>()) {
        reply->disconnect(this);
        reply->abort();
    }
}

int HttpForwarder::inFlight() const
{
    int n = 0;
    for (const QNetworkReply *reply : m_nam->findChildren<QNetworkReply *>())
        n += reply->isRunning() ? 1 : 0;
    return n;
}

void HttpForwarder::forward(const ForwardRequest &request, QObject *context,
                            std::function<void(const ForwardOutcome &)> done)
{
    QNetworkRequest req(request.target.url);
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    req.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    req.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    req.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    req.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    req.setTransferTimeout(request.target.timeoutMs);
    req.setRawHeader("User-Agent", "Hookbench");
    for (const auto &[name, value] : request.target.headers)
        req.setRawHeader(name, value);
    // Set after the target's headers, so these always win. Without a Content-Type Qt would
    // invent application/x-www-form-urlencoded; octet-stream at least claims nothing.
    const ProcessingRecord &record = request.record;
    req.setRawHeader("Content-Type",
                     record.contentType.isEmpty() ? QByteArray("application/octet-stream") : record.contentType);
    req.setRawHeader("hookbench-idempotency-key", record.idempotencyKey);
    req.setRawHeader("hookbench-source", record.source.toUtf8());
    req.setRawHeader("hookbench-attempt", QByteArray::number(record.attempt));

    QElapsedTimer elapsed;
    elapsed.start();
    QNetworkReply *reply = m_nam->post(req, record.body);
    QPointer<QObject> ctx(context);
    if (context)
        connect(context, &QObject::destroyed, reply, &QNetworkReply::abort);
    connect(reply, &QNetworkReply::finished, this,
            [this, reply, target = request.target.url.toDisplayString(), timeoutMs = request.target.timeoutMs, ctx,
             done = std::move(done), elapsed]() {
                const ForwardOutcome outcome = outcomeOf(reply, target, timeoutMs, elapsed.elapsed());
                reply->deleteLater();
                if (!ctx)
                    return;
                // AutoConnection: a direct call in this thread, queued to a context elsewhere.
                QMetaObject::invokeMethod(ctx.data(), [done, outcome] { done(outcome); });
            });
}

ForwardOutcome HttpForwarder::outcomeOf(QNetworkReply *reply, const QString &url, int timeoutMs,
                                        qint64 durationMs) const
{
    ForwardOutcome out;
    out.durationMs = durationMs;
    out.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QNetworkReply::NetworkError error = reply->error();

    if (out.httpStatus == 0 || isTransportError(error)) {
        // No usable answer, even if a status line arrived before the transfer broke.
        out.cls = FailureClassifier::classifyNetworkError(error);
        if (error == QNetworkReply::OperationCanceledError || error == QNetworkReply::TimeoutError)
            out.error = u"no answer from %1 within %2 ms (timed out)"_s.arg(url).arg(timeoutMs);
        else
            out.error = u"could not deliver to %1: %2"_s.arg(url, reply->errorString());
        out.httpStatus = 0;
        return out;
    }

    out.responseBody = reply->read(maxResponseBytes);
    if (FailureClassifier::isSuccess(out.httpStatus)) {
        out.ok = true;
        return out;
    }
    out.cls = FailureClassifier::classifyHttpStatus(out.httpStatus);
    if (reply->hasRawHeader("Retry-After"))
        out.retryAfterMs = FailureClassifier::parseRetryAfter(reply->rawHeader("Retry-After"), m_clock.nowMs());
    const QString reason =
        QString::fromLatin1(reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray());
    out.error = u"%1 answered %2 %3"_s.arg(url).arg(out.httpStatus).arg(reason).trimmed();
    if (out.httpStatus >= 300 && out.httpStatus <= 399)
        out.error += u" (redirect to \"%1\" not followed: a POST must reach the configured URL)"_s.arg(
            QString::fromLatin1(reply->rawHeader("Location")));
    return out;
}

} // namespace hookbench::processing
