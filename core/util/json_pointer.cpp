#include "core/util/json_pointer.h"

#include <cmath>

#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>
#include <QVariant>

using namespace Qt::StringLiterals;

namespace hookbench::util {

namespace {

// RFC 6901 section 4: an array index is "0" or digits without a leading zero.
bool arrayIndex(const QString &token, qsizetype size, qsizetype *index)
{
    if (token.isEmpty() || token.size() > 18 || (token.size() > 1 && token.front() == u'0'))
        return false;
    qsizetype value = 0;
    for (const QChar c : token) {
        if (c < u'0' || c > u'9')
            return false;
        value = value * 10 + (c.unicode() - u'0');
    }
    if (value >= size)
        return false;
    *index = value;
    return true;
}

} // namespace

Result<QStringList> JsonPointer::parse(QStringView pointer)
{
    QStringList tokens;
    if (pointer.isEmpty())
        return tokens;
    if (pointer.front() != u'/') {
        return Result<QStringList>::failure(
            u"json_pointer_invalid"_s,
            u"JSON Pointer \"%1\" must be empty or start with '/' (RFC 6901)"_s.arg(pointer));
    }
    QString current;
    for (qsizetype i = 1; i < pointer.size(); ++i) {
        const QChar c = pointer[i];
        if (c == u'/') {
            tokens.append(current);
            current.clear();
        } else if (c == u'~') {
            const QChar next = i + 1 < pointer.size() ? pointer[i + 1] : QChar();
            if (next != u'0' && next != u'1') {
                return Result<QStringList>::failure(
                    u"json_pointer_invalid"_s,
                    u"JSON Pointer \"%1\" has '~' at offset %2 not followed by 0 or 1 (RFC 6901 escapes are ~0 and ~1)"_s
                        .arg(pointer)
                        .arg(i));
            }
            current.append(next == u'0' ? u'~' : u'/');
            ++i;
        } else {
            current.append(c);
        }
    }
    tokens.append(current);
    return tokens;
}

QJsonValue JsonPointer::resolve(const QJsonDocument &document, QStringView pointer)
{
    const auto tokens = parse(pointer);
    if (!tokens.ok() || document.isNull())
        return QJsonValue(QJsonValue::Undefined);
    const QJsonValue root = document.isObject() ? QJsonValue(document.object()) : QJsonValue(document.array());
    return resolve(root, *tokens);
}

QJsonValue JsonPointer::resolve(const QJsonValue &root, const QStringList &tokens)
{
    QJsonValue current = root;
    for (const QString &token : tokens) {
        if (current.isObject()) {
            const QJsonObject object = current.toObject();
            const auto it = object.constFind(token);
            if (it == object.constEnd())
                return QJsonValue(QJsonValue::Undefined);
            current = it.value();
        } else if (current.isArray()) {
            const QJsonArray array = current.toArray();
            qsizetype index = 0;
            if (!arrayIndex(token, array.size(), &index))
                return QJsonValue(QJsonValue::Undefined);
            current = array.at(index);
        } else {
            return QJsonValue(QJsonValue::Undefined);
        }
    }
    return current;
}

QString JsonPointer::scalarText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String: return value.toString();
    case QJsonValue::Bool: return value.toBool() ? u"true"_s : u"false"_s;
    case QJsonValue::Double: {
        // QJsonValue keeps integers that fit in a qint64 as integers; toVariant() hands them out
        // exactly, whereas toDouble() would round 820982911946154508 to ...496.
        const QVariant variant = value.toVariant();
        if (variant.typeId() == QMetaType::LongLong)
            return QString::number(variant.toLongLong());
        const double d = value.toDouble();
        if (std::isfinite(d) && std::trunc(d) == d && std::fabs(d) < 9.2e18)
            return QString::number(static_cast<qint64>(d));
        return QString::number(d, 'g', QLocale::FloatingPointShortest);
    }
    default: return {};
    }
}

} // namespace hookbench::util
