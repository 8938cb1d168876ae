// Parsers and writers of captures on real files and on malformed input of each kind.

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "core/capture/capture_signer.h"
#include "core/capture/credential_redactor.h"
#include "core/capture/curl_exporter.h"
#include "core/capture/curl_importer.h"
#include "core/capture/fixture_folder_exporter.h"
#include "core/capture/fixture_folder_importer.h"
#include "core/capture/har_exporter.h"
#include "core/capture/har_importer.h"
#include "core/capture/replay_collection.h"
#include "core/capture/session_file.h"
#include "core/config/config_loader.h"
#include "core/providers/provider_registry.h"

using namespace Qt::StringLiterals;
using namespace hookbench;
using namespace hookbench::capture;

namespace {

const QString dataDir = QStringLiteral(HOOKBENCH_TEST_DATA_DIR);

config::SourceConfig sourceFor(const QString &provider, const QByteArray &secret)
{
    const QByteArray json = R"({"sources":[{"name":"src","provider":")" + provider.toUtf8() + R"(","secrets":[")"
                            + secret + R"("],"public_url":"https://example.com/webhooks/src"}]})";
    auto config = config::ConfigLoader::parse(json, u"<test>"_s);
    if (!config) {
        qWarning("%s", qPrintable(config.error().message));
        return {};
    }
    return config->sources.constFirst();
}

bool verifies(const Capture &capture, const config::SourceConfig &source)
{
    const providers::Verifier *verifier = providers::ProviderRegistry::find(source.provider);
    const http::HttpRequest request = capture.toRequest();
    const providers::VerifyResult result =
        verifier->verify(providers::VerifyInput{request, source, QDateTime::currentSecsSinceEpoch()});
    if (!result.ok)
        qWarning("%s: %s", qPrintable(result.reason), qPrintable(result.detail));
    return result.ok;
}

} // namespace

class TestCapture final : public QObject
{
    Q_OBJECT

private slots:
    void harFromChromium();
    void harKeepsRepeatedHeadersAndDecodesBase64();
    void harMalformed_data();
    void harMalformed();
    void harExportRoundTrip();
    void curlFromProviderDocs_data();
    void curlFromProviderDocs();
    void curlSeveralCommandsAndFiles();
    void curlMalformed_data();
    void curlMalformed();
    void curlExportRoundTrip();
    void resignMakesACaptureVerify();
    void fixtureFolderSignsForTheSource_data();
    void fixtureFolderSignsForTheSource();
    void fixtureFolderExportRoundTrip();
    void fixtureFolderMalformed();
    void sessionFileRoundTrip();
    void sessionFileMalformed_data();
    void sessionFileMalformed();
    void collectionRoundTripAndPlan();
    void collectionMalformed_data();
    void collectionMalformed();
};

void TestCapture::harFromChromium()
{
    auto report = HarImporter::importFile(dataDir + u"/har/chromium-webhooks.har"_s);
    QVERIFY2(report.ok(), qPrintable(report ? QString() : report.error().message));
    QCOMPARE(report->entries.size(), 7);
    QCOMPARE(report->takenCount(), 7);
    QCOMPARE(report->selectedCount(), 3);
    const QList<Capture> posts = report->selectedCaptures();
    QCOMPARE(posts.at(0).target(), QByteArray("/webhooks/stripe"));
    QCOMPARE(posts.at(0).source, u"stripe"_s);
    QCOMPARE(posts.at(0).body,
             QByteArray(R"({"id": "evt_har_0001", "object": "event", "type": "invoice.paid", )"
                        R"("data": {"object": {"id": "in_har_1", "object": "invoice", "customer": "cus_har_1"}}})"));
    QVERIFY(posts.at(0).header("Stripe-Signature").startsWith("t=1700000000,v1="));
    QCOMPARE(posts.at(0).header("Content-Type"), QByteArray("application/json"));
    QCOMPARE(posts.at(1).target(), QByteArray("/webhooks/twilio?bodySHA256=none"));
    QCOMPARE(posts.at(1).body, QByteArray("MessageSid=SMhar1&MessageStatus=delivered&To=%2B15558675310"));
    QCOMPARE(posts.at(2).body, u"{\"zen\":\"Keep it logically awesome \u2603\",\"hook_id\":1}"_s.toUtf8());
    QVERIFY(posts.at(2).timeMs > posts.at(0).timeMs);
    // The GETs are listed, unselected, with why.
    for (const ImportEntry &entry : report->entries) {
        const Capture &capture = report->captures.at(entry.capture);
        if (capture.method == "GET") {
            QVERIFY(!capture.selected);
            QVERIFY(entry.reason.contains(u"not a webhook"_s));
        }
    }
}

