#pragma once

// JournalTable: the mapping between JournalEntry and a row of the `journal` table, shared by the
// writer (insert, outbox reads) and JournalQuery (reads), so the column list lives in one place.
// Internal to core/store.

#include <QByteArray>

#include "core/store/journal_entry.h"
#include "core/store/statement.h"
#include "core/util/result.h"

namespace hookbench::store {

class JournalTable
{
public:
    // "SELECT <columns> FROM journal" ready for a WHERE clause. Without bodies the body column
    // is read as an empty blob; bodySize is filled either way.
    static QByteArray selectSql(bool withBodies);
    // Reads the current row of a statement prepared from selectSql().
    static Result<JournalEntry> read(const Statement &stmt);

    // "INSERT INTO journal(...) VALUES(...)" for bindInsert(); the id is assigned by SQLite.
    static QByteArray insertSql();
    static void bindInsert(Statement &stmt, const JournalEntry &entry);
};

} // namespace hookbench::store
