#include "core/store/wal_checkpointer.h"

#include <condition_variable>
#include <mutex>

#include <QLoggingCategory>
#include <QThread>

#include <sqlite3.h>

#include "core/store/database.h"

using namespace Qt::StringLiterals;

namespace hookbench::store {

namespace {
Q_LOGGING_CATEGORY(lcCheckpoint, "hookbench.store.checkpoint")
} // namespace

struct WalCheckpointer::Private
{
    std::unique_ptr<Database> db;
    int thresholdPages = kDefaultThresholdPages;
    int pagesAtLastRequest = 0; // the attached writer's thread only
    int pagesAtLastWait = 0;    // the attached writer's thread only
    std::unique_ptr<QThread> thread;

    std::mutex mutex;
    std::condition_variable wake;
    std::condition_variable done;
    bool requested = false;
    bool running = false;
    bool stopping = false;
    qint64 requestsFinished = 0; // guarded by mutex: requests whose checkpoint has ended
    qint64 requestsMade = 0;     // guarded by mutex
    bool lastOk = true;          // guarded by mutex

    static constexpr int kTopUps = 4;
    static constexpr int kHardLimitFactor = 4; // × thresholdPages: the writer waits
    std::atomic<qint64> checkpoints{0};
    std::atomic<qint64> writerWaits{0};
    std::atomic<qint64> framesCopied{0};
    std::atomic<qint64> failures{0};

    // Returns false when SQLite refused. *logFrames: the WAL's length; *complete: all copied.
    bool runCheckpoint(int *logFrames, bool *complete)
    {
        int copiedFrames = 0;
        const int rc =
            sqlite3_wal_checkpoint_v2(db->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, logFrames, &copiedFrames);
        if (rc != SQLITE_OK) {
            // SQLITE_BUSY: another checkpoint is running (a connection closing). Nothing is lost:
            // the next commit past the threshold asks again.
            failures.fetch_add(1, std::memory_order_relaxed);
            qCWarning(lcCheckpoint).noquote()
                << u"checkpoint of %1 failed: %2"_s.arg(db->path(), QString::fromUtf8(sqlite3_errmsg(db->handle())));
            return false;
        }
        checkpoints.fetch_add(1, std::memory_order_relaxed);
        framesCopied.fetch_add(copiedFrames, std::memory_order_relaxed);
        *complete = copiedFrames >= *logFrames;
        return true;
    }

    void loop()
    {
        std::unique_lock lock(mutex);
        for (;;) {
            wake.wait(lock, [this] { return requested || stopping; });
            if (!requested && stopping)
                return;
            requested = false;
            running = true;
            const qint64 upTo = requestsMade;
            lock.unlock();
            // Commits that landed while it copied are left over; a few quick top-ups usually
            // catch up, and a complete copy lets the next write start the WAL over.
            int logFrames = 0;
            bool complete = false;
            bool ok = runCheckpoint(&logFrames, &complete);
            for (int topUp = 0; ok && !complete && topUp < kTopUps; ++topUp)
                ok = runCheckpoint(&logFrames, &complete);
            lock.lock();
            running = false;
            requestsFinished = upTo;
            lastOk = ok;
            done.notify_all();
        }
    }

    // On the writer's thread, after each of its commits. The WAL keeps its size after a
    // checkpoint until the next write starts it over, so the trigger is growth since the last
    // request, not size: asking after every commit would run empty checkpoints back to back.
    static int onCommit(void *context, sqlite3 *, const char *, int walPages)
    {
        auto *self = static_cast<Private *>(context);
        if (walPages < self->pagesAtLastWait)
            self->pagesAtLastWait = 0; // the WAL started over
        // Once per threshold of growth: a reader holding an old snapshot can keep the WAL from
        // starting over, and waiting again at every commit would not change that.
        if (walPages >= kHardLimitFactor * self->thresholdPages
            && walPages - self->pagesAtLastWait >= self->thresholdPages) {
            // The thread fell behind a steady stream of commits: each of its copies ends after
            // the next write began, and only a write that begins after a complete copy starts
            // the WAL over. SQLite calls this hook with the write lock released, so the writer
            // waits here for one checkpoint that nothing is appended to — a short stall now and
            // then, as SQLite's own automatic checkpoint would make, instead of a WAL that only
            // grows.
            self->writerWaits.fetch_add(1, std::memory_order_relaxed);
            self->waitFor(self->post());
            self->pagesAtLastWait = walPages;
            self->pagesAtLastRequest = walPages;
            return SQLITE_OK;
        }
        if (walPages < self->pagesAtLastRequest)
            self->pagesAtLastRequest = 0; // the WAL started over
        if (walPages - self->pagesAtLastRequest >= self->thresholdPages) {
            self->pagesAtLastRequest = walPages;
            self->post();
        }
        return SQLITE_OK;
    }

    bool waitFor(qint64 ticket)
    {
        std::unique_lock lock(mutex);
        done.wait(lock, [this, ticket] { return requestsFinished >= ticket; });
        return lastOk;
    }

    qint64 post()
    {
        std::lock_guard lock(mutex);
        requested = true;
        const qint64 ticket = ++requestsMade;
        wake.notify_one();
        return ticket;
    }
};

Result<std::unique_ptr<WalCheckpointer>> WalCheckpointer::open(const QString &databasePath, int thresholdPages)
{
    Result<std::unique_ptr<Database>> db = Database::open(databasePath, OpenMode::ReadWrite);
    if (!db)
        return db.error();
    return std::unique_ptr<WalCheckpointer>(new WalCheckpointer(std::move(*db), std::max(1, thresholdPages)));
}

WalCheckpointer::WalCheckpointer(std::unique_ptr<Database> db, int thresholdPages) : d(std::make_unique<Private>())
{
    d->db = std::move(db);
    d->thresholdPages = thresholdPages;
    d->thread.reset(QThread::create([p = d.get()] { p->loop(); }));
    d->thread->setObjectName(u"hookbench-checkpoint"_s);
    d->thread->start(QThread::LowPriority);
}

WalCheckpointer::~WalCheckpointer()
{
    checkpointNow();
    {
        std::lock_guard lock(d->mutex);
        d->stopping = true;
        d->wake.notify_one();
    }
    d->thread->wait();
    // The loop's last accesses to Private were under this mutex. Taking it once more orders them
    // before Private goes away also for ThreadSanitizer, which cannot see QThread::wait() in a
    // Qt built without it; it costs nothing here.
    const std::lock_guard lock(d->mutex);
}

void WalCheckpointer::attach(Database &writer)
{
    sqlite3_wal_hook(writer.handle(), &Private::onCommit, d.get());
}

void WalCheckpointer::detach(Database &writer)
{
    // Without a hook and with wal_autocheckpoint = 0 the connection never checkpoints by itself.
    sqlite3_wal_hook(writer.handle(), nullptr, nullptr);
}

void WalCheckpointer::request()
{
    d->post();
}

bool WalCheckpointer::checkpointNow()
{
    return d->waitFor(d->post());
}

CheckpointStats WalCheckpointer::stats() const
{
    CheckpointStats stats;
    {
        std::lock_guard lock(d->mutex);
        stats.requests = d->requestsMade;
        stats.busy = d->requested || d->running;
    }
    stats.checkpoints = d->checkpoints.load(std::memory_order_relaxed);
    stats.framesCopied = d->framesCopied.load(std::memory_order_relaxed);
    stats.failures = d->failures.load(std::memory_order_relaxed);
    stats.writerWaits = d->writerWaits.load(std::memory_order_relaxed);
    return stats;
}

} // namespace hookbench::store
