#include "core/util/crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace hookbench::util {

namespace {

const char *digestName(HashAlgorithm algorithm)
{
    return algorithm == HashAlgorithm::Sha1 ? "SHA1" : "SHA256";
}

// OpenSSL wants a non-null pointer even for an empty key or message.
const unsigned char *bytes(QByteArrayView view)
{
    static const unsigned char empty = 0;
    return view.isEmpty() ? &empty : reinterpret_cast<const unsigned char *>(view.data());
}

} // namespace

QByteArray Crypto::hmac(HashAlgorithm algorithm, const QByteArray &key, const QByteArray &data)
{
    unsigned char out[EVP_MAX_MD_SIZE];
    size_t outLen = 0;
    if (!EVP_Q_mac(nullptr, "HMAC", nullptr, digestName(algorithm), nullptr, bytes(key),
                   static_cast<size_t>(key.size()), bytes(data), static_cast<size_t>(data.size()), out, sizeof out,
                   &outLen)) {
        return {};
    }
    return QByteArray(reinterpret_cast<const char *>(out), static_cast<qsizetype>(outLen));
}

QByteArray Crypto::sha256(const QByteArray &data)
{
    unsigned char out[EVP_MAX_MD_SIZE];
    size_t outLen = 0;
    if (!EVP_Q_digest(nullptr, "SHA256", nullptr, bytes(data), static_cast<size_t>(data.size()), out, &outLen))
        return {};
    return QByteArray(reinterpret_cast<const char *>(out), static_cast<qsizetype>(outLen));
}

bool Crypto::constantTimeEquals(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    if (a.isEmpty())
        return true;
    return CRYPTO_memcmp(a.data(), b.data(), static_cast<size_t>(a.size())) == 0;
}

} // namespace hookbench::util
