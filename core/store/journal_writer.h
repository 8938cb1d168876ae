#pragma once

// JournalWriter: the one thread that writes Hookbench's SQLite database. Callers submit jobs from
// any thread; the writer drains whatever has queued up in one transaction (group commit), then
// posts the batch's outcomes back to each caller's context object in one queued call per context,
// in submission order. The
// dedup claim runs inside the same transaction as the journal insert, so an event is durable as
// "pending" before anything is produced (the outbox).

#include <functional>
#include <memory>
#include <optional>

#include <QObject>

#include "core/store/database.h"
#include "core/store/journal_entry.h"
#include "core/store/wal_checkpointer.h"
#include "core/util/result.h"

namespace hookbench::store {

struct IngestOutcome
{
    qint64 id = 0;          // journal id of this request
    bool duplicate = false; // the idempotency key was already claimed (and not expired)
    qint64 firstId = 0;     // for duplicates: the journal id that holds the claim
    bool failed = false;    // the database refused the write (disk full, ...)
    QString error;          // why, when failed
};

struct WriterStats
{
    qint64 transactions = 0;
    qint64 jobs = 0;
    qint64 journalPurged = 0; // journal entries the data retention deleted
    CheckpointStats wal;      // the checkpoints run for this writer's commits; zero while closed
};

class JournalWriter final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JournalWriter)

public:
    // Opens (or creates and migrates) <dataDir>/hookbench.db on the writer thread and returns
    // once it is ready; a failure names the path and why.
    // `durability` is how each group commit reaches the disk (Full: before any answer it precedes).
    static Result<std::unique_ptr<JournalWriter>> open(const QString &databasePath,
                                                       Durability durability = Durability::Full);
    ~JournalWriter() override; // drains queued jobs, then stops the thread

    // Journal a request. With claim=true the idempotency key is claimed atomically in the same
    // transaction; a live claim makes the entry a duplicate (verdict and duplicateOf are set by
    // the writer). `done` runs on `context`'s thread.
    // Details: the entry is stored with the verdict/status given. With claim=true it is stored
    // as kafka_state=pending (the outbox), or, when the claim finds a live holder, as
    // verdict=duplicate, http_status=200, kafka_state=none, duplicateOf=holder; an empty key
    // skips the claim. The claim's "now" is entry.receivedAtMs (expires at receivedAtMs + ttlMs).
    // Without claim=true the entry's kafkaState is stored as given. A null context drops the
    // outcome. When the write fails, outcome.failed is set with why, and nothing is stored.
    void ingest(JournalEntry entry, bool claim, qint64 ttlMs, QObject *context,
                std::function<void(const IngestOutcome &)> done);

    // Record where an entry landed in Kafka (kafka_state = produced).
    void markProduced(qint64 id, int partition, qint64 offset, qint64 producedAtMs);
    // Change the verdict once the answer is known (accepted after the report, queued after the wait).
    void setVerdict(qint64 id, Verdict verdict, int httpStatus);
    // markProduced and, when `verdict` is set, setVerdict in one statement (the delivery report
    // path). Without a verdict, verdict and http_status are left as they are.
    void markDelivered(qint64 id, int partition, qint64 offset, qint64 producedAtMs, std::optional<Verdict> verdict,
                       int httpStatus);

    // Record why Kafka refused an entry for good (journal.kafka_error); the relay skips it then.
    void markProduceFailed(qint64 id, const QString &error);

    // Runs `write` on the writer thread inside the next group commit, beside the journal's own
    // writes, then `done` on `context`'s thread: ok once committed, else why not. One write job
    // never takes the others down: after a failure the group is written again with a savepoint
    // per job, so `write` may run twice and must only write through the Database it is given.
    // This is how the consumer side writes (one writer: no lock waits, no page cache thrown away
    // because another connection committed).
    using Write = std::function<Result<void>(Database &)>;
    void write(Write write, QObject *context, std::function<void(const Result<void> &)> done);

    // Entries still pending in Kafka without a kafka_error, with id > afterId, oldest first (for
    // the outbox relay). At most `limit` entries, and no more once their bodies reach maxBytes
    // (at least one entry): a page of large bodies must not hold gigabytes.
    void loadPending(qint64 afterId, int limit, qint64 maxBytes, QObject *context,
                     std::function<void(const QList<JournalEntry> &)> done);

    // Delete expired dedup claims in small chunks so ingest never waits long behind a purge.
    void purgeExpiredClaims(qint64 nowMs);

    // The data retention: journal entries older than this whose work is finished are deleted by
    // purgeRetained(); 0 (the start value) keeps everything. Thread-safe; the next purge uses it.
    void setRetention(qint64 retentionMs);
    qint64 retention() const;
    // Deletes finished entries received before nowMs - retention (see JournalRetention for what
    // is finished and what goes with an entry), in steps of at most 1000 entries, each step one
    // writer job between the others, so ingest never waits long behind it. Logs what it deleted
    // and counts it in stats().journalPurged. Does nothing while the retention is 0.
    void purgeRetained(qint64 nowMs);

    // Waits until every job submitted before this call is committed (tests, shutdown), including
    // every step of an earlier purgeExpiredClaims() or purgeRetained(). Must not be called on the
    // writer thread.
    void sync();

    // Committed transactions and executed write jobs so far (jobs/transactions = batching).
    WriterStats stats() const;
    QString databasePath() const;

signals:
    // Emitted (from the writer thread; connect queued) once per committed transaction that
    // wrote rows or changed them: new entries, verdicts, Kafka positions. Views re-read then.
    void committed();

private:
    explicit JournalWriter(QObject *parent = nullptr);
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace hookbench::store
