#pragma once

// ReplayService: replays journal entries and dead letters, edited or not (DESIGN: replay).
//  - Topic mode: the original entry (with the edits applied) becomes a new journal entry
//    (verdict accepted, kafka_state pending, derivedFrom = original, no dedup claim) and is
//    produced to the original topic through the ingest worker's producer, exactly like an
//    ingested event (same headers, new hookbench-journal-id). newIdempotencyKey: a new key
//    "replay-<uuid>" in the journal entry and the idempotency-key header.
//  - Receiver mode: the request (method, path and query, headers, body, edits applied) is
//    POSTed to the receiver's own listen address over loopback, re-signed with the source's
//    first secret (Verifier::signRequest) unless edits.resign is false; newIdempotencyKey rewrites the
//    provider's key (Verifier::setIdempotencyKey). The ReplayLineage nonce ties the new entry to
//    its original. The receiver's JSON answer becomes the result.
//  - A dead letter is replayed from its journal entry; after an accepted or queued replay the
//    letter is marked replayed with the new journal id. Discarding a letter is recorded too.
//  - Dead letters in bulk are planned first (planDeadLetters: topics, keys, what the loop guard
//    skips), so the window can show a dry run before replayDeadLetters sends the same plan.
// Errors: "not_found" (no such entry or letter), "invalid_argument" (a rejected entry, which
// never reached Kafka, cannot go to a topic; a dead letter already discarded; no source of that
// name in the config), "unsupported" (cannot re-sign or re-key for this provider, with why).
//
// Lives on its own thread (the pipeline's service thread); replay() may be called from any
// thread and answers on the context's thread.

#include <functional>
#include <memory>

#include <QObject>

#include "core/config/config.h"
#include "core/http/http_server.h"
#include "core/replay/replay_request.h"
#include "core/store/journal_entry.h"
#include "core/util/clock.h"
#include "core/util/result.h"

namespace hookbench::store {
class JournalWriter;
} // namespace hookbench::store

namespace hookbench::replay {

class ReplayLineage;

struct ReplayEnvironment
{
    config::Config config;
    QString databasePath; // for JournalQuery and its own ProcessingStore connection
    store::JournalWriter *writer = nullptr;
    ReplayLineage *lineage = nullptr;
    QString listenAddress; // "127.0.0.1:PORT" of the receiver
    const Clock *clock = &SystemClock::instance();
    // Produces a journaled entry like an ingested one and answers through the responder with the
    // receiver's JSON (accepted with topic/partition/offset, or queued). Thread-safe; provided by
    // the pipeline (it hops to the ingest thread).
    std::function<void(const store::JournalEntry &entry, http::Responder responder)> produce;
};

class ReplayService final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReplayService)

public:
    static Result<std::unique_ptr<ReplayService>> create(ReplayEnvironment env);
    ~ReplayService() override;

    using Done = std::function<void(const Result<ReplayResult> &)>;
    using DoneMany = std::function<void(const Result<QList<Result<ReplayResult>>> &)>;

    void replay(const ReplayRequest &request, QObject *context, Done done);
    // One replay per selected entry, in journal order; answers once all of them answered.
    void replayMany(const ReplaySelection &selection, QObject *context, DoneMany done);
    // Marks a dead letter discarded (kept, never deleted). "not_found"; "invalid_argument" when
    // it was already replayed or discarded.
    void discard(qint64 deadLetterId, QObject *context, std::function<void(const Result<void> &)> done);
    // What replayDeadLetters() would send, without sending anything (the dry run).
    void planDeadLetters(const DeadLetterReplay &request, QObject *context,
                         std::function<void(const Result<ReplayPlan> &)> done);
    // Plans, then replays every letter the plan sends, one after the other (each marked replayed
    // once accepted or queued); answers once all of them answered.
    void replayDeadLetters(const DeadLetterReplay &request, QObject *context,
                           std::function<void(const Result<BulkReplayOutcome> &)> done);

private:
    explicit ReplayService(QObject *parent = nullptr);
    struct Private;
    struct Many; // one replayMany() in progress
    struct Bulk; // one replayDeadLetters() in progress

    // On the service thread; `finish` runs there too.
    void run(const ReplayRequest &request, const Done &finish);
    void replayToTopic(const store::JournalEntry &original, const ReplayEdits &edits, ReplayResult base,
                       const Done &finish);
    void replayThroughReceiver(const store::JournalEntry &original, const ReplayEdits &edits, ReplayResult base,
                               const Done &finish);
    Result<QList<qint64>> selectIds(const ReplaySelection &selection);
    void runNext(const std::shared_ptr<Many> &many);
    Result<ReplayPlan> plan(const DeadLetterReplay &request);
    void runNextLetter(const std::shared_ptr<Bulk> &bulk);

    std::unique_ptr<Private> d;
};

} // namespace hookbench::replay
