#include "core/providers/generic_hmac_verifier.h"

#include "core/util/crypto.h"

using namespace Qt::StringLiterals;

namespace hookbench::providers {

QString GenericHmacVerifier::name() const
{
    return u"generic-hmac"_s;
}

QByteArray GenericHmacVerifier::sign(const config::GenericHmacConfig &config, const QByteArray &secret,
                                     const QByteArray &body)
{
    const auto algorithm = config.algorithm == u"sha1" ? util::HashAlgorithm::Sha1 : util::HashAlgorithm::Sha256;
    const QByteArray mac = util::Crypto::hmac(algorithm, secret, body);
    return config.prefix + (config.encoding == u"base64" ? mac.toBase64() : mac.toHex());
}

VerifyResult GenericHmacVerifier::verify(const VerifyInput &input) const
{
    VerifyResult result;
    const config::GenericHmacConfig &config = input.source.genericHmac;
    const QString header = QString::fromLatin1(config.header);
    if ((config.algorithm != u"sha1" && config.algorithm != u"sha256")
        || (config.encoding != u"hex" && config.encoding != u"base64")) {
        return reject(
            result, reason::signatureMismatch,
            u"The source's generic_hmac settings are invalid: algorithm \"%1\" (sha1|sha256), encoding \"%2\" (hex|base64)."_s
                .arg(config.algorithm, config.encoding));
    }
    result.received = input.request.header(config.header);
    if (result.received.isEmpty())
        return reject(result, reason::missingSignature, u"The request has no %1 header."_s.arg(header));
    if (!result.received.startsWith(config.prefix)) {
        return reject(
            result, reason::malformedSignatureHeader,
            u"%1 does not start with the configured prefix \"%2\"."_s.arg(header, QString::fromUtf8(config.prefix)));
    }
    result.signedContent = input.request.body;
    if (input.source.secrets.isEmpty())
        return reject(result, reason::signatureMismatch, u"The source has no secret configured."_s);
    // Whole values are compared, prefix included: the canonical form is lowercase hex or padded
    // base64, as the sender's library writes it.
    const bool matched =
        matchSignatures(result, input.source.secrets, {result.received}, [&](const QByteArray &secret) -> QByteArray {
            return sign(config, secret, input.request.body);
        });
    if (!matched) {
        return reject(result, reason::signatureMismatch,
                      u"%1 does not equal %2%3 of HMAC-%4(secret, body) for any of the %5 secret(s)."_s
                          .arg(header, QString::fromUtf8(config.prefix), config.encoding, config.algorithm.toUpper())
                          .arg(input.source.secrets.size()));
    }
    result.detail = u"%1 matches secret #%2."_s.arg(header).arg(result.matchedSecret);
    return result;
}

Result<http::HeaderList> GenericHmacVerifier::signRequest(const SignInput &input) const
{
    const config::GenericHmacConfig &config = input.source.genericHmac;
    if ((config.algorithm != u"sha1" && config.algorithm != u"sha256")
        || (config.encoding != u"hex" && config.encoding != u"base64")) {
        return Error{
            u"unsupported"_s,
            u"source %1: generic_hmac algorithm \"%2\" (sha1|sha256) or encoding \"%3\" (hex|base64) is invalid"_s.arg(
                input.source.name, config.algorithm, config.encoding)};
    }
    if (config.header.isEmpty())
        return Error{u"unsupported"_s, u"source %1: generic_hmac names no header"_s.arg(input.source.name)};
    if (input.secret.isEmpty())
        return noSecretError(input);
    return http::HeaderList{{config.header, sign(config, input.secret, input.request.body)}};
}

} // namespace hookbench::providers
