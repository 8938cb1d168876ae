// ConfigLoader: every field of a full config, the defaults, and the error for each kind of invalid
// input, which must name the file and the exact field path.

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include "core/config/config_loader.h"
#include "core/config/config_writer.h"
#include "core/config/secret_names.h"
#include "tests/config/test_config.h"

using namespace Qt::StringLiterals;

namespace hookbench::tests {

using config::Config;
using config::ConfigLoader;
using config::SecretNames;
using processing::RetrySettings;
using processing::SimulateSettings;

namespace {

const QString origin = u"<test>"_s;

// The full example of the README, plus consumer-side settings.
const QByteArray fullConfig = R"({
  "listen": "0.0.0.0:9090",
  "sources": [
    {"name": "stripe", "provider": "stripe", "secrets": ["whsec_new", "whsec_old"], "tolerance_seconds": 120,
     "entity_key": "/data/object/customer", "topic": "payments.stripe",
     "retry": {"strategy": "topics", "base_ms": 500, "cap_ms": 60000, "max_attempts": 5, "time_scale": 1440},
     "simulate": {"latency_ms": 25, "failure_rate": 0.25, "failure": "permanent", "failing_keys": ["cus_1", "cus_2"],
                  "poison": {"pointer": "/data/object/id", "value": "evt_bad"}}},
    {"name": "gh", "provider": "github", "secret": "single", "secrets": ["older"]},
    {"name": "sms", "provider": "twilio", "secrets": ["auth-token"],
     "public_url": "https://example.ngrok.app/webhooks/sms"},
    {"name": "acme", "provider": "generic-hmac", "secrets": ["k"],
     "signature": {"header": "X-Acme-Signature", "algorithm": "sha1", "encoding": "base64", "prefix": "sha1="},
     "event_type": "/event", "simulate": {}},
    {"name": "test", "provider": "none"}
  ],
  "kafka": {"mode": "external", "bootstrap": "k1:9092,k2:9092", "brokers": 5, "partitions": 12,
            "produce_wait_ms": 750,
            "properties": {"security.protocol": "SASL_SSL", "linger.ms": 5, "enable.idempotence": true}},
  "limits": {"max_body_bytes": 2048, "max_header_bytes": 4096, "header_timeout_ms": 1500,
             "idle_timeout_ms": 30000, "max_connections": 64},
  "dedup": {"ttl_seconds": 3600},
  "store": {"retention_days": 30},
  "consumers": {"group": "my-processors", "count": 4},
  "retry": {"strategy": "blocking", "base_ms": 2000, "cap_ms": 3600000, "max_attempts": 3, "time_scale": 0.5}
})";

Config parseOk(const QByteArray &json)
{
    auto result = ConfigLoader::parse(json, origin);
    if (!result.ok())
        qWarning("%s", qPrintable(result.error().message));
    return result.ok() ? std::move(result).value() : Config{};
}

} // namespace

