#include "core/store/database.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <thread>

#include <sqlite3.h>

#include <QDir>
#include <QFileInfo>

#include "core/util/private_path.h"

using namespace Qt::StringLiterals;

namespace hookbench::store {

namespace {

// How long a connection waits for another connection's write lock before SQLITE_BUSY.
constexpr auto kBusyTimeout = std::chrono::milliseconds(5000);

// SQLite's own busy timeout sleeps 1, 2, 5, 10, 15, 20, 25, ... 100 ms between tries. The locks
// here are held for well under a millisecond (a group commit, a batch of processed marks), so
// the journal writer would sleep many times longer than it had to wait, and every receiver
// request in its next group commit with it. Tries start at 20 µs and grow to 1.3 ms.
int waitForLock(void *, int attempt)
{
    using namespace std::chrono;
    thread_local steady_clock::time_point firstTry;
    const auto now = steady_clock::now();
    if (attempt == 0)
        firstTry = now;
    else if (now - firstTry >= kBusyTimeout)
        return 0; // give up: the caller gets SQLITE_BUSY
    std::this_thread::sleep_for(microseconds(20) * (1 << std::min(attempt, 6)));
    return 1;
}

// Ordered migrations: entry i takes the schema from version i to i + 1. Never edit a released
// entry; append a new one.
//
// Notes on the schema:
// - headers: see header_codec.h (JSON array of [name, value], base64 where not UTF-8).
// - Byte columns (method, target, body, keys, verification) are BLOBs so nothing is re-encoded.
// - Kafka placement is kafka_partition / kafka_offset: PARTITION and OFFSET are SQL keywords.
// - No foreign keys between dedup and journal: claims are purged on their own schedule and a
//   journal trimmed later must not be blocked by them.
// - The pending partial index serves the outbox relay; queries must spell kafka_state =
//   'pending' literally for SQLite to use it.
constexpr std::array kMigrations = {
    R"sql(
CREATE TABLE journal (
    id                 INTEGER PRIMARY KEY,
    received_at_ms     INTEGER NOT NULL,
    source             TEXT    NOT NULL,
    method             BLOB    NOT NULL,
    target             BLOB    NOT NULL,
    headers            BLOB    NOT NULL,
    body               BLOB    NOT NULL,
    remote_address     TEXT    NOT NULL DEFAULT '',
    remote_port        INTEGER NOT NULL DEFAULT 0,
    verdict            TEXT    NOT NULL
                       CHECK (verdict IN ('accepted', 'duplicate', 'queued', 'rejected')),
    http_status        INTEGER NOT NULL,
    reason             TEXT    NOT NULL DEFAULT '',
    verification       BLOB,
    idempotency_key    BLOB,
    idempotency_origin TEXT,
    entity_key         BLOB,
    event_type         TEXT,
    duplicate_of       INTEGER,
    topic              TEXT,
    kafka_state        TEXT    NOT NULL DEFAULT 'none'
                       CHECK (kafka_state IN ('none', 'pending', 'produced')),
    kafka_partition    INTEGER NOT NULL DEFAULT -1,
    kafka_offset       INTEGER NOT NULL DEFAULT -1,
    produced_at_ms     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX journal_received_at ON journal(received_at_ms);
CREATE INDEX journal_source ON journal(source, id);
CREATE INDEX journal_verdict ON journal(verdict, id);
CREATE INDEX journal_pending ON journal(id) WHERE kafka_state = 'pending';
CREATE INDEX journal_idempotency_key ON journal(idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX journal_duplicate_of ON journal(duplicate_of) WHERE duplicate_of IS NOT NULL;

CREATE TABLE dedup (
    source        TEXT    NOT NULL,
    key           BLOB    NOT NULL,
    journal_id    INTEGER NOT NULL,
    first_seen_ms INTEGER NOT NULL,
    expires_at_ms INTEGER NOT NULL,
    PRIMARY KEY (source, key)
);
CREATE INDEX dedup_expires_at ON dedup(expires_at_ms);
)sql",
    // 2: the consumer side (processing_store.h). Notes:
    // - subscriptions reference targets and filters ON DELETE RESTRICT: a target in use cannot
    //   vanish under a running consumer; the caller detaches it first.
    // - attempts, processed and dlq point at the journal by id without a foreign key, like dedup:
    //   trimming the journal must not be blocked by processing history.
    // - journal.derived_from is the lineage of an edited replay; no foreign key for the same reason.
    // - dlq keeps the original record's key and value as BLOBs (NULL = Kafka null, distinct from
    //   empty) and its headers in header_codec's encoding.
    R"sql(
ALTER TABLE journal ADD COLUMN derived_from INTEGER;
CREATE INDEX journal_derived_from ON journal(derived_from) WHERE derived_from IS NOT NULL;

CREATE TABLE targets (
    id            INTEGER PRIMARY KEY,
    url           TEXT    NOT NULL,
    headers       BLOB    NOT NULL,
    timeout_ms    INTEGER NOT NULL,
    created_at_ms INTEGER NOT NULL
);

CREATE TABLE filters (
    id     INTEGER PRIMARY KEY,
    events TEXT    NOT NULL
);

CREATE TABLE subscriptions (
    id            INTEGER PRIMARY KEY,
    target_id     INTEGER NOT NULL REFERENCES targets(id) ON DELETE RESTRICT,
    filter_id     INTEGER REFERENCES filters(id) ON DELETE RESTRICT,
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at_ms INTEGER NOT NULL
);
CREATE INDEX subscriptions_target ON subscriptions(target_id);
CREATE INDEX subscriptions_filter ON subscriptions(filter_id) WHERE filter_id IS NOT NULL;

CREATE TABLE attempts (
    id              INTEGER PRIMARY KEY,
    journal_id      INTEGER NOT NULL,
    source          TEXT    NOT NULL,
    idempotency_key BLOB,
    topic           TEXT    NOT NULL,
    kafka_partition INTEGER NOT NULL,
    kafka_offset    INTEGER NOT NULL,
    attempt         INTEGER NOT NULL,
    consumer        TEXT    NOT NULL DEFAULT '',
    started_at_ms   INTEGER NOT NULL,
    finished_at_ms  INTEGER NOT NULL,
    outcome         TEXT    NOT NULL CHECK (outcome IN ('success', 'transient', 'permanent')),
    http_status     INTEGER NOT NULL DEFAULT 0,
    error           TEXT    NOT NULL DEFAULT '',
    next_due_at_ms  INTEGER NOT NULL DEFAULT 0,
    subscription_id INTEGER REFERENCES subscriptions(id) ON DELETE SET NULL
);
CREATE INDEX attempts_journal ON attempts(journal_id, started_at_ms);
CREATE INDEX attempts_subscription ON attempts(subscription_id) WHERE subscription_id IS NOT NULL;

CREATE TABLE processed (
    source          TEXT    NOT NULL,
    idempotency_key BLOB    NOT NULL,
    processed_at_ms INTEGER NOT NULL,
    journal_id      INTEGER NOT NULL,
    PRIMARY KEY (source, idempotency_key)
);

CREATE TABLE dlq (
    id                     INTEGER PRIMARY KEY,
    journal_id             INTEGER NOT NULL,
    source                 TEXT    NOT NULL,
    topic                  TEXT    NOT NULL,
    kafka_partition        INTEGER NOT NULL,
    kafka_offset           INTEGER NOT NULL,
    key                    BLOB,
    headers                BLOB    NOT NULL,
    value                  BLOB,
    error                  TEXT    NOT NULL,
    error_class            TEXT    NOT NULL,
    attempts               INTEGER NOT NULL,
    first_failure_at_ms    INTEGER NOT NULL,
    last_failure_at_ms     INTEGER NOT NULL,
    consumer               TEXT    NOT NULL DEFAULT '',
    status                 TEXT    NOT NULL DEFAULT 'dead'
                           CHECK (status IN ('dead', 'replayed', 'discarded')),
    status_changed_at_ms   INTEGER NOT NULL,
    replayed_as_journal_id INTEGER
);
CREATE INDEX dlq_status ON dlq(status, id);
CREATE INDEX dlq_journal ON dlq(journal_id);
)sql",
    // 3: cheaper ingest. Each webhook wrote two B-tree pages at a random place, one per key-ordered
    // index, on top of the appends every index shares: journal_idempotency_key, which no query
    // uses (duplicates are found through duplicate_of and the dedup table), and dedup's primary
    // key beside its rowid table. Without the one and with dedup keyed by (source, key) itself,
    // one random page is left per event; a group commit of n events writes ~n fewer pages.
    R"sql(
DROP INDEX journal_idempotency_key;

CREATE TABLE dedup_v3 (
    source        TEXT    NOT NULL,
    key           BLOB    NOT NULL,
    journal_id    INTEGER NOT NULL,
    first_seen_ms INTEGER NOT NULL,
    expires_at_ms INTEGER NOT NULL,
    PRIMARY KEY (source, key)
) WITHOUT ROWID;
INSERT INTO dedup_v3(source, key, journal_id, first_seen_ms, expires_at_ms)
    SELECT source, key, journal_id, first_seen_ms, expires_at_ms FROM dedup;
DROP TABLE dedup;
ALTER TABLE dedup_v3 RENAME TO dedup;
CREATE INDEX dedup_expires_at ON dedup(expires_at_ms);
)sql",
    // 4: why an event could not be produced (e.g. larger than the cluster allows), so it is not
    // pending forever in silence; NULL while it can still be produced. The relay skips entries
    // with an error; a replay produces them again.
    R"sql(
ALTER TABLE journal ADD COLUMN kafka_error TEXT;
)sql",
};

