// SampleEventFactory: templates for every provider, fresh ids per call, and (once the providers
// can sign) requests that the provider's own verifier accepts.

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "core/config/config.h"
#include "core/providers/body_parser.h"
#include "core/providers/provider_registry.h"
#include "core/samples/sample_event_factory.h"

using namespace Qt::StringLiterals;
using namespace hookbench;

namespace {

config::SourceConfig sourceFor(const QString &provider)
{
    config::SourceConfig source;
    source.name = u"src-"_s + provider;
    source.provider = provider;
    if (provider != u"none"_s)
        source.secrets = {provider == u"standard-webhooks"_s ? QByteArray("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
                                                             : QByteArray("sample_secret_1")};
    source.publicUrl = "https://example.test/webhooks/src-twilio";
    return source;
}

providers::ParsedBody parse(const http::HttpRequest &request)
{
    return providers::BodyParser::parse(request);
}

} // namespace

class TestSamples final : public QObject
{
    Q_OBJECT

private slots:
    void everyProviderHasATemplate();
    void freshIdsPerCall_data();
    void freshIdsPerCall();
    void fillReplacesPlaceholders();
    void missingTemplateIsAnError();
    void signedEventVerifies_data();
    void signedEventVerifies();
};

void TestSamples::everyProviderHasATemplate()
{
    const samples::SampleEventFactory factory;
    const QStringList templates = factory.providers();
    for (const QString &provider : providers::ProviderRegistry::names())
        QVERIFY2(templates.contains(provider), qPrintable(provider));
}

void TestSamples::freshIdsPerCall_data()
{
    QTest::addColumn<QString>("provider");
    for (const QString &provider : providers::ProviderRegistry::names())
        QTest::newRow(qPrintable(provider)) << provider;
}

void TestSamples::freshIdsPerCall()
{
    QFETCH(QString, provider);
    ManualClock clock(1'760'000'000'000);
    const samples::SampleEventFactory factory(clock);
    const config::SourceConfig source = sourceFor(provider);
    auto first = factory.build(source);
    QVERIFY2(first, qPrintable(first ? QString() : first.error().message));
    auto second = factory.build(source);
    QVERIFY(second);

    const http::HttpRequest &request = first->request;
    QCOMPARE(request.method, QByteArray("POST"));
    QCOMPARE(request.target, "/webhooks/" + source.name.toUtf8());
    QVERIFY(!request.body.isEmpty());
    QVERIFY2(!request.body.contains("{{") && !request.headers.isEmpty(), request.body.left(200).constData());
    for (const auto &[name, value] : request.headers)
        QVERIFY2(!value.contains("{{"), name.constData());

    const providers::Verifier *verifier = providers::ProviderRegistry::find(provider);
    QVERIFY(verifier);
    const auto key1 = verifier->idempotencyKey(request, parse(request));
    const auto key2 = verifier->idempotencyKey(second->request, parse(second->request));
    // Every call is a new delivery: its idempotency key (delivery id or body hash) differs.
    const QByteArray k1 = key1.key.isEmpty() ? providers::Verifier::bodyHashKey(request.body).key : key1.key;
    const QByteArray k2 = key2.key.isEmpty() ? providers::Verifier::bodyHashKey(second->request.body).key : key2.key;
    QVERIFY2(k1 != k2, k1.constData());
    if (request.header("Content-Type").startsWith("application/json"))
        QVERIFY(QJsonDocument::fromJson(request.body).isObject());
}

void TestSamples::fillReplacesPlaceholders()
{
    const qint64 nowMs = 1'760'000'000'123;
    const QByteArray out = samples::SampleEventFactory::fill(
        R"({"id":"evt_{{hex24}}","again":"{{hex24}}","t":"{{now:int}}","s":"{{now}}","iso":"{{now_iso}}","u":"{{uuid}}"})",
        nowMs);
    const QJsonObject o = QJsonDocument::fromJson(out).object();
    QVERIFY2(!o.isEmpty(), out.constData());
    QCOMPARE(o.value(u"id"_s).toString().size(), 4 + 24);
    QCOMPARE(o.value(u"id"_s).toString().mid(4), o.value(u"again"_s).toString()); // one value per call
    QCOMPARE(o.value(u"t"_s).toInteger(), 1'760'000'000);                         // a number now
    QCOMPARE(o.value(u"s"_s).toString(), u"1760000000"_s);
    QCOMPARE(o.value(u"iso"_s).toString(), u"2025-10-09T08:53:20.123Z"_s);
    QCOMPARE(o.value(u"u"_s).toString().size(), 36);
}

void TestSamples::missingTemplateIsAnError()
{
    const samples::SampleEventFactory factory;
    config::SourceConfig source = sourceFor(u"stripe"_s);
    source.provider = u"carrier-pigeon"_s;
    auto event = factory.build(source);
    QVERIFY(!event);
    QCOMPARE(event.error().code, u"template_missing"_s);
    QVERIFY(event.error().message.contains(u"carrier-pigeon"_s));
}

void TestSamples::signedEventVerifies_data()
{
    freshIdsPerCall_data();
}

void TestSamples::signedEventVerifies()
{
    QFETCH(QString, provider);
    const samples::SampleEventFactory factory;
    const config::SourceConfig source = sourceFor(provider);
    auto event = factory.buildSigned(source);
    if (!event && event.error().code == u"unsupported"_s)
        QSKIP(qPrintable(u"%1 cannot sign yet: %2"_s.arg(provider, event.error().message)));
    QVERIFY2(event, qPrintable(event ? QString() : event.error().message));
    const providers::Verifier *verifier = providers::ProviderRegistry::find(provider);
    const providers::VerifyResult result =
        verifier->verify({event->request, source, QDateTime::currentSecsSinceEpoch()});
    QVERIFY2(result.ok, qPrintable(result.reason + u": "_s + result.detail));
}

QTEST_APPLESS_MAIN(TestSamples)
#include "test_samples.moc"
