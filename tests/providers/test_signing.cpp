// Signing for replays: signRequest() must produce what the provider's SDK produces (the vectors
// in signatures.json, at their timestamp), verify() must accept what signRequest() produced, and
// setIdempotencyKey() must move the key the verifier reads.

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "core/providers/body_parser.h"
#include "core/providers/json_field_rewriter.h"
#include "core/providers/provider_registry.h"
#include "core/util/crypto.h"
#include "tests/providers/test_providers.h"

using namespace Qt::StringLiterals;

namespace hookbench::tests {

namespace {

using providers::ProviderRegistry;

struct SignCase
{
    QString provider;
    http::HttpRequest request;
    config::SourceConfig source;
    qint64 nowSecs = 1'700'000'000;
};

// Stands in for what the receiver journaled: the request's own headers and body; the caller
// replaces the signature headers with signRequest()'s.
http::HttpRequest applySigned(http::HttpRequest request, const http::HeaderList &signedHeaders)
{
    for (const auto &[name, value] : signedHeaders)
        providers::Verifier::replaceHeader(request.headers, name, value);
    return request;
}

QJsonObject vectorFile()
{
    return QJsonDocument::fromJson(readTestData(u"vectors/signatures.json"_s)).object();
}

QJsonObject vectorOf(const QString &provider)
{
    const QJsonArray providers = vectorFile().value("providers"_L1).toArray();
    for (const QJsonValue &p : providers) {
        if (p.toObject().value("provider"_L1).toString() == provider)
            return p.toObject();
    }
    return {};
}

QByteArray utf8Of(const QJsonValue &value)
{
    return value.toString().toUtf8();
}

http::HeaderList headersOf(const QJsonObject &object)
{
    http::HeaderList headers;
    for (auto it = object.begin(); it != object.end(); ++it)
        headers.append({it.key().toUtf8(), it.value().toString().toUtf8()});
    return headers;
}

// The request of a provider's SDK vector with its signature headers removed; `signatureHeaders`
// gets what the SDK sent in them.
SignCase vectorCase(const QString &vectorName, const QString &provider, const QStringList &signatureHeaderNames,
                    http::HeaderList &signatureHeaders)
{
    const QJsonObject p = vectorOf(vectorName);
    SignCase c;
    c.provider = provider;
    c.source = makeSource(provider, {utf8Of(p.value("secret"_L1))});
    http::HeaderList headers = headersOf(p.value("headers"_L1).toObject());
    c.request = makeRequest({}, readTestData(u"vectors/common-body.json"_s));
    for (const auto &[name, value] : headers) {
        if (signatureHeaderNames.contains(QString::fromLatin1(name), Qt::CaseInsensitive))
            signatureHeaders.append({name, value});
        else
            c.request.headers.append({name, value});
    }
    return c;
}

} // namespace

void TestProviders::signReproducesSdkVectors_data()
{
    QTest::addColumn<QString>("provider");
    QTest::addColumn<http::HttpRequest>("request");
    QTest::addColumn<config::SourceConfig>("source");
    QTest::addColumn<http::HeaderList>("expected");
    QTest::addColumn<qint64>("nowSecs");

    const qint64 t = vectorFile().value("timestamp"_L1).toInteger();
    QVERIFY(t > 0);
    const auto row = [&](const char *name, const QString &vectorName, const QString &provider,
                         const QStringList &signatureHeaders) {
        http::HeaderList expected;
        SignCase c = vectorCase(vectorName, provider, signatureHeaders, expected);
        QTest::newRow(name) << provider << c.request << c.source << expected << t;
        return c;
    };
    row("stripe", u"stripe"_s, u"stripe"_s, {u"Stripe-Signature"_s});
    row("github sha256 + sha1", u"github"_s, u"github"_s, {u"X-Hub-Signature-256"_s});
    row("shopify", u"shopify"_s, u"shopify"_s, {u"X-Shopify-Hmac-Sha256"_s});
    row("slack", u"slack"_s, u"slack"_s, {u"X-Slack-Request-Timestamp"_s, u"X-Slack-Signature"_s});
    row("standard-webhooks", u"standardwebhooks"_s, u"standard-webhooks"_s,
        {u"webhook-timestamp"_s, u"webhook-signature"_s});
    row("standard-webhooks, svix-* headers", u"svix"_s, u"standard-webhooks"_s,
        {u"svix-timestamp"_s, u"svix-signature"_s});

    // GitHub with the legacy header: both signatures as the SDK (sha256) and node:crypto (sha1) made them.
    {
        http::HeaderList expected;
        SignCase c = vectorCase(u"github"_s, u"github"_s, {u"X-Hub-Signature-256"_s, u"X-Hub-Signature"_s}, expected);
        c.request.headers.append(qMakePair(QByteArray("X-Hub-Signature"), QByteArray("sha1=stale")));
        QTest::newRow("github with X-Hub-Signature") << c.source.provider << c.request << c.source << expected << t;
    }
    // generic-hmac configured like GitHub reproduces GitHub's SDK signature.
    {
        http::HeaderList expected;
        SignCase c = vectorCase(u"github"_s, u"generic-hmac"_s, {u"X-Hub-Signature-256"_s}, expected);
        c.source.genericHmac.header = "X-Hub-Signature-256";
        c.source.genericHmac.prefix = "sha256=";
        QTest::newRow("generic-hmac") << c.source.provider << c.request << c.source << expected << t;
    }

    const QJsonObject twilio = vectorOf(u"twilio"_s);
    const QByteArray token = utf8Of(twilio.value("secret"_L1));
    {
        const QJsonObject form = twilio.value("form"_L1).toObject();
        config::SourceConfig source = makeSource(u"twilio"_s, {token});
        source.publicUrl = utf8Of(form.value("url"_L1));
        const http::HttpRequest request =
            makeRequest({{"Content-Type", "application/x-www-form-urlencoded"}},
                        readTestData(u"vectors/twilio-form-body.txt"_s), "/webhooks/twilio?source=hookbench");
        QTest::newRow("twilio form") << u"twilio"_s << request << source
                                     << headersOf(form.value("headers"_L1).toObject()) << t;
    }
    {
        const QJsonObject json = twilio.value("json"_L1).toObject();
        const QByteArray url = utf8Of(json.value("url"_L1));
        config::SourceConfig source = makeSource(u"twilio"_s, {token});
        source.publicUrl = url.left(url.indexOf('?'));
        const http::HttpRequest request =
            makeRequest({{"Content-Type", "application/json"}}, readTestData(u"vectors/common-body.json"_s),
                        "/webhooks/twilio" + url.mid(url.indexOf('?')));
        QTest::newRow("twilio json") << u"twilio"_s << request << source
                                     << headersOf(json.value("headers"_L1).toObject()) << t;
    }
}

void TestProviders::signReproducesSdkVectors()
{
    QFETCH(QString, provider);
    QFETCH(http::HttpRequest, request);
    QFETCH(config::SourceConfig, source);
    QFETCH(http::HeaderList, expected);
    QFETCH(qint64, nowSecs);
    QVERIFY(!expected.isEmpty());
    QVERIFY(!request.body.isEmpty());

    const providers::Verifier *verifier = ProviderRegistry::find(provider);
    QVERIFY(verifier);
    const auto signedHeaders =
        verifier->signRequest(providers::SignInput{request, source, source.secrets.constFirst(), nowSecs});
    QVERIFY2(signedHeaders.ok(), qPrintable(signedHeaders.ok() ? QString() : signedHeaders.error().message));
    for (const auto &[name, value] : expected) {
        QByteArray got;
        for (const auto &[signedName, signedValue] : *signedHeaders) {
            if (signedName.compare(name, Qt::CaseInsensitive) == 0)
                got = signedValue;
        }
        QCOMPARE(got, value);
    }
    // And the result verifies, at the same clock.
    const http::HttpRequest signedRequest = applySigned(request, *signedHeaders);
    const providers::VerifyResult verdict = verifier->verify(providers::VerifyInput{signedRequest, source, nowSecs});
    QVERIFY2(verdict.ok, qPrintable(verdict.reason + u": "_s + verdict.detail));
}

void TestProviders::signThenVerify_data()
{
    QTest::addColumn<QString>("provider");
    QTest::addColumn<http::HttpRequest>("request");
    QTest::addColumn<config::SourceConfig>("source");

    const QByteArray body = readTestData(u"vectors/common-body.json"_s);
    const http::HeaderList json{{"Content-Type", "application/json"}};
    const auto source = [](const QString &provider, const QByteArray &secret) {
        return makeSource(provider, {secret, "an-older-secret"});
    };
    QTest::newRow("stripe") << u"stripe"_s << makeRequest(json, body) << source(u"stripe"_s, "whsec_replay");
    QTest::newRow("github") << u"github"_s << makeRequest(json, body) << source(u"github"_s, "gh-secret");
    QTest::newRow("github sha1 only") << u"github"_s
                                      << makeRequest(json + http::HeaderList{{"X-Hub-Signature", "sha1=00"}}, body)
                                      << source(u"github"_s, "gh-secret");
    QTest::newRow("shopify") << u"shopify"_s
                             << makeRequest(json
                                                + http::HeaderList{{"X-Shopify-Topic", "orders/create"},
                                                                   {"X-Shopify-Shop-Domain", "a.myshopify.com"},
                                                                   {"X-Shopify-API-Version", "2025-01"},
                                                                   {"X-Shopify-Webhook-Id", "w-1"}},
                                            body)
                             << source(u"shopify"_s, "shopify-secret");
    QTest::newRow("slack") << u"slack"_s << makeRequest(json, body) << source(u"slack"_s, "slack-secret");
    QTest::newRow("standard-webhooks") << u"standard-webhooks"_s
                                       << makeRequest(json + http::HeaderList{{"webhook-id", "msg_1"}}, body)
                                       << source(u"standard-webhooks"_s, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    QTest::newRow("svix") << u"standard-webhooks"_s << makeRequest(json + http::HeaderList{{"svix-id", "msg_2"}}, body)
                          << source(u"standard-webhooks"_s, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    {
        config::SourceConfig s = source(u"generic-hmac"_s, "generic-secret");
        s.genericHmac.algorithm = u"sha1"_s;
        s.genericHmac.encoding = u"base64"_s;
        s.genericHmac.prefix = "sig=";
        QTest::newRow("generic-hmac sha1 base64") << u"generic-hmac"_s << makeRequest(json, body) << s;
    }
    QTest::newRow("generic-hmac defaults")
        << u"generic-hmac"_s << makeRequest(json, body) << source(u"generic-hmac"_s, "generic-secret");
    {
        http::HttpRequest request =
            makeRequest({{"Content-Type", "application/x-www-form-urlencoded"}, {"Host", "127.0.0.1:8088"}},
                        readTestData(u"vectors/twilio-form-body.txt"_s), "/webhooks/sms?x=1");
        QTest::newRow("twilio form, Host + target") << u"twilio"_s << request << source(u"twilio"_s, "token");
        config::SourceConfig s = source(u"twilio"_s, "token");
        s.publicUrl = "https://example.ngrok.app:443/webhooks/sms";
        QTest::newRow("twilio form, public_url") << u"twilio"_s << request << s;
        // A form body whose URL carries bodySHA256 (as in tests/data/har): verify() checks the
        // body's hash then, so signing must bind it the same way.
        request.target = "/webhooks/sms?bodySHA256=none";
        QTest::newRow("twilio form, bodySHA256 in the URL") << u"twilio"_s << request << source(u"twilio"_s, "token");
    }
    {
        // A JSON body whose target lacks bodySHA256: bindBody() adds it before signing.
        http::HttpRequest request = makeRequest(json + http::HeaderList{{"Host", "127.0.0.1:8088"}}, body,
                                                "/webhooks/sms?bodySHA256=stale&a=b");
        QTest::newRow("twilio json, stale bodySHA256") << u"twilio"_s << request << source(u"twilio"_s, "token");
        request.target = "/webhooks/sms";
        QTest::newRow("twilio json, no query") << u"twilio"_s << request << source(u"twilio"_s, "token");
    }
}

void TestProviders::signThenVerify()
{
    QFETCH(QString, provider);
    QFETCH(http::HttpRequest, request);
    QFETCH(config::SourceConfig, source);
    const qint64 now = 1'750'000'000;
    const providers::Verifier *verifier = ProviderRegistry::find(provider);
    QVERIFY(verifier);

    verifier->bindBody(request);
    const auto signedHeaders =
        verifier->signRequest(providers::SignInput{request, source, source.secrets.constFirst(), now});
    QVERIFY2(signedHeaders.ok(), qPrintable(signedHeaders.ok() ? QString() : signedHeaders.error().message));
    QVERIFY(!signedHeaders->isEmpty());
    const http::HttpRequest signedRequest = applySigned(request, *signedHeaders);
    const providers::VerifyResult verdict = verifier->verify(providers::VerifyInput{signedRequest, source, now});
    QVERIFY2(verdict.ok, qPrintable(verdict.reason + u": "_s + verdict.detail));
    QCOMPARE(verdict.matchedSecret, 0);

    // The signature binds the body: one changed byte is refused.
    http::HttpRequest tampered = signedRequest;
    tampered.body[tampered.body.size() / 2] = tampered.body.at(tampered.body.size() / 2) == 'a' ? 'b' : 'a';
    QVERIFY(!verifier->verify(providers::VerifyInput{tampered, source, now}).ok);
}

void TestProviders::signUnsupported_data()
{
    QTest::addColumn<QString>("provider");
    QTest::addColumn<config::SourceConfig>("source");
    QTest::addColumn<http::HttpRequest>("request");
    const QByteArray body = R"({"id":"x"})";
    const http::HeaderList json{{"Content-Type", "application/json"}};
    QTest::newRow("none") << u"none"_s << makeSource(u"none"_s, {"s"}) << makeRequest(json, body);
    QTest::newRow("stripe without secret") << u"stripe"_s << makeSource(u"stripe"_s, {}) << makeRequest(json, body);
    QTest::newRow("standard-webhooks secret not base64")
        << u"standard-webhooks"_s << makeSource(u"standard-webhooks"_s, {"whsec_***"})
        << makeRequest(json + http::HeaderList{{"webhook-id", "m"}}, body);
    QTest::newRow("standard-webhooks without id")
        << u"standard-webhooks"_s << makeSource(u"standard-webhooks"_s, {"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"})
        << makeRequest(json, body);
    QTest::newRow("twilio json without bodySHA256")
        << u"twilio"_s << makeSource(u"twilio"_s, {"t"}) << makeRequest(json, body, "/webhooks/sms");
    config::SourceConfig generic = makeSource(u"generic-hmac"_s, {"s"});
    generic.genericHmac.algorithm = u"md5"_s;
    QTest::newRow("generic-hmac md5") << u"generic-hmac"_s << generic << makeRequest(json, body);
}

void TestProviders::signUnsupported()
{
    QFETCH(QString, provider);
    QFETCH(config::SourceConfig, source);
    QFETCH(http::HttpRequest, request);
    const providers::Verifier *verifier = ProviderRegistry::find(provider);
    QVERIFY(verifier);
    const auto signedHeaders =
        verifier->signRequest(providers::SignInput{request, source, source.secrets.value(0), 1'700'000'000});
    QVERIFY(!signedHeaders.ok());
    QCOMPARE(signedHeaders.error().code, u"unsupported"_s);
    QVERIFY(!signedHeaders.error().message.isEmpty());
}

void TestProviders::setIdempotencyKey_data()
{
    QTest::addColumn<QString>("provider");
    QTest::addColumn<http::HttpRequest>("request");
    QTest::addColumn<QByteArray>("expectedBody"); // empty: the body must not change

    const http::HeaderList json{{"Content-Type", "application/json"}};
    const QByteArray stripeBody = "{\n  \"id\" : \"evt_1\",\n  \"data\": {\"id\": \"cus_1\"},\n  \"type\":\"x\"\n}\n";
    QTest::newRow("stripe /id, text kept")
        << u"stripe"_s << makeRequest(json, stripeBody)
        << QByteArray("{\n  \"id\" : \"replay-\\\"1\\\"\",\n  \"data\": {\"id\": \"cus_1\"},\n  \"type\":\"x\"\n}\n");
    QTest::newRow("stripe /id absent") << u"stripe"_s << makeRequest(json, R"({"type":"x"})")
                                       << QByteArray(R"({"id":"replay-\"1\"","type":"x"})");
    QTest::newRow("slack /event_id") << u"slack"_s
                                     << makeRequest(json, R"({"event":{"event_id":"inner"},"event_id":"Ev1"})")
                                     << QByteArray(R"({"event":{"event_id":"inner"},"event_id":"replay-\"1\""})");
    QTest::newRow("github") << u"github"_s << makeRequest(json + http::HeaderList{{"x-github-delivery", "d1"}}, "{}")
                            << QByteArray();
    QTest::newRow("shopify") << u"shopify"_s << makeRequest(json, "{}") << QByteArray();
    QTest::newRow("standard-webhooks") << u"standard-webhooks"_s
                                       << makeRequest(json + http::HeaderList{{"webhook-id", "msg_1"}}, "{}")
                                       << QByteArray();
    QTest::newRow("svix") << u"standard-webhooks"_s << makeRequest(json + http::HeaderList{{"svix-id", "msg_1"}}, "{}")
                          << QByteArray();
    QTest::newRow("twilio form") << u"twilio"_s
                                 << makeRequest({{"Content-Type", "application/x-www-form-urlencoded"}},
                                                "MessageSid=SM1&MessageStatus=sent")
                                 << QByteArray();
}

void TestProviders::setIdempotencyKey()
{
    QFETCH(QString, provider);
    QFETCH(http::HttpRequest, request);
    QFETCH(QByteArray, expectedBody);
    const providers::Verifier *verifier = ProviderRegistry::find(provider);
    QVERIFY(verifier);
    const QByteArray newKey = "replay-\"1\"";
    const QByteArray before = request.body;
    const http::HeaderList headersBefore = request.headers;
    const auto changed = verifier->setIdempotencyKey(request, newKey);
    QVERIFY2(changed.ok(), qPrintable(changed.ok() ? QString() : changed.error().message));
    const providers::IdempotencyKey key = verifier->idempotencyKey(request, providers::BodyParser::parse(request));
    QCOMPARE(key.key, newKey);
    QCOMPARE(request.body, expectedBody.isEmpty() ? before : expectedBody);
    if (!expectedBody.isEmpty())
        QCOMPARE(request.headers, headersBefore);
    // The header is replaced, not added twice.
    int ids = 0;
    for (const auto &[name, value] : request.headers)
        ids += value == newKey ? 1 : 0;
    QVERIFY(ids <= 1);
}

void TestProviders::setIdempotencyKeyUnsupported_data()
{
    QTest::addColumn<QString>("provider");
    QTest::addColumn<http::HttpRequest>("request");
    QTest::newRow("none") << u"none"_s << makeRequest({}, "{}");
    QTest::newRow("generic-hmac") << u"generic-hmac"_s << makeRequest({}, "{}");
    QTest::newRow("stripe, body not JSON") << u"stripe"_s << makeRequest({}, "not json");
    QTest::newRow("slack form") << u"slack"_s
                                << makeRequest({{"Content-Type", "application/x-www-form-urlencoded"}}, "trigger_id=1");
}

void TestProviders::setIdempotencyKeyUnsupported()
{
    QFETCH(QString, provider);
    QFETCH(http::HttpRequest, request);
    const providers::Verifier *verifier = ProviderRegistry::find(provider);
    QVERIFY(verifier);
    const http::HttpRequest before = request;
    const auto changed = verifier->setIdempotencyKey(request, "k");
    QVERIFY(!changed.ok());
    QCOMPARE(changed.error().code, u"unsupported"_s);
    QCOMPARE(request.body, before.body);
    QCOMPARE(request.headers, before.headers);
}

void TestProviders::jsonFieldRewriter()
{
    using providers::JsonFieldRewriter;
    // An escaped key still names the field; a nested field of the same name is left alone; the
    // last duplicate wins, like QJsonDocument.
    auto out =
        JsonFieldRewriter::setTopLevelString(R"({"a":{"id":"n"},"i\u0064" : "old", "b":[1,"id"]})", u"id"_s, u"é"_s);
    QVERIFY(out.ok());
    QCOMPARE(*out, QByteArray(R"({"a":{"id":"n"},"i\u0064" : "é", "b":[1,"id"]})"));
    out = JsonFieldRewriter::setTopLevelString(R"({"id":"a\"b","id":"c"})", u"id"_s, u"z"_s);
    QVERIFY(out.ok());
    QCOMPARE(*out, QByteArray(R"({"id":"a\"b","id":"z"})"));
    // Not a string: re-serialised.
    out = JsonFieldRewriter::setTopLevelString(R"({"id": 5})", u"id"_s, u"z"_s);
    QVERIFY(out.ok());
    QCOMPARE(*out, QByteArray(R"({"id":"z"})"));
    QCOMPARE(JsonFieldRewriter::setTopLevelString("[1]", u"id"_s, u"z"_s).error().code, u"unsupported"_s);
    QCOMPARE(JsonFieldRewriter::quoted(u"a\"\n"_s), QByteArray(R"("a\"\n")"));
}

} // namespace hookbench::tests