void TestCapture::harKeepsRepeatedHeadersAndDecodesBase64()
{
    const QByteArray har = R"({"log":{"version":"1.2","entries":[{"startedDateTime":"2024-05-01T10:00:00.000Z",
        "request":{"method":"POST","url":"https://hooks.example.com/webhooks/github","headers":[
          {"name":":authority","value":"hooks.example.com"},
          {"name":"X-Forwarded-For","value":"10.0.0.1"},{"name":"X-Forwarded-For","value":"10.0.0.2"},
          {"name":"Content-Type","value":"application/octet-stream"}],
        "postData":{"mimeType":"application/octet-stream","text":"AAEC/w==","encoding":"base64"}}}]}})";
    auto report = HarImporter::parse(har, u"inline.har"_s);
    QVERIFY(report.ok());
    QCOMPARE(report->captures.size(), 1);
    const Capture &c = report->captures.constFirst();
    QCOMPARE(c.body, QByteArray::fromHex("000102ff"));
    QCOMPARE(c.headers.size(), 3);
    QCOMPARE(c.headers.at(0), qMakePair(QByteArray("X-Forwarded-For"), QByteArray("10.0.0.1")));
    QCOMPARE(c.headers.at(1), qMakePair(QByteArray("X-Forwarded-For"), QByteArray("10.0.0.2")));
    QVERIFY(c.notes.contains(u"pseudo header"_s));
    QCOMPARE(c.timeMs, QDateTime(QDate(2024, 5, 1), QTime(10, 0), Qt::UTC).toMSecsSinceEpoch());
}

