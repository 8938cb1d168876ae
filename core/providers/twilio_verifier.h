#pragma once

// TwilioVerifier: X-Twilio-Signature = base64 HMAC-SHA1(auth token, URL + sorted form parameters),
// or for JSON bodies HMAC over the URL alone, whose query carries bodySHA256=<hex sha256(body)>,
// as twilio-node's validateRequest / validateRequestWithBody do it — including trying the URL with
// and without its port. The URL is the one Twilio called: SourceConfig::publicUrl when set (see
// signedUrl()), else http://<Host><request target>.

#include "core/providers/verifier.h"

namespace hookbench::providers {

class TwilioVerifier final : public Verifier
{
public:
    QString name() const override;
    VerifyResult verify(const VerifyInput &input) const override;
    BodyFormat bodyFormat(const http::HttpRequest &request) const override;
    IdempotencyKey idempotencyKey(const http::HttpRequest &request, const ParsedBody &body) const override;
    QStringList defaultEntityPointers() const override;
    QByteArray entityKey(const http::HttpRequest &request, const ParsedBody &body,
                         const config::SourceConfig &source) const override;
    QString eventType(const http::HttpRequest &request, const ParsedBody &body,
                      const config::SourceConfig &source) const override;

    // The URL Twilio signed, before normalisation: publicUrl's scheme, host and path with the
    // request's query when it has one (Twilio appends bodySHA256 to the configured URL, so the
    // query it signed is only known from the request), else publicUrl as configured; without
    // publicUrl, http://<Host header><request target>.
    static QByteArray signedUrl(const http::HttpRequest &request, const config::SourceConfig &source);
    // The two forms twilio-node checks, after WHATWG-style normalisation (lowercase scheme and
    // host, default port dropped, empty path "/"): first without any port, then with the explicit
    // port or, if there is none, the scheme's default port (:443 for https, :80 otherwise).
    static QList<QByteArray> urlCandidates(QByteArrayView url);
    // twilio-node's string to sign: url + for each name in sorted order, for each distinct value
    // in sorted order, name + value.
    static QByteArray signingString(QByteArrayView url, const QList<QPair<QString, QString>> &params);
    Result<http::HeaderList> signRequest(const SignInput &input) const override;
    Result<void> setIdempotencyKey(http::HttpRequest &request, const QByteArray &newKey) const override;
    // A body that is not form-encoded is covered through bodySHA256 in the signed URL: the
    // request target's bodySHA256 query parameter is set to the SHA-256 of the body.
    void bindBody(http::HttpRequest &request) const override;
};

} // namespace hookbench::providers
