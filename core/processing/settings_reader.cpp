#include "core/processing/settings_reader.h"

#include <cmath>

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace hookbench::processing {

namespace {

QString describe(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null: return u"null"_s;
    case QJsonValue::Bool: return v.toBool() ? u"true"_s : u"false"_s;
    case QJsonValue::Double: return QString::number(v.toDouble(), 'g', 17);
    case QJsonValue::String: return u'"' % v.toString() % u'"';
    case QJsonValue::Array: return u"an array"_s;
    case QJsonValue::Object: return u"an object"_s;
    case QJsonValue::Undefined: break;
    }
    return u"nothing"_s;
}

} // namespace

SettingsReader::SettingsReader(const QJsonObject &object, QString path) : m_object(object), m_path(std::move(path)) {}

Error SettingsReader::error() const
{
    return m_error.value_or(Error{u"config_invalid"_s, QString()});
}

QString SettingsReader::fieldPath(const QString &key) const
{
    return m_path.isEmpty() ? key : m_path % u'.' % key;
}

void SettingsReader::fail(const QString &key, const QString &why)
{
    if (!m_error)
        m_error = Error{u"config_invalid"_s, fieldPath(key) % u": "_s % why};
}

void SettingsReader::failWith(const Error &error)
{
    if (!m_error)
        m_error = error;
}

void SettingsReader::rejectUnknown(const QSet<QString> &known)
{
    QStringList allowed(known.begin(), known.end());
    allowed.sort();
    for (auto it = m_object.begin(); it != m_object.end(); ++it) {
        if (!known.contains(it.key()))
            fail(it.key(), u"unknown field (allowed: "_s % allowed.join(u", "_s) % u")"_s);
    }
}

bool SettingsReader::has(const QString &key) const
{
    const QJsonValue v = m_object.value(key);
    return !v.isUndefined() && !v.isNull();
}

QString SettingsReader::string(const QString &key, const QString &fallback)
{
    if (!has(key))
        return fallback;
    const QJsonValue v = m_object.value(key);
    if (!v.isString()) {
        fail(key, u"must be a string, got "_s % describe(v));
        return fallback;
    }
    return v.toString();
}

qint64 SettingsReader::integer(const QString &key, qint64 fallback, qint64 min, qint64 max)
{
    if (!has(key))
        return fallback;
    const QJsonValue v = m_object.value(key);
    const double d = v.toDouble(0.5);
    // Bounds are checked on the double first so a huge value cannot overflow the conversion.
    if (!v.isDouble() || !std::isfinite(d) || d != std::floor(d)) {
        fail(key, u"must be an integer, got "_s % describe(v));
        return fallback;
    }
    if (d < static_cast<double>(min) || d > static_cast<double>(max)) {
        fail(key, u"must be between %1 and %2, got %3"_s.arg(min).arg(max).arg(describe(v)));
        return fallback;
    }
    return static_cast<qint64>(d);
}

double SettingsReader::number(const QString &key, double fallback, double min, double max, bool minExclusive)
{
    if (!has(key))
        return fallback;
    const QJsonValue v = m_object.value(key);
    if (!v.isDouble() || !std::isfinite(v.toDouble())) {
        fail(key, u"must be a number, got "_s % describe(v));
        return fallback;
    }
    const double d = v.toDouble();
    const bool belowMin = minExclusive ? d <= min : d < min;
    if (belowMin || d > max) {
        const QString range = minExclusive ? u"greater than %1 and at most %2"_s.arg(min).arg(max)
                                           : u"between %1 and %2"_s.arg(min).arg(max);
        fail(key, u"must be "_s % range % u", got "_s % describe(v));
        return fallback;
    }
    return d;
}

QStringList SettingsReader::stringList(const QString &key)
{
    if (!has(key))
        return {};
    const QJsonValue v = m_object.value(key);
    if (!v.isArray()) {
        fail(key, u"must be an array of strings, got "_s % describe(v));
        return {};
    }
    QStringList out;
    const QJsonArray array = v.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        if (!array.at(i).isString() || array.at(i).toString().isEmpty()) {
            fail(key % u"[%1]"_s.arg(i), u"must be a non-empty string, got "_s % describe(array.at(i)));
            return {};
        }
        out.append(array.at(i).toString());
    }
    return out;
}

QJsonObject SettingsReader::object(const QString &key)
{
    if (!has(key))
        return {};
    const QJsonValue v = m_object.value(key);
    if (!v.isObject()) {
        fail(key, u"must be an object, got "_s % describe(v));
        return {};
    }
    return v.toObject();
}

QString SettingsReader::choice(const QString &key, const QString &fallback, const QStringList &choices)
{
    const QString s = string(key, fallback);
    if (!choices.contains(s)) {
        QStringList quoted;
        for (const auto &c : choices)
            quoted.append(u'"' % c % u'"');
        fail(key, u"must be one of "_s % quoted.join(u", "_s) % u", got \""_s % s % u'"');
        return fallback;
    }
    return s;
}

} // namespace hookbench::processing
