#include "tests/processing/test_processing.h"

#include <optional>

#include <QTest>

#include "core/processing/event_filter.h"
#include "core/processing/simulate_settings.h"
#include "core/processing/target_settings.h"

using namespace Qt::StringLiterals;

namespace hookbench::tests {

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

} // namespace hookbench::tests