void TestCapture::harMalformed_data()
{
    QTest::addColumn<QByteArray>("har");
    QTest::addColumn<QString>("errorContains"); // empty: imports, with a skipped entry
    QTest::addColumn<QString>("skipReasonContains");

    QTest::newRow("not JSON, line named") << QByteArray("{\"log\":\n {\"entries\": [,]}}") << u"line 2"_s << QString();
    QTest::newRow("not a HAR") << QByteArray(R"({"foo": 1})") << u"log: missing"_s << QString();
    QTest::newRow("entries not an array") << QByteArray(R"({"log": {"entries": {}}})") << u"log.entries"_s << QString();
    QTest::newRow("entry without url") << QByteArray(R"({"log":{"entries":[{"request":{"method":"POST"}}]}})")
                                       << QString() << u"request.url"_s;
    QTest::newRow("entry not an object") << QByteArray(R"({"log":{"entries":[42]}})") << QString()
                                         << u"not an object"_s;
    QTest::newRow("bad base64") << QByteArray(
        R"({"log":{"entries":[{"request":{"method":"POST","url":"http://h/webhooks/a",)"
        R"("postData":{"text":"@@@","encoding":"base64"}}}]}})")
                                << QString() << u"base64"_s;
    QTest::newRow("header without value") << QByteArray(
        R"({"log":{"entries":[{"request":{"method":"POST","url":"http://h/","headers":[{"name":"A"}]}}]}})")
                                          << QString() << u"headers"_s;
}

void TestCapture::harMalformed()
{
    QFETCH(QByteArray, har);
    QFETCH(QString, errorContains);
    QFETCH(QString, skipReasonContains);
    auto report = HarImporter::parse(har, u"bad.har"_s);
    if (!errorContains.isEmpty()) {
        QVERIFY(!report.ok());
        QCOMPARE(report.error().code, u"har_invalid"_s);
        QVERIFY2(report.error().message.contains(errorContains), qPrintable(report.error().message));
        QVERIFY(report.error().message.startsWith(u"bad.har"_s));
        return;
    }
    QVERIFY(report.ok());
    QCOMPARE(report->captures.size(), 0);
    QCOMPARE(report->skippedCount(), 1);
    QVERIFY2(report->entries.constFirst().reason.contains(skipReasonContains),
             qPrintable(report->entries.constFirst().reason));
    QCOMPARE(report->entries.constFirst().index, 0);
}

void TestCapture::harExportRoundTrip()
{
    Capture text;
    text.url = "/webhooks/stripe?x=1";
    text.headers = {
        {"Content-Type", "application/json"}, {"X-Dup", "1"}, {"X-Dup", "2"}, {"Authorization", "Bearer s3cret"}};
    text.body = "{\"a\":\"\xe2\x98\x83\"}";
    text.timeMs = 1714557600123;
    Capture binary;
    binary.url = "http://127.0.0.1:9/webhooks/raw";
    binary.body = QByteArray::fromHex("00ff10");
    const QByteArray har = HarExporter::write({text, binary});
    QVERIFY(!har.contains("s3cret"));
    auto back = HarImporter::parse(har, u"export.har"_s);
    QVERIFY(back.ok());
    QCOMPARE(back->captures.size(), 2);
    QCOMPARE(back->captures.at(0).body, text.body);
    QCOMPARE(back->captures.at(0).target(), QByteArray("/webhooks/stripe?x=1"));
    QCOMPARE(back->captures.at(0).timeMs, text.timeMs);
    QCOMPARE(back->captures.at(0).headers.at(2), qMakePair(QByteArray("X-Dup"), QByteArray("2")));
    QCOMPARE(back->captures.at(1).body, binary.body);
}

void TestCapture::curlFromProviderDocs_data()
{
    QTest::addColumn<QByteArray>("command");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("url");
    QTest::addColumn<QList<QByteArray>>("headers"); // "Name: value" expected, in order
    QTest::addColumn<QByteArray>("body");

    // As Slack's incoming-webhook docs print it.
    QTest::newRow("slack incoming webhook")
        << QByteArray("curl -X POST -H 'Content-type: application/json' --data '{\"text\":\"Hello, World!\"}' "
                      "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX")
        << QByteArray("POST")
        << QByteArray("https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX")
        << QList<QByteArray>{"Content-type: application/json"} << QByteArray("{\"text\":\"Hello, World!\"}");
    // As Stripe's API reference prints a create call (form body, basic auth with the key).
    QTest::newRow("stripe api reference")
        << QByteArray("curl https://api.stripe.com/v1/customers \\\n  -u \"sk_test_4eC39HqLyjWDarjtT1zdp7dc:\" \\\n"
                      "  -d name=\"Jenny Rosen\" \\\n  --data-urlencode email=\"jenny.rosen@example.com\"")
        << QByteArray("POST") << QByteArray("https://api.stripe.com/v1/customers")
        << QList<QByteArray>{"Authorization: Basic " + QByteArray("sk_test_4eC39HqLyjWDarjtT1zdp7dc:").toBase64(),
                             "Content-Type: application/x-www-form-urlencoded"}
        << QByteArray("name=Jenny Rosen&email=jenny.rosen%40example.com");
    // As GitHub's REST docs print "ping a repository webhook".
    QTest::newRow("github rest docs") << QByteArray(
        "curl -L \\\n  -X POST \\\n  -H \"Accept: application/vnd.github+json\" \\\n"
        "  -H \"Authorization: Bearer <YOUR-TOKEN>\" \\\n  -H \"X-GitHub-Api-Version: 2022-11-28\" \\\n"
        "  https://api.github.com/repos/OWNER/REPO/hooks/HOOK_ID/pings")
                                      << QByteArray("POST")
                                      << QByteArray("https://api.github.com/repos/OWNER/REPO/hooks/HOOK_ID/pings")
                                      << QList<QByteArray>{"Accept: application/vnd.github+json",
                                                           "Authorization: Bearer <YOUR-TOKEN>",
                                                           "X-GitHub-Api-Version: 2022-11-28"}
                                      << QByteArray();
    // As Shopify's Admin REST docs print "create a webhook".
    QTest::newRow("shopify admin docs")
        << QByteArray(
               "curl -d '{\"webhook\":{\"address\":\"pubsub://projectName:topicName\",\"topic\":\"customers/update\","
               "\"format\":\"json\"}}' \\\n-X POST \"https://your-development-store.myshopify.com/admin/api/2024-01/"
               "webhooks.json\" \\\n-H \"X-Shopify-Access-Token: {access_token}\" \\\n-H \"Content-Type: application/json\"")
        << QByteArray("POST")
        << QByteArray("https://your-development-store.myshopify.com/admin/api/2024-01/webhooks.json")
        << QList<QByteArray>{"X-Shopify-Access-Token: {access_token}", "Content-Type: application/json"}
        << QByteArray("{\"webhook\":{\"address\":\"pubsub://projectName:topicName\",\"topic\":\"customers/update\","
                      "\"format\":\"json\"}}");
    // As Twilio's docs print "send an SMS" (variables left to the shell).
    QTest::newRow("twilio docs") << QByteArray(
        "curl -X POST \"https://api.twilio.com/2010-04-01/Accounts/$TWILIO_ACCOUNT_SID/Messages.json\" \\\n"
        "--data-urlencode \"Body=Hi there\" \\\n--data-urlencode \"From=+15557122661\" \\\n"
        "--data-urlencode \"To=+15558675310\" \\\n-u $TWILIO_ACCOUNT_SID:$TWILIO_AUTH_TOKEN")
                                 << QByteArray("POST")
                                 << QByteArray(
                                        "https://api.twilio.com/2010-04-01/Accounts/$TWILIO_ACCOUNT_SID/Messages.json")
                                 << QList<QByteArray>{"Content-Type: application/x-www-form-urlencoded"}
                                 << QByteArray("Body=Hi%20there&From=%2B15557122661&To=%2B15558675310");
    // The Standard Webhooks / Stripe CLI style: --json and a bundled -sS.
    QTest::newRow("json option and bundled flags")
        << QByteArray("$ curl -sS --json '{\"type\":\"ping\"}' http://localhost:8088/webhooks/generic")
        << QByteArray("POST") << QByteArray("http://localhost:8088/webhooks/generic")
        << QList<QByteArray>{"Content-Type: application/json", "Accept: application/json"}
        << QByteArray("{\"type\":\"ping\"}");
    QTest::newRow("-XPUT attached and $'…' body")
        << QByteArray("curl -XPUT http://h/x --data-binary $'line1\\nline2'") << QByteArray("PUT")
        << QByteArray("http://h/x") << QList<QByteArray>{"Content-Type: application/x-www-form-urlencoded"}
        << QByteArray("line1\nline2");
}

void TestCapture::curlFromProviderDocs()
{
    QFETCH(QByteArray, command);
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, url);
    QFETCH(QList<QByteArray>, headers);
    QFETCH(QByteArray, body);
    auto report = CurlImporter::parse(command, u"docs"_s);
    QVERIFY2(report.ok(), qPrintable(report ? QString() : report.error().message));
    QCOMPARE(report->captures.size(), 1);
    const Capture &c = report->captures.constFirst();
    QCOMPARE(c.method, method);
    QCOMPARE(c.url, url);
    QCOMPARE(c.body, body);
    for (const QByteArray &expected : headers) {
        const qsizetype colon = expected.indexOf(':');
        QCOMPARE(c.header(expected.left(colon)), expected.mid(colon + 2));
    }
    if (command.contains("$TWILIO"))
        QVERIFY(c.notes.contains(u"$TWILIO_ACCOUNT_SID"_s));
}

