#include "core/store/journal_writer.h"

#include <algorithm>
#include <atomic>
#include <deque>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <QDateTime>
#include <QLoggingCategory>
#include <QMutex>
#include <QPointer>
#include <QSemaphore>
#include <QThread>

#include "core/store/database.h"
#include "core/store/dedup_store.h"
#include "core/store/journal_retention.h"
#include "core/store/journal_table.h"
#include "core/store/journal_writer_jobs.h"
#include "core/store/wal_checkpointer.h"

using namespace Qt::StringLiterals;

namespace hookbench::store {

using namespace detail;

namespace {

Q_LOGGING_CATEGORY(lcWriter, "hookbench.store.writer")

// Upper bound of jobs per transaction, so one enormous burst still delivers outcomes in steps.
constexpr size_t kMaxBatch = 1000;
// Expired claims deleted per purge step; each step is one short statement in a batch.
constexpr int kPurgeChunk = 500;
// Journal entries the data retention deletes per step, each with its attempts and marks: one
// step is a few thousand single-row deletes, a few milliseconds of the write lock.
constexpr int kRetentionChunk = 1000;

} // namespace

// Lives on the writer thread; only enqueue() and the counters are touched from other threads.
class JournalWriterWorker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JournalWriterWorker)

public:
    JournalWriterWorker() = default;

signals:
    // After every committed transaction that wrote something (one per group commit).
    void committed();

public:
    Result<void> openDatabase(const QString &path, Durability durability)
    {
        Result<std::unique_ptr<Database>> db = Database::open(path, OpenMode::ReadWrite);
        if (!db)
            return db.error();
        m_db = std::move(*db);
        if (Result<void> r = m_db->setDurability(durability); !r)
            return r;
        // Checkpoints run on a thread of their own, never inside this thread's commits.
        Result<std::unique_ptr<WalCheckpointer>> checkpointer = WalCheckpointer::open(path);
        if (!checkpointer)
            return checkpointer.error();
        {
            QMutexLocker lock(&m_checkpointerMutex);
            m_checkpointer = std::move(*checkpointer);
        }
        m_checkpointer->attach(*m_db);
        // The dedup and processed keys are random, so each insert lands on its own page; with
        // SQLite's default 2 MiB cache those pages were read back before every change once the
        // tables outgrew it. 16 MiB holds the hot pages of a few hundred thousand keys.
        if (Result<void> r = m_db->exec("PRAGMA cache_size = -16384"); !r) // KiB
            return r;
        m_dedup = std::make_unique<DedupStore>(*m_db);
        m_retention = std::make_unique<JournalRetention>(*m_db);
        return {};
    }

    void closeDatabase()
    {
        if (m_db && m_checkpointer)
            WalCheckpointer::detach(*m_db);
        {
            QMutexLocker lock(&m_checkpointerMutex);
            m_checkpointer.reset();
        }
        m_dedup.reset();
        m_retention.reset();
        m_db.reset();
    }

    void enqueue(Job job)
    {
        bool post = false;
        {
            QMutexLocker lock(&m_mutex);
            m_queue.push_back(std::move(job));
            post = !std::exchange(m_drainScheduled, true);
        }
        if (post)
            scheduleDrain();
    }

    std::atomic<qint64> transactions{0};
    std::atomic<qint64> jobs{0};
    std::atomic<qint64> journalPurged{0};

    // For JournalWriter::stats() on any thread; zero while the database is closed.
    CheckpointStats checkpointStats() const
    {
        QMutexLocker lock(&m_checkpointerMutex);
        return m_checkpointer ? m_checkpointer->stats() : CheckpointStats{};
    }

