// Tests of the consumer-side building blocks: retry backoff, failure classes, Retry-After,
// event filters, the HTTP forwarder against a real socket, the simulate handler and settings.

#include <climits>
#include <memory>

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include "core/processing/event_filter.h"
#include "core/processing/failure_classifier.h"
#include "core/processing/http_forwarder.h"
#include "core/processing/retry_policy.h"
#include "core/processing/retry_settings.h"
#include "core/processing/simulate_handler.h"
#include "core/processing/simulate_settings.h"
#include "core/processing/target_settings.h"
#include "core/util/clock.h"

#include "scripted_http_server.h"

using namespace Qt::StringLiterals;
using namespace hookbench;
using namespace hookbench::processing;

Q_DECLARE_METATYPE(ErrorClass)

namespace {

RetrySettings retrySettings(qint64 base, qint64 cap, int maxAttempts, double timeScale)
{
    RetrySettings s;
    s.baseMs = base;
    s.capMs = cap;
    s.maxAttempts = maxAttempts;
    s.timeScale = timeScale;
    return s;
}

RetryPolicy::RandomSource constant(double u)
{
    return [u] { return u; };
}

QJsonObject json(const char *text)
{
    return QJsonDocument::fromJson(QByteArray(text)).object();
}

qint64 utcMs(int y, int mo, int d, int h, int mi, int s)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi, s), Qt::UTC).toMSecsSinceEpoch();
}

ProcessingRecord record(const QByteArray &entityKey, const QByteArray &body)
{
    ProcessingRecord r;
    r.source = u"stripe"_s;
    r.idempotencyKey = "evt_1";
    r.entityKey = entityKey;
    r.eventType = u"invoice.paid"_s;
    r.contentType = "application/json; charset=utf-8";
    r.body = body;
    return r;
}

} // namespace

class TestProcessing : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void backoffBounds_data();
    void backoffBounds();
    void backoffCapWithoutOverflow();
    void backoffTimeScale();
    void backoffExhausted();
    void retryAfterHonouredAndCapped_data();
    void retryAfterHonouredAndCapped();
    void schedulePreviewIsDeterministic();

    void classifyStatus_data();
    void classifyStatus();
    void classifyNetworkError_data();
    void classifyNetworkError();
    void retryAfterParsing_data();
    void retryAfterParsing();

    void filter_data();
    void filter();

    void forwardDeliversExactBytesAndHeaders();
    void forwardOutcomes_data();
    void forwardOutcomes();
    void forwardTimeout();
    void forwardConnectionRefused();
    void forwardDropsOutcomeWhenContextDies();

    void simulateRates();
    void simulateFailingKeyAndPoison();
    void simulateIsAsynchronous();

    void settingsFromJson_data();
    void settingsFromJson();
};

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

// ---- HttpForwarder ----

