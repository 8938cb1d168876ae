#pragma once

// ConfigLoader: JSON config file → validated Config. Every error names the file, the field (as a
// path such as sources[1].provider) and why, so a typo is found without reading code. Unknown
// fields are errors too: a misspelt "tolerance_secnds" must not silently fall back to a default.

#include <QByteArray>
#include <QString>
#include <QStringList>

#include "core/config/config.h"
#include "core/util/result.h"

namespace hookbench::config {

class ConfigLoader final
{
public:
    // Reads and validates a config file.
    static Result<Config> loadFile(const QString &path);
    // Validates JSON text; `origin` names it in errors (a file path or "<inline>").
    static Result<Config> parse(const QByteArray &json, const QString &origin);
    // The example configuration a first start writes: one source per provider, each with a
    // freshly generated secret, on the embedded cluster.
    static QByteArray exampleConfigJson();
    // The provider names a source may use.
    static QStringList providerNames();
};

} // namespace hookbench::config