void TestCapture::curlSeveralCommandsAndFiles()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile file(dir.filePath(u"event.json"_s));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\n  \"id\": \"evt_1\"\n}\n");
    file.close();
    const QByteArray text = "# first\ncurl http://127.0.0.1:8088/webhooks/stripe --data-binary @event.json\n"
                            "curl http://127.0.0.1:8088/webhooks/stripe -d @event.json -H 'X-A: 1' -H 'X-A: 2'\n"
                            "curl http://127.0.0.1:8088/healthz\n";
    auto report = CurlImporter::parse(text, u"cmds"_s, dir.path());
    QVERIFY(report.ok());
    QCOMPARE(report->captures.size(), 3);
    QCOMPARE(report->captures.at(0).body, QByteArray("{\n  \"id\": \"evt_1\"\n}\n"));
    QCOMPARE(report->captures.at(1).body, QByteArray("{  \"id\": \"evt_1\"}")); // -d strips newlines, as curl does
    QCOMPARE(report->captures.at(1).headers.at(0), qMakePair(QByteArray("X-A"), QByteArray("1")));
    QCOMPARE(report->captures.at(1).headers.at(1), qMakePair(QByteArray("X-A"), QByteArray("2")));
    QCOMPARE(report->captures.at(2).method, QByteArray("GET"));
    QVERIFY(!report->captures.at(2).selected);
    QCOMPARE(report->captures.at(0).source, u"stripe"_s);
}