void TestProcessing::forwardDeliversExactBytesAndHeaders()
{
    ScriptedHttpServer server;
    QVERIFY(server.listen());
    server.script(200, {}, "thanks");
    HttpForwarder forwarder;

    ForwardRequest req;
    req.target.url = QUrl(u"http://127.0.0.1:%1/hooks?x=1"_s.arg(server.port()));
    req.target.headers = {{"X-Env", "dev"}, {"Authorization", "Bearer t0k"}};
    // Bytes that a careless pipeline would change: CRLF, NUL, invalid UTF-8, trailing spaces.
    const QByteArray body("{\"id\":\"evt_1\",\r\n \"x\":\"\xff\xfe\"}\0tail  ", 35);
    req.record = record("cus_1", body);
    req.record.contentType = "application/json; charset=utf-8";
    req.record.attempt = 3;

    std::optional<ForwardOutcome> outcome;
    QObject context;
    forwarder.forward(req, &context, [&](const ForwardOutcome &o) { outcome = o; });
    QCOMPARE(forwarder.inFlight(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), 10'000);

    QCOMPARE(server.requests.size(), 1);
    const RecordedRequest &got = server.requests.first();
    QCOMPARE(got.method, QByteArray("POST"));
    QCOMPARE(got.target, QByteArray("/hooks?x=1"));
    QCOMPARE(got.body, body);
    QCOMPARE(got.body.size(), 35);
    QCOMPARE(got.header("Content-Type"), QByteArray("application/json; charset=utf-8"));
    QCOMPARE(got.headerCount("Content-Type"), 1);
    QCOMPARE(got.header("X-Env"), QByteArray("dev"));
    QCOMPARE(got.header("Authorization"), QByteArray("Bearer t0k"));
    QCOMPARE(got.header("hookbench-idempotency-key"), QByteArray("evt_1"));
    QCOMPARE(got.header("hookbench-source"), QByteArray("stripe"));
    QCOMPARE(got.header("hookbench-attempt"), QByteArray("3"));

    QVERIFY(outcome->ok);
    QCOMPARE(outcome->httpStatus, 200);
    QVERIFY(outcome->error.isEmpty());
    QCOMPARE(outcome->responseBody, QByteArray("thanks"));
    QVERIFY(outcome->durationMs >= 0);
    QTRY_COMPARE_WITH_TIMEOUT(forwarder.inFlight(), 0, 5000);
}

void TestProcessing::forwardOutcomes_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("retryAfter");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<ErrorClass>("cls");
    QTest::addColumn<qint64>("retryAfterMs"); // -1: none
    QTest::addColumn<QString>("errorContains");
    QTest::newRow("200") << 200 << QByteArray() << true << ErrorClass::Transient << qint64(-1) << QString();
    QTest::newRow("503 retry-after") << 503 << QByteArray("7") << false << ErrorClass::Transient << qint64(7000)
                                     << u"answered 503"_s;
    QTest::newRow("429 garbage retry-after")
        << 429 << QByteArray("later") << false << ErrorClass::Transient << qint64(-1) << u"answered 429"_s;
    QTest::newRow("400") << 400 << QByteArray() << false << ErrorClass::Permanent << qint64(-1) << u"answered 400"_s;
    QTest::newRow("404") << 404 << QByteArray() << false << ErrorClass::Permanent << qint64(-1) << u"answered 404"_s;
    QTest::newRow("407") << 407 << QByteArray() << false << ErrorClass::Permanent << qint64(-1) << u"answered 407"_s;
    QTest::newRow("408") << 408 << QByteArray() << false << ErrorClass::Transient << qint64(-1) << u"answered 408"_s;
    QTest::newRow("500") << 500 << QByteArray() << false << ErrorClass::Transient << qint64(-1) << u"answered 500"_s;
    QTest::newRow("302 not followed") << 302 << QByteArray() << false << ErrorClass::Permanent << qint64(-1)
                                      << u"redirect to \"/elsewhere\" not followed"_s;
}

void TestProcessing::forwardOutcomes()
{
    QFETCH(int, status);
    QFETCH(QByteArray, retryAfter);
    QFETCH(bool, ok);
    QFETCH(ErrorClass, cls);
    QFETCH(qint64, retryAfterMs);
    QFETCH(QString, errorContains);

    ScriptedHttpServer server;
    QVERIFY(server.listen());
    QList<QPair<QByteArray, QByteArray>> headers{{"Location", "/elsewhere"}};
    if (!retryAfter.isEmpty())
        headers.append({"Retry-After", retryAfter});
    server.script(status, headers, "{\"error\":\"nope\"}");
    HttpForwarder forwarder;
    ForwardRequest req;
    req.target.url = QUrl(u"http://127.0.0.1:%1/hooks"_s.arg(server.port()));
    req.record = record("cus_1", "{}");

    std::optional<ForwardOutcome> outcome;
    QObject context;
    forwarder.forward(req, &context, [&](const ForwardOutcome &o) { outcome = o; });
    QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), 10'000);
    QCOMPARE(outcome->ok, ok);
    QCOMPARE(outcome->httpStatus, status);
    if (!ok) {
        QCOMPARE(outcome->cls, cls);
        QVERIFY2(outcome->error.contains(errorContains), qPrintable(outcome->error));
        QCOMPARE(outcome->responseBody, QByteArray("{\"error\":\"nope\"}"));
    }
    QCOMPARE(outcome->retryAfterMs.has_value(), retryAfterMs >= 0);
    if (retryAfterMs >= 0)
        QCOMPARE(*outcome->retryAfterMs, retryAfterMs);
    QCOMPARE(server.requests.size(), 1); // the redirect was not followed
}

