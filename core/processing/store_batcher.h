#pragma once

// StoreBatcher: groups the event processor's SQLite writes so that everything queued during one
// event-loop turn is written in ONE transaction (BEGIN IMMEDIATE; writes; COMMIT) instead of one
// autocommit transaction per write. Each commit costs WAL frame writes and file locks, and every
// transaction competes with the journal writer for SQLite's single write lock, so fewer, larger
// transactions keep the processing thread cheap and the receiver's tail latency low.
//
// A write comes with a continuation that runs only after the write is committed (the processor
// completes the record there, which commits its Kafka offset). A required write that fails is
// kept and tried again after retryMs, its continuation not run; the other writes of the batch
// still commit. If a write makes SQLite roll the whole transaction back, that write waits for
// its retry and the others are written again at once; if BEGIN or COMMIT fails, the whole batch
// is tried again after retryMs. A best-effort write (handler attempt history) that fails is
// logged and dropped: it never holds anything back.
//
// Each write must be one SQL statement (atomic by itself: a failed one leaves nothing behind
// while the transaction stays open), like every ProcessingStore write.
//
// Threads: used on the thread that owns the Database and `context`; its timers are children of
// `context`, which must outlive the batcher. Reads on the same connection see what earlier
// batches committed; writes still queued are not visible yet, so callers keep the record in
// progress (EventProcessor: activeByKey parks a duplicate) until the continuation has run.

#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <optional>

#include <QString>
#include <QtGlobal>

#include "core/util/result.h"

class QObject;
class QTimer;

namespace hookbench::store {
class Database;
class JournalWriter;
class ProcessingStore;
} // namespace hookbench::store

namespace hookbench::processing {

class StoreBatcher final
{
    Q_DISABLE_COPY_MOVE(StoreBatcher)

public:
    // A write gets the store to write through: the batcher's own connection, or the journal
    // writer's.
    using Write = std::function<Result<void>(store::ProcessingStore &)>;
    using Then = std::function<void()>;

    // retryMs: wait before a failed write is tried again. maxWrites: most writes in one
    // transaction (bounds how long the write lock is held); more are written in further ones.
    // With a `writer`, each turn's writes are handed to it instead and join its next group
    // commit (one writer for the whole database: nobody waits for SQLite's write lock, and the
    // writer's page cache is not thrown away because another connection committed); `database`
    // is then not written to. Continuations run when the writer reports the commit.
    StoreBatcher(store::Database &database, QObject *context, int retryMs, int maxWrites = 512,
                 store::JournalWriter *writer = nullptr);
    ~StoreBatcher(); // what is still queued is dropped, its continuations not run

    // Queues a write that must be committed before `then` runs. `what` names it in log lines
    // ("mark processed shop/evt_1").
    void add(QString what, Write write, Then then);
    // Queues a write whose failure is only logged.
    void addBestEffort(QString what, Write write);

    // Writes what is queued now and runs the continuations of what was committed, in the order
    // the writes were added. Failed writes wait for their retry. Normally called by the
    // zero-delay timer that add() starts; call it directly to not wait for the event loop.
    void flush();
    // flush(), and the writes waiting for a retry are tried now too (shutdown).
    void flushAll();

    bool isEmpty() const { return m_queue.empty() && m_retrying.empty() && m_inFlight == 0; }
    qsizetype queued() const { return qsizetype(m_queue.size() + m_retrying.size()); }
    // Writes handed to the journal writer and not reported yet.
    int inFlight() const { return m_inFlight; }

    // Thread-safe counters: transactions committed, writes committed, and failed attempts
    // (a transaction that could not begin or commit, or a write that failed).
    qint64 transactions() const { return m_transactions.load(std::memory_order_relaxed); }
    qint64 writes() const { return m_writes.load(std::memory_order_relaxed); }
    qint64 failures() const { return m_failures.load(std::memory_order_relaxed); }

private:
    struct Op
    {
        QString what;
        Write write;
        Then then;
        bool required = true;
    };

    void enqueue(Op op);
    void handToWriter(std::deque<Op> batch);
    // One transaction over `batch`; failed ops go to m_retrying. Returns the ops to write again
    // at once (rolled back with a failing op's transaction), or nullopt when the database could
    // not even begin a transaction (the caller stops and waits for the retry).
    std::optional<std::deque<Op>> writeBatch(std::deque<Op> batch);
    void retryLater(std::deque<Op> ops);

    store::Database &m_db;
    std::unique_ptr<store::ProcessingStore> m_store; // over m_db
    store::JournalWriter *m_writer = nullptr;
    QObject *m_context = nullptr;
    int m_inFlight = 0;
    int m_maxWrites;
    QTimer *m_flushTimer = nullptr; // child of context, zero delay
    QTimer *m_retryTimer = nullptr; // child of context, retryMs
    std::deque<Op> m_queue;
    std::deque<Op> m_retrying;
    bool m_flushing = false;
    std::atomic<qint64> m_transactions{0};
    std::atomic<qint64> m_writes{0};
    std::atomic<qint64> m_failures{0};
};

} // namespace hookbench::processing