void TestCapture::curlMalformed_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("errorContains");
    QTest::addColumn<QString>("skipReasonContains");
    QTest::newRow("unterminated quote, line named")
        << QByteArray("curl http://h/ \\\n  -d '{\"a\":1}\n") << u"line 2"_s << QString();
    QTest::newRow("nothing") << QByteArray("# only a comment\n") << u"no curl command"_s << QString();
    QTest::newRow("multipart is named") << QByteArray("curl -F file=@a.png http://h/up") << QString()
                                        << u"unsupported option -F"_s;
    QTest::newRow("upload is named") << QByteArray("curl --upload-file a.bin http://h/up") << QString()
                                     << u"unsupported option --upload-file"_s;
    QTest::newRow("unknown long option") << QByteArray("curl --aws-sigv4 aws:amz http://h/") << QString()
                                         << u"--aws-sigv4"_s;
    QTest::newRow("no url") << QByteArray("curl -X POST -d x") << QString() << u"no URL"_s;
    QTest::newRow("not curl") << QByteArray("wget http://h/") << QString() << u"not a curl command"_s;
    QTest::newRow("stdin body") << QByteArray("curl -d @- http://h/") << QString() << u"standard input"_s;
    QTest::newRow("missing file") << QByteArray("curl -d @does-not-exist.json http://h/") << QString()
                                  << u"does-not-exist.json"_s;
    QTest::newRow("bad header") << QByteArray("curl -H 'NoColon' http://h/") << QString() << u"Name: value"_s;
    QTest::newRow("option without value") << QByteArray("curl http://h/ -H") << QString() << u"needs a value"_s;
}

void TestCapture::curlMalformed()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, errorContains);
    QFETCH(QString, skipReasonContains);
    QTemporaryDir dir;
    auto report = CurlImporter::parse(text, u"pasted"_s, dir.path());
    if (!errorContains.isEmpty()) {
        QVERIFY(!report.ok());
        QCOMPARE(report.error().code, u"curl_invalid"_s);
        QVERIFY2(report.error().message.contains(errorContains), qPrintable(report.error().message));
        return;
    }
    QVERIFY(report.ok());
    QCOMPARE(report->captures.size(), 0);
    QCOMPARE(report->skippedCount(), 1);
    QVERIFY2(report->entries.constFirst().reason.contains(skipReasonContains),
             qPrintable(report->entries.constFirst().reason));
    QVERIFY(report->entries.constFirst().label.contains(u"command 1 (line 1)"_s));
}

void TestCapture::curlExportRoundTrip()
{
    Capture c;
    c.url = "/webhooks/stripe";
    c.headers = {{"Content-Type", "application/json"},
                 {"Stripe-Signature", "t=1,v1=ab"},
                 {"X-Empty", ""},
                 {"X-Quote", "it's"},
                 {"Content-Length", "999"},
                 {"Cookie", "session=secret"}};
    c.body = QByteArray("{\"a\":\"it's\\n\"}\n") + QByteArray::fromHex("00ff");
    const QByteArray command = CurlExporter::toCurl(c, "http://127.0.0.1:8088");
    QVERIFY(!command.contains("session=secret"));
    QVERIFY(!command.contains("999"));
    auto back = CurlImporter::parse(command, u"copied"_s);
    QVERIFY2(back.ok(), command.constData());
    QCOMPARE(back->captures.size(), 1);
    const Capture &r = back->captures.constFirst();
    QCOMPARE(r.body, c.body);
    QCOMPARE(r.url, QByteArray("http://127.0.0.1:8088/webhooks/stripe"));
    QCOMPARE(r.header("Stripe-Signature"), QByteArray("t=1,v1=ab"));
    QCOMPARE(r.header("X-Quote"), QByteArray("it's"));
    QVERIFY(r.headers.contains(qMakePair(QByteArray("X-Empty"), QByteArray())));
}

