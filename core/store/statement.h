#pragma once

// Statement: RAII over one prepared SQLite statement, with typed bind/step/column helpers.
// Internal to core/store: the rest of Hookbench talks to JournalWriter, JournalQuery and
// DedupStore, never to SQLite.
//
// Parameters are 1-based like SQLite's; columns are 0-based. A bind that SQLite refuses is
// remembered and reported by the next step(), so call sites stay linear.

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include "core/util/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace hookbench::store {

class Statement
{
public:
    Statement() = default;
    ~Statement();
    Statement(Statement &&other) noexcept;
    Statement &operator=(Statement &&other) noexcept;
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;

    // Prepares `sql` (one statement) on `db`. The error names the SQL and SQLite's message.
    // persistent: the statement is kept and reused for the connection's lifetime, so SQLite
    // allocates it outside its small lookaside pool (SQLITE_PREPARE_PERSISTENT).
    static Result<Statement> prepare(sqlite3 *db, QByteArrayView sql, bool persistent = false);

    // The start of an SQL text for error messages: whitespace folded, cut after 60 characters.
    static QString describeSql(QByteArrayView sql);

    bool isValid() const { return m_stmt != nullptr; }
    sqlite3_stmt *handle() const { return m_stmt; }

    void bindInt64(int index, qint64 value);
    void bindInt(int index, int value);
    void bindNull(int index);
    // UTF-8 text.
    void bindText(int index, const QString &value);
    // Text, or NULL when empty (optional text columns).
    void bindTextOrNull(int index, const QString &value);
    // Bytes as a BLOB; an empty array is stored as a zero-length blob, not NULL.
    void bindBlob(int index, QByteArrayView value);
    // Bytes as a BLOB, or NULL when empty (optional byte columns such as keys).
    void bindBlobOrNull(int index, QByteArrayView value);

    // Runs one step: true when a row is available, false when done.
    Result<bool> step();
    // Steps to the end, ignoring rows.
    Result<void> exec();
    // Makes the statement ready to run again and clears bindings.
    void reset();

    bool columnIsNull(int column) const;
    qint64 columnInt64(int column) const;
    int columnInt(int column) const;
    QString columnText(int column) const;
    QByteArray columnBlob(int column) const;

private:
    explicit Statement(sqlite3_stmt *stmt) : m_stmt(stmt) {}
    void noteBindError(int rc, int index);
    Error error(int rc) const;

    sqlite3_stmt *m_stmt = nullptr;
    int m_bindRc = 0; // first bind failure since the last reset, 0 if none
    int m_bindIndex = 0;
};

} // namespace hookbench::store
