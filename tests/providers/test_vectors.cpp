// The providers' official SDK vectors, case by case: every check in signatures.json is rebuilt
// the way sign-with-official-sdks.mjs built it and must get the SDK's verdict.

#include <functional>

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include "core/providers/generic_hmac_verifier.h"
#include "core/providers/provider_registry.h"
#include "core/providers/twilio_verifier.h"
#include "core/util/clock.h"
#include "core/util/crypto.h"
#include "tests/providers/test_providers.h"

using namespace Qt::StringLiterals;

namespace hookbench::tests {

namespace {

using providers::ProviderRegistry;
using providers::VerifyInput;
using providers::VerifyResult;

// JSON.stringify(JSON.parse(common-body.json)) as Node prints it (keys in document order, '/'
// unescaped, non-ASCII literal); QJsonDocument would sort the keys, so the text is fixed here.
const QByteArray kReserialized =
    R"({"id":"evt_hookbench_0001","object":"event","type":"customer.created","data":{"object":{"id":"cus_hookbench_0001","object":"customer","name":"Zoë Ünïcode ✓","note":"tab\tquote\" slash/ é"}}})";

// Old secrets the signer tool used that signatures.json does not list.
const QByteArray kGithubOldSecret = "hookbench-github-OLD-secret";

// The signer's tamperOneByte(): bump the last ASCII letter or digit (z->y, 9->8).
QByteArray tamperOneByte(QByteArray body)
{
    for (qsizetype i = body.size() - 1; i >= 0; --i) {
        const char c = body[i];
        if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
            body[i] = c == 'z' ? 'y' : c == '9' ? '8' : static_cast<char>(c + 1);
            return body;
        }
    }
    return body;
}

// String.prototype.replace with a string pattern: the first occurrence only.
QByteArray replaceFirst(QByteArray text, QByteArrayView from, QByteArrayView to)
{
    const qsizetype at = text.indexOf(from);
    if (at >= 0)
        text.replace(at, from.size(), to);
    return text;
}

http::HeaderList headersFrom(const QJsonObject &object)
{
    http::HeaderList headers;
    for (auto it = object.begin(); it != object.end(); ++it)
        headers.append({it.key().toUtf8(), it.value().toString().toUtf8()});
    return headers;
}

http::HeaderList withHeader(http::HeaderList headers, const QByteArray &name, const QByteArray &value)
{
    bool replaced = false;
    for (auto &header : headers) {
        if (header.first.compare(name, Qt::CaseInsensitive) == 0) {
            header.second = value;
            replaced = true;
        }
    }
    if (!replaced)
        headers.append({name, value});
    return headers;
}

http::HeaderList withoutHeader(http::HeaderList headers, const QByteArray &name)
{
    headers.removeIf([&](const auto &header) { return header.first.compare(name, Qt::CaseInsensitive) == 0; });
    return headers;
}

QByteArray headerValue(const http::HeaderList &headers, QByteArrayView name)
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QByteArray utf8(const QJsonValue &value)
{
    return value.toString().toUtf8();
}

struct Builder
{
    QString provider;
    QByteArray body;
    http::HeaderList headers;
    QList<QByteArray> secrets;
    qint64 now = 0;

    VectorCase make(const QByteArray &caseBody, const http::HeaderList &caseHeaders, qint64 caseNow,
                    const QByteArray &target = "/webhooks/test") const
    {
        VectorCase c;
        c.provider = provider;
        c.request = makeRequest(caseHeaders, caseBody, target);
        c.source = makeSource(provider, secrets);
        c.nowSecs = caseNow;
        return c;
    }
    VectorCase make() const { return make(body, headers, now); }
};