void TestCapture::resignMakesACaptureVerify()
{
    auto report = HarImporter::importFile(dataDir + u"/har/chromium-webhooks.har"_s);
    QVERIFY(report.ok());
    Capture stripe = report->selectedCaptures().constFirst();
    const config::SourceConfig source = sourceFor(u"stripe"_s, "whsec_here");
    QVERIFY(!verifies(stripe, source)); // signed with another secret, long ago
    config::Config config;
    config.sources = {source};
    stripe.source = u"src"_s;
    QVERIFY(CaptureSigner::resign(stripe, config).ok());
    QVERIFY(verifies(stripe, source));
    QCOMPARE(stripe.body, report->selectedCaptures().constFirst().body);
    // The curl command made from it sends the new signature.
    auto back = CurlImporter::parse(CurlExporter::toCurl(stripe), u"copied"_s);
    QVERIFY(back.ok());
    QVERIFY(verifies(back->captures.constFirst(), source));
    stripe.source = u"nowhere"_s;
    const auto missing = CaptureSigner::resign(stripe, config);
    QVERIFY(!missing.ok());
    QVERIFY(missing.error().message.contains(u"\"nowhere\""_s));
}

void TestCapture::fixtureFolderSignsForTheSource_data()
{
    QTest::addColumn<QString>("provider");
    QTest::addColumn<int>("payloads");
    QTest::newRow("stripe") << u"stripe"_s << 10;
    QTest::newRow("github") << u"github"_s << 13;
    QTest::newRow("shopify") << u"shopify"_s << 7;
    QTest::newRow("slack") << u"slack"_s << 4;
    QTest::newRow("twilio") << u"twilio"_s << 3;
    QTest::newRow("standard-webhooks") << u"standard-webhooks"_s << 3;
}