void TestConfig::fullConfig_everyField()
{
    auto result = ConfigLoader::parse(fullConfig, origin);
    QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().message));
    const Config &c = *result;

    QCOMPARE(c.listenAddress, QHostAddress(u"0.0.0.0"_s));
    QCOMPARE(c.listenPort, quint16(9090));
    QCOMPARE(c.sources.size(), 5);

    const config::SourceConfig &stripe = c.sources.at(0);
    QCOMPARE(stripe.name, u"stripe"_s);
    QCOMPARE(stripe.provider, u"stripe"_s);
    QCOMPARE(stripe.secrets, (QList<QByteArray>{"whsec_new", "whsec_old"}));
    QCOMPARE(stripe.toleranceSeconds, 120);
    QCOMPARE(stripe.entityKeyPointer, u"/data/object/customer"_s);
    QCOMPARE(stripe.topic, u"payments.stripe"_s);
    QCOMPARE(stripe.effectiveTopic(), u"payments.stripe"_s);
    QVERIFY(stripe.retry.has_value());
    QCOMPARE(stripe.retry->strategy, RetrySettings::Strategy::Topics);
    QCOMPARE(stripe.retry->baseMs, 500);
    QCOMPARE(stripe.retry->capMs, 60000);
    QCOMPARE(stripe.retry->maxAttempts, 5);
    QCOMPARE(stripe.retry->timeScale, 1440.0);
    QVERIFY(stripe.simulate.has_value());
    QCOMPARE(stripe.simulate->latencyMs, 25);
    QCOMPARE(stripe.simulate->failureRate, 0.25);
    QCOMPARE(stripe.simulate->failure, processing::ErrorClass::Permanent);
    QCOMPARE(stripe.simulate->failingKeys, (QStringList{u"cus_1"_s, u"cus_2"_s}));
    QVERIFY(stripe.simulate->poison.has_value());
    QCOMPARE(stripe.simulate->poison->pointer, u"/data/object/id"_s);
    QCOMPARE(stripe.simulate->poison->value, QJsonValue(u"evt_bad"_s));
    // The stored structs say the same as the file: nothing dropped on the way.
    const QJsonObject stripeJson = QJsonDocument::fromJson(fullConfig).object().value(u"sources"_s)[0].toObject();
    QCOMPARE(stripe.retry->toJson(), stripeJson.value(u"retry"_s).toObject());
    QCOMPARE(stripe.simulate->toJson(), stripeJson.value(u"simulate"_s).toObject());

    const config::SourceConfig &gh = c.sources.at(1);
    QCOMPARE(gh.provider, u"github"_s);
    QCOMPARE(gh.secrets, (QList<QByteArray>{"single", "older"})); // "secret" goes first
    QCOMPARE(gh.toleranceSeconds, 300);
    QVERIFY(gh.entityKeyPointer.isEmpty());
    QCOMPARE(gh.effectiveTopic(), u"webhooks.gh"_s);
    QVERIFY(!gh.retry.has_value());
    QVERIFY(!gh.simulate.has_value());

    const config::SourceConfig &sms = c.sources.at(2);
    QCOMPARE(sms.provider, u"twilio"_s);
    QCOMPARE(sms.publicUrl, QByteArray("https://example.ngrok.app/webhooks/sms"));

    const config::SourceConfig &acme = c.sources.at(3);
    QCOMPARE(acme.provider, u"generic-hmac"_s);
    QCOMPARE(acme.genericHmac.header, QByteArray("X-Acme-Signature"));
    QCOMPARE(acme.genericHmac.algorithm, u"sha1"_s);
    QCOMPARE(acme.genericHmac.encoding, u"base64"_s);
    QCOMPARE(acme.genericHmac.prefix, QByteArray("sha1="));
    QCOMPARE(acme.eventTypePointer, u"/event"_s);
    QVERIFY(acme.simulate.has_value()); // an empty object switches simulation on with defaults
    QCOMPARE(acme.simulate->failureRate, 0.0);
    QCOMPARE(acme.simulate->failure, processing::ErrorClass::Transient);
    QVERIFY(!acme.simulate->poison.has_value());

    const config::SourceConfig &test = c.sources.at(4);
    QCOMPARE(test.provider, u"none"_s);
    QVERIFY(test.secrets.isEmpty());
    QCOMPARE(c.source(u"acme"_s), &c.sources.at(3));
    QCOMPARE(c.source(u"missing"_s), nullptr);

    QCOMPARE(c.kafka.mode, u"external"_s);
    QCOMPARE(c.kafka.bootstrap, u"k1:9092,k2:9092"_s);
    QCOMPARE(c.kafka.brokers, 5);
    QCOMPARE(c.kafka.partitions, 12);
    QCOMPARE(c.kafka.produceWaitMs, 750);

    QCOMPARE(c.limits.maxBodyBytes, 2048);
    QCOMPARE(c.limits.maxHeaderBytes, 4096);
    QCOMPARE(c.limits.headerTimeoutMs, 1500);
    QCOMPARE(c.limits.idleTimeoutMs, 30000);
    QCOMPARE(c.limits.maxConnections, 64);
    QCOMPARE(c.dedup.ttlSeconds, 3600);
    QCOMPARE(c.store.retentionDays, 30);

    QCOMPARE(c.consumers.group, u"my-processors"_s);
    QCOMPARE(c.consumers.count, 4);
    QCOMPARE(c.retry.strategy, RetrySettings::Strategy::Blocking);
    QCOMPARE(c.retry.baseMs, 2000);
    QCOMPARE(c.retry.capMs, 3600000);
    QCOMPARE(c.retry.maxAttempts, 3);
    QCOMPARE(c.retry.timeScale, 0.5);
}

