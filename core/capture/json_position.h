#pragma once

// JsonPosition: "line L, column C" for a byte offset in a JSON text, so that a parse error names
// where a file is broken in the terms an editor shows.

#include <QByteArray>
#include <QString>

namespace hookbench::capture {

class JsonPosition
{
public:
    static int lineOf(const QByteArray &text, qsizetype offset);
    static QString describe(const QByteArray &text, qsizetype offset);
};

} // namespace hookbench::capture
