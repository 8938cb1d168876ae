// Reason codes and diagnostics: what a user sees when a request is rejected, and the schemes
// without SDK vectors (generic HMAC, none).

#include <QTest>

#include "core/providers/generic_hmac_verifier.h"
#include "core/providers/provider_registry.h"
#include "core/providers/twilio_verifier.h"
#include "core/util/crypto.h"
#include "tests/providers/test_providers.h"

using namespace Qt::StringLiterals;

namespace hookbench::tests {

namespace {

using providers::ProviderRegistry;
using providers::VerifyInput;
using providers::VerifyResult;

constexpr qint64 kT = 1700000000;
const QByteArray kBody = R"({"id":"evt_1","type":"x"})";

VerifyResult run(const QString &provider, const http::HeaderList &headers, const QList<QByteArray> &secrets, qint64 now,
                 const QByteArray &body = kBody)
{
    const http::HttpRequest request = makeRequest(headers, body);
    const config::SourceConfig source = makeSource(provider, secrets);
    return ProviderRegistry::find(provider)->verify(VerifyInput{request, source, now});
}

QByteArray stripeHeader(const QByteArray &secret, qint64 t, const QByteArray &body = kBody)
{
    return "t=" + QByteArray::number(t)
           + ",v1=" + util::Crypto::hmacSha256(secret, QByteArray::number(t) + '.' + body).toHex();
}

QByteArray slackSignature(const QByteArray &secret, qint64 t)
{
    return "v0=" + util::Crypto::hmacSha256(secret, "v0:" + QByteArray::number(t) + ':' + kBody).toHex();
}

QByteArray swSignature(qint64 t)
{
    const QByteArray key = QByteArray::fromBase64("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    return "v1," + util::Crypto::hmacSha256(key, "msg_1." + QByteArray::number(t) + '.' + kBody).toBase64();
}

} // namespace

void TestProviders::reasonCodes_data()
{
    QTest::addColumn<QString>("provider");
    QTest::addColumn<http::HeaderList>("headers");
    QTest::addColumn<qint64>("now");
    QTest::addColumn<QString>("reason");

    const QByteArray s = "whsec_test";
    QTest::newRow("stripe missing") << u"stripe"_s << http::HeaderList{} << kT << u"missing_signature"_s;
    QTest::newRow("stripe garbage") << u"stripe"_s << http::HeaderList{{"Stripe-Signature", "garbage"}} << kT
                                    << u"malformed_signature_header"_s;
    QTest::newRow("stripe t not a number") << u"stripe"_s << http::HeaderList{{"Stripe-Signature", "t=abc,v1=00"}} << kT
                                           << u"malformed_signature_header"_s;
    QTest::newRow("stripe stale") << u"stripe"_s << http::HeaderList{{"Stripe-Signature", stripeHeader(s, kT)}}
                                  << kT + 301 << u"timestamp_out_of_tolerance"_s;
    QTest::newRow("stripe mismatch") << u"stripe"_s << http::HeaderList{{"Stripe-Signature", stripeHeader("other", kT)}}
                                     << kT << u"signature_mismatch"_s;
    QTest::newRow("stripe stale and mismatch: signature first")
        << u"stripe"_s << http::HeaderList{{"Stripe-Signature", stripeHeader("other", kT)}} << kT + 9999
        << u"signature_mismatch"_s;
    QTest::newRow("github missing") << u"github"_s << http::HeaderList{} << kT << u"missing_signature"_s;
    QTest::newRow("github garbage") << u"github"_s << http::HeaderList{{"X-Hub-Signature-256", "garbage"}} << kT
                                    << u"malformed_signature_header"_s;
    QTest::newRow("github sha1 fallback mismatch")
        << u"github"_s << http::HeaderList{{"X-Hub-Signature", "sha1=00"}} << kT << u"signature_mismatch"_s;
    QTest::newRow("shopify missing") << u"shopify"_s << http::HeaderList{} << kT << u"missing_signature"_s;
    QTest::newRow("shopify garbage") << u"shopify"_s << http::HeaderList{{"X-Shopify-Hmac-Sha256", "garbage"}} << kT
                                     << u"signature_mismatch"_s;
    QTest::newRow("slack missing") << u"slack"_s << http::HeaderList{{"X-Slack-Request-Timestamp", "1700000000"}} << kT
                                   << u"missing_signature"_s;
    QTest::newRow("slack no timestamp") << u"slack"_s << http::HeaderList{{"X-Slack-Signature", slackSignature(s, kT)}}
                                        << kT << u"missing_headers"_s;
    QTest::newRow("slack garbage") << u"slack"_s
                                   << http::HeaderList{{"X-Slack-Request-Timestamp", "1700000000"},
                                                       {"X-Slack-Signature", "garbage"}}
                                   << kT << u"malformed_signature_header"_s;
    QTest::newRow("slack timestamp garbage")
        << u"slack"_s
        << http::HeaderList{{"X-Slack-Request-Timestamp", "soon"}, {"X-Slack-Signature", slackSignature(s, kT)}} << kT
        << u"malformed_signature_header"_s;
    QTest::newRow("slack stale") << u"slack"_s
                                 << http::HeaderList{{"X-Slack-Request-Timestamp", "1700000000"},
                                                     {"X-Slack-Signature", slackSignature(s, kT)}}
                                 << kT + 301 << u"timestamp_out_of_tolerance"_s;
    QTest::newRow("twilio missing") << u"twilio"_s << http::HeaderList{{"Host", "example.com"}} << kT
                                    << u"missing_signature"_s;
    const http::HeaderList swOk{
        {"webhook-id", "msg_1"}, {"webhook-timestamp", "1700000000"}, {"webhook-signature", swSignature(kT)}};
    QTest::newRow("standard-webhooks missing")
        << u"standard-webhooks"_s << http::HeaderList{{"webhook-id", "msg_1"}, {"webhook-timestamp", "1700000000"}}
        << kT << u"missing_signature"_s;
    QTest::newRow("standard-webhooks no id")
        << u"standard-webhooks"_s
        << http::HeaderList{{"webhook-timestamp", "1700000000"}, {"webhook-signature", swSignature(kT)}} << kT
        << u"missing_headers"_s;
    QTest::newRow("standard-webhooks garbage") << u"standard-webhooks"_s
                                               << http::HeaderList{{"webhook-id", "msg_1"},
                                                                   {"webhook-timestamp", "1700000000"},
                                                                   {"webhook-signature", "garbage"}}
                                               << kT << u"malformed_signature_header"_s;
    QTest::newRow("standard-webhooks other scheme") << u"standard-webhooks"_s
                                                    << http::HeaderList{{"webhook-id", "msg_1"},
                                                                        {"webhook-timestamp", "1700000000"},
                                                                        {"webhook-signature", "v1a,abc"}}
                                                    << kT << u"missing_signature"_s;
    QTest::newRow("standard-webhooks timestamp garbage") << u"standard-webhooks"_s
                                                         << http::HeaderList{{"webhook-id", "msg_1"},
                                                                             {"webhook-timestamp", "later"},
                                                                             {"webhook-signature", swSignature(kT)}}
                                                         << kT << u"malformed_signature_header"_s;
    QTest::newRow("standard-webhooks stale")
        << u"standard-webhooks"_s << swOk << kT + 301 << u"timestamp_out_of_tolerance"_s;
    QTest::newRow("standard-webhooks future")
        << u"standard-webhooks"_s << swOk << kT - 301 << u"timestamp_out_of_tolerance"_s;
    QTest::newRow("standard-webhooks ok") << u"standard-webhooks"_s << swOk << kT << QString();
    QTest::newRow("stripe ok") << u"stripe"_s << http::HeaderList{{"Stripe-Signature", stripeHeader(s, kT)}} << kT
                               << QString();
    QTest::newRow("slack ok") << u"slack"_s
                              << http::HeaderList{{"X-Slack-Request-Timestamp", "1700000000"},
                                                  {"X-Slack-Signature", slackSignature(s, kT)}}
                              << kT << QString();
}

void TestProviders::reasonCodes()
{
    QFETCH(QString, provider);
    QFETCH(http::HeaderList, headers);
    QFETCH(qint64, now);
    QFETCH(QString, reason);
    const QByteArray secret =
        provider == u"standard-webhooks" ? "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" : "whsec_test";
    const VerifyResult r = run(provider, headers, {secret}, now);
    QCOMPARE(r.reason, reason);
    QCOMPARE(r.ok, reason.isEmpty());
    QVERIFY(!r.detail.isEmpty());
}

void TestProviders::diagnostics()
{
    // Stripe: the inspector shows what was signed, what was expected, what arrived, and the skew.
    const QByteArray body = readTestData(u"vectors/common-body.json"_s);
    const QByteArray header = "t=1700000000,v1=5a19297fd94707c136adbf313b271c3bfe5f299243b496531eea4633473c47ad";
    const http::HttpRequest request = makeRequest({{"Stripe-Signature", header}}, body);
    config::SourceConfig source = makeSource(u"stripe"_s, {"whsec_wrong", "whsec_hookbench_stripe_test_secret"});
    const providers::Verifier *stripe = ProviderRegistry::find(u"stripe"_s);
    VerifyResult r = stripe->verify(VerifyInput{request, source, kT + 5});
    QVERIFY(r.ok);
    QCOMPARE(r.matchedSecret, 1);
    QCOMPARE(r.signedContent, "1700000000." + body);
    QCOMPARE(r.received, header);
    QCOMPARE(r.expected, util::Crypto::hmacSha256("whsec_wrong", "1700000000." + body).toHex());
    QVERIFY(r.hasTimestamp);
    QCOMPARE(r.skewSeconds, 5);

    source.secrets = {"whsec_hookbench_stripe_test_secret"};
    r = stripe->verify(VerifyInput{request, source, kT + 400});
    QCOMPARE(r.reason, u"timestamp_out_of_tolerance"_s);
    QCOMPARE(r.skewSeconds, 400);
    QVERIFY2(r.detail.contains(u"400"), qPrintable(r.detail));
    QCOMPARE(r.expected, QByteArray("5a19297fd94707c136adbf313b271c3bfe5f299243b496531eea4633473c47ad"));

    // A configured tolerance replaces the default.
    source.toleranceSeconds = 600;
    QVERIFY(stripe->verify(VerifyInput{request, source, kT + 400}).ok);

    // Slack: expected is in the header's own form.
    const QByteArray slackSig = slackSignature("whsec_test", kT);
    r = run(u"slack"_s, {{"X-Slack-Request-Timestamp", "01700000000"}, {"X-Slack-Signature", slackSig}}, {"whsec_test"},
            kT);
    QVERIFY2(r.ok, qPrintable(r.detail)); // parseInt: the leading zero is dropped before signing
    QCOMPARE(r.expected, slackSig);
    QCOMPARE(r.signedContent, "v0:1700000000:" + kBody);

    // Standard Webhooks: signed content and skew into the future.
    r = run(u"standard-webhooks"_s,
            {{"webhook-id", "msg_1"}, {"webhook-timestamp", "1700000000"}, {"webhook-signature", swSignature(kT)}},
            {"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}, kT - 10);
    QVERIFY(r.ok);
    QCOMPARE(r.skewSeconds, -10);
    QCOMPARE(r.signedContent, "msg_1.1700000000." + kBody);
    QCOMPARE(r.expected, swSignature(kT));
}

void TestProviders::rotationWithOldAndNewSecrets_data()
{
    QTest::addColumn<QString>("provider");
    QTest::addColumn<http::HeaderList>("headers");
    const QByteArray old = "whsec_old";
    QTest::newRow("stripe") << u"stripe"_s << http::HeaderList{{"Stripe-Signature", stripeHeader(old, kT)}};
    QTest::newRow("github") << u"github"_s
                            << http::HeaderList{
                                   {"X-Hub-Signature-256", "sha256=" + util::Crypto::hmacSha256(old, kBody).toHex()}};
    QTest::newRow("shopify") << u"shopify"_s
                             << http::HeaderList{
                                    {"X-Shopify-Hmac-Sha256", util::Crypto::hmacSha256(old, kBody).toBase64()},
                                    {"X-Shopify-Topic", "orders/create"},
                                    {"X-Shopify-Shop-Domain", "s"},
                                    {"X-Shopify-API-Version", "2025-01"},
                                    {"X-Shopify-Webhook-Id", "w"}};
    QTest::newRow("slack") << u"slack"_s
                           << http::HeaderList{{"X-Slack-Request-Timestamp", "1700000000"},
                                               {"X-Slack-Signature", slackSignature(old, kT)}};
}

void TestProviders::rotationWithOldAndNewSecrets()
{
    QFETCH(QString, provider);
    QFETCH(http::HeaderList, headers);
    // Newest secret first: the old one still verifies, and the result says which one matched.
    VerifyResult r = run(provider, headers, {"whsec_new", "whsec_old"}, kT);
    QVERIFY2(r.ok, qPrintable(r.detail));
    QCOMPARE(r.matchedSecret, 1);
    r = run(provider, headers, {"whsec_new"}, kT);
    QVERIFY(!r.ok);
    QCOMPARE(r.reason, u"signature_mismatch"_s);
}

void TestProviders::twilioUrlFromRequest()
{
    // Vector form body signed for https://example.com/webhooks/twilio?source=hookbench.
    const QByteArray body = readTestData(u"vectors/twilio-form-body.txt"_s);
    const http::HeaderList headers{{"Host", "example.com"},
                                   {"Content-Type", "application/x-www-form-urlencoded"},
                                   {"X-Twilio-Signature", "DeZhJjX/XrYQp3uDsKdMNfa4U8c="}};
    const http::HttpRequest request = makeRequest(headers, body, "/webhooks/twilio?source=hookbench");
    config::SourceConfig source = makeSource(u"twilio"_s, {"12345"});
    const providers::Verifier *twilio = ProviderRegistry::find(u"twilio"_s);

    // Without public_url the URL is http://<Host><target>: not what Twilio signed.
    QCOMPARE(providers::TwilioVerifier::signedUrl(request, source),
             "http://example.com/webhooks/twilio?source=hookbench");
    VerifyResult r = twilio->verify(VerifyInput{request, source, kT});
    QCOMPARE(r.reason, u"signature_mismatch"_s);
    QVERIFY2(r.detail.contains(u"public_url"), qPrintable(r.detail));

    // public_url without a query: the request's query is used.
    source.publicUrl = "https://example.com/webhooks/twilio";
    QCOMPARE(providers::TwilioVerifier::signedUrl(request, source),
             "https://example.com/webhooks/twilio?source=hookbench");
    r = twilio->verify(VerifyInput{request, source, kT});
    QVERIFY2(r.ok, qPrintable(r.detail));
    QVERIFY(r.signedContent.startsWith("https://example.com/webhooks/twilio?source=hookbenchAccountSidACxxx"));

    // public_url with the same query, and behind a proxy that rewrites the path.
    source.publicUrl = "https://example.com/webhooks/twilio?source=hookbench";
    QVERIFY(twilio->verify(VerifyInput{request, source, kT}).ok);
    const http::HttpRequest proxied = makeRequest(headers, body, "/internal/path?source=hookbench");
    QVERIFY(twilio->verify(VerifyInput{proxied, source, kT}).ok);

    // A request with no query keeps public_url's own query.
    const http::HttpRequest noQuery = makeRequest(headers, body, "/webhooks/twilio");
    QCOMPARE(providers::TwilioVerifier::signedUrl(noQuery, source), source.publicUrl);

    // A JSON body without bodySHA256 in the URL is refused: nothing would cover the body.
    const http::HttpRequest json =
        makeRequest({{"Content-Type", "application/json"}, {"X-Twilio-Signature", "x"}}, kBody, "/webhooks/twilio");
    r = twilio->verify(VerifyInput{json, source, kT});
    QCOMPARE(r.reason, u"signature_mismatch"_s);
    QVERIFY2(r.detail.contains(u"bodySHA256"), qPrintable(r.detail));
}

void TestProviders::genericHmacRoundTrip_data()
{
    QTest::addColumn<QString>("algorithm");
    QTest::addColumn<QString>("encoding");
    QTest::addColumn<QByteArray>("prefix");
    QTest::addColumn<QByteArray>("header");
    for (const auto &algorithm : {u"sha1"_s, u"sha256"_s}) {
        for (const auto &encoding : {u"hex"_s, u"base64"_s}) {
            for (const QByteArray &prefix : {QByteArray(), QByteArray(algorithm.toLatin1() + '=')}) {
                QTest::addRow("%s %s prefix '%s'", qPrintable(algorithm), qPrintable(encoding), prefix.constData())
                    << algorithm << encoding << prefix << QByteArray("X-Custom-Signature");
            }
        }
    }
}

void TestProviders::genericHmacRoundTrip()
{
    QFETCH(QString, algorithm);
    QFETCH(QString, encoding);
    QFETCH(QByteArray, prefix);
    QFETCH(QByteArray, header);
    config::SourceConfig source = makeSource(u"generic-hmac"_s, {"new-secret", "old-secret"});
    source.genericHmac = {header, algorithm, encoding, prefix};
    const providers::Verifier *generic = ProviderRegistry::find(u"generic-hmac"_s);

    const QByteArray signature = providers::GenericHmacVerifier::sign(source.genericHmac, "old-secret", kBody);
    // Independent computation of the same value.
    const QByteArray mac = util::Crypto::hmac(
        algorithm == u"sha1" ? util::HashAlgorithm::Sha1 : util::HashAlgorithm::Sha256, "old-secret", kBody);
    QCOMPARE(signature, prefix + (encoding == u"hex" ? mac.toHex() : mac.toBase64()));
    QCOMPARE(mac.size(), algorithm == u"sha1" ? 20 : 32);

    VerifyResult r = generic->verify(VerifyInput{makeRequest({{header, signature}}, kBody), source, kT});
    QVERIFY2(r.ok, qPrintable(r.detail));
    QCOMPARE(r.matchedSecret, 1);

    r = generic->verify(VerifyInput{makeRequest({{header, signature}}, kBody + ' '), source, kT});
    QCOMPARE(r.reason, u"signature_mismatch"_s);
    if (encoding == u"hex") {
        r = generic->verify(VerifyInput{makeRequest({{header, prefix + mac.toHex().toUpper()}}, kBody), source, kT});
        QCOMPARE(r.reason, u"signature_mismatch"_s); // canonical lowercase only
    }
    if (!prefix.isEmpty()) {
        r = generic->verify(VerifyInput{makeRequest({{header, signature.mid(prefix.size())}}, kBody), source, kT});
        QCOMPARE(r.reason, u"malformed_signature_header"_s);
    }
    r = generic->verify(VerifyInput{makeRequest({}, kBody), source, kT});
    QCOMPARE(r.reason, u"missing_signature"_s);
}

void TestProviders::noneAcceptsEverything()
{
    const providers::Verifier *none = ProviderRegistry::find(u"none"_s);
    QVERIFY(none);
    const VerifyResult r = none->verify(VerifyInput{makeRequest({}, "anything"), makeSource(u"none"_s, {}), kT});
    QVERIFY(r.ok);
    QVERIFY(r.reason.isEmpty());
}

} // namespace hookbench::tests