void TestConfig::defaults()
{
    auto result = ConfigLoader::parse("{}", origin);
    QVERIFY(result.ok());
    const Config &c = *result;
    QVERIFY(c.sources.isEmpty());
    QCOMPARE(c.listenAddress, QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(c.listenPort, quint16(8088));
    QCOMPARE(c.kafka.mode, u"embedded"_s);
    QCOMPARE(c.kafka.brokers, 3);
    QCOMPARE(c.kafka.partitions, 6);
    QVERIFY(c.kafka.properties.isEmpty());
    QCOMPARE(c.limits.maxBodyBytes, 10 * 1024 * 1024);
    QCOMPARE(c.dedup.ttlSeconds, 72 * 3600);
    QCOMPARE(c.store.retentionDays, 0); // keep everything
    QCOMPARE(c.consumers.group, u"hookbench-processors"_s);
    QCOMPARE(c.consumers.count, 2);
    QCOMPARE(c.retry.toJson(), RetrySettings().toJson());

    // A source with only the required fields gets the documented defaults.
    const Config one = parseOk(R"({"sources": [{"name": "gen", "provider": "generic-hmac", "secrets": ["k"]}]})");
    QCOMPARE(one.sources.size(), 1);
    const auto &g = one.sources.at(0).genericHmac;
    QCOMPARE(g.header, QByteArray("X-Signature"));
    QCOMPARE(g.algorithm, u"sha256"_s);
    QCOMPARE(g.encoding, u"hex"_s);
    QVERIFY(g.prefix.isEmpty());

    // consumers.count 0 is allowed: ingest only.
    QCOMPARE(parseOk(R"({"consumers": {"count": 0}})").consumers.count, 0);
}

void TestConfig::effectiveRetry()
{
    const Config c = parseOk(R"({"retry": {"max_attempts": 4},
        "sources": [{"name": "own", "provider": "none", "retry": {"strategy": "topics", "max_attempts": 9}},
                    {"name": "global", "provider": "none"}]})");
    QCOMPARE(c.sources.size(), 2);
    QCOMPARE(c.effectiveRetry(c.sources.at(0)).maxAttempts, 9);
    QCOMPARE(c.effectiveRetry(c.sources.at(0)).strategy, RetrySettings::Strategy::Topics);
    // The override is a whole object: its unset fields take the defaults, not the global values.
    QCOMPARE(c.effectiveRetry(c.sources.at(1)).maxAttempts, 4);
    QCOMPARE(c.effectiveRetry(c.sources.at(1)).strategy, RetrySettings::Strategy::Blocking);
    QCOMPARE(&c.effectiveRetry(c.sources.at(1)), &c.retry);
}

void TestConfig::listen_data()
{
    QTest::addColumn<QString>("listen");
    QTest::addColumn<QString>("address");
    QTest::addColumn<int>("port");
    QTest::newRow("ipv4") << u"127.0.0.1:8088"_s << u"127.0.0.1"_s << 8088;
    QTest::newRow("any") << u"0.0.0.0:1"_s << u"0.0.0.0"_s << 1;
    QTest::newRow("ipv6 bracketed") << u"[::1]:9000"_s << u"::1"_s << 9000;
    QTest::newRow("port 0 (any free port)") << u"127.0.0.1:0"_s << u"127.0.0.1"_s << 0;
    QTest::newRow("max port") << u"10.0.0.1:65535"_s << u"10.0.0.1"_s << 65535;
}

void TestConfig::listen()
{
    QFETCH(QString, listen);
    QFETCH(QString, address);
    QFETCH(int, port);
    const QByteArray json = QJsonDocument(QJsonObject{{u"listen"_s, listen}}).toJson();
    auto result = ConfigLoader::parse(json, origin);
    QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().message));
    QCOMPARE(result->listenAddress, QHostAddress(address));
    QCOMPARE(int(result->listenPort), port);
}

void TestConfig::kafkaPropertiesPassThrough()
{
    const Config c = parseOk(fullConfig);
    const QMap<QString, QString> expected{
        {u"security.protocol"_s, u"SASL_SSL"_s},
        {u"linger.ms"_s, u"5"_s},
        {u"enable.idempotence"_s, u"true"_s},
    };
    QCOMPARE(c.kafka.properties, expected);
}

void TestConfig::invalid_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("field"); // the exact field path in the message
    QTest::addColumn<QString>("why");   // a part of the reason
    const auto row = [](const char *name, const char *json, const char *field, const char *why) {
        QTest::newRow(name) << QByteArray(json) << QString::fromUtf8(field) << QString::fromUtf8(why);
    };
    // A valid source to extend: {"name": "s", "provider": "none", ...}
