#pragma once

// FeedRow: the compact record the live feed keeps per journal entry (ids, enums, short keys; no
// body, no headers, no pre-formatted text: the model formats on demand), plus what the loader
// found about its processing.

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QString>

#include "core/store/journal_entry.h"

namespace hookbench::ui {

// Processing state as the feed shows it. Mirrors store::ProcessingState, plus Unknown for
// "not read yet" (the consumer side is not wired, or its tables could not be read).
enum class FeedProcessing { Unknown, Pending, Retrying, Done, DeadLettered, Replayed, Discarded };

struct FeedRow
{
    qint64 id = 0;
    qint64 receivedAtMs = 0;
    QString source;
    QString eventType;
    QByteArray idempotencyKey;
    QByteArray entityKey;
    store::Verdict verdict = store::Verdict::Rejected;
    int httpStatus = 0;
    QString reason;
    qint64 duplicateOf = 0;
    store::KafkaState kafkaState = store::KafkaState::None;
    bool kafkaRefused = false; // Kafka refused it for good (journal kafka_error), not merely pending
    int partition = -1;
    qint64 offset = -1;

    FeedProcessing processing = FeedProcessing::Unknown;
    int attempts = 0;
    QString lastError;

    static FeedRow fromEntry(const store::JournalEntry &entry);
    // Whether the journal may still change this row (delivery report or relay outstanding).
    bool settled() const;
};

using FeedRows = QList<FeedRow>;

struct FeedStatus
{
    FeedProcessing state = FeedProcessing::Unknown;
    int attempts = 0;
    QString lastError;
};

} // namespace hookbench::ui