// Rebuilds one check of one provider; a label without a recipe yields a failing row.
VectorCase buildCase(const QJsonObject &p, const QString &label, const QByteArray &body, qint64 now)
{
    const QString provider = p.value("provider"_L1).toString();
    const qint64 t = p.value("timestamp"_L1).toInteger();
    Builder b{provider, body, headersFrom(p.value("headers"_L1).toObject()), {utf8(p.value("secret"_L1))}, now};
    VectorCase c;
    const auto problem = [&] {
        VectorCase bad;
        bad.problem = u"no reconstruction for %1 check \"%2\""_s.arg(provider, label);
        return bad;
    };

    if (provider == "stripe"_L1) {
        const QByteArray header = headerValue(b.headers, "Stripe-Signature");
        const QByteArray secret = b.secrets.constFirst();
        const QByteArray v1 = header.mid(header.indexOf("v1=") + 3);
        const QByteArray bad = QByteArray(R"({"id":"evt_bad_utf8","x":")") + '\xFF' + "\"}";
        const auto stripeHeader = [&](const QByteArray &value) {
            return http::HeaderList{{"Stripe-Signature", value}};
        };
        if (label == "raw body (Buffer)"_L1)
            c = b.make();
        else if (label == "one-byte tamper"_L1)
            c = b.make(tamperOneByte(body), b.headers, now), c.expectReason = u"signature_mismatch"_s;
        else if (label.startsWith("re-serialized JSON"_L1))
            c = b.make(kReserialized, b.headers, now);
        else if (label == "wrong secret"_L1)
            b.secrets = {secret + 'x'}, c = b.make();
        else if (label.startsWith("rotation:"_L1))
            c = b.make(body, stripeHeader(utf8(p.value("rotationHeader"_L1))), now);
        else if (label == "same signature under v0= only"_L1)
            c = b.make(body, stripeHeader("t=" + QByteArray::number(t) + ",v0=" + v1), now),
            c.expectReason = u"missing_signature"_s;
        else if (label.startsWith("received at t+301"_L1))
            c = b.make(body, b.headers, t + 301), c.expectReason = u"timestamp_out_of_tolerance"_s;
        else if (label == "received at t+300"_L1)
            c = b.make(body, b.headers, t + 300);
        else if (label.startsWith("received at t-3600"_L1))
            c = b.make(body, b.headers, t - 3600);
        else if (label == "quirk: space after comma in header"_L1)
            c = b.make(body, stripeHeader(replaceFirst(header, ",", ", ")), now),
            c.expectReason = u"missing_signature"_s;
        else if (label.startsWith("quirk: second t="_L1))
            c = b.make(body, stripeHeader(header + ",t=" + QByteArray::number(t + 1)), now);
        else if (label.startsWith("quirk: t= with a leading zero"_L1))
            c = b.make(body, stripeHeader(replaceFirst(header, "t=", "t=0")), now);
        else if (label == "quirk: invalid UTF-8 body, HMAC of raw bytes"_L1)
            c = b.make(bad,
                       stripeHeader("t=" + QByteArray::number(t) + ",v1="
                                    + util::Crypto::hmacSha256(secret, QByteArray::number(t) + '.' + bad).toHex()),
                       now);
        else if (label == "quirk: invalid UTF-8 body, HMAC of U+FFFD text"_L1) {
            // Built independently of the verifier: U+FFFD written out as EF BF BD.
            const QByteArray replaced = QByteArray(R"({"id":"evt_bad_utf8","x":")") + "\xEF\xBF\xBD\"}";
            c = b.make(bad,
                       stripeHeader("t=" + QByteArray::number(t) + ",v1="
                                    + util::Crypto::hmacSha256(secret, QByteArray::number(t) + '.' + replaced).toHex()),
                       now);
        } else
            return problem();
    } else if (provider == "github"_L1) {
        const QByteArray sig = headerValue(b.headers, "X-Hub-Signature-256");
        if (label == "raw body"_L1)
            c = b.make();
        else if (label == "one-byte tamper"_L1)
            c = b.make(tamperOneByte(body), b.headers, now), c.expectReason = u"signature_mismatch"_s;
        else if (label == "re-serialized JSON"_L1)
            c = b.make(kReserialized, b.headers, now);
        else if (label == "uppercase hex digest"_L1)
            c = b.make(body, withHeader(b.headers, "X-Hub-Signature-256", "sha256=" + sig.mid(7).toUpper()), now);
        else if (label.startsWith("rotation: signed with old"_L1)) {
            const QByteArray old = "sha256=" + util::Crypto::hmacSha256(kGithubOldSecret, body).toHex();
            b.secrets.append(kGithubOldSecret);
            c = b.make(body, withHeader(withoutHeader(b.headers, "X-Hub-Signature"), "X-Hub-Signature-256", old), now);
            c.expectMatched = 1;
        } else
            return problem();
    } else if (provider == "shopify"_L1) {
        if (label == "raw body"_L1)
            c = b.make();
        else if (label == "one-byte tamper"_L1)
            c = b.make(tamperOneByte(body), b.headers, now), c.expectReason = u"signature_mismatch"_s;
        else if (label == "re-serialized JSON"_L1)
            c = b.make(kReserialized, b.headers, now);
        else if (label == "hex digest instead of base64"_L1)
            c = b.make(body,
                       withHeader(b.headers, "X-Shopify-Hmac-Sha256",
                                  util::Crypto::hmacSha256(b.secrets.constFirst(), body).toHex()),
                       now);
        else if (label == "missing X-Shopify-Webhook-Id"_L1)
            c = b.make(body, withoutHeader(b.headers, "X-Shopify-Webhook-Id"), now),
            c.expectReason = u"missing_headers"_s;
        else
            return problem();
    } else if (provider == "slack"_L1) {
        if (label == "raw body"_L1)
            c = b.make();
        else if (label == "one-byte tamper"_L1)
            c = b.make(tamperOneByte(body), b.headers, now), c.expectReason = u"signature_mismatch"_s;
        else if (label == "re-serialized JSON"_L1)
            c = b.make(kReserialized, b.headers, now);
        else if (label.startsWith("now = t+301"_L1))
            c = b.make(body, b.headers, t + 301), c.expectReason = u"timestamp_out_of_tolerance"_s;
        else if (label == "now = t+300"_L1)
            c = b.make(body, b.headers, t + 300);
        else if (label.startsWith("now = t-3600"_L1))
            c = b.make(body, b.headers, t - 3600);
        else
            return problem();
    } else if (provider == "twilio"_L1) {
        b.provider = u"twilio"_s;
        const QJsonObject json = p.value("json"_L1).toObject();
        const QJsonObject form = p.value("form"_L1).toObject();
        const QByteArray jsonUrl = utf8(json.value("url"_L1));
        const QByteArray formUrl = utf8(form.value("url"_L1));
        const QByteArray formBody = utf8(form.value("body"_L1));
        const QByteArray jsonTarget = jsonUrl.mid(jsonUrl.indexOf("/webhooks/"));
        const QByteArray formTarget = formUrl.mid(formUrl.indexOf("/webhooks/"));
        const http::HeaderList jsonHeaders{
            {"Host", "example.com"},
            {"Content-Type", "application/json"},
            {"X-Twilio-Signature", utf8(json.value("headers"_L1)["X-Twilio-Signature"_L1])}};
        const http::HeaderList formHeaders{
            {"Host", "example.com"},
            {"Content-Type", "application/x-www-form-urlencoded"},
            {"X-Twilio-Signature", utf8(form.value("headers"_L1)["X-Twilio-Signature"_L1])}};
        // The URL configured in Twilio; the query Twilio added (bodySHA256) comes from the request.
        const QByteArray publicBase = "https://example.com/webhooks/twilio";
        const auto jsonCase = [&](const QByteArray &caseBody, const QByteArray &publicUrl) {
            VectorCase v = b.make(caseBody, jsonHeaders, now, jsonTarget);
            v.source.publicUrl = publicUrl;
            return v;
        };
        const auto formCase = [&](const QByteArray &caseBody, const QByteArray &publicUrl) {
            VectorCase v = b.make(caseBody, formHeaders, now, formTarget);
            v.source.publicUrl = publicUrl;
            return v;
        };
        if (label == "JSON: raw body"_L1)
            c = jsonCase(body, publicBase);
        else if (label == "JSON: one-byte tamper"_L1)
            c = jsonCase(tamperOneByte(body), publicBase);
        else if (label == "JSON: re-serialized body"_L1)
            c = jsonCase(kReserialized, publicBase);
        else if (label == "JSON: URL with :443 added"_L1)
            c = jsonCase(body, "https://example.com:443/webhooks/twilio");
        else if (label.startsWith("JSON: http:// instead of https://"_L1))
            c = jsonCase(body, {}); // no public URL: http://<Host><target>, as a proxy would present it
        else if (label == "form: params as received"_L1)
            c = formCase(formBody, formUrl);
        else if (label == "form: one param value changed by one byte"_L1)
            c = formCase(replaceFirst(formBody, "To=%2B14155550199", "To=%2B14155550198"), formUrl);
        else if (label == "form: extra param added"_L1)
            c = formCase(formBody + "&Extra=1", formUrl);
        else if (label.startsWith("form: different host"_L1))
            c = formCase(formBody, replaceFirst(formUrl, "example.com", "internal:8080"));
        else
            return problem();
    } else if (provider == "standardwebhooks"_L1 || provider == "svix"_L1) {
        b.provider = u"standard-webhooks"_s;
        const QByteArray brand = provider == "svix"_L1 ? "svix" : "webhook";
        const QByteArray sig = headerValue(b.headers, QByteArray(brand + "-signature"));
        const QByteArray id = headerValue(b.headers, QByteArray(brand + "-id"));
        if (label == "raw body (Buffer)"_L1)
            c = b.make();
        else if (label == "one-byte tamper"_L1)
            c = b.make(tamperOneByte(body), b.headers, now), c.expectReason = u"signature_mismatch"_s;
        else if (label == "re-serialized JSON"_L1)
            c = b.make(kReserialized, b.headers, now);
        else if (label == "different id, same signature"_L1)
            c = b.make(body, withHeader(b.headers, brand + "-id", id + 'x'), now);
        else if (label.startsWith("rotation:"_L1))
            c = b.make(body, withHeader(b.headers, brand + "-signature", utf8(p.value("rotationSignature"_L1))), now);
        else if (label == "signature under v1a, only"_L1)
            c = b.make(body, withHeader(b.headers, brand + "-signature", replaceFirst(sig, "v1,", "v1a,")), now);
        else if (label.startsWith("now = t+301"_L1))
            c = b.make(body, b.headers, t + 301), c.expectReason = u"timestamp_out_of_tolerance"_s;
        else if (label.startsWith("now = t-301"_L1))
            c = b.make(body, b.headers, t - 301), c.expectReason = u"timestamp_out_of_tolerance"_s;
        else if (label == "now = t+300"_L1)
            c = b.make(body, b.headers, t + 300);
        else if (label.startsWith("quirk: timestamp"_L1))
            c = b.make(body, withHeader(b.headers, brand + "-timestamp", QByteArray::number(t) + "abc"), now);
        else if (label == "quirk: signature without base64 padding"_L1) {
            QByteArray unpadded = sig;
            while (unpadded.endsWith('='))
                unpadded.chop(1);
            c = b.make(body, withHeader(b.headers, brand + "-signature", unpadded), now);
        } else if (label == "svix SDK, unbranded webhook-* headers"_L1)
            c = b.make(body,
                       {{"webhook-id", id}, {"webhook-timestamp", QByteArray::number(t)}, {"webhook-signature", sig}},
                       now);
        else
            return problem();
    } else {
        return problem();
    }
    return c;
}

