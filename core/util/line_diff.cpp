#include "core/util/line_diff.h"

#include <algorithm>
#include <vector>

namespace hookbench {

namespace {

// Myers' greedy forward search over the middle part (after the common prefix and suffix are
// taken off). trace[d] holds V before round d for diagonals -d..d, which is all the backtrack
// needs. Returns false when more than maxEdits edits would be needed.
bool myers(const QStringList &a, qsizetype aFrom, qsizetype aTo, const QStringList &b, qsizetype bFrom, qsizetype bTo,
           int maxEdits, QList<DiffLine> &out)
{
    const int n = int(aTo - aFrom);
    const int m = int(bTo - bFrom);
    const int maxD = std::min(n + m, maxEdits);
    // V[k] for k in -maxD-1..maxD+1, stored at k + offset.
    const int offset = maxD + 1;
    std::vector<int> v(size_t(2 * maxD + 3), 0);
    std::vector<std::vector<int>> trace;
    int found = -1;
    for (int d = 0; d <= maxD && found < 0; ++d) {
        // Diagonals -d-1..d+1 of the V this round starts from.
        trace.emplace_back(v.begin() + (offset - d - 1), v.begin() + (offset + d + 2));
        for (int k = -d; k <= d; k += 2) {
            int x = (k == -d || (k != d && v[size_t(offset + k - 1)] < v[size_t(offset + k + 1)]))
                        ? v[size_t(offset + k + 1)]
                        : v[size_t(offset + k - 1)] + 1;
            int y = x - k;
            while (x < n && y < m && a.at(aFrom + x) == b.at(bFrom + y)) {
                ++x;
                ++y;
            }
            v[size_t(offset + k)] = x;
            if (x >= n && y >= m) {
                found = d;
                break;
            }
        }
    }
    if (found < 0)
        return false;

    // Backtrack from (n, m), collecting the script in reverse.
    QList<DiffLine> reversed;
    int x = n;
    int y = m;
    for (int d = found; d >= 0; --d) {
        const std::vector<int> &round = trace[size_t(d)];
        auto at = [&round, d](int k) { return round[size_t(k + d + 1)]; };
        const int k = x - y;
        const bool down = k == -d || (k != d && at(k - 1) < at(k + 1));
        const int prevK = down ? k + 1 : k - 1;
        const int prevX = d == 0 ? 0 : at(prevK);
        const int prevY = d == 0 ? 0 : prevX - prevK;
        while (x > prevX && y > prevY) {
            --x;
            --y;
            reversed.append(DiffLine{DiffLine::Kind::Same, b.at(bFrom + y), int(aFrom + x), int(bFrom + y)});
        }
        if (d == 0)
            break;
        if (down) {
            --y;
            reversed.append(DiffLine{DiffLine::Kind::Added, b.at(bFrom + y), -1, int(bFrom + y)});
        } else {
            --x;
            reversed.append(DiffLine{DiffLine::Kind::Removed, a.at(aFrom + x), int(aFrom + x), -1});
        }
    }
    // Reading order, with removals before additions inside each run of changes.
    qsizetype i = reversed.size() - 1;
    while (i >= 0) {
        if (reversed.at(i).kind == DiffLine::Kind::Same) {
            out.append(reversed.at(i--));
            continue;
        }
        QList<DiffLine> removed;
        QList<DiffLine> added;
        while (i >= 0 && reversed.at(i).kind != DiffLine::Kind::Same) {
            (reversed.at(i).kind == DiffLine::Kind::Removed ? removed : added).append(reversed.at(i));
            --i;
        }
        out.append(removed);
        out.append(added);
    }
    return true;
}

} // namespace

QList<DiffLine> LineDiff::diff(const QStringList &before, const QStringList &after, int maxEdits)
{
    QList<DiffLine> out;
    qsizetype prefix = 0;
    while (prefix < before.size() && prefix < after.size() && before.at(prefix) == after.at(prefix))
        ++prefix;
    qsizetype suffix = 0;
    while (suffix < before.size() - prefix && suffix < after.size() - prefix
           && before.at(before.size() - 1 - suffix) == after.at(after.size() - 1 - suffix))
        ++suffix;
    for (qsizetype i = 0; i < prefix; ++i)
        out.append(DiffLine{DiffLine::Kind::Same, before.at(i), int(i), int(i)});
    const qsizetype aTo = before.size() - suffix;
    const qsizetype bTo = after.size() - suffix;
    if (!myers(before, prefix, aTo, after, prefix, bTo, std::max(0, maxEdits), out)) {
        for (qsizetype i = prefix; i < aTo; ++i)
            out.append(DiffLine{DiffLine::Kind::Removed, before.at(i), int(i), -1});
        for (qsizetype i = prefix; i < bTo; ++i)
            out.append(DiffLine{DiffLine::Kind::Added, after.at(i), -1, int(i)});
    }
    for (qsizetype i = 0; i < suffix; ++i)
        out.append(DiffLine{DiffLine::Kind::Same, before.at(aTo + i), int(aTo + i), int(bTo + i)});
    return out;
}

QStringList LineDiff::splitLines(const QString &text)
{
    if (text.isEmpty())
        return {};
    QStringList lines = text.split(QLatin1Char('\n'));
    if (text.endsWith(QLatin1Char('\n')))
        lines.removeLast();
    for (QString &line : lines) {
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
    }
    return lines;
}

QList<DiffLine> LineDiff::diffText(const QString &before, const QString &after, int maxEdits)
{
    return diff(splitLines(before), splitLines(after), maxEdits);
}

QString LineDiff::render(const QList<DiffLine> &lines)
{
    QString text;
    for (const DiffLine &line : lines) {
        switch (line.kind) {
        case DiffLine::Kind::Same:
        case DiffLine::Kind::Skipped: text += QLatin1String("  "); break;
        case DiffLine::Kind::Removed: text += QLatin1String("- "); break;
        case DiffLine::Kind::Added: text += QLatin1String("+ "); break;
        }
        text += line.text;
        text += QLatin1Char('\n');
    }
    return text;
}

QList<DiffLine> LineDiff::withContext(const QList<DiffLine> &lines, int context)
{
    QList<DiffLine> out;
    const qsizetype n = lines.size();
    qsizetype i = 0;
    while (i < n) {
        if (lines.at(i).kind != DiffLine::Kind::Same) {
            out.append(lines.at(i++));
            continue;
        }
        qsizetype end = i;
        while (end < n && lines.at(end).kind == DiffLine::Kind::Same)
            ++end;
        // Lines kept after the change before the run and before the change after it.
        const qsizetype head = i == 0 ? 0 : context;
        const qsizetype tail = end == n ? 0 : context;
        if (end - i <= head + tail + 1) {
            for (qsizetype k = i; k < end; ++k)
                out.append(lines.at(k));
        } else {
            for (qsizetype k = i; k < i + head; ++k)
                out.append(lines.at(k));
            const qsizetype skipped = end - i - head - tail;
            out.append(DiffLine{DiffLine::Kind::Skipped,
                                QStringLiteral("… %1 unchanged line%2")
                                    .arg(skipped)
                                    .arg(skipped == 1 ? QString() : QStringLiteral("s")),
                                -1, -1});
            for (qsizetype k = end - tail; k < end; ++k)
                out.append(lines.at(k));
        }
        i = end;
    }
    return out;
}

bool LineDiff::hasChanges(const QList<DiffLine> &lines)
{
    return std::any_of(lines.cbegin(), lines.cend(), [](const DiffLine &line) {
        return line.kind == DiffLine::Kind::Removed || line.kind == DiffLine::Kind::Added;
    });
}

} // namespace hookbench
