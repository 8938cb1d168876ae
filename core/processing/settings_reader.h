#pragma once

// SettingsReader: reads the fields of one JSON settings object (simulate, target, retry) and keeps
// the first validation error with the field's full path, e.g.
// "sources[2].simulate.failure_rate: must be between 0 and 1, got 1.5". Shared by the settings
// structs so the config loader and the admin API report problems the same way.

#include <optional>

#include <QJsonObject>
#include <QJsonValue>
#include <QSet>
#include <QString>
#include <QStringList>

#include "core/util/result.h"

namespace hookbench::processing {

class SettingsReader
{
public:
    SettingsReader(const QJsonObject &object, QString path);

    bool failed() const { return m_error.has_value(); }
    // code "config_invalid"; only meaningful when failed()
    Error error() const;

    // The full path of a field of this object ("sources[2].simulate" + "failure_rate").
    QString fieldPath(const QString &key) const;
    void fail(const QString &key, const QString &why);
    // Records an error for a nested path that is already complete (from a nested reader).
    void failWith(const Error &error);

    void rejectUnknown(const QSet<QString> &known);
    bool has(const QString &key) const;
    QJsonValue value(const QString &key) const { return m_object.value(key); }

    QString string(const QString &key, const QString &fallback);
    qint64 integer(const QString &key, qint64 fallback, qint64 min, qint64 max);
    // A finite number in [min, max]; minExclusive makes the lower bound open ("greater than 0").
    double number(const QString &key, double fallback, double min, double max, bool minExclusive = false);
    QStringList stringList(const QString &key);
    QJsonObject object(const QString &key);
    // A string that must be one of choices.
    QString choice(const QString &key, const QString &fallback, const QStringList &choices);

private:
    QJsonObject m_object;
    QString m_path;
    std::optional<Error> m_error;
};

} // namespace hookbench::processing