QString sqliteMessage(sqlite3 *db)
{
    return QString::fromUtf8(sqlite3_errmsg(db));
}

} // namespace

int Database::latestSchemaVersion()
{
    return int(kMigrations.size());
}

Database::Database(QString path, OpenMode mode, sqlite3 *db) : m_path(std::move(path)), m_mode(mode), m_db(db) {}

Database::~Database()
{
    m_cache.clear();
    // close_v2 defers the close until statements still alive elsewhere are finalized.
    sqlite3_close_v2(m_db);
}

Result<std::unique_ptr<Database>> Database::open(const QString &path, OpenMode mode)
{
    return open(path, mode, latestSchemaVersion());
}

Result<std::unique_ptr<Database>> Database::openAtSchemaVersion(const QString &path, int version)
{
    if (version < 1 || version > latestSchemaVersion()) {
        return Result<std::unique_ptr<Database>>::failure(
            u"store_schema_unknown"_s,
            u"cannot open database %1 at schema version %2: this program knows 1 to %3"_s.arg(
                path, QString::number(version), QString::number(latestSchemaVersion())));
    }
    return open(path, OpenMode::ReadWrite, version);
}

Result<std::unique_ptr<Database>> Database::open(const QString &path, OpenMode mode, int targetVersion)
{
    using R = Result<std::unique_ptr<Database>>;
    const QFileInfo info(path);
    const QString absolutePath = info.absoluteFilePath();
    const QDir dir = info.absoluteDir();

    if (mode == OpenMode::ReadWrite) {
        if (!dir.exists() && !util::PrivatePath::makeDir(dir.absolutePath())) {
            return R::failure(u"store_unwritable"_s, u"cannot open database %1: cannot create directory %2"_s.arg(
                                                         absolutePath, dir.absolutePath()));
        }
        // SQLite would only say "unable to open database file"; say which directory is the problem.
        // WAL needs to create <db>-wal and <db>-shm next to the file, so the directory must be writable.
        const QFileInfo dirInfo(dir.absolutePath());
        if (!dirInfo.isDir() || !dirInfo.isWritable()) {
            return R::failure(u"store_unwritable"_s, u"cannot open database %1: directory %2 is not writable"_s.arg(
                                                         absolutePath, dir.absolutePath()));
        }
        if (info.exists() && !info.isWritable()) {
            return R::failure(u"store_unwritable"_s,
                              u"cannot open database %1: the file is not writable"_s.arg(absolutePath));
        }
        // SQLite would create the file with 0644 minus the umask, and its -wal and -shm files take
        // the database file's mode: created 0600 here, all three are the owner's only.
        if (QString why; !util::PrivatePath::touchFile(absolutePath, &why)) {
            return R::failure(u"store_unwritable"_s, u"cannot open database %1: %2"_s.arg(absolutePath, why));
        }
    } else if (!info.exists()) {
        return R::failure(u"store_open_failed"_s,
                          u"cannot open database %1 read-only: the file does not exist"_s.arg(absolutePath));
    }

    const int flags = (mode == OpenMode::ReadWrite ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY)
                      | SQLITE_OPEN_NOMUTEX;
    sqlite3 *db = nullptr;
    const int rc = sqlite3_open_v2(QFile::encodeName(absolutePath).constData(), &db, flags, nullptr);
    if (rc != SQLITE_OK) {
        const QString message = db ? sqliteMessage(db) : QString::fromUtf8(sqlite3_errstr(rc));
        sqlite3_close_v2(db);
        return R::failure(u"store_open_failed"_s, u"cannot open database %1: %2"_s.arg(absolutePath, message));
    }

    std::unique_ptr<Database> database(new Database(absolutePath, mode, db));
    if (Result<void> r = database->configure(); !r)
        return r.error();
    if (Result<void> r = database->migrate(targetVersion); !r)
        return r.error();
    return database;
}

