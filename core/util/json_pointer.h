#pragma once

// JsonPointer: RFC 6901 JSON Pointers ("/data/object/id", "~1" for '/', "~0" for '~') over
// QJsonDocument, plus the text a scalar value stands for when it becomes a key (Kafka message
// key, event type). Used for entity keys and event types, per provider default or per source.

#include <QJsonDocument>
#include <QJsonValue>
#include <QString>
#include <QStringList>
#include <QStringView>

#include "core/util/result.h"

namespace hookbench::util {

class JsonPointer
{
public:
    // The unescaped reference tokens of a pointer; "" (the whole document) has none. Fails with
    // "json_pointer_invalid" when a non-empty pointer does not start with '/' or '~' is not
    // followed by '0' or '1'.
    static Result<QStringList> parse(QStringView pointer);

    // The value the pointer refers to, or QJsonValue::Undefined when it refers to nothing: a
    // missing member, an array index that is out of range, not a canonical decimal ("01") or "-"
    // (the element after the last one), a step into a scalar, or a malformed pointer.
    static QJsonValue resolve(const QJsonDocument &document, QStringView pointer);
    static QJsonValue resolve(const QJsonValue &root, const QStringList &tokens);

    // The text of a scalar value used as a key: strings as they are, booleans as true/false,
    // integers in plain decimal (never "8.2e+17"), other numbers in their shortest round-trip
    // form. Empty for null, undefined, objects and arrays.
    // Limitation: QJsonDocument keeps integers exactly only while they fit in a qint64; beyond
    // that it stores a double and the text is that double's value.
    static QString scalarText(const QJsonValue &value);
};

} // namespace hookbench::util
