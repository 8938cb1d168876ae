#pragma once

// What to replay and how (ReplayService). A replay is a new journal entry derived from its
// original (JournalEntry::derivedFrom), so the lineage is visible whether or not it was edited.

#include <optional>

#include <QByteArray>
#include <QList>
#include <QString>

#include "core/http/http_request.h"
#include "core/store/journal_query.h"

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
    bool newIdempotencyKey = false; // mint a new key (the provider's id header or body field); topic mode: the header
    bool resign = true;             // receiver mode: sign again with the source's current (first) secret

    bool isEdit() const { return body.has_value() || !headers.isEmpty(); }
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

} // namespace hookbench::replay
