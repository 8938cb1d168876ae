#pragma once

// What a ConsumerGroup hands to the processor: one record, exactly as it is on the topic, and a
// Completion the processor calls once the record is finished (processed or dead-lettered).
//
// At-least-once: a record's offset is committed only after its Completion ran, and a partition
// gets its next record only then. A Completion may be called from any thread, any time later;
// it posts to the group's thread. Calling it twice, or after the partition moved to another
// member in a rebalance, does nothing (the new owner gets the record again).

#include <functional>

#include <QByteArray>
#include <QList>
#include <QString>

#include "core/http/http_request.h"

namespace hookbench::kafka {

struct TopicPartition
{
    QString topic;
    int partition = -1;

    friend bool operator==(const TopicPartition &, const TopicPartition &) = default;
    friend auto operator<=>(const TopicPartition &a, const TopicPartition &b)
    {
        if (const auto c = a.topic.compare(b.topic); c != 0)
            return c <=> 0;
        return a.partition <=> b.partition;
    }
};

struct ConsumedRecord
{
    QString memberId; // ConsumerGroup member that consumed it, e.g. "consumer-1"
    QString topic;
    int partition = -1;
    qint64 offset = -1;
    QByteArray key;           // exact bytes; empty when the record has no key
    QByteArray value;         // exact bytes
    http::HeaderList headers; // Kafka headers in record order, repeats kept
    qint64 timestampMs = -1;  // record timestamp, -1 if the record has none
};

using Completion = std::function<void()>;
using RecordHandler = std::function<void(const ConsumedRecord &, Completion)>;

} // namespace hookbench::kafka