private:
    void scheduleDrain()
    {
        QMetaObject::invokeMethod(
            this, [this] { drain(); }, Qt::QueuedConnection);
    }

    void drain()
    {
        std::vector<Job> batch;
        bool more = false;
        {
            QMutexLocker lock(&m_mutex);
            const size_t n = std::min(m_queue.size(), kMaxBatch);
            batch.reserve(n);
            for (size_t i = 0; i < n; ++i) {
                batch.push_back(std::move(m_queue.front()));
                m_queue.pop_front();
            }
            more = !m_queue.empty();
            m_drainScheduled = more;
        }
        if (more)
            scheduleDrain();
        process(batch);
    }

    void process(std::vector<Job> &batch);
    // Runs the write jobs of `batch` in one transaction and commits it. Without `isolate` the
    // jobs run plainly; the first job that fails rolls the whole batch back and sets
    // *retryIsolated. With `isolate` each job runs in a savepoint, so a bad job fails alone;
    // jobs marked in `excluded` are skipped (their outcome stays as set). An error means the
    // transaction is lost; *lostAt then names the job SQLite rolled everything back for (disk
    // full, RAISE(ROLLBACK) in a trigger), or stays npos when BEGIN or COMMIT failed.
    Result<void> runTransaction(std::vector<Job> &batch, std::vector<IngestOutcome> &outcomes,
                                std::vector<Job> &continuations, bool isolate, bool *retryIsolated,
                                const std::vector<bool> *excluded = nullptr, size_t *lostAt = nullptr);
    Result<void> execCached(const char *sql);
    Result<IngestOutcome> runIngest(IngestJob &job);
    Result<void> runVerdict(const VerdictJob &job);
    Result<void> runDelivered(const DeliveredJob &job);
    // Runs one write job inside the open transaction. *next: the job's next step, when a purge
    // step deleted a full chunk and more may be left.
    Result<void> runWrite(Job &job, IngestOutcome *outcome, std::optional<Job> *next);
    Result<void> runRetention(RetentionJob &job, std::optional<Job> *next);
    // After the commit: counts and logs what a retention step deleted.
    void retentionCommitted(const RetentionJob &job);
    QList<JournalEntry> loadPending(const PendingJob &job);

    QMutex m_mutex;
    std::deque<Job> m_queue;
    bool m_drainScheduled = false;

    std::unique_ptr<Database> m_db;
    std::unique_ptr<WalCheckpointer> m_checkpointer;
    mutable QMutex m_checkpointerMutex; // guards the m_checkpointer pointer, not its use
    std::unique_ptr<DedupStore> m_dedup;
    std::unique_ptr<JournalRetention> m_retention;
    int m_purgeContinuations = 0; // writer thread only; steps of both purges still queued
};

