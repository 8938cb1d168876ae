#include "core/config/secret_names.h"

#include <QString>

using namespace Qt::StringLiterals;

namespace hookbench::config {

bool SecretNames::isSecretProperty(QStringView name)
{
    const QString lower = name.trimmed().toString().toLower();
    for (const QStringView word : {u"password"_s, u"secret"_s, u"token"_s, u"credential"_s, u"passphrase"_s}) {
        if (lower.contains(word))
            return true;
    }
    if (lower.endsWith(u".pem"_s))
        return true; // ssl.key.pem, ssl.certificate.pem, ssl.ca.pem: inline key material
    // A ".key" segment or a key store: ssl.key.location, ssl.keystore.location, sasl.kerberos.keytab.
    if (lower.contains(u".key"_s))
        return true;
    // sasl.jaas.config, sasl.oauthbearer.config and any other SASL configuration string.
    if (lower.startsWith(u"sasl."_s) && lower.endsWith(u"config"_s))
        return true;
    return lower.startsWith(u"sasl.oauthbearer."_s) && lower != u"sasl.oauthbearer.method"_s;
}

} // namespace hookbench::config
