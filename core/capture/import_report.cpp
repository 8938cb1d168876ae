#include "core/capture/import_report.h"

using namespace Qt::StringLiterals;

namespace hookbench::capture {

int ImportReport::takenCount() const
{
    return static_cast<int>(std::count_if(entries.cbegin(), entries.cend(), [](const auto &e) { return e.taken; }));
}

int ImportReport::skippedCount() const
{
    return static_cast<int>(entries.size()) - takenCount();
}

int ImportReport::selectedCount() const
{
    return static_cast<int>(
        std::count_if(captures.cbegin(), captures.cend(), [](const auto &c) { return c.selected; }));
}

QList<Capture> ImportReport::selectedCaptures() const
{
    QList<Capture> out;
    for (const Capture &c : captures) {
        if (c.selected)
            out.append(c);
    }
    return out;
}

void ImportReport::take(Capture capture, const QString &label, const QString &reason)
{
    ImportEntry entry;
    entry.index = capture.entryIndex;
    entry.label = label;
    entry.taken = true;
    entry.capture = static_cast<int>(captures.size());
    entry.reason = reason;
    if (!reason.isEmpty() && capture.notes.isEmpty())
        capture.notes = reason;
    captures.append(std::move(capture));
    entries.append(entry);
}

void ImportReport::skip(int index, const QString &label, const QString &reason)
{
    ImportEntry entry;
    entry.index = index;
    entry.label = label;
    entry.reason = reason;
    entries.append(entry);
}

QString ImportReport::summary() const
{
    QString out;
    for (const ImportEntry &e : entries) {
        QString state = u"skipped"_s;
        if (e.taken)
            state = captures.value(e.capture).selected ? u"taken"_s : u"listed"_s;
        out += u"#%1 %2 %3"_s.arg(e.index).arg(state, e.label);
        if (!e.reason.isEmpty())
            out += u" ("_s % e.reason % u")"_s;
        out += u'\n';
    }
    return out;
}

} // namespace hookbench::capture