#define SRC(extra) R"({"sources": [{"name": "s", "provider": "none")" extra R"(}]})"

    row("unknown top-level field", R"({"sourcs": []})", "sourcs", "unknown field (allowed: consumers, dedup,");
    row("unknown source field", SRC(R"(, "tolerance_secnds": 5)"), "sources[0].tolerance_secnds", "unknown field");
    row("unknown kafka field", R"({"kafka": {"broker": 3}})", "kafka.broker", "unknown field");
    row("unknown limits field", R"({"limits": {"max_body": 3}})", "limits.max_body", "unknown field");
    row("unknown dedup field", R"({"dedup": {"ttl": 3}})", "dedup.ttl", "unknown field (allowed: ttl_seconds)");
    row("unknown store field", R"({"store": {"retention": 3}})", "store.retention",
        "unknown field (allowed: retention_days, synchronous)");
    row("negative retention", R"({"store": {"retention_days": -1}})", "store.retention_days",
        "must be between 0 and 3650, got -1");
    row("retention not an integer", R"({"store": {"retention_days": 1.5}})", "store.retention_days",
        "must be an integer");
    row("unknown signature field", SRC(R"(, "signature": {"hdr": "X"})"), "sources[0].signature.hdr", "unknown field");

    row("sources not an array", R"({"sources": {}})", "sources", "must be an array");
    row("source not an object", R"({"sources": [3]})", "sources[0]", "must be an object");
    row("name not a string", R"({"sources": [{"name": 3, "provider": "none"}]})", "sources[0].name",
        "must be a string");
    row("integer as string", R"({"kafka": {"brokers": "3"}})", "kafka.brokers", "must be an integer");
    row("integer with fraction", R"({"limits": {"max_connections": 1.5}})", "limits.max_connections",
        "must be an integer");
    row("integer out of range", R"({"kafka": {"brokers": 10}})", "kafka.brokers", "must be between 1 and 9, got 10");
    // Found by fuzz/fuzz_config_loader: a number beyond qint64 was converted before the range check.
    row("integer beyond 64 bits", R"({"limits": {"max_body_bytes": 1e123}})", "limits.max_body_bytes",
        "must be between 1024 and");
    row("negative integer beyond 64 bits", R"({"dedup": {"ttl_seconds": -1e300}})", "dedup.ttl_seconds",
        "must be between");
    row("limits not an object", R"({"limits": 5})", "limits", "must be an object");
    row("secrets not an array", R"({"sources": [{"name": "s", "provider": "github", "secrets": "x"}]})",
        "sources[0].secrets", "must be an array of strings");
    row("empty secret", R"({"sources": [{"name": "s", "provider": "github", "secrets": ["a", ""]}]})",
        "sources[0].secrets[1]", "must be a non-empty string");

    row("name missing", R"({"sources": [{"provider": "none"}]})", "sources[0].name", "is required");
    row("name with slash", R"({"sources": [{"name": "a/b", "provider": "none"}]})", "sources[0].name",
        "\"a/b\" is not usable in a URL path");
    row("duplicate source name",
        R"({"sources": [{"name": "s", "provider": "none"}, {"name": "s", "provider": "none"}]})", "sources[1].name",
        "duplicate source name \"s\"");
    row("provider missing", R"({"sources": [{"name": "s"}]})", "sources[0].provider", "is required (one of:");
    row("unknown provider", R"({"sources": [{"name": "s", "provider": "paypal", "secrets": ["x"]}]})",
        "sources[0].provider", "unknown provider \"paypal\"");
    row("missing secret", R"({"sources": [{"name": "s", "provider": "stripe"}]})", "sources[0].secrets",
        "provider \"stripe\" needs at least one secret");
    row("bad entity_key pointer", SRC(R"(, "entity_key": "data.id")"), "sources[0].entity_key",
        "\"data.id\" is not a JSON Pointer");
    row("bad pointer escape", SRC(R"(, "entity_key": "/data/a~2b")"), "sources[0].entity_key",
        "\"/data/a~2b\" is not a JSON Pointer");
    row("bad event_type pointer", SRC(R"(, "event_type": "type")"), "sources[0].event_type",
        "\"type\" is not a JSON Pointer");
    row("bad topic", SRC(R"(, "topic": "my topic")"), "sources[0].topic", "\"my topic\" is not a valid Kafka topic");
    row("topic dot-dot", SRC(R"(, "topic": "..")"), "sources[0].topic", "is not a valid Kafka topic");
    row("bad public_url", SRC(R"(, "public_url": "example.com/x")"), "sources[0].public_url",
        "must start with http:// or https://");
    row("bad signature algorithm", SRC(R"(, "signature": {"algorithm": "md5"})"), "sources[0].signature.algorithm",
        "must be \"sha256\" or \"sha1\"");
    row("bad signature encoding", SRC(R"(, "signature": {"encoding": "hexa"})"), "sources[0].signature.encoding",
        "must be \"hex\" or \"base64\"");
    row("tolerance zero", SRC(R"(, "tolerance_seconds": 0)"), "sources[0].tolerance_seconds", "must be between 1");

    row("listen without port", R"({"listen": "127.0.0.1"})", "listen", "\"127.0.0.1\" is not ADDRESS:PORT");
    row("listen port too big", R"({"listen": "127.0.0.1:70000"})", "listen", "is not ADDRESS:PORT");
    row("listen host name", R"({"listen": "localhost:8088"})", "listen", "is not ADDRESS:PORT");
    row("listen not a string", R"({"listen": 8088})", "listen", "must be a string");

    row("external without bootstrap", R"({"kafka": {"mode": "external"}})", "kafka.bootstrap",
        "is required in external mode");
    row("unknown kafka mode", R"({"kafka": {"mode": "cloud"}})", "kafka.mode",
        "must be \"embedded\" or \"external\", got \"cloud\"");
    row("bootstrap with bad port", R"({"kafka": {"mode": "external", "bootstrap": "k1:9092,k2:99999"}})",
        "kafka.bootstrap", "\"k2:99999\" is not host:port");
    row("bootstrap with space", R"({"kafka": {"mode": "external", "bootstrap": "my host:9092"}})", "kafka.bootstrap",
        "is not host:port");
    row("bootstrap empty entry", R"({"kafka": {"mode": "external", "bootstrap": "k1:9092,"}})", "kafka.bootstrap",
        "\"\" is not host:port");
    row("security protocol", R"({"kafka": {"properties": {"security.protocol": "tls"}}})",
        "kafka.properties.security.protocol", "must be one of plaintext, ssl, sasl_plaintext, sasl_ssl, got \"tls\"");
    row("sasl mechanism", R"({"kafka": {"properties": {"sasl.mechanism": "DIGEST"}}})",
        "kafka.properties.sasl.mechanism", "must be one of GSSAPI, PLAIN");
    row("sasl plain without user",
        R"({"kafka": {"properties": {"security.protocol": "SASL_SSL", "sasl.mechanism": "PLAIN"}}})",
        "kafka.properties.sasl.username", "is required for SASL mechanism PLAIN");
    row("ca file missing", R"({"kafka": {"properties": {"ssl.ca.location": "/nonexistent/ca.pem"}}})",
        "kafka.properties.ssl.ca.location", "\"/nonexistent/ca.pem\" is not a readable file");
    row("body limit too small", R"({"limits": {"max_body_bytes": 100}})", "limits.max_body_bytes",
        "must be between 1024 and 1073741824, got 100");
    row("kafka property object", R"({"kafka": {"properties": {"sasl": {"a": 1}}}})", "kafka.properties.sasl",
        "must be a string, number or boolean");

    row("consumers not an object", R"({"consumers": 2})", "consumers", "must be an object");
    row("consumers unknown field", R"({"consumers": {"size": 2}})", "consumers.size",
        "unknown field (allowed: count, group)");
    row("consumers count too high", R"({"consumers": {"count": 33}})", "consumers.count",
        "must be between 0 and 32, got 33");
    row("consumers count negative", R"({"consumers": {"count": -1}})", "consumers.count", "must be between 0 and 32");
    row("consumers group empty", R"({"consumers": {"group": ""}})", "consumers.group", "must not be empty");
    row("consumers group number", R"({"consumers": {"group": 7}})", "consumers.group", "must be a string");

    row("retry not an object", R"({"retry": "blocking"})", "retry", "must be an object");
    row("retry unknown field", R"({"retry": {"base": 1}})", "retry.base", "unknown field (allowed: base_ms,");
    row("retry strategy", R"({"retry": {"strategy": "later"}})", "retry.strategy",
        "must be one of \"blocking\", \"topics\", got \"later\"");
    row("retry base above cap", R"({"retry": {"base_ms": 5000, "cap_ms": 1000}})", "retry.base_ms",
        "must not exceed cap_ms (1000), got 5000");
    row("retry time_scale zero", R"({"retry": {"time_scale": 0}})", "retry.time_scale", "must be between");
    row("source retry max_attempts", SRC(R"(, "retry": {"max_attempts": 0})"), "sources[0].retry.max_attempts",
        "must be between 1 and 100, got 0");
    row("source retry not an object", SRC(R"(, "retry": [])"), "sources[0].retry", "must be an object");
    row("source simulate failure_rate", SRC(R"(, "simulate": {"failure_rate": 1.5})"),
        "sources[0].simulate.failure_rate", "must be between 0 and 1, got 1.5");
    row("source simulate failure", SRC(R"(, "simulate": {"failure": "sometimes"})"), "sources[0].simulate.failure",
        "got \"sometimes\"");
    row("source simulate unknown field", SRC(R"(, "simulate": {"latency": 5})"), "sources[0].simulate.latency",
        "unknown field (allowed: failing_keys,");
    row("source simulate failing key", SRC(R"(, "simulate": {"failing_keys": ["a", 3]})"),
        "sources[0].simulate.failing_keys[1]", "must be a non-empty string");
    row("source simulate poison pointer", SRC(R"(, "simulate": {"poison": {"pointer": "data/id", "value": "x"}})"),
        "sources[0].simulate.poison.pointer", "\"data/id\" is not a JSON Pointer");
    row("source simulate poison value", SRC(R"(, "simulate": {"poison": {"pointer": "/id"}})"),
        "sources[0].simulate.poison.value", "is required");
    row("source simulate not an object", SRC(R"(, "simulate": true)"), "sources[0].simulate", "must be an object");
    row("second source's simulate",
        R"({"sources": [{"name": "a", "provider": "none"},
                        {"name": "b", "provider": "none", "simulate": {"latency_ms": -1}}]})",
        "sources[1].simulate.latency_ms", "must be between 0 and 600000, got -1");