void check(const VectorCase &c)
{
    if (!c.problem.isEmpty())
        QFAIL(qPrintable(c.problem));
    const providers::Verifier *verifier = ProviderRegistry::find(c.provider);
    QVERIFY2(verifier, qPrintable(c.provider));
    // The receiver reads "now" from its clock; here the clock stands where the SDK check put it.
    const ManualClock clock(c.nowSecs * 1000);
    const VerifyResult r = verifier->verify(VerifyInput{c.request, c.source, clock.nowSecs()});
    QVERIFY2(r.ok == c.expectOk,
             qPrintable(u"got %1 (%2: %3)"_s.arg(r.ok ? u"ACCEPT"_s : u"REJECT"_s, r.reason, r.detail)));
    if (r.ok) {
        QVERIFY(r.reason.isEmpty());
        QVERIFY(r.matchedSecret >= 0);
        if (c.expectMatched >= 0)
            QCOMPARE(r.matchedSecret, c.expectMatched);
    } else {
        QVERIFY(!r.reason.isEmpty());
        QVERIFY(!r.detail.isEmpty());
        QCOMPARE(r.matchedSecret, -1);
        if (!c.expectReason.isEmpty())
            QCOMPARE(r.reason, c.expectReason);
    }
}

} // namespace

void TestProviders::vectors_data()
{
    QTest::addColumn<VectorCase>("vector");
    const QJsonDocument doc = QJsonDocument::fromJson(readTestData(u"vectors/signatures.json"_s));
    QVERIFY(doc.isObject());
    const QByteArray body = readTestData(u"vectors/common-body.json"_s);
    QCOMPARE(body.size(), 265);
    QCOMPARE(util::Crypto::sha256Hex(body), utf8(doc["bodySha256"_L1]));
    // The fixed re-serialisation is the same document, but other bytes.
    QCOMPARE(QJsonDocument::fromJson(kReserialized), QJsonDocument::fromJson(body));
    QVERIFY(kReserialized != body);
    const qint64 now = doc["now"_L1].toInteger();

    int rows = 0;
    for (const QJsonValue provider : doc["providers"_L1].toArray()) {
        const QJsonObject p = provider.toObject();
        for (const QJsonValue checkValue : p["checks"_L1].toArray()) {
            const QJsonObject check = checkValue.toObject();
            const QString label = check["label"_L1].toString();
            VectorCase c = buildCase(p, label, body, now);
            c.expectOk = check["result"_L1].toString() == "ACCEPT"_L1;
            QTest::addRow("%s: %s", qPrintable(p["provider"_L1].toString()), qPrintable(label)) << c;
            ++rows;
        }
    }
    QCOMPARE(rows, 14 + 5 + 5 + 6 + 9 + 11 + 12);
}

