#pragma once

// Verifier: one provider's knowledge about its webhooks — how it signs them (verify()), where it
// puts the delivery id (idempotency key), which entity a delivery is about (entity key) and what
// kind of event it is (event type). One file pair per provider implements it; ProviderRegistry
// maps provider names to implementations, so a new provider is one file pair and one line.

#include <functional>

#include <QByteArray>
#include <QJsonDocument>
#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>
#include <QUrlQuery>

#include "core/config/config.h"
#include "core/http/http_request.h"
#include "core/util/result.h"

namespace hookbench::providers {

// Stable reason codes, used in answers, the journal and metrics.
namespace reason {
inline constexpr char missingSignature[] = "missing_signature";
inline constexpr char signatureMismatch[] = "signature_mismatch";
inline constexpr char timestampOutOfTolerance[] = "timestamp_out_of_tolerance";
inline constexpr char malformedSignatureHeader[] = "malformed_signature_header";
inline constexpr char missingHeaders[] = "missing_headers";
inline constexpr char emptyBody[] = "empty_body"; // SDKs that refuse an empty payload (Stripe, GitHub, Shopify)
} // namespace reason

struct VerifyInput
{
    const http::HttpRequest &request;
    const config::SourceConfig &source;
    qint64 nowSecs = 0; // from the injectable clock
};

// What verification found, detailed enough for the inspector to explain a rejection.
struct VerifyResult
{
    bool ok = false;
    QString reason;           // empty when ok; else one of reason::*
    QString detail;           // a sentence for people: which header, which value, why
    int matchedSecret = -1;   // index into SourceConfig::secrets that matched
    QByteArray signedContent; // the exact bytes that were signed (for the first secret tried)
    QByteArray expected;      // signature computed with the first secret, in the provider's encoding
    QByteArray received;      // signature(s) as received
    bool hasTimestamp = false;
    qint64 skewSeconds = 0; // now - signed timestamp, where the provider signs one
};

// Where an idempotency key came from, shown in the inspector's Dedup tab.
struct IdempotencyKey
{
    QByteArray key;
    QString origin; // e.g. "header X-GitHub-Delivery", "body /id", "sha256(body)"
};

// The body as parsed once per request, shared by key extraction.
struct ParsedBody
{
    bool isJson = false; // parsed as JSON successfully
    QJsonDocument json;
    bool isForm = false;                 // application/x-www-form-urlencoded
    QList<QPair<QString, QString>> form; // decoded form parameters in order
};

enum class BodyFormat { Json, Form, Any };

// What sign() needs to sign a request as the provider would (replays through the receiver).
struct SignInput
{
    const http::HttpRequest &request; // headers and body to sign (body already edited)
    const config::SourceConfig &source;
    QByteArray secret;  // the secret to sign with (the source's first)
    qint64 nowSecs = 0; // timestamp for providers that sign one
};

class Verifier
{
public:
    virtual ~Verifier() = default;

    virtual QString name() const = 0;
    virtual VerifyResult verify(const VerifyInput &input) const = 0;

    // Which body format this provider sends for this request (decides the 400 invalid_json answer).
    virtual BodyFormat bodyFormat(const http::HttpRequest &request) const;
    // The provider's delivery id, or empty when it has none (the caller then hashes the body).
    virtual IdempotencyKey idempotencyKey(const http::HttpRequest &request, const ParsedBody &body) const;
    // JSON Pointers tried in order for the entity key when the source does not override it.
    virtual QStringList defaultEntityPointers() const;
    // The entity key (Kafka message key): the source's entity_key pointer if set, else the
    // provider default (pointers above; Twilio reads form parameters). Empty when none found.
    virtual QByteArray entityKey(const http::HttpRequest &request, const ParsedBody &body,
                                 const config::SourceConfig &source) const;
    // Event type from headers or body; the default reads the source's event_type pointer (or /type).
    virtual QString eventType(const http::HttpRequest &request, const ParsedBody &body,
                              const config::SourceConfig &source) const;

    // Headers that sign input.request as the provider would, with the names the provider uses;
    // each replaces the same-named header. "unsupported" with why when the provider cannot be
    // signed (none). signRequest() then verify() of the result must accept.
    virtual Result<http::HeaderList> signRequest(const SignInput &input) const;
    // Rewrites the request so its idempotency key becomes newKey (the provider's id header, or
    // the body field it keys on). "unsupported" with why when the key is a hash of the body.
    virtual Result<void> setIdempotencyKey(http::HttpRequest &request, const QByteArray &newKey) const;
    // Brings the parts of the request other than the signature headers that the signature binds
    // to the body up to date before signRequest() (Twilio's bodySHA256 query parameter after a
    // body edit). The default changes nothing.
    virtual void bindBody(http::HttpRequest &request) const;

    // The fallback idempotency key: lowercase hex SHA-256 of the raw body, origin "sha256(body)".
    static IdempotencyKey bodyHashKey(const QByteArray &body);
    // The text at a JSON Pointer (see util::JsonPointer::scalarText) as UTF-8; for a form body a
    // one-token pointer ("/MessageSid") names a form parameter. Empty when absent, null or not a
    // scalar, or when the pointer is malformed.
    static QByteArray pointerText(const ParsedBody &body, QStringView pointer);
    // The first value of a form parameter; empty when absent.
    static QString formValue(const ParsedBody &body, QStringView name);
    // Sets header `name` (compared case-insensitively): the first occurrence takes the value and
    // keeps its position and spelling, later ones are removed; appended when absent.
    static void replaceHeader(http::HeaderList &headers, const QByteArray &name, const QByteArray &value);

protected:
    // The error for a SignInput without a secret.
    Error noSecretError(const SignInput &input) const;
    // Compares every received signature with the signature computed for every secret, each pair
    // in constant time, and fills result.ok, result.matchedSecret (first secret that matched) and
    // result.expected (signature under the first secret). sign() returns the canonical form the
    // provider sends (lowercase hex, padded base64, with any "sha256=" style prefix).
    static bool matchSignatures(VerifyResult &result, const QList<QByteArray> &secrets,
                                const QList<QByteArray> &received,
                                const std::function<QByteArray(const QByteArray &secret)> &sign);
    // A rejection with a reason code and a sentence.
    static VerifyResult reject(VerifyResult result, const char *reasonCode, const QString &detail);
};

} // namespace hookbench::providers
