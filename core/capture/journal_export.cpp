#include "core/capture/journal_export.h"

#include <algorithm>

#include "core/store/processing_query.h"

using namespace Qt::StringLiterals;

namespace hookbench::capture {

Result<store::ImportedRows> JournalExport::select(const QString &databasePath, const QList<qint64> &ids,
                                                  const store::JournalFilter &filter)
{
    auto journal = store::JournalQuery::open(databasePath);
    if (!journal)
        return journal.error();
    auto processing = store::ProcessingQuery::open(databasePath);
    if (!processing)
        return processing.error();

    store::ImportedRows rows;
    if (!ids.isEmpty()) {
        QList<qint64> sorted = ids;
        std::sort(sorted.begin(), sorted.end());
        sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
        for (qint64 id : sorted) {
            auto entry = (*journal)->entry(id);
            if (!entry)
                return entry.error();
            if (!entry->has_value())
                return Error{u"not_found"_s, u"there is no journal entry %1 in %2"_s.arg(id).arg(databasePath)};
            rows.entries.append(**entry);
        }
    } else {
        store::JournalFilter withBodies = filter;
        withBodies.withBodies = true;
        auto entries = (*journal)->list(withBodies);
        if (!entries)
            return entries.error();
        rows.entries = *entries;
    }
    for (const store::JournalEntry &entry : std::as_const(rows.entries)) {
        auto attempts = (*processing)->attemptsFor(entry.id);
        if (!attempts)
            return attempts.error();
        rows.attempts.append(*attempts);
        auto letter = (*processing)->deadLetterFor(entry.id);
        if (!letter)
            return letter.error();
        if (letter->has_value())
            rows.deadLetters.append(**letter);
    }
    return rows;
}

Capture JournalExport::toCapture(const store::JournalEntry &entry)
{
    Capture capture;
    capture.method = entry.method.isEmpty() ? QByteArray("POST") : entry.method;
    capture.url = entry.target;
    capture.headers = entry.headers;
    capture.body = entry.body;
    capture.timeMs = entry.receivedAtMs;
    capture.origin = u"journal"_s;
    capture.entryIndex = static_cast<int>(entry.id);
    capture.source = entry.source;
    capture.notes = u"journal entry %1: %2"_s.arg(entry.id).arg(store::verdictName(entry.verdict));
    return capture;
}

QList<Capture> JournalExport::toCaptures(const QList<store::JournalEntry> &entries)
{
    QList<Capture> out;
    out.reserve(entries.size());
    for (const store::JournalEntry &entry : entries)
        out.append(toCapture(entry));
    return out;
}

} // namespace hookbench::capture