Result<void> Database::configure()
{
    sqlite3_extended_result_codes(m_db, 1);
    sqlite3_busy_handler(m_db, &waitForLock, nullptr);

    // The first statement reads the file header: this is where a file that is not a database
    // (random bytes, a truncated copy) is detected, with SQLite's own words for it.
    Result<QString> journalMode =
        m_mode == OpenMode::ReadWrite ? pragmaText("journal_mode = WAL") : pragmaText("journal_mode");
    if (!journalMode) {
        const int code = sqlite3_errcode(m_db) & 0xff;
        const bool corrupt = code == SQLITE_NOTADB || code == SQLITE_CORRUPT;
        return Error{corrupt ? u"store_corrupt"_s : u"store_open_failed"_s,
                     u"cannot open database %1: %2"_s.arg(m_path, sqliteMessage(m_db))};
    }
    // journal_mode=WAL silently keeps the old mode when WAL is impossible (e.g. some network
    // file systems); concurrent readers and group commit depend on it, so insist.
    if (journalMode->compare(u"wal"_s, Qt::CaseInsensitive) != 0) {
        return Result<void>::failure(
            u"store_wal_unavailable"_s,
            u"cannot open database %1: journal_mode is \"%2\", expected \"wal\""_s.arg(m_path, *journalMode));
    }

    // FULL: a commit is on disk when it returns, power loss included. The journal commits in
    // groups, so this is one fsync per batch, not per webhook; see Durability.
    if (m_mode == OpenMode::ReadWrite) {
        if (Result<void> r = setDurability(Durability::Full); !r)
            return r;
        // No checkpoint inside this connection's commits: WalCheckpointer runs them on a
        // thread of its own. The last connection to close still checkpoints the whole WAL.
        if (Result<void> r = exec("PRAGMA wal_autocheckpoint = 0"); !r)
            return r;
    }
    if (Result<void> r = exec("PRAGMA foreign_keys = ON"); !r)
        return r;
    return {};
}

