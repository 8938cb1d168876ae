#pragma once

// Crypto: the few primitives webhook signatures need — HMAC-SHA1/SHA-256, SHA-256 and a
// constant-time comparison — on OpenSSL, so that no provider re-implements them.

#include <QByteArray>
#include <QByteArrayView>

namespace hookbench::util {

enum class HashAlgorithm { Sha1, Sha256 };

class Crypto
{
public:
    // Raw HMAC digest of data under key. Empty only if OpenSSL fails (it does not for these digests).
    static QByteArray hmac(HashAlgorithm algorithm, const QByteArray &key, const QByteArray &data);
    static QByteArray hmacSha256(const QByteArray &key, const QByteArray &data)
    {
        return hmac(HashAlgorithm::Sha256, key, data);
    }
    static QByteArray hmacSha1(const QByteArray &key, const QByteArray &data)
    {
        return hmac(HashAlgorithm::Sha1, key, data);
    }

    // Raw SHA-256 digest, and its lowercase hex form.
    static QByteArray sha256(const QByteArray &data);
    static QByteArray sha256Hex(const QByteArray &data) { return sha256(data).toHex(); }

    // True when a and b hold the same bytes. The comparison of equal-length inputs takes time that
    // does not depend on where they differ (CRYPTO_memcmp); different lengths return false at
    // once, as every provider SDK does (the length of a signature is no secret).
    static bool constantTimeEquals(QByteArrayView a, QByteArrayView b);
};

} // namespace hookbench::util