void TestProcessing::forwardTimeout()
{
    ScriptedHttpServer server;
    QVERIFY(server.listen());
    server.script(0); // read the request, never answer
    HttpForwarder forwarder;
    ForwardRequest req;
    req.target.url = QUrl(u"http://127.0.0.1:%1/slow"_s.arg(server.port()));
    req.target.timeoutMs = 300;
    req.record = record("cus_1", "{}");

    std::optional<ForwardOutcome> outcome;
    QObject context;
    forwarder.forward(req, &context, [&](const ForwardOutcome &o) { outcome = o; });
    QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), 10'000);
    QCOMPARE(server.requests.size(), 1);
    QVERIFY(!outcome->ok);
    QCOMPARE(outcome->httpStatus, 0);
    QCOMPARE(outcome->cls, ErrorClass::Transient);
    QVERIFY2(outcome->error.contains(u"timed out"_s), qPrintable(outcome->error));
    QVERIFY2(outcome->durationMs >= 250, qPrintable(QString::number(outcome->durationMs)));
}

void TestProcessing::forwardConnectionRefused()
{
    quint16 port = 0;
    {
        QTcpServer probe; // take a free port, then close it: nothing listens there
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        port = probe.serverPort();
    }
    HttpForwarder forwarder;
    ForwardRequest req;
    req.target.url = QUrl(u"http://127.0.0.1:%1/hooks"_s.arg(port));
    req.record = record("cus_1", "{}");
    std::optional<ForwardOutcome> outcome;
    QObject context;
    forwarder.forward(req, &context, [&](const ForwardOutcome &o) { outcome = o; });
    QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), 10'000);
    QVERIFY(!outcome->ok);
    QCOMPARE(outcome->httpStatus, 0);
    QCOMPARE(outcome->cls, ErrorClass::Transient);
    QVERIFY2(outcome->error.contains(u"could not deliver"_s), qPrintable(outcome->error));
}

