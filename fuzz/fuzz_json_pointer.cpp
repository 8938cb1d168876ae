// libFuzzer target: JSON Pointer (RFC 6901) parsing and resolution. Input: the pointer on the
// first line, a JSON document after it.

#include <cstddef>
#include <cstdint>

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

#include "core/util/json_pointer.h"

using hookbench::util::JsonPointer;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype newline = input.indexOf('\n');
    const QString pointer = QString::fromUtf8(newline < 0 ? input : input.left(newline));
    const QByteArray json = newline < 0 ? QByteArray() : input.mid(newline + 1);

    const auto tokens = JsonPointer::parse(pointer);
    const QJsonDocument document = QJsonDocument::fromJson(json);
    const QJsonValue found = JsonPointer::resolve(document, pointer);
    (void)JsonPointer::scalarText(found);
    if (tokens) {
        const QJsonValue root = document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object());
        const QJsonValue again = JsonPointer::resolve(root, *tokens);
        // Both entry points agree on a pointer that parses.
        if (!document.isNull() && again != found)
            __builtin_trap();
    }
    return 0;
}