#undef SRC
}

void TestConfig::invalid()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, field);
    QFETCH(QString, why);
    const auto result = ConfigLoader::parse(json, origin);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, u"config_invalid"_s);
    const QString message = result.error().message;
    const QString prefix = origin % u": field \""_s % field % u"\": "_s;
    QVERIFY2(message.startsWith(prefix), qPrintable(u"message: "_s % message % u"\nexpected prefix: "_s % prefix));
    QVERIFY2(message.mid(prefix.size()).contains(why), qPrintable(message));
}

void TestConfig::validate_everyProblem()
{
    // Three problems in different places: each is reported with its own field, in file order.
    const QByteArray json =
        R"({"sources": [{"name": "", "provider": "paypal", "secrets": ["x"], "tolerance_seconds": -5}],
                                "kafka": {"partitions": 0}})";
    const QList<config::FieldError> errors = ConfigLoader::validate(json);
    QStringList fields;
    for (const auto &e : errors)
        fields.append(e.field);
    QCOMPARE(fields, (QStringList{u"sources[0].name"_s, u"sources[0].provider"_s, u"sources[0].tolerance_seconds"_s,
                                  u"kafka.partitions"_s}));
    QCOMPARE(errors.at(3).why, u"must be between 1 and 1000, got 0"_s);
    // The loader's error is the first of them.
    const auto parsed = ConfigLoader::parse(json, origin);
    QVERIFY(!parsed.ok());
    QCOMPARE(parsed.error().message, origin % u": field \"sources[0].name\": "_s % errors.at(0).why);

    QVERIFY(ConfigLoader::validate(fullConfig).isEmpty());
    const auto notJson = ConfigLoader::validate("{");
    QCOMPARE(notJson.size(), 1);
    QVERIFY(notJson.at(0).field.isEmpty());
    QVERIFY(notJson.at(0).why.startsWith(u"not valid JSON"_s));
}

