// The pure helpers under the verifiers: RFC 6901 JSON Pointer, crypto primitives, JavaScript
// compatibility (parseInt, UTF-8 replacement), form parsing and Twilio URL handling.

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

#include "core/providers/body_parser.h"
#include "core/providers/js_compat.h"
#include "core/providers/twilio_verifier.h"
#include "core/util/crypto.h"
#include "core/util/json_pointer.h"
#include "tests/providers/test_providers.h"

using namespace Qt::StringLiterals;

namespace hookbench::tests {

using util::JsonPointer;

namespace {

// RFC 6901 section 5's example document.
const QByteArray kRfcDocument = R"({
  "foo": ["bar", "baz"],
  "": 0,
  "a/b": 1,
  "c%d": 2,
  "e^f": 3,
  "g|h": 4,
  "i\\j": 5,
  "k\"l": 6,
  " ": 7,
  "m~n": 8,
  "~1": "tilde-one",
  "nested": {"list": [{"id": "first"}, {"id": "second"}]}
})";

} // namespace

void TestProviders::jsonPointer_data()
{
    QTest::addColumn<QString>("pointer");
    QTest::addColumn<QJsonValue>("expected");
    const QJsonDocument doc = QJsonDocument::fromJson(kRfcDocument);
    QTest::newRow("whole document") << QString() << QJsonValue(doc.object());
    QTest::newRow("/foo") << u"/foo"_s << QJsonValue(QJsonArray{u"bar"_s, u"baz"_s});
    QTest::newRow("/foo/0") << u"/foo/0"_s << QJsonValue(u"bar"_s);
    QTest::newRow("/foo/1") << u"/foo/1"_s << QJsonValue(u"baz"_s);
    QTest::newRow("/ (empty key)") << u"/"_s << QJsonValue(0);
    QTest::newRow("/a~1b") << u"/a~1b"_s << QJsonValue(1);
    QTest::newRow("/c%d") << u"/c%d"_s << QJsonValue(2);
    QTest::newRow("/e^f") << u"/e^f"_s << QJsonValue(3);
    QTest::newRow("/g|h") << u"/g|h"_s << QJsonValue(4);
    QTest::newRow("/i\\j") << u"/i\\j"_s << QJsonValue(5);
    QTest::newRow("/k\"l") << u"/k\"l"_s << QJsonValue(6);
    QTest::newRow("/ (space)") << u"/ "_s << QJsonValue(7);
    QTest::newRow("/m~0n") << u"/m~0n"_s << QJsonValue(8);
    QTest::newRow("/~01 is the key ~1, not /") << u"/~01"_s << QJsonValue(u"tilde-one"_s);
    QTest::newRow("nested array member") << u"/nested/list/1/id"_s << QJsonValue(u"second"_s);
    const QJsonValue undefined(QJsonValue::Undefined);
    QTest::newRow("missing member") << u"/nope"_s << undefined;
    QTest::newRow("index out of range") << u"/foo/2"_s << undefined;
    QTest::newRow("index '-'") << u"/foo/-"_s << undefined;
    QTest::newRow("index with leading zero") << u"/foo/01"_s << undefined;
    QTest::newRow("index not a number") << u"/foo/x"_s << undefined;
    QTest::newRow("negative index") << u"/foo/-1"_s << undefined;
    QTest::newRow("step into a scalar") << u"/foo/0/x"_s << undefined;
    QTest::newRow("no leading slash") << u"foo"_s << undefined;
    QTest::newRow("bad escape") << u"/m~2n"_s << undefined;
}

void TestProviders::jsonPointer()
{
    QFETCH(QString, pointer);
    QFETCH(QJsonValue, expected);
    const QJsonValue got = JsonPointer::resolve(QJsonDocument::fromJson(kRfcDocument), pointer);
    QCOMPARE(got.type(), expected.type());
    QCOMPARE(got, expected);
}

