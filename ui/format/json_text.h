#pragma once

// JsonText: what the payload editor says about JSON text — whether it parses, and if not where
// (QJsonParseError gives a byte offset into the UTF-8; people read lines and columns), and the
// pretty and compact forms of it.

#include <QByteArray>
#include <QString>

namespace hookbench::ui {

struct JsonCheck
{
    bool ok = false;
    int line = 0;   // 1-based line of the first error
    int column = 0; // 1-based column (in characters) of the first error
    QString message;
};

class JsonText final
{
public:
    static JsonCheck check(const QString &text);
    // 1-based line and column of a byte offset into text's UTF-8 (an offset past the end names
    // the position after the last character).
    static std::pair<int, int> lineColumn(const QString &text, qsizetype utf8Offset);
    // Re-indented (4 spaces) or on one line; the text unchanged when it is not JSON.
    static QString pretty(const QString &text);
    static QString compact(const QString &text);
};

} // namespace hookbench::ui