void TestConfig::generateSecret()
{
    // In the provider's own form, so a rotated secret is one the provider could have issued, and
    // new every time.
    const QByteArray stripe = ConfigLoader::generateSecret(u"stripe"_s);
    QVERIFY(stripe.startsWith("whsec_"));
    QCOMPARE(QByteArray::fromHex(stripe.mid(6)).size(), 24);
    const QByteArray standard = ConfigLoader::generateSecret(u"standard-webhooks"_s);
    QVERIFY(standard.startsWith("whsec_"));
    const auto key = QByteArray::fromBase64Encoding(standard.mid(6), QByteArray::AbortOnBase64DecodingErrors);
    QVERIFY(key);
    QCOMPARE(key.decoded.size(), 24);
    QCOMPARE(ConfigLoader::generateSecret(u"github"_s).size(), 40);
    QVERIFY(ConfigLoader::generateSecret(u"github"_s) != ConfigLoader::generateSecret(u"github"_s));
    // Accepted by the config rules for a source of that provider.
    const QByteArray json =
        R"({"sources": [{"name": "s", "provider": "standard-webhooks", "secrets": [")" + standard + R"("]}]})";
    QVERIFY(ConfigLoader::validate(json).isEmpty());
}

void TestConfig::writer_roundTrip()
{
    // What the writer writes, the loader reads back into the same config (compared as written).
    for (const QByteArray &json :
         {fullConfig, ConfigLoader::exampleConfigJson(), QByteArray("{}"), QByteArray(R"({"listen": "[::1]:9000"})")}) {
        const Config first = parseOk(json);
        const QJsonObject written = config::ConfigWriter::toJson(first);
        const auto again = ConfigLoader::parse(QJsonDocument(written).toJson(), origin);
        QVERIFY2(again.ok(), qPrintable(again.ok() ? QString() : again.error().message));
        QCOMPARE(config::ConfigWriter::toJson(*again), written);
        QCOMPARE(again->sources.size(), first.sources.size());
        for (qsizetype i = 0; i < first.sources.size(); ++i)
            QCOMPARE(again->sources.at(i).secrets, first.sources.at(i).secrets);
        QCOMPARE(again->listenAddress, first.listenAddress);
        QCOMPARE(again->kafka.properties, first.kafka.properties);
    }
}

