#pragma once

// FailureClassifier: decides whether a failed delivery is worth retrying. Transient failures
// (408, 429, 5xx, timeouts, refused/reset connections, DNS failures) may succeed later and are
// retried with backoff; permanent ones (other 4xx, redirects, malformed payloads, TLS errors) will
// fail the same way again and go straight to the DLQ. Also parses Retry-After (RFC 9110 §10.2.3).

#include <optional>

#include <QByteArrayView>
#include <QNetworkReply>
#include <QString>

namespace hookbench::processing {

enum class ErrorClass {
    Transient, // retry with backoff
    Permanent, // do not retry: dead-letter
};

class FailureClassifier
{
public:
    static bool isSuccess(int httpStatus) { return httpStatus >= 200 && httpStatus <= 299; }

    // The class of an HTTP answer that is not 2xx. 408, 429 and 5xx are transient; every other
    // status (1xx that is final, 3xx that we do not follow, other 4xx, nonsense) is permanent.
    static ErrorClass classifyHttpStatus(int httpStatus);

    // The class of a failure without a usable HTTP answer. Network-level trouble (refused,
    // reset, closed, DNS, timeouts, proxies, a broken response) is transient; problems that
    // repeat identically (TLS handshake, unknown scheme, redirect policy) are permanent.
    static ErrorClass classifyNetworkError(QNetworkReply::NetworkError error);

    // "transient" / "permanent"; and back (nullopt for anything else).
    static QString name(ErrorClass cls);
    static std::optional<ErrorClass> fromName(const QString &name);

    // Retry-After as milliseconds from nowMs: delta-seconds ("120") or an HTTP-date in any of
    // the three forms a recipient must accept (IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT",
    // RFC 850 "Sunday, 06-Nov-94 08:49:37 GMT", asctime "Sun Nov  6 08:49:37 1994"). A date in
    // the past gives 0. Huge delta-seconds saturate instead of overflowing (the retry policy caps
    // them anyway). Anything else, including negative numbers, gives nullopt.
    static std::optional<qint64> parseRetryAfter(QByteArrayView value, qint64 nowMs);
    // The HTTP-date alone, as ms since the epoch (nullopt if it is not one of the three forms).
    static std::optional<qint64> parseHttpDate(QByteArrayView value, qint64 nowMs);
};

} // namespace hookbench::processing
