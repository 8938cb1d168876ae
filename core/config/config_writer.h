#pragma once

// ConfigWriter: Config → the JSON of a config file, and the file written atomically. What it
// writes, ConfigLoader reads back into an equal Config (the settings dialog saves through it).
// The file holds secrets: it is written with mode 0600 and never logged.

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include "core/config/config.h"
#include "core/util/result.h"

namespace hookbench::config {

class ConfigWriter final
{
public:
    // Every field, defaults included, so the file shows what is in effect. Optional per-source
    // fields (entity_key, topic, public_url, retry, simulate, signature) only when set.
    static QJsonObject toJson(const Config &config);
    static QJsonObject sourceToJson(const SourceConfig &source);

    // Writes JSON text to path through a temporary file renamed over it (QSaveFile), so a crash
    // leaves the old file or the new one, never half of one; mode 0600.
    static Result<void> writeFile(const QString &path, const QByteArray &json);
    static Result<void> writeFile(const QString &path, const Config &config);
};

} // namespace hookbench::config
