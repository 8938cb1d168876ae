#pragma once

// Database: RAII over one SQLite connection to Hookbench's database file. open() makes the
// connection trustworthy before anyone uses it: WAL journal mode set and verified, synchronous
// FULL (see Durability), a busy timeout, foreign keys, and the schema migrated to the version this program
// knows (PRAGMA user_version). A file that is not a database, a directory that cannot be
// written, or a schema newer than the program all fail here with a message that names the path.
//
// Internal to core/store. One connection is used by one thread at a time.

#include <map>
#include <memory>

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include "core/store/statement.h"
#include "core/util/result.h"

struct sqlite3;

namespace hookbench::store {

enum class OpenMode {
    ReadWrite, // create the file and its directory if missing, migrate the schema
    ReadOnly,  // the file must exist with the current schema; nothing is written
};

// How a read-write connection commits (PRAGMA synchronous). In WAL mode both survive an
// application crash; only Full also survives a power loss or an OS crash, because it syncs the WAL
// on every commit. Full is the default: an answered webhook must never be lost.
enum class Durability {
    Full,
    Normal, // the last commits before a power loss may be lost; one fsync less per commit
};

class Database
{
public:
    // Schema version this program creates and understands.
    static int latestSchemaVersion();

    static Result<std::unique_ptr<Database>> open(const QString &path, OpenMode mode = OpenMode::ReadWrite);
    // Opens read-write but migrates only up to `version` (1..latest): migration tests build the
    // database an older Hookbench would have left. A file already past `version` is left as is.
    static Result<std::unique_ptr<Database>> openAtSchemaVersion(const QString &path, int version);
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    QString path() const { return m_path; }
    OpenMode mode() const { return m_mode; }
    sqlite3 *handle() const { return m_db; }

    // Runs one or more SQL statements that return no rows of interest.
    Result<void> exec(QByteArrayView sql);
    Result<Statement> prepare(QByteArrayView sql);
    // PRAGMA synchronous for this connection (read-write connections open with Full).
    Result<void> setDurability(Durability durability);
    // A statement prepared once per connection and reused (reset, bindings cleared). It stays
    // owned by the Database; finish using it before asking for the same SQL again. The lookup
    // neither copies nor allocates, so hot paths may call this for every row.
    Result<Statement *> cached(QByteArrayView sql);

    // Value of a pragma that returns one row, e.g. pragmaText("journal_mode").
    Result<QString> pragmaText(QByteArrayView name);
    Result<int> userVersion();

    // BEGIN IMMEDIATE takes the write lock up front, so a busy writer is waited for (busy
    // timeout) instead of failing later with SQLITE_BUSY when a read would upgrade to a write.
    Result<void> beginImmediate();
    Result<void> commit();
    // Rolls back if a transaction is open; safe to call after SQLite rolled back by itself.
    void rollback();
    bool inTransaction() const;

    // Rows changed by the last INSERT/UPDATE/DELETE, and the rowid of the last INSERT.
    int changes() const;
    qint64 lastInsertRowId() const;

    // An Error with SQLite's current message for this connection: "<what>: <message>".
    Error lastError(const QString &code, const QString &what) const;

private:
    Database(QString path, OpenMode mode, sqlite3 *db);
    Result<void> configure();
    static Result<std::unique_ptr<Database>> open(const QString &path, OpenMode mode, int targetVersion);
    Result<void> migrate(int targetVersion);

    QString m_path;
    OpenMode m_mode;
    sqlite3 *m_db = nullptr;
    // Transparent comparison, so cached() looks up a QByteArrayView without building a key.
    struct SqlLess
    {
        using is_transparent = void;
        bool operator()(QByteArrayView a, QByteArrayView b) const { return a.compare(b) < 0; }
    };
    std::map<QByteArray, Statement, SqlLess> m_cache;
};

} // namespace hookbench::store