void TestCapture::fixtureFolderSignsForTheSource()
{
    QFETCH(QString, provider);
    QFETCH(int, payloads);
    const QByteArray secret = provider == u"standard-webhooks"_s ? QByteArray("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
                                                                 : QByteArray("fixture-secret");
    const config::SourceConfig source = sourceFor(provider, secret);
    auto report = FixtureFolderImporter::importFolder(dataDir + u"/fixtures"_s, source);
    QVERIFY2(report.ok(), qPrintable(report ? QString() : report.error().message));
    QCOMPARE(report->captures.size(), payloads);
    QCOMPARE(report->skippedCount(), 1); // PROVENANCE.md, listed with why
    for (const Capture &capture : report->captures) {
        QFile file(capture.origin);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(capture.body, file.readAll());
        QVERIFY2(verifies(capture, source), qPrintable(capture.origin));
    }
    if (provider == u"github"_s) {
        QCOMPARE(report->captures.constFirst().header("X-GitHub-Event"), QByteArray("check_run"));
        QVERIFY(report->captures.at(0).header("X-GitHub-Delivery")
                != report->captures.at(1).header("X-GitHub-Delivery"));
    }
    if (provider == u"shopify"_s)
        QCOMPARE(report->captures.constFirst().header("X-Shopify-Topic"), QByteArray("app/uninstalled"));
}

void TestCapture::fixtureFolderExportRoundTrip()
{
    const config::SourceConfig source = sourceFor(u"github"_s, "s");
    auto report = FixtureFolderImporter::importFolder(dataDir + u"/fixtures/github"_s, source);
    QVERIFY(report.ok());
    QTemporaryDir dir;
    auto written = FixtureFolderExporter::write(report->captures, dir.path());
    QVERIFY(written.ok());
    QCOMPARE(written->size(), report->captures.size() + 1);
    auto back = FixtureFolderImporter::importFolder(dir.path(), source);
    QVERIFY(back.ok());
    QCOMPARE(back->captures.size(), report->captures.size());
    for (qsizetype i = 0; i < back->captures.size(); ++i) {
        QCOMPARE(back->captures.at(i).body, report->captures.at(i).body);
        QCOMPARE(back->captures.at(i).header("X-GitHub-Event"), report->captures.at(i).header("X-GitHub-Event"));
    }
}

void TestCapture::fixtureFolderMalformed()
{
    const config::SourceConfig source = sourceFor(u"stripe"_s, "s");
    auto missing = FixtureFolderImporter::importFolder(u"/nonexistent/fixtures"_s, source);
    QVERIFY(!missing.ok());
    QVERIFY(missing.error().message.contains(u"no such folder"_s));
    QTemporaryDir empty;
    QFile readme(empty.filePath(u"README.md"_s));
    QVERIFY(readme.open(QIODevice::WriteOnly));
    readme.close();
    auto none = FixtureFolderImporter::importFolder(empty.path(), source);
    QVERIFY(!none.ok());
    QCOMPARE(none.error().code, u"fixtures_invalid"_s);
    config::SourceConfig noSecret = source;
    noSecret.secrets.clear();
    auto unsigned_ = FixtureFolderImporter::importFolder(dataDir + u"/fixtures"_s, noSecret);
    QVERIFY(!unsigned_.ok());
    QVERIFY(unsigned_.error().message.contains(u"no secret"_s));
}

void TestCapture::sessionFileRoundTrip()
{
    store::ImportedRows rows;
    store::JournalEntry e;
    e.id = 41;
    e.receivedAtMs = 1714557600123;
    e.source = u"stripe"_s;
    e.method = "POST";
    e.target = "/webhooks/stripe";
    e.headers = {
        {"Content-Type", "application/json"}, {"X-Raw", QByteArray::fromHex("ff00")}, {"Authorization", "Basic eDp5"}};
    e.body = QByteArray::fromHex("7b7d00ff");
    e.verdict = store::Verdict::Accepted;
    e.httpStatus = 200;
    e.idempotencyKey = "evt_1";
    e.entityKey = "cus_1";
    e.topic = u"webhooks.stripe"_s;
    e.kafkaState = store::KafkaState::Produced;
    e.partition = 3;
    e.offset = 17;
    rows.entries.append(e);
    store::AttemptRow a;
    a.journalId = 41;
    a.attempt = 2;
    a.outcome = store::AttemptOutcome::Permanent;
    a.error = u"HTTP 400"_s;
    rows.attempts.append(a);
    store::DeadLetterRow l;
    l.journalId = 41;
    l.value = e.body;
    l.error = u"HTTP 400"_s;
    l.attempts = 2;
    rows.deadLetters.append(l);

    const QByteArray bytes = SessionFile::encode(rows);
    QVERIFY(SessionFile::looksLikeSession(bytes));
    QVERIFY(!bytes.contains("eDp5"));
    auto back = SessionFile::decode(bytes, u"s.hbsession"_s);
    QVERIFY2(back.ok(), qPrintable(back ? QString() : back.error().message));
    QCOMPARE(back->entries.size(), 1);
    const store::JournalEntry &r = back->entries.constFirst();
    QCOMPARE(r.id, 41);
    QCOMPARE(r.body, e.body);
    QCOMPARE(r.headers.at(1), e.headers.at(1));
    QCOMPARE(r.headers.at(2).second, QByteArray(CredentialRedactor::marker));
    QCOMPARE(r.partition, 3);
    QCOMPARE(r.offset, 17);
    QCOMPARE(r.kafkaState, store::KafkaState::Produced);
    QCOMPARE(back->attempts.size(), 1);
    QCOMPARE(back->attempts.constFirst().outcome, store::AttemptOutcome::Permanent);
    QCOMPARE(back->deadLetters.size(), 1);
    QCOMPARE(back->deadLetters.constFirst().value, e.body);
    QVERIFY(back->deadLetters.constFirst().key.isNull());
}

void TestCapture::sessionFileMalformed_data()
{
    const QByteArray header = R"({"format":"hookbench-session","version":1,"entries":1})"
                              "\n";
    const QByteArray entry =
        R"({"type":"entry","journal":{"id":1,"method":"POST","target":"/webhooks/a","body_base64":"","verdict":"accepted","kafka_state":"none"}})"
        "\n";
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("errorContains");
    QTest::newRow("not a session") << QByteArray("{\"log\":{}}\n") << u"line 1: not a Hookbench session"_s;
    QTest::newRow("newer version") << QByteArray(R"({"format":"hookbench-session","version":9})") << u"version 9"_s;
    QTest::newRow("truncated") << header + entry << u"truncated"_s;
    QTest::newRow("broken line") << header + "{\"type\":\"entry\",\n" + entry << u"line 2: not a JSON object"_s;
    QTest::newRow("bad verdict") << header + QByteArray(entry).replace("accepted", "maybe")
                                        + "{\"type\":\"end\",\"entries\":1}\n"
                                 << u"line 2: journal.verdict \"maybe\""_s;
    QTest::newRow("count mismatch") << header + entry + "{\"type\":\"end\",\"entries\":2}\n" << u"line 3"_s;
}

void TestCapture::sessionFileMalformed()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, errorContains);
    auto rows = SessionFile::decode(bytes, u"s.hbsession"_s);
    QVERIFY(!rows.ok());
    QCOMPARE(rows.error().code, u"session_invalid"_s);
    QVERIFY2(rows.error().message.contains(errorContains), qPrintable(rows.error().message));
}