void TestProviders::vectors()
{
    QFETCH(VectorCase, vector);
    check(vector);
}

void TestProviders::anchors_data()
{
    QTest::addColumn<VectorCase>("vector");
    const QJsonDocument doc = QJsonDocument::fromJson(readTestData(u"vectors/signatures.json"_s));
    const QByteArray twilioUrl = "https://mycompany.com/myapp.php?foo=1&bar=2";
    const QByteArray twilioHash = "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";
    const QByteArray swBody = R"({"test": 2432232314})";
    for (const QJsonValue value : doc["anchors"_L1].toArray()) {
        const QJsonObject anchor = value.toObject();
        const QString name = anchor["name"_L1].toString();
        const QByteArray got = utf8(anchor["got"_L1]);
        VectorCase c;
        // Inputs as published (see the "source" of each anchor).
        if (name.startsWith("github docs"_L1)) {
            c.provider = u"github"_s;
            c.request = makeRequest({{"X-Hub-Signature-256", got}}, "Hello, World!");
            c.source = makeSource(c.provider, {"It's a Secret to Everybody"});
        } else if (name.startsWith("octokit"_L1)) {
            c.provider = u"github"_s;
            c.request = makeRequest({{"X-Hub-Signature-256", got}}, R"({"foo":"bar"})");
            c.source = makeSource(c.provider, {"mysecret"});
        } else if (name.startsWith("shopify"_L1)) {
            c.provider = u"shopify"_s;
            c.request = makeRequest({{"X-Shopify-Hmac-Sha256", got},
                                     {"X-Shopify-Topic", "orders/create"},
                                     {"X-Shopify-Shop-Domain", "x.myshopify.com"},
                                     {"X-Shopify-API-Version", "2025-01"},
                                     {"X-Shopify-Webhook-Id", "w1"}},
                                    R"({"foo": "bar"})");
            c.source = makeSource(c.provider, {"test_secret_key"});
        } else if (name.startsWith("slack docs"_L1)) {
            c.provider = u"slack"_s;
            c.request = makeRequest(
                {{"X-Slack-Request-Timestamp", "1531420618"},
                 {"X-Slack-Signature", "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"},
                 {"Content-Type", "application/x-www-form-urlencoded"}},
                "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c");
            c.source = makeSource(c.provider, {"8f742231b10e8888abcd99yyyzzz85a5"});
            c.nowSecs = 1531420618;
        } else if (name.startsWith("twilio: form"_L1)) {
            c.provider = u"twilio"_s;
            c.request = makeRequest(
                {{"X-Twilio-Signature", got}, {"Content-Type", "application/x-www-form-urlencoded"}},
                "CallSid=CA1234567890ABCDE&Caller=%2B14158675309&Digits=1234&From=%2B14158675309&To=%2B18005551212",
                "/myapp.php?foo=1&bar=2");
            c.source = makeSource(c.provider, {"12345"});
            c.source.publicUrl = twilioUrl;
        } else if (name.startsWith("twilio: JSON"_L1)) {
            c.provider = u"twilio"_s;
            c.request = makeRequest({{"X-Twilio-Signature", got}, {"Content-Type", "application/json"}},
                                    R"({"property": "value", "boolean": true})",
                                    "/myapp.php?foo=1&bar=2&bodySHA256=" + twilioHash);
            c.source = makeSource(c.provider, {"12345"});
            c.source.publicUrl = "https://mycompany.com/myapp.php";
        } else if (name.startsWith("standardwebhooks"_L1) || name.startsWith("svix"_L1)) {
            const QByteArray brand = name.startsWith("svix"_L1) ? "svix" : "webhook";
            c.provider = u"standard-webhooks"_s;
            c.request = makeRequest({{brand + "-id", "msg_p5jXN8AQM9LWM0D4loKWxJek"},
                                     {brand + "-timestamp", "1614265330"},
                                     {brand + "-signature", got}},
                                    swBody);
            c.source = makeSource(c.provider, {"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"});
            c.nowSecs = 1614265330;
        } else {
            c.problem = u"no reconstruction for anchor \"%1\""_s.arg(name);
        }
        c.expectOk = anchor["pass"_L1].toBool();
        QTest::addRow("%s", qPrintable(name)) << c;
    }
}

void TestProviders::anchors()
{
    QFETCH(VectorCase, vector);
    check(vector);
}

} // namespace hookbench::tests
