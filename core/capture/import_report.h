#pragma once

// ImportReport: what an importer made of a file, entry by entry. Every entry of the input is
// listed — taken (a capture, selected or not) or skipped with the reason — so nothing is
// half-imported silently. A file that cannot be read as a whole is an Error instead, naming where
// (entry index or line) and why.

#include <QList>
#include <QString>

#include "core/capture/capture.h"

namespace hookbench::capture {

struct ImportEntry
{
    int index = -1;     // entry index (HAR entry, curl command, file number, session line)
    QString label;      // what it is, for people: "POST https://…", "stripe/invoice.paid.json"
    bool taken = false; // a capture was made of it
    int capture = -1;   // its index in ImportReport::captures when taken
    QString reason;     // why it was skipped, or why a taken capture is unselected
};

struct ImportReport
{
    QString origin; // the file or folder
    QString format; // "har", "curl", "fixtures", "session", "collection"
    QList<Capture> captures;
    QList<ImportEntry> entries;

    int takenCount() const;
    int skippedCount() const;
    int selectedCount() const;
    // The captures that are selected, in order.
    QList<Capture> selectedCaptures() const;
    // Appends a capture and its taken entry.
    void take(Capture capture, const QString &label, const QString &reason = {});
    void skip(int index, const QString &label, const QString &reason);
    // One line per entry: "#3 taken POST https://…" / "#4 skipped GET … (not a webhook)".
    QString summary() const;
};

} // namespace hookbench::capture