void TestProcessing::forwardDropsOutcomeWhenContextDies()
{
    ScriptedHttpServer server;
    QVERIFY(server.listen());
    server.script(0);
    HttpForwarder forwarder;
    ForwardRequest req;
    req.target.url = QUrl(u"http://127.0.0.1:%1/hooks"_s.arg(server.port()));
    req.record = record("cus_1", "{}");
    int calls = 0;
    auto context = std::make_unique<QObject>();
    forwarder.forward(req, context.get(), [&](const ForwardOutcome &) { ++calls; });
    QSignalSpy received(&server, &ScriptedHttpServer::requestReceived);
    QVERIFY(received.wait(10'000));
    context.reset(); // aborts the request
    QTRY_COMPARE_WITH_TIMEOUT(forwarder.inFlight(), 0, 5000);
    QCOMPARE(calls, 0);
}

// ---- SimulateHandler ----

void TestProcessing::simulateRates()
{
    SimulateSettings never;
    never.failureRate = 0.0;
    const SimulateHandler ok(never, RetryPolicy::seededRandom(1));
    SimulateSettings always;
    always.failureRate = 1.0;
    always.failure = ErrorClass::Permanent;
    const SimulateHandler failing(always, RetryPolicy::seededRandom(1));
    SimulateSettings half;
    half.failureRate = 0.5;
    const SimulateHandler coin(half, RetryPolicy::seededRandom(7));
    int coinFailures = 0;
    for (int i = 0; i < 200; ++i) {
        const ProcessingRecord r = record("cus_" + QByteArray::number(i), "{}");
        const ForwardOutcome a = ok.evaluate(r);
        QVERIFY(a.ok);
        QCOMPARE(a.httpStatus, 0);
        const ForwardOutcome b = failing.evaluate(r);
        QVERIFY(!b.ok);
        QCOMPARE(b.cls, ErrorClass::Permanent);
        QCOMPARE(b.error, u"simulated permanent failure"_s);
        const ForwardOutcome c = coin.evaluate(r);
        if (!c.ok) {
            ++coinFailures;
            QCOMPARE(c.error, u"simulated transient failure"_s);
            QCOMPARE(c.cls, ErrorClass::Transient);
        }
    }
    QVERIFY2(coinFailures > 60 && coinFailures < 140, qPrintable(QString::number(coinFailures)));
    // Same seed, same decisions.
    const SimulateHandler again(half, RetryPolicy::seededRandom(7));
    int againFailures = 0;
    for (int i = 0; i < 200; ++i)
        againFailures += again.evaluate(record("k", "{}")).ok ? 0 : 1;
    QCOMPARE(againFailures, coinFailures);
}

void TestProcessing::simulateFailingKeyAndPoison()
{
    const auto settings = SimulateSettings::fromJson(json(R"({"failing_keys": ["cus_1"], "failure": "permanent",
                 "poison": {"pointer": "/data/object/id", "value": "x"}})"),
                                                     u"sources[0].simulate"_s);
    QVERIFY2(settings.ok(), settings.ok() ? "" : qPrintable(settings.error().message));
    const SimulateHandler handler(*settings, RetryPolicy::seededRandom(1));

    const ForwardOutcome key = handler.evaluate(record("cus_1", "{}"));
    QVERIFY(!key.ok);
    QCOMPARE(key.cls, ErrorClass::Permanent);
    QCOMPARE(key.error, u"entity key cus_1 is configured to fail"_s);

    QVERIFY(handler.evaluate(record("cus_2", R"({"data":{"object":{"id":"y"}}})")).ok);
    QVERIFY(handler.evaluate(record("cus_2", "not json")).ok);
    QVERIFY(handler.evaluate(record("cus_2", R"({"data":{"object":{"id":{"x":1}}}})")).ok);

    const ForwardOutcome poison = handler.evaluate(record("cus_2", R"({"data":{"object":{"id":"x"}}})"));
    QVERIFY(!poison.ok);
    QCOMPARE(poison.cls, ErrorClass::Permanent);
    QCOMPARE(poison.error, u"poison payload: /data/object/id == x"_s);

    // Poison wins over a failing key, and is permanent even when failures are transient.
    SimulateSettings transient = *settings;
    transient.failure = ErrorClass::Transient;
    const SimulateHandler t(transient, RetryPolicy::seededRandom(1));
    const ForwardOutcome both = t.evaluate(record("cus_1", R"({"data":{"object":{"id":"x"}}})"));
    QCOMPARE(both.cls, ErrorClass::Permanent);
    QVERIFY(both.error.startsWith(u"poison payload"_s));
    QCOMPARE(t.evaluate(record("cus_1", "{}")).cls, ErrorClass::Transient);

    // Numbers compare as key text.
    SimulateSettings numeric;
    numeric.poison = SimulateSettings::Poison{u"/n"_s, QJsonValue(42)};
    QVERIFY(!SimulateHandler(numeric).evaluate(record("k", R"({"n":42})")).ok);
    QVERIFY(SimulateHandler(numeric).evaluate(record("k", R"({"n":43})")).ok);
}

void TestProcessing::simulateIsAsynchronous()
{
    SimulateSettings s;
    s.latencyMs = 100;
    const SimulateHandler handler(s, RetryPolicy::seededRandom(1));
    std::optional<ForwardOutcome> outcome;
    QObject context;
    QElapsedTimer elapsed;
    elapsed.start();
    handler.handle(record("k", "{}"), &context, [&](const ForwardOutcome &o) { outcome = o; });
    QVERIFY(!outcome.has_value());
    QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), 5000);
    QVERIFY(elapsed.elapsed() >= 90);
    QVERIFY(outcome->ok);
    QCOMPARE(outcome->durationMs, 100);

    // Latency 0 is still asynchronous; a destroyed context drops the outcome.
    SimulateSettings zero;
    const SimulateHandler fast(zero);
    int calls = 0;
    auto gone = std::make_unique<QObject>();
    fast.handle(record("k", "{}"), gone.get(), [&](const ForwardOutcome &) { ++calls; });
    fast.handle(record("k", "{}"), &context, [&](const ForwardOutcome &) { ++calls; });
    QCOMPARE(calls, 0);
    gone.reset();
    QTRY_COMPARE_WITH_TIMEOUT(calls, 1, 5000);
    QTest::qWait(0); // let any wrongly delivered outcome arrive before the final check
    QCOMPARE(calls, 1);
}