void JournalWriterWorker::process(std::vector<Job> &batch)
{
    const auto writes = std::count_if(batch.begin(), batch.end(), isWrite);
    std::vector<IngestOutcome> outcomes(batch.size());
    QString batchError;             // set when the whole transaction failed
    std::vector<Job> continuations; // purge steps to queue after this batch

    if (writes > 0) {
        if (!m_db) {
            batchError = u"the journal database is not open"_s;
        } else {
            bool retryIsolated = false;
            Result<void> r = runTransaction(batch, outcomes, continuations, false, &retryIsolated);
            if (r && retryIsolated) {
                // Rare (a constraint, a trigger): start again with a savepoint per job so that only
                // the bad job fails and the rest of the batch still commits. A job that takes the
                // whole transaction down with it is left out of the next try; a few such tries,
                // then the database itself is failing and so is the batch.
                constexpr int kMaxTries = 8;
                std::vector<bool> excluded(batch.size(), false);
                std::vector<IngestOutcome> failedAlone(batch.size());
                for (int attempt = 0; attempt < kMaxTries; ++attempt) {
                    outcomes = failedAlone;
                    continuations.clear();
                    size_t lostAt = std::string::npos;
                    r = runTransaction(batch, outcomes, continuations, true, &retryIsolated, &excluded, &lostAt);
                    if (r || lostAt == std::string::npos)
                        break;
                    excluded[lostAt] = true;
                    failedAlone[lostAt] = IngestOutcome{0, false, 0, true, r.error().message};
                    qCWarning(lcWriter, "journal transaction of 1 jobs failed on %s: %s", qUtf8Printable(m_db->path()),
                              qUtf8Printable(r.error().message));
                }
            }
            if (r) {
                ++transactions;
                emit committed();
            } else
                batchError = r.error().message;
        }
        jobs += writes;
    }

    if (!batchError.isEmpty()) {
        qCWarning(lcWriter, "journal transaction of %lld jobs failed on %s: %s", qlonglong(writes),
                  qUtf8Printable(m_db ? m_db->path() : QString()), qUtf8Printable(batchError));
        continuations.clear();
    }

    bool requeueSyncs = false;
    CallbackBatch callbacks;
    for (size_t i = 0; i < batch.size(); ++i) {
        Job &job = batch[i];
        if (auto *ingest = std::get_if<IngestJob>(&job)) {
            IngestOutcome outcome = outcomes[i];
            if (!batchError.isEmpty()) {
                outcome =
                    IngestOutcome{0, false, 0, true,
                                  u"journal write to %1 failed: %2"_s.arg(m_db ? m_db->path() : QString(), batchError)};
            }
            // The context may be deleted on its own thread at any time; a queued call to a
            // deleted object is dropped by Qt, the QPointer only avoids posting to a dangling one.
            if (QObject *context = ingest->context.data(); context && ingest->done)
                callbacks.add(context, Callback{std::move(ingest->done), std::move(outcome), {}});
        } else if (auto *verdict = std::get_if<VerdictJob>(&job); verdict && outcomes[i].failed) {
            qCWarning(lcWriter, "cannot set the verdict of journal entry %lld: %s", qlonglong(verdict->id),
                      qUtf8Printable(outcomes[i].error));
        } else if (auto *delivered = std::get_if<DeliveredJob>(&job); delivered && outcomes[i].failed) {
            qCWarning(lcWriter, "cannot mark journal entry %lld delivered: %s", qlonglong(delivered->id),
                      qUtf8Printable(outcomes[i].error));
        } else if (auto *pending = std::get_if<PendingJob>(&job)) {
            // Reads run after the commit, so they see committed state only.
            QList<JournalEntry> entries = loadPending(*pending);
            if (QObject *context = pending->context.data(); context && pending->done) {
                callbacks.add(context,
                              Callback{{}, {}, [done = std::move(pending->done), entries = std::move(entries)] {
                                           done(entries);
                                       }});
            }
        } else if (auto *custom = std::get_if<CustomJob>(&job)) {
            Result<void> result;
            if (!batchError.isEmpty())
                result = Error{u"store_write_failed"_s, batchError};
            else if (outcomes[i].failed)
                result = Error{u"store_write_failed"_s, outcomes[i].error};
            if (QObject *context = custom->context.data(); context && custom->done) {
                callbacks.add(context, Callback{{}, {}, [done = std::move(custom->done), result = std::move(result)] {
                                                    done(result);
                                                }});
            }
        } else if (auto *purge = std::get_if<PurgeJob>(&job); purge && purge->continuation) {
            --m_purgeContinuations;
        } else if (auto *retention = std::get_if<RetentionJob>(&job)) {
            if (retention->continuation)
                --m_purgeContinuations;
            if (!batchError.isEmpty() || outcomes[i].failed) {
                qCWarning(lcWriter, "journal retention stopped after %lld entries: %s",
                          qlonglong(retention->totals.entries),
                          qUtf8Printable(batchError.isEmpty() ? outcomes[i].error : batchError));
            } else {
                retentionCommitted(*retention);
            }
        } else if (std::holds_alternative<SyncJob>(job)) {
            requeueSyncs = true;
        }
    }

    callbacks.post();

    for (Job &job : continuations) {
        ++m_purgeContinuations;
        enqueue(std::move(job));
    }
    // A sync promises that everything submitted before it is done, including the rest of a
    // purge that was split into steps behind it: wait for those steps by going behind them.
    if (requeueSyncs) {
        for (Job &job : batch) {
            if (auto *sync = std::get_if<SyncJob>(&job)) {
                if (m_purgeContinuations > 0)
                    enqueue(SyncJob{sync->done});
                else
                    sync->done->release();
            }
        }
    }
}

Result<void> JournalWriterWorker::execCached(const char *sql)
{
    Result<Statement *> stmt = m_db->cached(sql);
    if (!stmt)
        return stmt.error();
    return (*stmt)->exec();
}

Result<void> JournalWriterWorker::runTransaction(std::vector<Job> &batch, std::vector<IngestOutcome> &outcomes,
                                                 std::vector<Job> &continuations, bool isolate, bool *retryIsolated,
                                                 const std::vector<bool> *excluded, size_t *lostAt)
{
    *retryIsolated = false;
    if (Result<void> begun = m_db->beginImmediate(); !begun)
        return begun;
    for (size_t i = 0; i < batch.size(); ++i) {
        if (!isWrite(batch[i]) || (excluded && (*excluded)[i]))
            continue;
        if (isolate) {
            if (Result<void> r = execCached("SAVEPOINT job"); !r) {
                m_db->rollback();
                return r;
            }
        }
        std::optional<Job> next;
        Result<void> r = runWrite(batch[i], &outcomes[i], &next);
        if (r) {
            if (isolate) {
                if (Result<void> released = execCached("RELEASE job"); !released) {
                    m_db->rollback();
                    return released;
                }
            }
            if (next)
                continuations.push_back(std::move(*next));
            continue;
        }
        if (!m_db->inTransaction()) {
            // SQLite rolled the whole transaction back (disk full, I/O error,
            // RAISE(ROLLBACK)): everything written so far in this batch is gone.
            if (!isolate) {
                *retryIsolated = true;
                return {};
            }
            if (lostAt)
                *lostAt = i;
            return r;
        }
        if (!isolate) {
            m_db->rollback();
            *retryIsolated = true;
            return {};
        }
        if (Result<void> undone = execCached("ROLLBACK TO job"); !undone) {
            m_db->rollback();
            return undone;
        }
        if (Result<void> released = execCached("RELEASE job"); !released) {
            m_db->rollback();
            return released;
        }
        outcomes[i] = IngestOutcome{};
        outcomes[i].failed = true;
        outcomes[i].error = r.error().message;
    }
    return m_db->commit();
}

