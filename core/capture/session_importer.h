#pragma once

// SessionImporter: a session file's rows into this machine's journal, in one writer job (one
// transaction: all or nothing; see store::JournalImport). Imported entries get new journal ids;
// everything else about them — received time, request bytes, verdict, keys, topic, partition,
// offset, attempts, dead letters — is kept, and the mapping from the exporting machine's ids
// is returned (and printed by `hookbench import`). Also turns session rows into captures, so a
// session can be replayed like a HAR.
// Blocks until the writer committed: call it off the GUI thread.

#include <QHash>

#include "core/capture/import_report.h"
#include "core/store/journal_import.h"
#include "core/util/result.h"

namespace hookbench::store {
class JournalWriter;
} // namespace hookbench::store

namespace hookbench::capture {

struct SessionImportResult
{
    QHash<qint64, qint64> ids; // original journal id → new journal id
    int entries = 0;
    int attempts = 0;
    int deadLetters = 0;
};

class SessionImporter
{
public:
    static Result<SessionImportResult> importInto(store::JournalWriter &writer, const store::ImportedRows &rows);
    // Rejected entries never reached Kafka and are listed unselected.
    static ImportReport toReport(const store::ImportedRows &rows, const QString &origin);
};

} // namespace hookbench::capture
