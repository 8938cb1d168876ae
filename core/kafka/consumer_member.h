#pragma once

// ConsumerMember: one librdkafka high-level consumer of a ConsumerGroup. Used by ConsumerGroup
// only; views read MemberState snapshots instead.
//
// Flow control, one record in progress per partition: every assigned partition's queue is
// taken out of the consumer queue (rd_kafka_queue_get_partition + rd_kafka_queue_forward(NULL))
// and read with rd_kafka_consume_queue() only while the partition has nothing in progress;
// librdkafka keeps prefetching it up to its own queue limits, so other partitions keep flowing.
// The consumer queue then carries only rebalances, commit results and errors (and, rarely,
// records fetched before the forward was cut; those are kept ahead of the partition queue).
//
// Wake-up: the consumer queue and every partition queue write to one pipe when they turn
// non-empty (rd_kafka_queue_io_event_enable); a QSocketNotifier on the owning thread reads it.
//
// Commits: a completed record's offset + 1 is committed asynchronously, coalesced per
// kCommitCoalesceMs; on revoke the completed offsets of the revoked partitions are committed
// synchronously before the partitions are given up (rd_kafka_assign(NULL) or
// rd_kafka_incremental_unassign()), and records still in progress there are forgotten: their
// completions do nothing, the new owner consumes them again. When the coordinator refuses a
// commit because the group is rebalancing, the member hands out no new record until a commit
// goes through or the rebalance reaches it: work it could not commit would be done twice.

#include <functional>
#include <memory>

#include <QMap>
#include <QObject>
#include <QPair>
#include <QStringList>

#include "core/kafka/consumer_group_state.h"
#include "core/kafka/consumer_record.h"
#include "core/util/result.h"

namespace hookbench::kafka {

class ConsumerMember final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConsumerMember)

public:
    using Properties = QList<QPair<QByteArray, QByteArray>>;

    // Called on the member's thread. `handler` may be empty: records then wait in librdkafka.
    struct Hooks
    {
        RecordHandler handler;
        std::function<void(const RebalanceEvent &)> rebalanced;
        std::function<void(const TopicPartition &, qint64 offset)> committed; // acknowledged commit
        std::function<void(bool accepted)> completed;                         // false: dropped after a revoke
        std::function<void(const QString &message)> error;
    };

    // `properties` must include bootstrap.servers and group.id; an invalid one is an error.
    static Result<std::unique_ptr<ConsumerMember>> create(const QString &id, const Properties &properties, Hooks hooks);
    // Checks every property with rd_kafka_conf_set() without creating a client.
    static Result<void> validate(const Properties &properties);
    // Commits completed offsets, unsubscribes and serves its queue until it has left the group
    // (any queued rebalance and the revoke run here; at most 10 s), then closes and destroys.
    // Blocks this thread meanwhile: sibling members on it are not served.
    ~ConsumerMember() override;

    // Subscribes to exactly these topics (an empty list unsubscribes).
    Result<void> subscribe(const QStringList &topics);
    void setHandler(RecordHandler handler);

    QString id() const;
    QString clientId() const;
    QString groupMemberId() const;
    QList<TopicPartition> assignment() const;
    bool owns(const TopicPartition &tp) const;
    qint64 inFlightOffset(const TopicPartition &tp) const; // -1 if nothing in progress
    int inFlightCount() const;
    qint64 handledCount() const;
    // Watermarks librdkafka cached from fetch responses (no request); false if unknown.
    bool cachedWatermarks(const TopicPartition &tp, qint64 *low, qint64 *high) const;

    // Blocking cluster queries (up to timeoutMs each), used by ConsumerGroup's state refresh.
    // Partition count of every topic in the cluster metadata.
    Result<QMap<QString, int>> topicPartitionCounts(int timeoutMs) const;
    // Leader broker id of every partition of every topic (-1 unknown), indexed by partition id:
    // the same single metadata request, so the list size is the partition count.
    Result<QMap<QString, QList<int>>> topicPartitionLeaders(int timeoutMs) const;
    // The group's committed offsets (next offset to consume; -1 if none) for these partitions.
    Result<QMap<TopicPartition, qint64>> committedOffsets(const QList<TopicPartition> &partitions, int timeoutMs) const;
    // Low and high watermark asked from the partition leader.
    Result<QPair<qint64, qint64>> queryWatermarks(const TopicPartition &tp, int timeoutMs) const;

    // Housekeeping for a periodic timer: serve the consumer queue (librdkafka counts this for
    // max.poll.interval.ms), retry failed commits, hand out waiting records.
    void poll();

private:
    explicit ConsumerMember(QObject *parent = nullptr);
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace hookbench::kafka
