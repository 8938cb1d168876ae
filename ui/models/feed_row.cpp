#include "ui/models/feed_row.h"

namespace hookbench::ui {

FeedRow FeedRow::fromEntry(const store::JournalEntry &entry)
{
    FeedRow row;
    row.id = entry.id;
    row.receivedAtMs = entry.receivedAtMs;
    row.source = entry.source;
    row.eventType = entry.eventType;
    row.idempotencyKey = entry.idempotencyKey;
    row.entityKey = entry.entityKey;
    row.verdict = entry.verdict;
    row.httpStatus = entry.httpStatus;
    row.reason = entry.reason;
    row.duplicateOf = entry.duplicateOf;
    row.kafkaState = entry.kafkaState;
    row.kafkaRefused = !entry.kafkaError.isEmpty();
    row.partition = entry.partition;
    row.offset = entry.offset;
    return row;
}

bool FeedRow::settled() const
{
    return kafkaState != store::KafkaState::Pending && verdict != store::Verdict::Queued;
}

} // namespace hookbench::ui