void TestConfig::writer_file()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"config.json"_s);
    QFile old(path);
    QVERIFY(old.open(QIODevice::WriteOnly));
    old.write("{}");
    old.close();
    QVERIFY(old.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadOther));

    const Config c = parseOk(fullConfig);
    const auto written = config::ConfigWriter::writeFile(path, c);
    QVERIFY2(written.ok(), qPrintable(written.ok() ? QString() : written.error().message));
    // Secrets are in it: the user's only, even when the file it replaced was readable by others.
    QCOMPARE(QFileInfo(path).permissions() & (QFileDevice::ReadOther | QFileDevice::ReadGroup),
             QFileDevice::Permissions());
    const auto loaded = ConfigLoader::loadFile(path);
    QVERIFY(loaded.ok());
    QCOMPARE(config::ConfigWriter::toJson(*loaded), config::ConfigWriter::toJson(c));

    const auto unwritable = config::ConfigWriter::writeFile(dir.filePath(u"missing/config.json"_s), c);
    QVERIFY(!unwritable.ok());
    QCOMPARE(unwritable.error().code, u"config_unwritable"_s);
    QVERIFY(unwritable.error().message.contains(u"missing/config.json"_s));
}

void TestConfig::notJson()
{
    auto broken = ConfigLoader::parse(R"({"sources": [)", u"/etc/hookbench.json"_s);
    QVERIFY(!broken.ok());
    QCOMPARE(broken.error().code, u"config_invalid"_s);
    QVERIFY2(broken.error().message.startsWith(u"/etc/hookbench.json: not valid JSON at byte "_s),
             qPrintable(broken.error().message));

    auto array = ConfigLoader::parse("[]", origin);
    QVERIFY(!array.ok());
    QCOMPARE(array.error().message, u"<test>: the top level must be a JSON object"_s);
}