void TestCapture::collectionRoundTripAndPlan()
{
    ReplayCollection collection;
    collection.name = u"demo"_s;
    for (int i = 0; i < 20; ++i) {
        Capture c;
        c.url = "/webhooks/stripe";
        c.body = QByteArray::number(i);
        c.timeMs = 1000 + i * 100;
        c.selected = i != 7;
        collection.captures.append(c);
    }
    collection.options.order = ReplayOrder::Shuffled;
    collection.options.seed = 42;
    collection.options.repeat = 2;
    collection.options.duplicateRate = 0.25;
    collection.options.pace = ReplayPace::AsCaptured;
    collection.options.speed = 2.0;

    QTemporaryDir dir;
    const QString path = dir.filePath(u"c.json"_s);
    QVERIFY(collection.save(path).ok());
    auto loaded = ReplayCollection::load(path);
    QVERIFY(loaded.ok());
    QCOMPARE(loaded->captures.size(), 20);
    QCOMPARE(loaded->captures.at(3).body, QByteArray("3"));
    QVERIFY(!loaded->captures.at(7).selected);
    QCOMPARE(loaded->options.seed, quint64(42));

    const QList<PlannedSend> a = collection.plan();
    const QList<PlannedSend> b = loaded->plan();
    QCOMPARE(a.size(), b.size());
    int originals = 0;
    int duplicates = 0;
    QList<int> firstRound;
    for (qsizetype i = 0; i < a.size(); ++i) {
        QCOMPARE(a.at(i).capture, b.at(i).capture);
        QCOMPARE(a.at(i).duplicate, b.at(i).duplicate);
        QVERIFY(a.at(i).capture != 7);
        if (a.at(i).duplicate) {
            ++duplicates;
            QCOMPARE(a.at(i).capture, a.at(i - 1).capture);
        } else {
            ++originals;
            if (a.at(i).round == 0)
                firstRound.append(a.at(i).capture);
        }
        // 100 ms apart (200 around the unselected one), twice as fast; duplicates follow at once.
        QVERIFY(a.at(i).delayMs == 0 || a.at(i).delayMs == 50 || a.at(i).delayMs == 100);
    }
    QCOMPARE(originals, 38);
    QVERIFY(duplicates > 0 && duplicates < 38);
    QList<int> sorted = firstRound;
    std::sort(sorted.begin(), sorted.end());
    QVERIFY(firstRound != sorted); // shuffled
    collection.options.seed = 43;
    QVERIFY(collection.plan().constFirst().capture != a.constFirst().capture
            || collection.plan().at(1).capture != a.at(1).capture);

    collection.options.order = ReplayOrder::Reversed;
    collection.options.duplicateRate = 0;
    collection.options.repeat = 1;
    const QList<PlannedSend> reversed = collection.plan();
    QCOMPARE(reversed.size(), 19);
    QCOMPARE(reversed.constFirst().capture, 19);
    QCOMPARE(reversed.constLast().capture, 0);
}

void TestCapture::collectionMalformed_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("errorContains");
    QTest::newRow("not JSON") << QByteArray("{\n\n  nope") << u"line 3"_s;
    QTest::newRow("not a collection") << QByteArray(R"({"format":"other"})") << u"not a Hookbench replay collection"_s;
    QTest::newRow("bad pace") << QByteArray(
        R"({"format":"hookbench-collection","version":1,"options":{"pace":"warp"}})")
                              << u"options.pace"_s;
    QTest::newRow("bad rate") << QByteArray(
        R"({"format":"hookbench-collection","version":1,"options":{"duplicate_rate":2}})")
                              << u"duplicate_rate"_s;
    QTest::newRow("capture without url") << QByteArray(
        R"({"format":"hookbench-collection","version":1,"captures":[{"method":"POST"}]})")
                                         << u"captures[0]"_s;
}

void TestCapture::collectionMalformed()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, errorContains);
    auto collection = ReplayCollection::fromJson(json, u"c.json"_s);
    QVERIFY(!collection.ok());
    QCOMPARE(collection.error().code, u"collection_invalid"_s);
    QVERIFY2(collection.error().message.contains(errorContains), qPrintable(collection.error().message));
}

QTEST_GUILESS_MAIN(TestCapture)
#include "test_capture.moc"