// ---- settings ----

void TestProcessing::settingsFromJson_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("error"); // empty: valid
    const auto row = [](const char *name, const char *kind, const char *input, const QString &error) {
        QTest::newRow(name) << QString::fromLatin1(kind) << QByteArray(input) << error;
    };
    row("simulate defaults", "simulate", "{}", {});
    row("simulate full", "simulate",
        R"({"latency_ms": 50, "failure_rate": 0.25, "failure": "permanent", "failing_keys": ["a"],
            "poison": {"pointer": "/data/object/id", "value": "x"}})",
        {});
    row("failure_rate too high", "simulate", R"({"failure_rate": 1.5})",
        u"sources[2].simulate.failure_rate: must be between 0 and 1, got 1.5"_s);
    row("failure_rate string", "simulate", R"({"failure_rate": "high"})",
        u"sources[2].simulate.failure_rate: must be a number, got \"high\""_s);
    row("latency negative", "simulate", R"({"latency_ms": -1})",
        u"sources[2].simulate.latency_ms: must be between 0 and 600000, got -1"_s);
    row("latency fraction", "simulate", R"({"latency_ms": 1.5})",
        u"sources[2].simulate.latency_ms: must be an integer, got 1.5"_s);
    row("failure kind", "simulate", R"({"failure": "sometimes"})",
        u"sources[2].simulate.failure: must be one of \"transient\", \"permanent\", got \"sometimes\""_s);
    row("failing key number", "simulate", R"({"failing_keys": ["a", 3]})",
        u"sources[2].simulate.failing_keys[1]: must be a non-empty string, got 3"_s);
    row("poison pointer", "simulate", R"({"poison": {"pointer": "data/id", "value": "x"}})",
        u"sources[2].simulate.poison.pointer: \"data/id\" is not a JSON Pointer"_s);
    row("poison value missing", "simulate", R"({"poison": {"pointer": "/id"}})",
        u"sources[2].simulate.poison.value: is required"_s);
    row("simulate unknown", "simulate", R"({"latency": 5})",
        u"sources[2].simulate.latency: unknown field (allowed: failing_keys, failure, failure_rate, latency_ms, poison)"_s);

    row("target ok", "target", R"({"url": "http://127.0.0.1:3000/hooks", "headers": {"X-Env": "dev"}})", {});
    row("target url missing", "target", R"({})", u"sources[2].target.url: is required"_s);
    row("target scheme", "target", R"({"url": "ftp://host/x"})",
        u"sources[2].target.url: \"ftp://host/x\" must start with http:// or https://"_s);
    row("target header name", "target", R"({"url": "http://h/", "headers": {"Bad Name": "x"}})",
        u"sources[2].target.headers.Bad Name: \"Bad Name\" is not a valid header name"_s);
    row("target header reserved", "target", R"({"url": "http://h/", "headers": {"hookbench-attempt": "9"}})",
        u"sources[2].target.headers.hookbench-attempt: is set by the forwarder"_s);
    row("target header newline", "target", R"({"url": "http://h/", "headers": {"X-A": "a\r\nX-B: b"}})",
        u"sources[2].target.headers.X-A: must not contain CR, LF or NUL"_s);
    row("target timeout", "target", R"({"url": "http://h/", "timeout_ms": 0})",
        u"sources[2].target.timeout_ms: must be between 1 and 600000, got 0"_s);

    row("retry defaults", "retry", "{}", {});
    row("retry full", "retry",
        R"({"strategy": "topics", "base_ms": 500, "cap_ms": 60000, "max_attempts": 5, "time_scale": 1440})", {});
    row("retry strategy", "retry", R"({"strategy": "later"})",
        u"sources[2].retry.strategy: must be one of \"blocking\", \"topics\", got \"later\""_s);
    row("retry base above cap", "retry", R"({"base_ms": 5000, "cap_ms": 1000})",
        u"sources[2].retry.base_ms: must not exceed cap_ms (1000), got 5000"_s);
    row("retry cap huge", "retry", R"({"cap_ms": 1e300})",
        u"sources[2].retry.cap_ms: must be between 1 and 604800000"_s);
    row("retry time_scale zero", "retry", R"({"time_scale": 0})",
        u"sources[2].retry.time_scale: must be between 0.001 and 1e+06, got 0"_s);
    row("retry attempts", "retry", R"({"max_attempts": 0})",
        u"sources[2].retry.max_attempts: must be between 1 and 100, got 0"_s);

    row("filter ok", "filter", R"({"f": ["invoice.*", "*"]})", {});
    row("filter not array", "filter", R"({"f": "invoice.*"})",
        u"sources[2].events: must be an array of event type patterns"_s);
    row("filter empty pattern", "filter", R"({"f": ["a", ""]})", u"sources[2].events[1]: must be a non-empty string"_s);
}

