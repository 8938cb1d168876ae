#pragma once

// LineDiff: a line diff (Myers' O((N+M)D) algorithm, the one behind `diff` and git) for the
// payload editor, which shows an edited body and its headers against the original before they
// are sent. Debian 12 packages no Qt diff widget or library, and this is small.
//
// Common leading and trailing lines are matched first, so an edit in a large body costs only the
// lines around it. When the two sides differ by more than maxEdits lines the diff gives up on
// finding the shortest script and answers "everything removed, everything added" (still
// correct, only longer) rather than use time and memory quadratic in the edit.

#include <QList>
#include <QString>
#include <QStringList>

namespace hookbench {

struct DiffLine
{
    enum class Kind {
        Same,
        Removed,
        Added,
        Skipped, // withContext(): a run of unchanged lines left out; text says how many
    };
    Kind kind = Kind::Same;
    QString text;
    int oldLine = -1; // 0-based line in the original; -1 for an added line
    int newLine = -1; // 0-based line in the edited text; -1 for a removed line

    friend bool operator==(const DiffLine &, const DiffLine &) = default;
};

class LineDiff final
{
public:
    static constexpr int kDefaultMaxEdits = 2000;

    // The shortest edit script from `before` to `after` as one list in reading order: at each
    // change, removed lines come before the added ones.
    static QList<DiffLine> diff(const QStringList &before, const QStringList &after, int maxEdits = kDefaultMaxEdits);
    // Text split at \n (a \r before it is dropped); "" is no lines, a trailing \n adds none.
    static QStringList splitLines(const QString &text);
    static QList<DiffLine> diffText(const QString &before, const QString &after, int maxEdits = kDefaultMaxEdits);
    // The script with unchanged runs longer than 2 * context lines cut to `context` lines on
    // each side of a change, the rest replaced by one Skipped line (as `diff -U` shows hunks).
    static QList<DiffLine> withContext(const QList<DiffLine> &lines, int context = 3);
    // "  same", "- removed", "+ added", "  … skipped", one per line (the unified body without hunk headers).
    static QString render(const QList<DiffLine> &lines);
    static bool hasChanges(const QList<DiffLine> &lines);
};

} // namespace hookbench
