#pragma once

// ConfigLoader: JSON config file → validated Config. Every error names the file, the field (as a
// path such as sources[1].provider) and why, so a typo is found without reading code. Unknown
// fields are errors too: a misspelt "tolerance_secnds" must not silently fall back to a default.

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include "core/config/config.h"
#include "core/util/result.h"

namespace hookbench::config {

// One validation problem: the field as a path ("sources[1].provider", "kafka.bootstrap"; empty
// when the whole text is not a JSON object) and why it is wrong.
struct FieldError
{
    QString field;
    QString why;
};

class ConfigLoader final
{
public:
    // Reads and validates a config file.
    static Result<Config> loadFile(const QString &path);
    // Validates JSON text; `origin` names it in errors (a file path or "<inline>").
    static Result<Config> parse(const QByteArray &json, const QString &origin);
    // Every problem of a config text, not only the first (the settings dialog shows each next to
    // its field); empty when parse() would accept it.
    static QList<FieldError> validate(const QByteArray &json);
    // The example configuration a first start writes: one source per provider, each with a
    // freshly generated secret, on the embedded cluster.
    static QByteArray exampleConfigJson();
    // A new random secret in the form the provider's own secrets have (Stripe and Standard
    // Webhooks "whsec_…", hex otherwise), for a new source or a rotation.
    static QByteArray generateSecret(const QString &provider);
    // The provider names a source may use.
    static QStringList providerNames();
};

} // namespace hookbench::config