void TestProviders::jsonPointerParseErrors_data()
{
    QTest::addColumn<QString>("pointer");
    QTest::addColumn<QStringList>("tokens"); // empty list with "error" flag below
    QTest::addColumn<bool>("valid");
    QTest::newRow("empty") << QString() << QStringList{} << true;
    QTest::newRow("/") << u"/"_s << QStringList{QString()} << true;
    QTest::newRow("escapes in order") << u"/a~1b/~0~1/x~01"_s << QStringList{u"a/b"_s, u"~/"_s, u"x~1"_s} << true;
    QTest::newRow("trailing ~") << u"/a~"_s << QStringList{} << false;
    QTest::newRow("~ then other") << u"/~x"_s << QStringList{} << false;
    QTest::newRow("relative") << u"a/b"_s << QStringList{} << false;
}

void TestProviders::jsonPointerParseErrors()
{
    QFETCH(QString, pointer);
    QFETCH(QStringList, tokens);
    QFETCH(bool, valid);
    const auto parsed = JsonPointer::parse(pointer);
    QCOMPARE(parsed.ok(), valid);
    if (valid) {
        QCOMPARE(*parsed, tokens);
    } else {
        QCOMPARE(parsed.error().code, u"json_pointer_invalid"_s);
        QVERIFY2(parsed.error().message.contains(pointer), qPrintable(parsed.error().message));
    }
}

void TestProviders::scalarText_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("text");
    QTest::newRow("string") << QByteArray(R"(["cus_1"])") << u"cus_1"_s;
    QTest::newRow("small integer") << QByteArray("[42]") << u"42"_s;
    QTest::newRow("negative integer") << QByteArray("[-7]") << u"-7"_s;
    QTest::newRow("integer above 2^53 keeps every digit")
        << QByteArray("[820982911946154508]") << u"820982911946154508"_s;
    QTest::newRow("int64 max") << QByteArray("[9223372036854775807]") << u"9223372036854775807"_s;
    QTest::newRow("fraction") << QByteArray("[404.95]") << u"404.95"_s;
    QTest::newRow("integral written with exponent") << QByteArray("[1e3]") << u"1000"_s;
    QTest::newRow("true") << QByteArray("[true]") << u"true"_s;
    QTest::newRow("null") << QByteArray("[null]") << QString();
    QTest::newRow("object") << QByteArray(R"([{"a":1}])") << QString();
    QTest::newRow("array") << QByteArray("[[1]]") << QString();
}

void TestProviders::scalarText()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, text);
    const QJsonDocument doc = QJsonDocument::fromJson(json);
    QVERIFY(doc.isArray());
    QCOMPARE(JsonPointer::scalarText(JsonPointer::resolve(doc, u"/0")), text);
}

void TestProviders::parseInt_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<qint64>("value");
    QTest::addColumn<bool>("number");
    QTest::newRow("plain") << QByteArray("1700000000") << qint64(1700000000) << true;
    QTest::newRow("leading zero") << QByteArray("01700000000") << qint64(1700000000) << true;
    QTest::newRow("trailing letters") << QByteArray("1700000000abc") << qint64(1700000000) << true;
    QTest::newRow("leading space and sign") << QByteArray("  -12") << qint64(-12) << true;
    QTest::newRow("decimal point stops") << QByteArray("12.9") << qint64(12) << true;
    QTest::newRow("exponent stops") << QByteArray("1e3") << qint64(1) << true;
    QTest::newRow("letters first") << QByteArray("abc") << qint64(0) << false;
    QTest::newRow("empty") << QByteArray() << qint64(0) << false;
    QTest::newRow("sign only") << QByteArray("-") << qint64(0) << false;
    QTest::newRow("too many digits") << QByteArray("12345678901234567890") << qint64(0) << false;
}

void TestProviders::parseInt()
{
    QFETCH(QByteArray, text);
    QFETCH(qint64, value);
    QFETCH(bool, number);
    const std::optional<qint64> got = providers::JsCompat::parseInt(text);
    QCOMPARE(got.has_value(), number);
    if (number)
        QCOMPARE(*got, value);
}