Result<void> JournalWriterWorker::runWrite(Job &job, IngestOutcome *outcome, std::optional<Job> *next)
{
    if (auto *ingest = std::get_if<IngestJob>(&job)) {
        Result<IngestOutcome> r = runIngest(*ingest);
        if (!r)
            return r.error();
        *outcome = *r;
        return {};
    }
    if (auto *verdict = std::get_if<VerdictJob>(&job))
        return runVerdict(*verdict);
    if (auto *delivered = std::get_if<DeliveredJob>(&job))
        return runDelivered(*delivered);
    if (auto *custom = std::get_if<CustomJob>(&job))
        return custom->write(*m_db);
    if (auto *purge = std::get_if<PurgeJob>(&job)) {
        Result<int> deleted = m_dedup->purgeExpired(purge->nowMs, kPurgeChunk);
        if (!deleted)
            return deleted.error();
        if (*deleted == kPurgeChunk)
            *next = PurgeJob{purge->nowMs, true};
        return {};
    }
    if (auto *retention = std::get_if<RetentionJob>(&job))
        return runRetention(*retention, next);
    return {};
}

Result<void> JournalWriterWorker::runRetention(RetentionJob &job, std::optional<Job> *next)
{
    Result<RetentionCounts> step = m_retention->purgeStep(job.cutoffMs, kRetentionChunk);
    if (!step)
        return step.error();
    // Set on every run: after a failed batch the job runs again in a savepoint and this is
    // overwritten, so what retentionCommitted() reads is what was committed.
    job.step = *step;
    if (step->entries == kRetentionChunk) {
        RetentionCounts totals = job.totals;
        totals += *step;
        *next = RetentionJob{job.cutoffMs, true, totals, {}};
        return {};
    }
    // The last step: with auto_vacuum = INCREMENTAL the freed pages go back to the file system;
    // otherwise SQLite reuses them for new rows, so the file stops growing either way.
    return m_retention->releaseFreePages();
}

void JournalWriterWorker::retentionCommitted(const RetentionJob &job)
{
    journalPurged += job.step.entries;
    if (job.step.entries == kRetentionChunk)
        return; // the next step logs the run
    RetentionCounts total = job.totals;
    total += job.step;
    if (total.entries == 0 && !job.continuation)
        return; // nothing old enough: no log line every hour
    qCInfo(lcWriter,
           "journal retention deleted %lld entries received before %s (%lld attempts, %lld processed marks, "
           "%lld dead letters)",
           qlonglong(total.entries),
           qUtf8Printable(QDateTime::fromMSecsSinceEpoch(job.cutoffMs, Qt::UTC).toString(Qt::ISODate)),
           qlonglong(total.attempts), qlonglong(total.processed), qlonglong(total.deadLetters));
}

