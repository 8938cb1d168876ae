#pragma once

// Snapshots of a ConsumerGroup for views and tests: plain copies, safe to keep and to send in a
// queued signal. Offsets follow Kafka: committed = the next offset to consume (last finished
// record + 1), high watermark = the offset the next produced record gets; -1 means unknown.

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include "core/kafka/consumer_record.h"

namespace hookbench::kafka {

struct MemberState
{
    QString id;            // stable within the group object: "consumer-1", "consumer-2", ...
    QString clientId;      // librdkafka client.id
    QString groupMemberId; // member id the group coordinator gave it; empty before it joined
    QList<TopicPartition> assigned;
    qint64 handled = 0; // records given to the handler
    int inFlight = 0;   // records given to the handler and not completed yet
};

struct PartitionState
{
    QString topic;
    int partition = -1;
    int leader = -1; // broker id of the partition leader from the last metadata read; -1 unknown
    qint64 committed = -1;
    qint64 lowWatermark = -1;
    qint64 highWatermark = -1;
    qint64 lag = -1; // highWatermark - (committed, or lowWatermark without a commit)
    QString owner;   // MemberState::id, empty when no member holds it
    qint64 inFlightOffset = -1;
};

struct RebalanceEvent
{
    qint64 timeMs = 0; // wall clock, ms since the epoch
    QString memberId;
    QString protocol; // "COOPERATIVE" (incremental) or "EAGER"
    QList<TopicPartition> revoked;
    QList<TopicPartition> assigned;
    bool lost = false; // partitions were lost (session timed out), nothing was committed
};

struct ConsumerGroupState
{
    QString groupId;
    QStringList topics; // topics the members subscribe to (pattern minus exclusions)
    QList<MemberState> members;
    QList<PartitionState> partitions; // every partition of `topics`, sorted
    QList<RebalanceEvent> rebalances; // oldest first, the last ConsumerGroup::kRebalanceLogSize
    qint64 handled = 0;               // records given to the handler, all members
    qint64 completed = 0;             // completions accepted (not dropped after a revoke)
    qint64 dropped = 0;               // completions ignored: partition revoked meanwhile, or called twice
    QString lastError;                // last error librdkafka reported, for a status line
};

} // namespace hookbench::kafka

Q_DECLARE_METATYPE(hookbench::kafka::ConsumerGroupState)
