#include "core/capture/shell_words.h"

using namespace Qt::StringLiterals;

namespace hookbench::capture {

namespace {

bool isNameChar(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

// The escapes of $'…' (bash's ANSI-C quoting) that docs use.
char ansiEscape(char c)
{
    switch (c) {
    case 'n': return '\n';
    case 't': return '\t';
    case 'r': return '\r';
    case '0': return '\0';
    default: return c;
    }
}

} // namespace

Result<QList<ShellCommand>> ShellWords::split(const QByteArray &text)
{
    QList<ShellCommand> commands;
    ShellCommand current;
    QByteArray word;
    bool inWord = false;
    int line = 1;
    const qsizetype n = text.size();

    auto endWord = [&] {
        if (inWord)
            current.words.append(word);
        word.clear();
        inWord = false;
    };
    auto endCommand = [&] {
        endWord();
        if (!current.words.isEmpty())
            commands.append(current);
        current = ShellCommand{};
        current.line = line;
    };
    auto noteVariable = [&](qsizetype at) {
        qsizetype end = at + 1;
        if (end < n && text.at(end) == '{') {
            while (end < n && text.at(end) != '}')
                ++end;
            ++end;
        } else {
            while (end < n && isNameChar(text.at(end)))
                ++end;
        }
        if (end > at + 1)
            current.unexpanded.append(text.mid(at, end - at));
    };

    for (qsizetype i = 0; i < n; ++i) {
        const char c = text.at(i);
        if (c == '\\') {
            if (i + 1 < n
                && (text.at(i + 1) == '\n' || (text.at(i + 1) == '\r' && i + 2 < n && text.at(i + 2) == '\n'))) {
                i += text.at(i + 1) == '\r' ? 2 : 1; // continuation: the line goes on
                ++line;
                continue;
            }
            if (i + 1 < n) {
                word += text.at(++i);
                inWord = true;
            }
            continue;
        }
        if (c == '\'') {
            const qsizetype close = text.indexOf('\'', i + 1);
            if (close < 0)
                return Error{u"shell_syntax"_s, u"line %1: a single quote is never closed"_s.arg(line)};
            const QByteArray quoted = text.mid(i + 1, close - i - 1);
            line += static_cast<int>(quoted.count('\n'));
            word += quoted;
            inWord = true;
            i = close;
            continue;
        }
        if (c == '$' && i + 1 < n && text.at(i + 1) == '\'') {
            qsizetype j = i + 2;
            for (; j < n && text.at(j) != '\''; ++j) {
                if (text.at(j) == '\\' && j + 3 < n && text.at(j + 1) == 'x') {
                    bool ok = false;
                    const int value = text.mid(j + 2, 2).toInt(&ok, 16);
                    if (ok) {
                        word += static_cast<char>(value);
                        j += 3;
                        continue;
                    }
                }
                if (text.at(j) == '\\' && j + 1 < n)
                    word += ansiEscape(text.at(++j));
                else
                    word += text.at(j);
            }
            if (j >= n)
                return Error{u"shell_syntax"_s, u"line %1: a $'…' quote is never closed"_s.arg(line)};
            inWord = true;
            i = j;
            continue;
        }
        if (c == '"') {
            const int startLine = line;
            qsizetype j = i + 1;
            for (; j < n && text.at(j) != '"'; ++j) {
                const char d = text.at(j);
                if (d == '\\' && j + 1 < n) {
                    const char next = text.at(j + 1);
                    if (next == '\n') {
                        ++j;
                        ++line;
                        continue;
                    }
                    if (next == '$' || next == '`' || next == '"' || next == '\\') {
                        word += next;
                        ++j;
                        continue;
                    }
                }
                if (d == '$')
                    noteVariable(j);
                if (d == '\n')
                    ++line;
                word += d;
            }
            if (j >= n)
                return Error{u"shell_syntax"_s, u"line %1: a double quote is never closed"_s.arg(startLine)};
            inWord = true;
            i = j;
            continue;
        }
        if (c == '#' && !inWord) {
            while (i < n && text.at(i) != '\n')
                ++i;
            --i; // the newline ends the command below
            continue;
        }
        if (c == '\n') {
            endCommand();
            ++line;
            current.line = line;
            continue;
        }
        if (c == ';') {
            endCommand();
            continue;
        }
        if (c == '&' && i + 1 < n && text.at(i + 1) == '&') {
            endCommand();
            ++i;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\r') {
            endWord();
            continue;
        }
        if (c == '$')
            noteVariable(i);
        word += c;
        inWord = true;
    }
    endCommand();
    return commands;
}

} // namespace hookbench::capture