Result<IngestOutcome> JournalWriterWorker::runIngest(IngestJob &job)
{
    JournalEntry &entry = job.entry;
    if (job.claim) {
        // A claimed entry is durable as pending before anything is produced (the outbox).
        entry.kafkaState = KafkaState::Pending;
        entry.duplicateOf = 0;
    }
    Result<Statement *> insert = m_db->cached(JournalTable::insertSql());
    if (!insert)
        return insert.error();
    JournalTable::bindInsert(**insert, entry);
    if (Result<void> r = (*insert)->exec(); !r)
        return r.error();
    IngestOutcome outcome;
    outcome.id = m_db->lastInsertRowId();

    if (!job.claim || entry.idempotencyKey.isEmpty())
        return outcome;
    Result<ClaimResult> claim =
        m_dedup->claim(entry.source, entry.idempotencyKey, outcome.id, entry.receivedAtMs, job.ttlMs);
    if (!claim)
        return claim.error();
    if (claim->claimed)
        return outcome;

    outcome.duplicate = true;
    outcome.firstId = claim->firstJournalId;
    Result<Statement *> update = m_db->cached(
        "UPDATE journal SET verdict = 'duplicate', http_status = 200, duplicate_of = ?2, kafka_state = 'none' "
        "WHERE id = ?1");
    if (!update)
        return update.error();
    (*update)->bindInt64(1, outcome.id);
    (*update)->bindInt64(2, outcome.firstId);
    if (Result<void> r = (*update)->exec(); !r)
        return r.error();
    return outcome;
}

Result<void> JournalWriterWorker::runVerdict(const VerdictJob &job)
{
    Result<Statement *> stmt = m_db->cached("UPDATE journal SET verdict = ?2, http_status = ?3 WHERE id = ?1");
    if (!stmt)
        return stmt.error();
    (*stmt)->bindInt64(1, job.id);
    (*stmt)->bindText(2, verdictName(job.verdict));
    (*stmt)->bindInt(3, job.httpStatus);
    return (*stmt)->exec();
}

Result<void> JournalWriterWorker::runDelivered(const DeliveredJob &job)
{
    // One statement for what markProduced and setVerdict do separately: the ingest path records
    // both for every delivery report, and each job is a statement run plus a queue hop.
    Result<Statement *> stmt = m_db->cached(
        "UPDATE journal SET kafka_state = 'produced', kafka_partition = ?2, kafka_offset = ?3, produced_at_ms = ?4, "
        "verdict = coalesce(?5, verdict), http_status = coalesce(?6, http_status) WHERE id = ?1");
    if (!stmt)
        return stmt.error();
    (*stmt)->bindInt64(1, job.id);
    (*stmt)->bindInt(2, job.partition);
    (*stmt)->bindInt64(3, job.offset);
    (*stmt)->bindInt64(4, job.producedAtMs);
    if (job.verdict) {
        (*stmt)->bindText(5, verdictName(*job.verdict));
        (*stmt)->bindInt(6, job.httpStatus);
    } else {
        (*stmt)->bindNull(5);
        (*stmt)->bindNull(6);
    }
    return (*stmt)->exec();
}

QList<JournalEntry> JournalWriterWorker::loadPending(const PendingJob &job)
{
    QList<JournalEntry> entries;
    if (!m_db)
        return entries;
    // kafka_state = 'pending' is spelled literally so SQLite uses the partial index.
    Result<Statement *> stmt = m_db->cached(
        QByteArray(JournalTable::selectSql(true)
                   + " WHERE kafka_state = 'pending' AND kafka_error IS NULL AND id > ?1 ORDER BY id LIMIT ?2"));
    if (!stmt) {
        qCWarning(lcWriter, "cannot load pending entries: %s", qUtf8Printable(stmt.error().message));
        return entries;
    }
    Statement &select = **stmt;
    select.bindInt64(1, job.afterId);
    select.bindInt(2, job.limit);
    qint64 bytes = 0;
    while (entries.isEmpty() || bytes < job.maxBytes) {
        Result<bool> row = select.step();
        if (!row) {
            qCWarning(lcWriter, "cannot load pending entries: %s", qUtf8Printable(row.error().message));
            break;
        }
        if (!*row)
            break;
        Result<JournalEntry> entry = JournalTable::read(select);
        if (!entry) {
            qCWarning(lcWriter, "skipping unreadable pending entry: %s", qUtf8Printable(entry.error().message));
            continue;
        }
        bytes += entry->body.size();
        entries.append(std::move(*entry));
    }
    select.reset();
    return entries;
}

struct JournalWriter::Private
{
    QString path;
    std::atomic<qint64> retentionMs{0};
    QThread thread;
    std::unique_ptr<JournalWriterWorker> worker;
};

JournalWriter::JournalWriter(QObject *parent) : QObject(parent), d(std::make_unique<Private>()) {}

