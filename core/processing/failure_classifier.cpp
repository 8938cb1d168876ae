#include "core/processing/failure_classifier.h"

#include <limits>

#include <QByteArray>
#include <QDateTime>
#include <QList>

using namespace Qt::StringLiterals;

namespace hookbench::processing {

ErrorClass FailureClassifier::classifyHttpStatus(int httpStatus)
{
    if (httpStatus == 408 || httpStatus == 429 || (httpStatus >= 500 && httpStatus <= 599))
        return ErrorClass::Transient;
    return ErrorClass::Permanent;
}

ErrorClass FailureClassifier::classifyNetworkError(QNetworkReply::NetworkError error)
{
    switch (error) {
    case QNetworkReply::ConnectionRefusedError:
    case QNetworkReply::RemoteHostClosedError:
    case QNetworkReply::HostNotFoundError:
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError: // what Qt reports when setTransferTimeout fires
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
    case QNetworkReply::BackgroundRequestNotAllowedError:
    case QNetworkReply::UnknownNetworkError:
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyConnectionClosedError:
    case QNetworkReply::ProxyNotFoundError:
    case QNetworkReply::ProxyTimeoutError:
    case QNetworkReply::UnknownProxyError:
    case QNetworkReply::ProtocolFailure: // a broken or truncated answer: the next try may be fine
    case QNetworkReply::ServiceUnavailableError:
    case QNetworkReply::InternalServerError:
    case QNetworkReply::UnknownServerError: return ErrorClass::Transient;
    default:
        // TLS handshake, unknown scheme, invalid operation, redirect policy, content errors
        // (4xx reported as errors): the same request would fail the same way again.
        return ErrorClass::Permanent;
    }
}

QString FailureClassifier::name(ErrorClass cls)
{
    return cls == ErrorClass::Transient ? u"transient"_s : u"permanent"_s;
}

std::optional<ErrorClass> FailureClassifier::fromName(const QString &name)
{
    if (name == u"transient"_s)
        return ErrorClass::Transient;
    if (name == u"permanent"_s)
        return ErrorClass::Permanent;
    return std::nullopt;
}

namespace {

bool allDigits(QByteArrayView s)
{
    if (s.isEmpty())
        return false;
    for (char c : s) {
        if (c < '0' || c > '9')
            return false;
    }
    return true;
}

int monthNumber(QByteArrayView token)
{
    static constexpr const char *months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (int i = 0; i < 12; ++i) {
        if (token == QByteArrayView(months[i]))
            return i + 1;
    }
    return 0;
}

bool isWeekday(QByteArrayView token)
{
    static constexpr const char *shortNames[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    static constexpr const char *longNames[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                "Friday", "Saturday", "Sunday"};
    for (int i = 0; i < 7; ++i) {
        if (token == QByteArrayView(shortNames[i]) || token == QByteArrayView(longNames[i]))
            return true;
    }
    return false;
}

} // namespace

std::optional<qint64> FailureClassifier::parseHttpDate(QByteArrayView value, qint64 nowMs)
{
    // Split on the separators of the three forms: ' ' and ',' (IMF-fixdate, asctime), '-' (RFC 850).
    // The shape is then: weekday, then day/month/year in form-specific order, a time and, except
    // for asctime, "GMT".
    QList<QByteArrayView> tokens;
    qsizetype start = -1;
    for (qsizetype i = 0; i <= value.size(); ++i) {
        const bool sep = i == value.size() || value[i] == ' ' || value[i] == ',' || value[i] == '-';
        if (sep && start >= 0) {
            tokens.append(value.sliced(start, i - start));
            start = -1;
        } else if (!sep && start < 0) {
            start = i;
        }
    }
    if (tokens.size() < 5 || !isWeekday(tokens.at(0)))
        return std::nullopt;

    QByteArrayView day, month, year, time;
    if (tokens.size() == 6 && tokens.at(5) == "GMT") {
        // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT   RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
        day = tokens.at(1);
        month = tokens.at(2);
        year = tokens.at(3);
        time = tokens.at(4);
        if (year.size() != 4 && year.size() != 2)
            return std::nullopt;
    } else if (tokens.size() == 5) {
        // asctime: Sun Nov  6 08:49:37 1994
        month = tokens.at(1);
        day = tokens.at(2);
        time = tokens.at(3);
        year = tokens.at(4);
        if (year.size() != 4)
            return std::nullopt;
    } else {
        return std::nullopt;
    }
    if (!allDigits(day) || day.size() > 2 || !allDigits(year) || time.size() != 8 || time[2] != ':' || time[5] != ':')
        return std::nullopt;
    const QByteArrayView hh = time.sliced(0, 2), mm = time.sliced(3, 2), ss = time.sliced(6, 2);
    if (!allDigits(hh) || !allDigits(mm) || !allDigits(ss))
        return std::nullopt;
    const int m = monthNumber(month);
    if (m == 0)
        return std::nullopt;

    int y = QByteArray(year.data(), year.size()).toInt();
    if (year.size() == 2) {
        // RFC 9110 §5.6.7: a two-digit year that appears to be more than 50 years in the future
        // is the most recent past year with the same last two digits.
        const int nowYear = QDateTime::fromMSecsSinceEpoch(nowMs, Qt::UTC).date().year();
        y += (nowYear / 100) * 100;
        if (y > nowYear + 50)
            y -= 100;
    }
    const auto toInt = [](QByteArrayView v) { return QByteArray(v.data(), v.size()).toInt(); };
    const QDate date(y, m, toInt(day));
    // 60 seconds is a leap second: valid in HTTP-date grammar, clamp it to 59.
    const QTime clock(toInt(hh), toInt(mm), std::min(toInt(ss), 59));
    if (!date.isValid() || !clock.isValid())
        return std::nullopt;
    return QDateTime(date, clock, Qt::UTC).toMSecsSinceEpoch();
}

std::optional<qint64> FailureClassifier::parseRetryAfter(QByteArrayView value, qint64 nowMs)
{
    const QByteArrayView trimmed = value.trimmed();
    if (allDigits(trimmed)) {
        constexpr qint64 maxSeconds = std::numeric_limits<qint64>::max() / 1000;
        if (trimmed.size() > 15) // more than 31 million years: saturate before toLongLong overflows
            return maxSeconds * 1000;
        bool ok = false;
        const qint64 seconds = QByteArray(trimmed.data(), trimmed.size()).toLongLong(&ok);
        if (!ok)
            return std::nullopt;
        return seconds * 1000;
    }
    const std::optional<qint64> at = parseHttpDate(trimmed, nowMs);
    if (!at)
        return std::nullopt;
    return std::max<qint64>(0, *at - nowMs);
}

} // namespace hookbench::processing
