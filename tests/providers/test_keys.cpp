// Key extraction on every fixture in tests/data/fixtures: idempotency key (and where it came
// from), entity key and event type; expected values read by hand from the files.

#include <QDir>
#include <QTest>

#include "core/providers/body_parser.h"
#include "core/providers/provider_registry.h"
#include "core/util/crypto.h"
#include "tests/providers/test_providers.h"

using namespace Qt::StringLiterals;

namespace hookbench::tests {

namespace {

using providers::BodyFormat;
using providers::BodyParser;
using providers::ProviderRegistry;

struct Keys
{
    const providers::Verifier *verifier = nullptr;
    http::HttpRequest request;
    providers::ParsedBody body;
};

Keys load(const QString &provider, const QString &file, const http::HeaderList &headers)
{
    Keys k;
    k.verifier = ProviderRegistry::find(provider);
    k.request = makeRequest(headers, readTestData(u"fixtures/"_s + file));
    k.body = BodyParser::parse(k.request);
    return k;
}

} // namespace

void TestProviders::fixtureKeys_data()
{
    QTest::addColumn<QString>("provider");
    QTest::addColumn<QString>("file");
    QTest::addColumn<http::HeaderList>("headers");
    QTest::addColumn<QByteArray>("idempotencyKey"); // empty: the caller hashes the body
    QTest::addColumn<QString>("origin");
    QTest::addColumn<QByteArray>("entityKey");
    QTest::addColumn<QString>("eventType");

    const QByteArray json = "application/json";
    // GitHub: event name and delivery id come from headers; the entity is the repository.
    const struct
    {
        const char *file;
        const char *event;
        const char *type;
        const char *repo;
    } github[] = {
        {"check_run.completed", "check_run", "check_run.completed", "Codertocat/Hello-World"},
        {"check_run.created", "check_run", "check_run.created", "Codertocat/Hello-World"},
        {"issue_comment.created", "issue_comment", "issue_comment.created", "Codertocat/Hello-World"},
        {"issues.opened", "issues", "issues.opened", "Codertocat/Hello-World"},
        {"ping", "ping", "ping", "Octocoders/Hello-World"},
        {"pull_request.closed", "pull_request", "pull_request.closed", "Codertocat/Hello-World"},
        {"pull_request.opened", "pull_request", "pull_request.opened", "Codertocat/Hello-World"},
        {"pull_request.synchronize", "pull_request", "pull_request.synchronize", "Codertocat/Hello-World"},
        {"push", "push", "push", "Codertocat/Hello-World"},
        {"push.new-branch", "push", "push", "Codertocat/Hello-World"},
        {"release.published", "release", "release.published", "Codertocat/Hello-World"},
        {"workflow_run.completed", "workflow_run", "workflow_run.completed", "octo-org/octo-repo"},
        {"workflow_run.requested", "workflow_run", "workflow_run.requested", "octo-org/octo-repo"},
    };
    int n = 0;
    for (const auto &g : github) {
        const QByteArray delivery = "72d3162e-cc78-11e3-81ab-4c9367dc09" + QByteArray::number(10 + n++);
        QTest::addRow("github/%s", g.file)
            << u"github"_s << u"github/%1.json"_s.arg(QLatin1StringView(g.file))
            << http::HeaderList{{"X-GitHub-Event", g.event}, {"X-GitHub-Delivery", delivery}, {"Content-Type", json}}
            << delivery << u"header X-GitHub-Delivery"_s << QByteArray(g.repo) << QString::fromLatin1(g.type);
    }

    // Stripe: event id in the body; customer when set (null on the payment_intent, charge and
    // customer samples), else the object id.
    const struct
    {
        const char *file;
        const char *id;
        const char *entity;
    } stripe[] = {
        {"charge.refunded", "evt_000000000000000000000000", "ch_000000000000000000000000"},
        {"checkout.session.completed", "evt_000000000000000000000000", "cus_00000000000000"},
        {"customer.created", "evt_000000000000000000000000", "cus_00000000000000"},
        {"customer.created.stripe-java", "evt_00000000000000", "cus_00000000000000"},
        {"customer.subscription.updated", "evt_000000000000000000000000", "cus_00000000000000"},
        {"invoice.paid", "evt_000000000000000000000000", "cus_00000000000000"},
        {"invoice.payment_failed", "evt_000000000000000000000000", "cus_00000000000000"},
        {"payment_intent.payment_failed", "evt_000000000000000000000000", "pi_000000000000000000000000"},
        {"payment_intent.succeeded", "evt_000000000000000000000000", "pi_000000000000000000000000"},
        {"plan.created.stripe-openapi", "evt_1Pgc76B7WZ01zgkWwyRHS12y", "price_1PgafmB7WZ01zgkW6dKueIc5"},
    };
    for (const auto &s : stripe) {
        QString type = QString::fromLatin1(s.file);
        type = type.remove(u".stripe-java"_s).remove(u".stripe-openapi"_s);
        QTest::addRow("stripe/%s", s.file) << u"stripe"_s << u"stripe/%1.json"_s.arg(QLatin1StringView(s.file))
                                           << http::HeaderList{{"Content-Type", json}} << QByteArray(s.id)
                                           << u"body /id"_s << QByteArray(s.entity) << type;
    }

    // Shopify: delivery id and topic in headers; the entity is the body id, a 64-bit integer
    // that must keep every digit (820982911946154508 > 2^53).
    const struct
    {
        const char *file;
        const char *topic;
        const char *id;
    } shopify[] = {
        {"app.uninstalled", "app/uninstalled", "548380009"},
        {"customers.create", "customers/create", "706405506930370084"},
        {"orders.create", "orders/create", "820982911946154508"},
        {"orders.delete", "orders/delete", "820982911946154508"},
        {"orders.paid", "orders/paid", "820982911946154508"},
        {"orders.updated", "orders/updated", "820982911946154508"},
        {"products.update", "products/update", "788032119674292922"},
    };
    n = 0;
    for (const auto &s : shopify) {
        const QByteArray webhookId = "b54557e4-bdd9-4b37-8a5f-bf7d70bcd0" + QByteArray::number(40 + n++);
        QTest::addRow("shopify/%s", s.file)
            << u"shopify"_s << u"shopify/%1.json"_s.arg(QLatin1StringView(s.file))
            << http::HeaderList{{"X-Shopify-Topic", s.topic},
                                {"X-Shopify-Webhook-Id", webhookId},
                                {"X-Shopify-Event-Id", "98880550-7158-44d4-b7cd-2c97c8a091b5"},
                                {"Content-Type", json}}
            << webhookId << u"header X-Shopify-Webhook-Id"_s << QByteArray(s.id) << QString::fromLatin1(s.topic);
    }

    // Slack: event_id only on event_callback; team_id absent from url_verification.
    const http::HeaderList slackHeaders{{"Content-Type", json}};
    QTest::newRow("slack/app_rate_limited")
        << u"slack"_s << u"slack/app_rate_limited.json"_s << slackHeaders << QByteArray() << QString()
        << QByteArray("T123456") << u"app_rate_limited"_s;
    QTest::newRow("slack/event_callback.app_mention")
        << u"slack"_s << u"slack/event_callback.app_mention.json"_s << slackHeaders << QByteArray("Ev123ABC456")
        << u"body /event_id"_s << QByteArray("T123ABC456") << u"app_mention"_s;
    QTest::newRow("slack/event_callback.message.channels")
        << u"slack"_s << u"slack/event_callback.message.channels.json"_s << slackHeaders << QByteArray("Ev123ABC456")
        << u"body /event_id"_s << QByteArray("T123ABC456") << u"message"_s;
    QTest::newRow("slack/url_verification") << u"slack"_s << u"slack/url_verification.json"_s << slackHeaders
                                            << QByteArray() << QString() << QByteArray() << u"url_verification"_s;

    // Standard Webhooks: webhook-id header; example.event has no data.id.
    const struct
    {
        const char *file;
        const char *type;
        const char *entity;
    } sw[] = {
        {"contact.created.full", "contact.created", "1f81eb52-5198-4599-803e-771906343485"},
        {"contact.created.thin", "contact.created", "1f81eb52-5198-4599-803e-771906343485"},
        {"example.event", "example.event", ""},
    };
    n = 0;
    for (const auto &s : sw) {
        const QByteArray id = "msg_hookbench_000" + QByteArray::number(++n);
        QTest::addRow("standard-webhooks/%s", s.file)
            << u"standard-webhooks"_s << u"standard-webhooks/%1.json"_s.arg(QLatin1StringView(s.file))
            << http::HeaderList{{"webhook-id", id}, {"webhook-timestamp", "1700000000"}, {"Content-Type", json}} << id
            << u"header webhook-id"_s << QByteArray(s.entity) << QString::fromLatin1(s.type);
    }
    QTest::newRow("standard-webhooks/svix-id")
        << u"standard-webhooks"_s << u"standard-webhooks/contact.created.thin.json"_s
        << http::HeaderList{{"svix-id", "msg_svix"}, {"Content-Type", json}} << QByteArray("msg_svix")
        << u"header svix-id"_s << QByteArray("1f81eb52-5198-4599-803e-771906343485") << u"contact.created"_s;

    // Twilio: the two form callbacks of one message share MessageSid SMyyy; the status keeps
    // their keys apart. Event Streams JSON: CloudEvents id, verification sid.
    const http::HeaderList form{{"Content-Type", "application/x-www-form-urlencoded"}};
    QTest::newRow("twilio/message-status.delivered")
        << u"twilio"_s << u"twilio/message-status.delivered.txt"_s << form << QByteArray("SMyyy:delivered")
        << u"form MessageSid+MessageStatus"_s << QByteArray("SMyyy") << u"delivered"_s;
    QTest::newRow("twilio/message-status.failed.30010")
        << u"twilio"_s << u"twilio/message-status.failed.30010.txt"_s << form << QByteArray("SMyyy:failed")
        << u"form MessageSid+MessageStatus"_s << QByteArray("SMyyy") << u"failed"_s;
    QTest::newRow("twilio/event-streams.verify.message.delivered")
        << u"twilio"_s << u"twilio/event-streams.verify.message.delivered.json"_s
        << http::HeaderList{{"Content-Type", json}} << QByteArray("NO00000000000000000000000001") << u"body /id"_s
        << QByteArray("VE0000000000000000000000000000001") << u"com.twilio.accountsecurity.verify.message.delivered"_s;
}

void TestProviders::fixtureKeys()
{
    QFETCH(QString, provider);
    QFETCH(QString, file);
    QFETCH(http::HeaderList, headers);
    QFETCH(QByteArray, idempotencyKey);
    QFETCH(QString, origin);
    QFETCH(QByteArray, entityKey);
    QFETCH(QString, eventType);

    const Keys k = load(provider, file, headers);
    QVERIFY(k.verifier);
    QVERIFY2(!k.request.body.isEmpty(), qPrintable(file));
    QCOMPARE(k.body.isJson, file.endsWith(u".json"));
    QCOMPARE(k.body.isForm, file.endsWith(u".txt"));
    const config::SourceConfig source = makeSource(provider, {"s"});
    const providers::IdempotencyKey key = k.verifier->idempotencyKey(k.request, k.body);
    QCOMPARE(key.key, idempotencyKey);
    QCOMPARE(key.origin, origin);
    QCOMPARE(k.verifier->entityKey(k.request, k.body, source), entityKey);
    QCOMPARE(k.verifier->eventType(k.request, k.body, source), eventType);
}

void TestProviders::entityKeyOverride_data()
{
    QTest::addColumn<QString>("provider");
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("pointer");
    QTest::addColumn<QByteArray>("entityKey");
    QTest::newRow("stripe object id") << u"stripe"_s << u"stripe/invoice.paid.json"_s << u"/data/object/id"_s
                                      << QByteArray("in_000000000000000000000000");
    QTest::newRow("github pull request number")
        << u"github"_s << u"github/pull_request.opened.json"_s << u"/pull_request/number"_s << QByteArray("2");
    QTest::newRow("shopify customer id (big integer)")
        << u"shopify"_s << u"shopify/orders.create.json"_s << u"/customer/id"_s << QByteArray("115310627314723954");
    QTest::newRow("missing pointer") << u"stripe"_s << u"stripe/invoice.paid.json"_s << u"/nope"_s << QByteArray();
    QTest::newRow("null value") << u"stripe"_s << u"stripe/charge.refunded.json"_s << u"/data/object/customer"_s
                                << QByteArray();
    QTest::newRow("slack array element") << u"slack"_s << u"slack/event_callback.app_mention.json"_s
                                         << u"/authorizations/0/user_id"_s << QByteArray("U123ABC456");
    QTest::newRow("twilio form parameter")
        << u"twilio"_s << u"twilio/message-status.failed.30010.txt"_s << u"/ErrorCode"_s << QByteArray("30010");
    QTest::newRow("none configured") << u"none"_s << u"standard-webhooks/example.event.json"_s << u"/data/fizzbuzz"_s
                                     << QByteArray("2");
    QTest::newRow("generic-hmac configured")
        << u"generic-hmac"_s << u"standard-webhooks/example.event.json"_s << u"/data/foo"_s << QByteArray("bar");
}

void TestProviders::entityKeyOverride()
{
    QFETCH(QString, provider);
    QFETCH(QString, file);
    QFETCH(QString, pointer);
    QFETCH(QByteArray, entityKey);
    const QByteArray contentType = file.endsWith(u".txt") ? "application/x-www-form-urlencoded" : "application/json";
    const Keys k = load(provider, file, {{"Content-Type", contentType}});
    config::SourceConfig source = makeSource(provider, {"s"});
    source.entityKeyPointer = pointer;
    QCOMPARE(k.verifier->entityKey(k.request, k.body, source), entityKey);
    // Without the override, none and generic-hmac have no entity key.
    if (provider == u"none" || provider == u"generic-hmac") {
        source.entityKeyPointer.clear();
        QCOMPARE(k.verifier->entityKey(k.request, k.body, source), QByteArray());
        QCOMPARE(k.verifier->eventType(k.request, k.body, source), u"example.event"_s);
        source.eventTypePointer = u"/data/foo"_s;
        QCOMPARE(k.verifier->eventType(k.request, k.body, source), u"bar"_s);
        QCOMPARE(k.verifier->idempotencyKey(k.request, k.body).key, QByteArray());
    }
}

void TestProviders::twilioIdempotencyTokenHeader()
{
    const Keys k =
        load(u"twilio"_s, u"twilio/message-status.delivered.txt"_s,
             {{"Content-Type", "application/x-www-form-urlencoded"}, {"I-Twilio-Idempotency-Token", "tok-1"}});
    const providers::IdempotencyKey key = k.verifier->idempotencyKey(k.request, k.body);
    QCOMPARE(key.key, QByteArray("tok-1"));
    QCOMPARE(key.origin, u"header I-Twilio-Idempotency-Token"_s);

    // A voice status callback: CallSid + CallStatus.
    const http::HttpRequest call = makeRequest({{"Content-Type", "application/x-www-form-urlencoded"}},
                                               "CallSid=CA1&CallStatus=ringing&AccountSid=AC1");
    const providers::ParsedBody body = BodyParser::parse(call);
    QCOMPARE(k.verifier->idempotencyKey(call, body).key, QByteArray("CA1:ringing"));
    QCOMPARE(k.verifier->entityKey(call, body, makeSource(u"twilio"_s, {})), QByteArray("CA1"));
    QCOMPARE(k.verifier->eventType(call, body, makeSource(u"twilio"_s, {})), u"ringing"_s);
}

void TestProviders::githubFormPayload()
{
    // Content type application/x-www-form-urlencoded: the JSON document is the "payload" parameter.
    const QByteArray json = readTestData(u"fixtures/github/issues.opened.json"_s);
    const http::HttpRequest request = makeRequest({{"Content-Type", "application/x-www-form-urlencoded"},
                                                   {"X-GitHub-Event", "issues"},
                                                   {"X-GitHub-Delivery", "d-1"}},
                                                  "payload=" + json.toPercentEncoding());
    const providers::ParsedBody body = BodyParser::parse(request);
    QVERIFY(!body.isJson);
    QVERIFY(body.isForm);
    const providers::Verifier *github = ProviderRegistry::find(u"github"_s);
    QCOMPARE(github->bodyFormat(request), BodyFormat::Form);
    QCOMPARE(github->entityKey(request, body, makeSource(u"github"_s, {})), QByteArray("Codertocat/Hello-World"));
    QCOMPARE(github->eventType(request, body, makeSource(u"github"_s, {})), u"issues.opened"_s);
}

void TestProviders::bodyFormats_data()
{
    QTest::addColumn<QString>("provider");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<int>("format");
    const auto json = static_cast<int>(BodyFormat::Json);
    const auto form = static_cast<int>(BodyFormat::Form);
    const auto any = static_cast<int>(BodyFormat::Any);
    QTest::newRow("stripe") << u"stripe"_s << QByteArray("text/plain") << json;
    QTest::newRow("shopify") << u"shopify"_s << QByteArray() << json;
    QTest::newRow("standard-webhooks") << u"standard-webhooks"_s << QByteArray() << json;
    QTest::newRow("github json") << u"github"_s << QByteArray("application/json") << json;
    QTest::newRow("github form") << u"github"_s << QByteArray("application/x-www-form-urlencoded") << form;
    QTest::newRow("slack json") << u"slack"_s << QByteArray("application/json; charset=utf-8") << json;
    QTest::newRow("slack form") << u"slack"_s << QByteArray("application/x-www-form-urlencoded") << form;
    QTest::newRow("twilio form") << u"twilio"_s << QByteArray("application/x-www-form-urlencoded") << form;
    QTest::newRow("twilio json") << u"twilio"_s << QByteArray("Application/JSON") << json;
    QTest::newRow("none json") << u"none"_s << QByteArray("application/cloudevents+json") << json;
    QTest::newRow("none other") << u"none"_s << QByteArray("text/plain") << any;
    QTest::newRow("generic-hmac other") << u"generic-hmac"_s << QByteArray() << any;
}

void TestProviders::bodyFormats()
{
    QFETCH(QString, provider);
    QFETCH(QByteArray, contentType);
    QFETCH(int, format);
    http::HeaderList headers;
    if (!contentType.isEmpty())
        headers.append({"Content-Type", contentType});
    QCOMPARE(static_cast<int>(ProviderRegistry::find(provider)->bodyFormat(makeRequest(headers, "{}"))), format);
}

void TestProviders::bodyHashKey()
{
    const providers::IdempotencyKey key = providers::Verifier::bodyHashKey("abc");
    QCOMPARE(key.key, QByteArray("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    QCOMPARE(key.origin, u"sha256(body)"_s);
}

void TestProviders::registry()
{
    const QStringList names = ProviderRegistry::names();
    QCOMPARE(names, (QStringList{u"stripe"_s, u"github"_s, u"shopify"_s, u"slack"_s, u"twilio"_s,
                                 u"standard-webhooks"_s, u"generic-hmac"_s, u"none"_s}));
    for (const QString &name : names) {
        const providers::Verifier *verifier = ProviderRegistry::find(name);
        QVERIFY(verifier);
        QCOMPARE(verifier->name(), name);
    }
    QCOMPARE(ProviderRegistry::find(u"paypal"_s), nullptr);
    QCOMPARE(ProviderRegistry::find(QString()), nullptr);
}

} // namespace hookbench::tests