Result<std::unique_ptr<JournalWriter>> JournalWriter::open(const QString &databasePath, Durability durability)
{
    std::unique_ptr<JournalWriter> writer(new JournalWriter);
    Private &p = *writer->d;
    p.path = databasePath;
    p.worker = std::make_unique<JournalWriterWorker>();
    p.worker->moveToThread(&p.thread);
    // Signal-to-signal: views learn of new rows once per transaction, not once per row.
    connect(p.worker.get(), &JournalWriterWorker::committed, writer.get(), &JournalWriter::committed);
    p.thread.setObjectName(u"hookbench-journal-writer"_s);
    p.thread.start();

    // The connection is opened on the thread that will use it.
    Result<void> opened;
    JournalWriterWorker *worker = p.worker.get();
    QMetaObject::invokeMethod(
        worker,
        [&opened, worker, &databasePath, durability] { opened = worker->openDatabase(databasePath, durability); },
        Qt::BlockingQueuedConnection);
    if (!opened)
        return opened.error(); // ~JournalWriter stops the thread
    return writer;
}

JournalWriter::~JournalWriter()
{
    if (d->thread.isRunning()) {
        sync();
        JournalWriterWorker *worker = d->worker.get();
        QMetaObject::invokeMethod(
            worker, [worker] { worker->closeDatabase(); }, Qt::BlockingQueuedConnection);
        d->thread.quit();
        d->thread.wait();
    }
    // The thread has finished, so deleting its worker from here is safe.
    d->worker.reset();
}

void JournalWriter::ingest(JournalEntry entry, bool claim, qint64 ttlMs, QObject *context,
                           std::function<void(const IngestOutcome &)> done)
{
    d->worker->enqueue(IngestJob{std::move(entry), claim, ttlMs, context, std::move(done)});
}

void JournalWriter::markProduced(qint64 id, int partition, qint64 offset, qint64 producedAtMs)
{
    // A delivery without a verdict change: one UPDATE statement serves both.
    markDelivered(id, partition, offset, producedAtMs, std::nullopt, 0);
}

void JournalWriter::setVerdict(qint64 id, Verdict verdict, int httpStatus)
{
    d->worker->enqueue(VerdictJob{id, verdict, httpStatus});
}

void JournalWriter::markDelivered(qint64 id, int partition, qint64 offset, qint64 producedAtMs,
                                  std::optional<Verdict> verdict, int httpStatus)
{
    d->worker->enqueue(DeliveredJob{id, partition, offset, producedAtMs, verdict, httpStatus});
}

void JournalWriter::write(Write write, QObject *context, std::function<void(const Result<void> &)> done)
{
    d->worker->enqueue(CustomJob{std::move(write), context, std::move(done)});
}

void JournalWriter::loadPending(qint64 afterId, int limit, qint64 maxBytes, QObject *context,
                                std::function<void(const QList<JournalEntry> &)> done)
{
    d->worker->enqueue(PendingJob{afterId, limit, maxBytes, context, std::move(done)});
}

void JournalWriter::markProduceFailed(qint64 id, const QString &error)
{
    write(
        [id, error](Database &db) -> Result<void> {
            Result<Statement *> stmt = db.cached("UPDATE journal SET kafka_error = ?2 WHERE id = ?1");
            if (!stmt)
                return stmt.error();
            (*stmt)->bindInt64(1, id);
            (*stmt)->bindText(2, error);
            return (*stmt)->exec();
        },
        nullptr, {});
}

void JournalWriter::purgeExpiredClaims(qint64 nowMs)
{
    d->worker->enqueue(PurgeJob{nowMs, false});
}

void JournalWriter::setRetention(qint64 retentionMs)
{
    d->retentionMs.store(std::max<qint64>(retentionMs, 0));
}

qint64 JournalWriter::retention() const
{
    return d->retentionMs.load();
}

void JournalWriter::purgeRetained(qint64 nowMs)
{
    const qint64 retentionMs = d->retentionMs.load();
    if (retentionMs <= 0)
        return;
    d->worker->enqueue(RetentionJob{nowMs - retentionMs, false, {}, {}});
}

void JournalWriter::sync()
{
    if (QThread::currentThread() == &d->thread) {
        qCWarning(lcWriter, "JournalWriter::sync() called on the writer thread would wait forever; ignored");
        return;
    }
    QSemaphore done;
    d->worker->enqueue(SyncJob{&done});
    done.acquire();
}

WriterStats JournalWriter::stats() const
{
    return WriterStats{d->worker->transactions.load(), d->worker->jobs.load(), d->worker->journalPurged.load(),
                       d->worker->checkpointStats()};
}

QString JournalWriter::databasePath() const
{
    return d->path;
}

} // namespace hookbench::store

#include "journal_writer.moc"