void TestProviders::utf8RoundTrip_data()
{
    // Expected bytes printed by Node 18: Buffer.from(new TextDecoder().decode(Buffer.from(hex,'hex')))
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<bool>("stripBom");
    QTest::addColumn<QByteArray>("output");
    QTest::newRow("valid multi-byte") << QByteArray("Zo\xC3\xAB \xE2\x9C\x93 \xF0\x9F\x98\x80") << false
                                      << QByteArray("Zo\xC3\xAB \xE2\x9C\x93 \xF0\x9F\x98\x80");
    QTest::newRow("lone FF") << QByteArray::fromHex("ff") << false << QByteArray::fromHex("efbfbd");
    QTest::newRow("truncated at end") << QByteArray::fromHex("e29c") << false << QByteArray::fromHex("efbfbd");
    QTest::newRow("truncated then ASCII") << QByteArray::fromHex("e29c41") << false << QByteArray::fromHex("efbfbd41");
    QTest::newRow("surrogate") << QByteArray::fromHex("eda080") << false << QByteArray::fromHex("efbfbdefbfbdefbfbd");
    QTest::newRow("overlong") << QByteArray::fromHex("c080") << false << QByteArray::fromHex("efbfbdefbfbd");
    QTest::newRow("4-byte truncated") << QByteArray::fromHex("f09f9878") << false << QByteArray::fromHex("efbfbd78");
    QTest::newRow("above U+10FFFF") << QByteArray::fromHex("f4908080") << false
                                    << QByteArray::fromHex("efbfbdefbfbdefbfbdefbfbd");
    QTest::newRow("BOM kept (Buffer.toString)")
        << QByteArray::fromHex("efbbbf41") << false << QByteArray::fromHex("efbbbf41");
    QTest::newRow("BOM dropped (TextDecoder)") << QByteArray::fromHex("efbbbf41") << true << QByteArray::fromHex("41");
}

void TestProviders::utf8RoundTrip()
{
    QFETCH(QByteArray, input);
    QFETCH(bool, stripBom);
    QFETCH(QByteArray, output);
    QCOMPARE(providers::JsCompat::utf8RoundTrip(input, stripBom).toHex(), output.toHex());
}

void TestProviders::formParsing()
{
    using Params = QList<QPair<QString, QString>>;
    QCOMPARE(providers::BodyParser::parseForm("a=1&b=x+y&c=%E2%9C%93&d=%zz&e&&f=&a=2&g=%41%4"),
             (Params{{u"a"_s, u"1"_s},
                     {u"b"_s, u"x y"_s},
                     {u"c"_s, u"\u2713"_s},
                     {u"d"_s, u"%zz"_s},
                     {u"e"_s, QString()},
                     {u"f"_s, QString()},
                     {u"a"_s, u"2"_s},
                     {u"g"_s, u"A%4"_s}}));
    QCOMPARE(providers::BodyParser::parseForm(""), Params{});
    QCOMPARE(providers::BodyParser::parseForm("k=a=b"), (Params{{u"k"_s, u"a=b"_s}}));
    // The Twilio vector's body decodes to the parameters the SDK signed, in body order.
    const Params twilio = providers::BodyParser::parseForm(readTestData(u"vectors/twilio-form-body.txt"_s));
    QCOMPARE(twilio.size(), 9);
    QCOMPARE(twilio.at(2), (QPair<QString, QString>{u"From"_s, u"+14155550100"_s}));
    QCOMPARE(twilio.at(8), (QPair<QString, QString>{u"Body"_s, u"Zo\u00EB \u2713 50% & more"_s}));
}