void TestConfig::exampleConfig()
{
    const QByteArray example = ConfigLoader::exampleConfigJson();
    auto result = ConfigLoader::parse(example, u"<example>"_s);
    QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().message));
    const Config &c = *result;

    QSet<QString> providers;
    for (const auto &source : c.sources) {
        QVERIFY2(!providers.contains(source.provider), qPrintable(source.provider));
        providers.insert(source.provider);
        if (source.provider != u"none"_s)
            QVERIFY2(!source.secrets.isEmpty(), qPrintable(source.name));
    }
    const QStringList names = ConfigLoader::providerNames();
    QCOMPARE(providers, QSet<QString>(names.begin(), names.end()));
    QCOMPARE(c.sources.size(), names.size());
    QCOMPARE(c.kafka.mode, u"embedded"_s);
    QCOMPARE(c.consumers.count, 2);

    // Every first start gets its own secrets.
    const Config other = parseOk(ConfigLoader::exampleConfigJson());
    QCOMPARE(other.sources.size(), c.sources.size());
    QVERIFY(other.source(u"stripe"_s)->secrets != c.source(u"stripe"_s)->secrets);
}

void TestConfig::readmeExample()
{
    // The Configuration section's example must stay a config the loader accepts.
    QFile readme(QStringLiteral(HOOKBENCH_TEST_DATA_DIR "/../../README.md"));
    QVERIFY2(readme.open(QIODevice::ReadOnly), qPrintable(readme.fileName()));
    const QByteArray text = readme.readAll();
    const qsizetype section = text.indexOf("## Configuration");
    QVERIFY(section >= 0);
    const qsizetype start = text.indexOf("```json\n", section);
    QVERIFY(start >= 0);
    const qsizetype end = text.indexOf("```", start + 8);
    QVERIFY(end > start);
    auto result = ConfigLoader::parse(text.mid(start + 8, end - start - 8), u"README.md"_s);
    QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().message));
    QVERIFY(result->sources.at(0).simulate.has_value());
    QVERIFY(result->sources.at(0).retry.has_value());
}

void TestConfig::loadFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"hookbench.json"_s);
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QVERIFY(file.write(fullConfig) == fullConfig.size());
    }
    auto loaded = ConfigLoader::loadFile(path);
    QVERIFY2(loaded.ok(), loaded.ok() ? "" : qPrintable(loaded.error().message));
    QCOMPARE(loaded->sources.size(), 5);

    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(R"({"sources": [{"name": "s", "provider": "none", "simulate": {"failure_rate": 2}}]})");
    }
    auto invalid = ConfigLoader::loadFile(path);
    QVERIFY(!invalid.ok());
    QVERIFY2(invalid.error().message.startsWith(path % u": field \"sources[0].simulate.failure_rate\": "_s),
             qPrintable(invalid.error().message));

    const QString missing = dir.filePath(u"missing.json"_s);
    auto unreadable = ConfigLoader::loadFile(missing);
    QVERIFY(!unreadable.ok());
    QCOMPARE(unreadable.error().code, u"config_unreadable"_s);
    QVERIFY2(unreadable.error().message.startsWith(missing % u": cannot read config file"_s),
             qPrintable(unreadable.error().message));
}

void TestConfig::secretPropertyNames_data()
{
    // librdkafka's names for key material and credentials are hidden in messages; plain settings
    // and locations of public files stay visible, so errors about them remain helpful.
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("secret");
    const std::pair<const char *, bool> rows[] = {
        {"sasl.password", true},
        {"ssl.key.password", true},
        {"ssl.keystore.password", true},
        {"ssl.keystore.location", true},
        {"ssl.key.pem", true},
        {"ssl.key.location", true},
        {"ssl.certificate.pem", true},
        {"ssl.ca.pem", true},
        {"sasl.jaas.config", true},
        {"sasl.oauthbearer.config", true},
        {"sasl.oauthbearer.client.secret", true},
        {"sasl.oauthbearer.extensions", true},
        {"sasl.kerberos.keytab", true},
        {"SSL.Key.PEM", true},
        {"some.access_token", true},
        {"aws.credentials", true},
        {"bootstrap.servers", false},
        {"security.protocol", false},
        {"sasl.mechanisms", false},
        {"sasl.username", false},
        {"sasl.oauthbearer.method", false},
        {"ssl.ca.location", false},
        {"ssl.certificate.location", false},
        {"enable.ssl.certificate.verification", false},
        {"linger.ms", false},
        {"message.max.bytes", false},
    };
    for (const auto &[name, secret] : rows)
        QTest::newRow(name) << QString::fromLatin1(name) << secret;
}

void TestConfig::secretPropertyNames()
{
    QFETCH(QString, name);
    QFETCH(bool, secret);
    QCOMPARE(SecretNames::isSecretProperty(name), secret);
}

} // namespace hookbench::tests

QTEST_APPLESS_MAIN(hookbench::tests::TestConfig)
