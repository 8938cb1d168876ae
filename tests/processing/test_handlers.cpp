#include "tests/processing/test_processing.h"

#include <memory>
#include <optional>

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include "core/processing/http_forwarder.h"
#include "core/processing/simulate_handler.h"
#include "core/processing/simulate_settings.h"
#include "tests/processing/scripted_http_server.h"

using namespace Qt::StringLiterals;

namespace hookbench::tests {

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
    static const char raw[] = "{\"id\":\"evt_1\",\r\n \"x\":\"\xff\xfe\"}\0tail  ";
    const QByteArray body(raw, sizeof raw - 1); // sizeof: the embedded NUL is part of the body
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
    QCOMPARE(got.body.size(), body.size());
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

} // namespace hookbench::tests
