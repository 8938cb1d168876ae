#pragma once

// What to replay and how (ReplayService). A replay is a new journal entry derived from its
// original (JournalEntry::derivedFrom), so the lineage is visible whether or not it was edited.

#include <optional>

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>

#include "core/http/http_request.h"
#include "core/store/journal_query.h"
#include "core/util/result.h"

namespace hookbench::replay {

enum class ReplayMode {
    Topic,    // produce straight to the original topic (no verification, no dedup claim)
    Receiver, // POST through the receiver again: verify, dedup, journal, produce — the full path
};
QString replayModeName(ReplayMode mode); // "topic", "receiver"
std::optional<ReplayMode> parseReplayMode(QStringView name);

struct ReplayEdits
{
    std::optional<QByteArray> body; // replaces the body when set
    http::HeaderList headers;       // each replaces every header of the same name (case-insensitive), else is appended
    // When set, the request's whole header list (applied before `headers`): the payload editor
    // sends what its list shows, so a header removed there is gone.
    std::optional<http::HeaderList> headerList;
    bool newIdempotencyKey = false; // mint a new key (the provider's id header or body field); topic mode: the header
    bool resign = true;             // receiver mode: sign again with the source's current (first) secret

    bool isEdit() const { return body.has_value() || !headers.isEmpty() || headerList.has_value(); }
};

struct ReplayRequest
{
    qint64 journalId = 0;    // replay this journal entry, or
    qint64 deadLetterId = 0; // this dead letter (its journal entry; the letter is marked replayed)
    ReplayMode mode = ReplayMode::Topic;
    ReplayEdits edits;
};

struct ReplayResult
{
    qint64 originalJournalId = 0;
    qint64 deadLetterId = 0;
    qint64 newJournalId = 0; // the replay's own journal entry (0 if it was not journaled)
    QString status;          // the receiver's answer: "accepted", "queued", "duplicate", "rejected"
    int httpStatus = 0;
    QString reason;            // rejection reason, if any
    QByteArray idempotencyKey; // the key the replay carries
    QString topic;
    int partition = -1;
    qint64 offset = -1;
};

// A selection to replay in bulk (POST /api/replay): the journal filter (accepted, queued and
// duplicate entries only; rejected ones are skipped) or explicit ids, at most `limit` entries.
struct ReplaySelection
{
    store::JournalFilter filter;
    QList<qint64> journalIds; // when non-empty, these instead of the filter
    ReplayMode mode = ReplayMode::Topic;
    bool newIdempotencyKey = false;
    int limit = 1000;
};

// A bulk replay of dead letters (the DLQ view): planned first, so a dry run can show what it
// would send, then run letter by letter. The loop guard: a letter whose event has already been
// replayed maxReplays times (its journal entry's lineage, ProcessingStore::replayDepths) died
// again after those replays, so replaying it once more is likely to loop; it is skipped unless
// includeOverLimit.
struct DeadLetterReplay
{
    QList<qint64> deadLetterIds;
    ReplayMode mode = ReplayMode::Topic;
    bool newIdempotencyKey = false;
    int maxReplays = 3;
    bool includeOverLimit = false;
};

// One letter of a plan: where it would go and, if it would not be sent, why.
struct PlannedReplay
{
    qint64 deadLetterId = 0;
    qint64 journalId = 0;
    QString source;
    QString topic;  // the topic the replay produces to (topic mode) or the receiver produces to
    QByteArray key; // the Kafka key (entity key) it carries
    int replayCount = 0;
    QString skipReason; // empty: it is sent; "loop_guard", "replayed", "discarded", "no_journal_entry", ...
    QString skipDetail; // the reason in words

    bool sent() const { return skipReason.isEmpty(); }
};

struct ReplayPlan
{
    ReplayMode mode = ReplayMode::Topic;
    QList<PlannedReplay> items; // in the order of the request

    int sendCount() const;
    int skipCount() const { return int(items.size()) - sendCount(); }
    QMap<QString, int> topics() const; // topic -> letters sent there
    QList<QByteArray> keys() const;    // distinct keys sent, in plan order
};

struct BulkReplayOutcome
{
    ReplayPlan plan;
    QList<Result<ReplayResult>> results; // one per sent item of the plan, in its order
};

} // namespace hookbench::replay
