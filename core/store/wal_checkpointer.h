#pragma once

// WalCheckpointer: copies the write-ahead log back into the database file on a thread of its
// own, so that no writer pays for it. SQLite's automatic checkpoint runs inside the COMMIT of
// whichever connection crosses the threshold: on the journal writer thread that is a copy of
// megabytes plus an fdatasync while every receiver request waits for the next group commit, and
// on the processing thread it holds back offset commits the same way. Here every read-write
// connection has automatic checkpoints off (Database::configure), the writer connection reports
// the WAL's size after each commit (attach(), sqlite3_wal_hook), and past the threshold this
// thread runs a PASSIVE checkpoint, which never waits for, nor blocks, writers or readers.
// SQLite restarts the WAL from its beginning on the next write once everything was copied; a
// steady stream of commits can keep that from happening, so at four times the threshold the
// writer waits after its commit for one checkpoint (a rare stall, a bounded WAL).

#include <atomic>
#include <memory>

#include <QString>

#include "core/util/result.h"

namespace hookbench::store {

class Database;

struct CheckpointStats
{
    qint64 requests = 0;     // times a checkpoint was asked for (folded ones included)
    qint64 checkpoints = 0;  // PASSIVE checkpoints run
    qint64 framesCopied = 0; // WAL frames they copied into the database file
    qint64 failures = 0;     // checkpoints SQLite refused (busy or I/O), retried on the next request
    qint64 writerWaits = 0;  // commits that waited for a checkpoint: the WAL reached 4 × the threshold
    bool busy = false;       // a checkpoint is running or asked for
};

class WalCheckpointer
{
public:
    // About 16 MiB of WAL with 4 KiB pages, four times SQLite's default: the rightmost journal
    // and index pages are rewritten by every small group commit, and a longer WAL copies each of
    // them into the database file once per checkpoint instead of several times.
    static constexpr int kDefaultThresholdPages = 4000;

    // Opens a connection of its own to `databasePath` (which must exist at the current schema)
    // and starts the thread.
    static Result<std::unique_ptr<WalCheckpointer>> open(const QString &databasePath,
                                                         int thresholdPages = kDefaultThresholdPages);
    ~WalCheckpointer(); // runs a last checkpoint, then stops the thread
    WalCheckpointer(const WalCheckpointer &) = delete;
    WalCheckpointer &operator=(const WalCheckpointer &) = delete;

    // Installs the commit hook on `writer`: a commit that leaves the WAL thresholdPages longer
    // than at the last request wakes the thread. Detach (or destroy `writer`) before this object goes away.
    void attach(Database &writer);
    static void detach(Database &writer);

    // Asks for a checkpoint now (any thread); requests while one runs are folded into one more.
    void request();
    // Runs a checkpoint on the thread and waits for it (tests, shutdown); false if it failed.
    bool checkpointNow();

    CheckpointStats stats() const;

private:
    WalCheckpointer(std::unique_ptr<Database> db, int thresholdPages);
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace hookbench::store