Result<void> Database::setDurability(Durability durability)
{
    return exec(durability == Durability::Full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
}

Result<void> Database::migrate(int targetVersion)
{
    const int latest = latestSchemaVersion();
    if (m_mode == OpenMode::ReadOnly) {
        Result<int> version = userVersion();
        if (!version)
            return version.error();
        if (*version != latest) {
            return Result<void>::failure(
                *version > latest ? u"store_schema_too_new"_s : u"store_schema_outdated"_s,
                u"cannot open database %1 read-only: schema version %2, this program reads version %3"_s.arg(
                    m_path, QString::number(*version), QString::number(latest)));
        }
        return {};
    }

    // The version is read inside the write transaction so that two processes opening the same
    // new file do not both run migration 1.
    if (Result<void> r = beginImmediate(); !r)
        return r;
    Result<int> version = userVersion();
    if (!version) {
        rollback();
        return version.error();
    }
    if (*version > latest) {
        rollback();
        return Result<void>::failure(
            u"store_schema_too_new"_s,
            u"cannot open database %1: its schema version is %2 but this program knows up to version %3; "
            "use a newer Hookbench or another data directory"_s.arg(m_path, QString::number(*version),
                                                                    QString::number(latest)));
    }
    for (int v = *version; v < targetVersion; ++v) {
        Result<void> r = exec(kMigrations[size_t(v)]);
        if (r)
            r = exec(QByteArray(QByteArray("PRAGMA user_version = ") + QByteArray::number(v + 1)));
        if (!r) {
            rollback();
            return Result<void>::failure(u"store_migration_failed"_s,
                                         u"cannot migrate database %1 to schema version %2: %3"_s.arg(
                                             m_path, QString::number(v + 1), r.error().message));
        }
    }
    return commit();
}

Result<void> Database::exec(QByteArrayView sql)
{
    // sqlite3_exec needs a NUL-terminated string.
    const QByteArray text = sql.toByteArray();
    char *message = nullptr;
    const int rc = sqlite3_exec(m_db, text.constData(), nullptr, nullptr, &message);
    if (rc == SQLITE_OK)
        return {};
    const QString why = message ? QString::fromUtf8(message) : QString::fromUtf8(sqlite3_errstr(rc));
    sqlite3_free(message);
    return Result<void>::failure(u"store_query_failed"_s,
                                 u"SQL \"%1\" failed on %2: %3"_s.arg(Statement::describeSql(text), m_path, why));
}

Result<Statement> Database::prepare(QByteArrayView sql)
{
    return Statement::prepare(m_db, sql);
}

Result<Statement *> Database::cached(QByteArrayView sql)
{
    auto it = m_cache.find(sql);
    if (it == m_cache.end()) {
        Result<Statement> stmt = Statement::prepare(m_db, sql, true);
        if (!stmt)
            return stmt.error();
        it = m_cache.emplace(sql.toByteArray(), std::move(*stmt)).first;
    }
    it->second.reset();
    return &it->second;
}

Result<QString> Database::pragmaText(QByteArrayView name)
{
    Result<Statement> stmt = prepare(QByteArray(QByteArray("PRAGMA ") + name.toByteArray()));
    if (!stmt)
        return stmt.error();
    Result<bool> row = stmt->step();
    if (!row)
        return row.error();
    if (!*row)
        return Result<QString>::failure(u"store_query_failed"_s,
                                        u"PRAGMA %1 returned no value on %2"_s.arg(QString::fromUtf8(name), m_path));
    return stmt->columnText(0);
}

Result<int> Database::userVersion()
{
    Result<QString> text = pragmaText("user_version");
    if (!text)
        return text.error();
    return text->toInt();
}

// Prepared once: the writer opens a transaction per batch, and sqlite3_exec would parse the
// text again every time.
Result<void> Database::beginImmediate()
{
    Result<Statement *> begin = cached("BEGIN IMMEDIATE");
    if (!begin)
        return begin.error();
    return (*begin)->exec();
}

Result<void> Database::commit()
{
    Result<Statement *> stmt = cached("COMMIT");
    Result<void> r = stmt ? (*stmt)->exec() : Result<void>(stmt.error());
    if (!r)
        rollback();
    return r;
}

void Database::rollback()
{
    // After some errors (SQLITE_FULL, SQLITE_IOERR, RAISE(ROLLBACK)) SQLite has already rolled
    // back; a second ROLLBACK would only fail.
    if (inTransaction())
        sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
}

bool Database::inTransaction() const
{
    return sqlite3_get_autocommit(m_db) == 0;
}

int Database::changes() const
{
    return sqlite3_changes(m_db);
}

qint64 Database::lastInsertRowId() const
{
    return sqlite3_last_insert_rowid(m_db);
}

Error Database::lastError(const QString &code, const QString &what) const
{
    return Error{code, u"%1: %2"_s.arg(what, sqliteMessage(m_db))};
}

} // namespace hookbench::store
