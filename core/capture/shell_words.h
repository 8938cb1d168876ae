#pragma once

// ShellWords: splits text into commands and words the way a POSIX shell does for the plain
// commands people paste from docs — 'single' and "double" quotes, backslash escapes,
// backslash-newline continuations, $'ANSI-C' quotes, # comments; commands end at an unquoted
// newline, ';' or '&&'. Nothing is expanded: a $VARIABLE stays as written and is reported, since
// the value it would have had is not known here.

#include <QByteArray>
#include <QList>
#include <QString>

#include "core/util/result.h"

namespace hookbench::capture {

struct ShellCommand
{
    QList<QByteArray> words;
    int line = 1;                 // line where the command starts (1-based)
    QList<QByteArray> unexpanded; // $NAMES left as written (outside single quotes)
};

class ShellWords
{
public:
    // Error "shell_syntax" with the line of an unterminated quote.
    static Result<QList<ShellCommand>> split(const QByteArray &text);
};

} // namespace hookbench::capture
