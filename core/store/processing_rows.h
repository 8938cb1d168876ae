#pragma once

// Row records of the consumer-side tables (schema version 2): forward targets, event filters,
// subscriptions tying them together, handler attempts and dead letters. Plain values, so the
// processing code, the API and the UI can pass them around without touching SQLite; see
// ProcessingStore for how they are read and written.

#include <optional>

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QStringView>

#include "core/http/http_request.h"

namespace hookbench::store {

// Where the forward handler POSTs records (the `targets` table).
struct TargetRow
{
    qint64 id = 0; // assigned by the store
    QString url;
    http::HeaderList headers; // added to every request; order and repeats kept
    int timeoutMs = 10'000;
    qint64 createdAtMs = 0;
};

// Which event types a subscription hands to its target (the `filters` table). Patterns as in
// processing::EventFilter; an empty list matches every event type.
struct FilterRow
{
    qint64 id = 0;
    QStringList events;
};

// A target fed with the events a filter lets through (the `subscriptions` table).
struct SubscriptionRow
{
    qint64 id = 0;
    qint64 targetId = 0;
    qint64 filterId = 0; // 0: no filter, every event
    bool active = true;
    qint64 createdAtMs = 0;
};

enum class AttemptOutcome { Success, Transient, Permanent };
QString attemptOutcomeName(AttemptOutcome outcome); // "success", "transient", "permanent"
std::optional<AttemptOutcome> parseAttemptOutcome(QStringView name);

// One handler attempt at one record (the `attempts` table).
struct AttemptRow
{
    qint64 id = 0;        // assigned by the store
    qint64 journalId = 0; // the journal entry the record came from
    QString source;
    QByteArray idempotencyKey;
    QString topic; // where the attempted record was read
    int partition = -1;
    qint64 offset = -1;
    int attempt = 1; // 1 for the first try
    QString consumer;
    qint64 startedAtMs = 0;
    qint64 finishedAtMs = 0;
    AttemptOutcome outcome = AttemptOutcome::Transient;
    int httpStatus = 0;        // 0 when there was no HTTP answer
    QString error;             // empty on success
    qint64 nextDueAtMs = 0;    // when the next try is due after a transient failure; 0 for none
    qint64 subscriptionId = 0; // 0 when not tied to a subscription
};

enum class DeadLetterStatus { Dead, Replayed, Discarded };
QString deadLetterStatusName(DeadLetterStatus status); // "dead", "replayed", "discarded"
std::optional<DeadLetterStatus> parseDeadLetterStatus(QStringView name);

// A record that exhausted its retries or failed permanently (the `dlq` table): the original
// record byte for byte and why it died.
struct DeadLetterRow
{
    qint64 id = 0; // assigned by the store
    qint64 journalId = 0;
    QString source;
    QString topic; // original placement
    int partition = -1;
    qint64 offset = -1;
    QByteArray key;           // a null QByteArray is a Kafka null key, distinct from an empty one
    http::HeaderList headers; // Kafka headers, in order
    QByteArray value;         // null QByteArray: Kafka null value (tombstone)
    QString error;
    QString errorClass; // "transient" (exhausted) or "permanent"
    int attempts = 0;
    qint64 firstFailureAtMs = 0;
    qint64 lastFailureAtMs = 0;
    QString consumer;
    DeadLetterStatus status = DeadLetterStatus::Dead;
    qint64 statusChangedAtMs = 0;
    qint64 replayedAsJournalId = 0; // journal id of the replay; 0 unless replayed
};

} // namespace hookbench::store