void TestProviders::bodyParser()
{
    providers::ParsedBody p = providers::BodyParser::parse(makeRequest({{"Content-Type", "text/plain"}}, R"({"a":1})"));
    QVERIFY(p.isJson);
    QVERIFY(!p.isForm);
    p = providers::BodyParser::parse(makeRequest({{"Content-Type", "application/json"}}, R"("just a string")"));
    QVERIFY(!p.isJson); // only objects and arrays count
    p = providers::BodyParser::parse(makeRequest({{"Content-Type", "application/json"}}, R"({"a":)"));
    QVERIFY(!p.isJson);
    p = providers::BodyParser::parse(
        makeRequest({{"content-type", "Application/X-WWW-Form-Urlencoded; charset=UTF-8"}}, "a=1"));
    QVERIFY(p.isForm);
    QVERIFY(!p.isJson);
    QCOMPARE(p.form.size(), 1);
    p = providers::BodyParser::parse(makeRequest({}, "a=1"));
    QVERIFY(!p.isForm); // form parameters only with the form Content-Type
}

void TestProviders::crypto()
{
    // RFC 4231 test case 2 and RFC 2202 test case 2.
    QCOMPARE(util::Crypto::hmacSha256("Jefe", "what do ya want for nothing?").toHex(),
             QByteArray("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
    QCOMPARE(util::Crypto::hmacSha1("Jefe", "what do ya want for nothing?").toHex(),
             QByteArray("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"));
    QCOMPARE(util::Crypto::sha256Hex(""),
             QByteArray("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    QCOMPARE(util::Crypto::hmacSha256("", "").size(), 32);
    QVERIFY(util::Crypto::constantTimeEquals("abc", "abc"));
    QVERIFY(!util::Crypto::constantTimeEquals("abc", "abd"));
    QVERIFY(!util::Crypto::constantTimeEquals("abc", "abcd"));
}

void TestProviders::twilioUrlCandidates_data()
{
    QTest::addColumn<QByteArray>("url");
    QTest::addColumn<QByteArray>("withoutPort");
    QTest::addColumn<QByteArray>("withPort");
    QTest::newRow("https default port added")
        << QByteArray("https://example.com/a?b=1") << QByteArray("https://example.com/a?b=1")
        << QByteArray("https://example.com:443/a?b=1");
    QTest::newRow("explicit default port")
        << QByteArray("https://Example.COM:443/a?b=1") << QByteArray("https://example.com/a?b=1")
        << QByteArray("https://example.com:443/a?b=1");
    QTest::newRow("http") << QByteArray("HTTP://h/x") << QByteArray("http://h/x") << QByteArray("http://h:80/x");
    QTest::newRow("other port kept and removed")
        << QByteArray("https://internal:8080/x") << QByteArray("https://internal/x")
        << QByteArray("https://internal:8080/x");
    QTest::newRow("empty path") << QByteArray("https://h?x=1") << QByteArray("https://h/?x=1")
                                << QByteArray("https://h:443/?x=1");
    QTest::newRow("WHATWG escapes") << QByteArray("https://h/a b?c d'e") << QByteArray("https://h/a%20b?c%20d%27e")
                                    << QByteArray("https://h:443/a%20b?c%20d%27e");
    QTest::newRow("IPv6") << QByteArray("http://[::1]:8088/w") << QByteArray("http://[::1]/w")
                          << QByteArray("http://[::1]:8088/w");
}

void TestProviders::twilioUrlCandidates()
{
    QFETCH(QByteArray, url);
    QFETCH(QByteArray, withoutPort);
    QFETCH(QByteArray, withPort);
    QCOMPARE(providers::TwilioVerifier::urlCandidates(url), (QList<QByteArray>{withoutPort, withPort}));
}

void TestProviders::twilioSigningString()
{
    // Names sorted; repeated names: distinct values sorted.
    const QByteArray s = providers::TwilioVerifier::signingString(
        "https://h/", {{u"b"_s, u"2"_s}, {u"a"_s, u"z"_s}, {u"a"_s, u"y"_s}, {u"a"_s, u"z"_s}, {u"B"_s, u"0"_s}});
    QCOMPARE(s, QByteArray("https://h/B0ayazb2"));
}

} // namespace hookbench::tests
