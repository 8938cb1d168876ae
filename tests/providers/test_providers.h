#pragma once

// test_providers: the provider verifiers against the official SDKs' vectors
// (tests/data/vectors/signatures.json), key extraction on every fixture, and the pure helpers
// they rest on (JSON Pointer, crypto, JS compatibility, form parsing, Twilio URLs).

#include <QFile>
#include <QJsonObject>
#include <QObject>
#include <QString>

#include "core/config/config.h"
#include "core/http/http_request.h"

namespace hookbench::tests {

// One request as an SDK check built it, with the verdict the SDK gave.
struct VectorCase
{
    QString provider; // registry name
    http::HttpRequest request;
    config::SourceConfig source;
    qint64 nowSecs = 0;
    bool expectOk = false;
    QString expectReason;   // checked when not empty
    int expectMatched = -1; // checked when expectOk and >= 0
    QString problem;        // set when the vector could not be reconstructed: the row fails
};

inline QByteArray readTestData(const QString &relative)
{
    QFile file(QStringLiteral(HOOKBENCH_TEST_DATA_DIR "/") + relative);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

inline http::HttpRequest makeRequest(const http::HeaderList &headers, const QByteArray &body,
                                     const QByteArray &target = "/webhooks/test")
{
    http::HttpRequest request;
    request.method = "POST";
    request.target = target;
    request.headers = headers;
    request.body = body;
    return request;
}

inline config::SourceConfig makeSource(const QString &provider, const QList<QByteArray> &secrets)
{
    config::SourceConfig source;
    source.name = QStringLiteral("test");
    source.provider = provider;
    source.secrets = secrets;
    return source;
}

class TestProviders final : public QObject
{
    Q_OBJECT

private slots:
    // test_vectors.cpp
    void vectors_data();
    void vectors();
    void anchors_data();
    void anchors();
    void reasonCodes_data();
    void reasonCodes();
    void diagnostics();
    void rotationWithOldAndNewSecrets_data();
    void rotationWithOldAndNewSecrets();
    void twilioUrlFromRequest();
    void genericHmacRoundTrip_data();
    void genericHmacRoundTrip();
    void noneAcceptsEverything();

    // test_signing.cpp
    void signReproducesSdkVectors_data();
    void signReproducesSdkVectors();
    void signThenVerify_data();
    void signThenVerify();
    void signUnsupported_data();
    void signUnsupported();
    void setIdempotencyKey_data();
    void setIdempotencyKey();
    void setIdempotencyKeyUnsupported_data();
    void setIdempotencyKeyUnsupported();
    void jsonFieldRewriter();

    // test_keys.cpp
    void fixtureKeys_data();
    void fixtureKeys();
    void entityKeyOverride_data();
    void entityKeyOverride();
    void twilioIdempotencyTokenHeader();
    void githubFormPayload();
    void bodyFormats_data();
    void bodyFormats();
    void bodyHashKey();
    void registry();

    // test_util.cpp
    void jsonPointer_data();
    void jsonPointer();
    void jsonPointerParseErrors_data();
    void jsonPointerParseErrors();
    void scalarText_data();
    void scalarText();
    void parseInt_data();
    void parseInt();
    void utf8RoundTrip_data();
    void utf8RoundTrip();
    void formParsing();
    void bodyParser();
    void crypto();
    void twilioUrlCandidates_data();
    void twilioUrlCandidates();
    void twilioSigningString();
};

} // namespace hookbench::tests

Q_DECLARE_METATYPE(hookbench::tests::VectorCase)
Q_DECLARE_METATYPE(hookbench::http::HttpRequest)
Q_DECLARE_METATYPE(hookbench::config::SourceConfig)