void TestProcessing::settingsFromJson()
{
    QFETCH(QString, kind);
    QFETCH(QByteArray, input);
    QFETCH(QString, error);
    QJsonParseError parseError{};
    const QJsonObject object = QJsonDocument::fromJson(input, &parseError).object();
    QCOMPARE(parseError.error, QJsonParseError::NoError);

    std::optional<Error> got;
    if (kind == u"simulate"_s) {
        const auto r = SimulateSettings::fromJson(object, u"sources[2].simulate"_s);
        if (!r.ok())
            got = r.error();
        else // round trip: what toJson shows parses back to the same thing
            QCOMPARE(SimulateSettings::fromJson(r->toJson(), {})->toJson(), r->toJson());
    } else if (kind == u"target"_s) {
        const auto r = TargetSettings::fromJson(object, u"sources[2].target"_s);
        if (!r.ok())
            got = r.error();
        else
            QCOMPARE(TargetSettings::fromJson(r->toJson(), {})->toJson(), r->toJson());
    } else if (kind == u"retry"_s) {
        const auto r = RetrySettings::fromJson(object, u"sources[2].retry"_s);
        if (!r.ok())
            got = r.error();
        else
            QCOMPARE(RetrySettings::fromJson(r->toJson(), {})->toJson(), r->toJson());
    } else {
        const auto r = EventFilter::fromJson(object.value(u"f"_s), u"sources[2].events"_s);
        if (!r.ok())
            got = r.error();
    }
    if (error.isEmpty()) {
        QVERIFY2(!got, got ? qPrintable(got->message) : "");
    } else {
        QVERIFY(got.has_value());
        QCOMPARE(got->code, u"config_invalid"_s);
        QVERIFY2(got->message.startsWith(error), qPrintable(got->message));
    }
}

QTEST_GUILESS_MAIN(TestProcessing)
#include "test_processing.moc"
