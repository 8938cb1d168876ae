#pragma once

// SecretNames: which configuration names hold key material or credentials, so that messages
// (start-up errors, logs) name the property but never repeat its value. librdkafka's own names
// decide the rules: passwords (sasl.password, ssl.key.password, ssl.keystore.password), secrets
// (sasl.oauthbearer.client.secret), inline keys and certificates (ssl.key.pem,
// ssl.certificate.pem), key stores (ssl.keystore.*, ssl.key.*), and SASL configuration strings
// that embed credentials (sasl.jaas.config, sasl.oauthbearer.config). Any name with "token" or
// "credential" in it is treated the same way. Wrongly hiding a harmless value costs a little help
// in an error message; wrongly showing a key is a leak, so the rules lean to hiding.

#include <QStringView>

namespace hookbench::config {

class SecretNames
{
public:
    // True when the value of property `name` (compared case-insensitively) must not be shown.
    static bool isSecretProperty(QStringView name);
};

} // namespace hookbench::config
