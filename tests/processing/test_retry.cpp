#include "tests/processing/test_processing.h"

#include <climits>

#include <QTest>

#include "core/processing/event_filter.h"

using namespace Qt::StringLiterals;

namespace hookbench::tests {

// ---- RetryPolicy ----

void TestProcessing::backoffBounds_data()
{
    QTest::addColumn<qint64>("base");
    QTest::addColumn<qint64>("cap");
    QTest::addColumn<double>("timeScale");
    QTest::newRow("defaults") << qint64(1000) << qint64(86'400'000) << 1.0;
    QTest::newRow("small cap") << qint64(1000) << qint64(10'000) << 1.0;
    QTest::newRow("base 1 ms") << qint64(1) << qint64(86'400'000) << 1.0;
    QTest::newRow("scaled 1440") << qint64(1000) << qint64(86'400'000) << 1440.0;
    QTest::newRow("stretched 0.5") << qint64(250) << qint64(60'000) << 0.5;
    QTest::newRow("base == cap") << qint64(5000) << qint64(5000) << 1.0;
}

void TestProcessing::backoffBounds()
{
    QFETCH(qint64, base);
    QFETCH(qint64, cap);
    QFETCH(double, timeScale);
    const ManualClock clock;
    const RetrySettings settings = retrySettings(base, cap, 100, timeScale);
    for (int attempt = 1; attempt <= 12; ++attempt) {
        const qint64 ceiling = std::min<qint64>(cap, base << (attempt - 1));
        const auto bound = static_cast<qint64>(static_cast<double>(ceiling) / timeScale);
        qint64 largest = 0;
        for (quint64 seed = 0; seed < 200; ++seed) {
            const RetryPolicy policy(settings, clock, RetryPolicy::seededRandom(seed * 7919 + quint64(attempt)));
            QCOMPARE(policy.ceilingMs(attempt), ceiling);
            const RetryPolicy::Decision d = policy.next(attempt);
            QVERIFY(d.retry);
            QCOMPARE(d.nextAttempt, attempt + 1);
            QVERIFY2(d.delayMs >= 0 && d.delayMs <= bound,
                     qPrintable(u"attempt %1: %2 not in [0, %3]"_s.arg(attempt).arg(d.delayMs).arg(bound)));
            QCOMPARE(d.dueAtMs, clock.nowMs() + d.delayMs);
            largest = std::max(largest, d.delayMs);
        }
        // Full jitter spreads over the whole range: 200 draws reach its upper half.
        QVERIFY2(largest >= bound / 2,
                 qPrintable(u"attempt %1: largest %2 of %3"_s.arg(attempt).arg(largest).arg(bound)));
    }
}

void TestProcessing::backoffCapWithoutOverflow()
{
    const ManualClock clock;
    const RetrySettings settings = retrySettings(1000, 86'400'000, INT_MAX, 1.0);
    const RetryPolicy almostOne(settings, clock, constant(0.9999999999));
    for (int attempt : {17, 18, 30, 62, 63, 64, 65, 1000, INT_MAX - 1}) {
        QCOMPARE(almostOne.ceilingMs(attempt), attempt >= 18 ? 86'400'000 : 1000LL << (attempt - 1));
        const RetryPolicy::Decision d = almostOne.next(attempt);
        QVERIFY(d.retry);
        QVERIFY2(d.delayMs <= 86'400'000 && d.delayMs > 86'399'000 / (attempt >= 18 ? 1 : 2),
                 qPrintable(QString::number(d.delayMs)));
    }
    // A week's cap stretched by the smallest time scale still fits.
    const RetryPolicy stretched(retrySettings(1, RetrySettings::maxCapMs, INT_MAX, 0.001), clock,
                                constant(0.9999999999));
    const RetryPolicy::Decision d = stretched.next(5000);
    QVERIFY(d.delayMs > 0);
    QVERIFY(d.delayMs <= RetrySettings::maxCapMs * 1000);
    QVERIFY(d.dueAtMs > clock.nowMs());
}

void TestProcessing::backoffTimeScale()
{
    ManualClock clock(1'000'000);
    // 1440: a 24 h delay becomes a minute.
    const RetryPolicy policy(retrySettings(1000, 86'400'000, 100, 1440.0), clock, constant(0.9999999));
    const RetryPolicy::Decision d = policy.next(40);
    QVERIFY2(d.delayMs <= 60'000 && d.delayMs >= 59'990, qPrintable(QString::number(d.delayMs)));
    QCOMPARE(d.dueAtMs, 1'000'000 + d.delayMs);
    clock.advanceMs(5000);
    QCOMPARE(policy.next(40).dueAtMs, 1'005'000 + d.delayMs);
}

void TestProcessing::backoffExhausted()
{
    const ManualClock clock;
    const RetryPolicy policy(retrySettings(1000, 86'400'000, 8, 1.0), clock, constant(0.5));
    QVERIFY(policy.next(7).retry);
    QCOMPARE(policy.next(7).nextAttempt, 8);
    QVERIFY(!policy.next(8).retry);
    QVERIFY(!policy.next(9, 1000).retry); // Retry-After does not extend the attempts
    const RetryPolicy once(retrySettings(1000, 86'400'000, 1, 1.0), clock, constant(0.5));
    QVERIFY(!once.next(1).retry);
}

void TestProcessing::retryAfterHonouredAndCapped_data()
{
    QTest::addColumn<double>("random");
    QTest::addColumn<qint64>("cap");
    QTest::addColumn<double>("timeScale");
    QTest::addColumn<qint64>("retryAfter");
    QTest::addColumn<qint64>("expected");
    // attempt 3: ceiling min(cap, 4000)
    QTest::newRow("retry-after above jitter") << 0.0 << qint64(86'400'000) << 1.0 << qint64(30'000) << qint64(30'000);
    QTest::newRow("jitter above retry-after") << 0.5 << qint64(86'400'000) << 1.0 << qint64(1000) << qint64(2000);
    QTest::newRow("retry-after beyond cap")
        << 0.0 << qint64(3'600'000) << 1.0 << qint64(36'000'000) << qint64(3'600'000);
    QTest::newRow("huge retry-after") << 0.0 << qint64(86'400'000) << 1.0 << qint64(LLONG_MAX) << qint64(86'400'000);
    QTest::newRow("scaled") << 0.0 << qint64(86'400'000) << 10.0 << qint64(5000) << qint64(500);
    QTest::newRow("zero") << 0.25 << qint64(86'400'000) << 1.0 << qint64(0) << qint64(1000);
}

void TestProcessing::retryAfterHonouredAndCapped()
{
    QFETCH(double, random);
    QFETCH(qint64, cap);
    QFETCH(double, timeScale);
    QFETCH(qint64, retryAfter);
    QFETCH(qint64, expected);
    const ManualClock clock;
    const RetryPolicy policy(retrySettings(1000, cap, 8, timeScale), clock, constant(random));
    const RetryPolicy::Decision d = policy.next(3, retryAfter);
    QVERIFY(d.retry);
    QCOMPARE(d.delayMs, expected);
}

void TestProcessing::schedulePreviewIsDeterministic()
{
    const ManualClock clock;
    const RetryPolicy policy(RetrySettings{}, clock);
    const QList<qint64> a = policy.schedulePreview(42);
    QCOMPARE(a.size(), 7); // max_attempts 8: seven retries
    QCOMPARE(policy.schedulePreview(42), a);
    QVERIFY(policy.schedulePreview(43) != a);
    for (qsizetype i = 0; i < a.size(); ++i)
        QVERIFY(a.at(i) >= 0 && a.at(i) <= (1000LL << i));
}

// ---- FailureClassifier ----

void TestProcessing::classifyStatus_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("success");
    QTest::addColumn<ErrorClass>("cls");
    const ErrorClass t = ErrorClass::Transient, p = ErrorClass::Permanent;
    QTest::newRow("200") << 200 << true << p;
    QTest::newRow("202") << 202 << true << p;
    QTest::newRow("204") << 204 << true << p;
    QTest::newRow("301") << 301 << false << p;
    QTest::newRow("400") << 400 << false << p;
    QTest::newRow("401") << 401 << false << p;
    QTest::newRow("404") << 404 << false << p;
    QTest::newRow("408") << 408 << false << t;
    QTest::newRow("409") << 409 << false << p;
    QTest::newRow("422") << 422 << false << p;
    QTest::newRow("429") << 429 << false << t;
    QTest::newRow("500") << 500 << false << t;
    QTest::newRow("502") << 502 << false << t;
    QTest::newRow("503") << 503 << false << t;
    QTest::newRow("504") << 504 << false << t;
    QTest::newRow("599") << 599 << false << t;
    QTest::newRow("600") << 600 << false << p;
}

void TestProcessing::classifyStatus()
{
    QFETCH(int, status);
    QFETCH(bool, success);
    QFETCH(ErrorClass, cls);
    QCOMPARE(FailureClassifier::isSuccess(status), success);
    if (!success)
        QCOMPARE(FailureClassifier::classifyHttpStatus(status), cls);
}

void TestProcessing::classifyNetworkError_data()
{
    QTest::addColumn<QNetworkReply::NetworkError>("error");
    QTest::addColumn<ErrorClass>("cls");
    const ErrorClass t = ErrorClass::Transient, p = ErrorClass::Permanent;
    QTest::newRow("refused") << QNetworkReply::ConnectionRefusedError << t;
    QTest::newRow("reset/closed") << QNetworkReply::RemoteHostClosedError << t;
    QTest::newRow("dns") << QNetworkReply::HostNotFoundError << t;
    QTest::newRow("timeout") << QNetworkReply::TimeoutError << t;
    QTest::newRow("transfer timeout") << QNetworkReply::OperationCanceledError << t;
    QTest::newRow("temporary") << QNetworkReply::TemporaryNetworkFailureError << t;
    QTest::newRow("proxy refused") << QNetworkReply::ProxyConnectionRefusedError << t;
    QTest::newRow("broken answer") << QNetworkReply::ProtocolFailure << t;
    QTest::newRow("tls") << QNetworkReply::SslHandshakeFailedError << p;
    QTest::newRow("unknown scheme") << QNetworkReply::ProtocolUnknownError << p;
    QTest::newRow("redirects") << QNetworkReply::TooManyRedirectsError << p;
    QTest::newRow("insecure redirect") << QNetworkReply::InsecureRedirectError << p;
}

void TestProcessing::classifyNetworkError()
{
    QFETCH(QNetworkReply::NetworkError, error);
    QFETCH(ErrorClass, cls);
    QCOMPARE(FailureClassifier::classifyNetworkError(error), cls);
}

void TestProcessing::retryAfterParsing_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<qint64>("expectedMs");
    // now: Sun, 06 Nov 1994 08:49:27 GMT (ten seconds before RFC 9110's example date)
    QTest::newRow("seconds") << QByteArray("120") << true << qint64(120'000);
    QTest::newRow("zero") << QByteArray("0") << true << qint64(0);
    QTest::newRow("spaces") << QByteArray("  5 ") << true << qint64(5000);
    QTest::newRow("imf-fixdate") << QByteArray("Sun, 06 Nov 1994 08:49:37 GMT") << true << qint64(10'000);
    QTest::newRow("rfc850") << QByteArray("Sunday, 06-Nov-94 08:49:37 GMT") << true << qint64(10'000);
    QTest::newRow("asctime") << QByteArray("Sun Nov  6 08:49:37 1994") << true << qint64(10'000);
    QTest::newRow("next day") << QByteArray("Mon, 07 Nov 1994 08:49:27 GMT") << true << qint64(86'400'000);
    QTest::newRow("in the past") << QByteArray("Sat, 05 Nov 1994 08:49:37 GMT") << true << qint64(0);
    QTest::newRow("huge seconds") << QByteArray("99999999999999999999999") << true << qint64(LLONG_MAX / 1000 * 1000);
    QTest::newRow("empty") << QByteArray("") << false << qint64(0);
    QTest::newRow("negative") << QByteArray("-5") << false << qint64(0);
    QTest::newRow("fraction") << QByteArray("1.5") << false << qint64(0);
    QTest::newRow("word") << QByteArray("soon") << false << qint64(0);
    QTest::newRow("bad day") << QByteArray("Sun, 32 Nov 1994 08:49:37 GMT") << false << qint64(0);
    QTest::newRow("bad month") << QByteArray("Sun, 06 Foo 1994 08:49:37 GMT") << false << qint64(0);
    QTest::newRow("no zone") << QByteArray("Sun, 06 Nov 1994 08:49:37") << false << qint64(0);
    QTest::newRow("bad time") << QByteArray("Sun, 06 Nov 1994 8:49:37 GMT") << false << qint64(0);
    QTest::newRow("no weekday") << QByteArray("06 Nov 1994 08:49:37 GMT") << false << qint64(0);
}

void TestProcessing::retryAfterParsing()
{
    QFETCH(QByteArray, value);
    QFETCH(bool, valid);
    QFETCH(qint64, expectedMs);
    const qint64 now = utcMs(1994, 11, 6, 8, 49, 27);
    const std::optional<qint64> parsed = FailureClassifier::parseRetryAfter(value, now);
    QCOMPARE(parsed.has_value(), valid);
    if (valid)
        QCOMPARE(*parsed, expectedMs);
}

// ---- EventFilter ----

void TestProcessing::filter_data()
{
    QTest::addColumn<QStringList>("patterns");
    QTest::addColumn<QString>("eventType");
    QTest::addColumn<bool>("matches");
    const QStringList invoice{u"invoice.*"_s};
    QTest::newRow("prefix") << invoice << u"invoice.paid"_s << true;
    QTest::newRow("prefix nested") << invoice << u"invoice.payment.failed"_s << true;
    QTest::newRow("prefix other") << invoice << u"customer.created"_s << false;
    QTest::newRow("prefix without dot") << invoice << u"invoice"_s << false;
    QTest::newRow("prefix empty rest") << invoice << u"invoice."_s << true;
    QTest::newRow("suffix") << QStringList{u"*.created"_s} << u"customer.created"_s << true;
    QTest::newRow("suffix other") << QStringList{u"*.created"_s} << u"customer.updated"_s << false;
    QTest::newRow("middle") << QStringList{u"customer.*.updated"_s} << u"customer.subscription.updated"_s << true;
    QTest::newRow("middle miss") << QStringList{u"customer.*.updated"_s} << u"customer.updated"_s << false;
    QTest::newRow("star") << QStringList{u"*"_s} << u"anything.at.all"_s << true;
    QTest::newRow("star empty") << QStringList{u"*"_s} << QString() << true;
    QTest::newRow("exact") << QStringList{u"push"_s} << u"push"_s << true;
    QTest::newRow("exact longer") << QStringList{u"push"_s} << u"pushed"_s << false;
    QTest::newRow("case sensitive") << QStringList{u"Invoice.*"_s} << u"invoice.paid"_s << false;
    QTest::newRow("any of several") << QStringList{u"push"_s, u"pull_request*"_s} << u"pull_request_review"_s << true;
    QTest::newRow("none of several") << QStringList{u"push"_s, u"issues"_s} << u"release"_s << false;
    QTest::newRow("backtracking") << QStringList{u"*a*a*b"_s} << u"aaaaaaaaab"_s << true;
    QTest::newRow("backtracking miss") << QStringList{u"*a*a*b"_s} << u"aaaaaaaaaa"_s << false;
    QTest::newRow("empty filter matches all") << QStringList{} << u"invoice.paid"_s << true;
}

void TestProcessing::filter()
{
    QFETCH(QStringList, patterns);
    QFETCH(QString, eventType);
    QFETCH(bool, matches);
    QCOMPARE(EventFilter(patterns).matches(eventType), matches);
}

} // namespace hookbench::tests
