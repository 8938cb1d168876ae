#pragma once

// OffsetCommitter: the offset commits of one ConsumerMember, kept apart so the member stays about
// handing out records. Internal to core/kafka (it includes rdkafka.h).
//
// A completed record's offset + 1 is committed asynchronously, coalesced per kCommitCoalesceMs;
// the member commits revoked partitions synchronously before giving them up. When the coordinator
// refuses a commit because the group is rebalancing, holdsBack() stays true until a commit goes
// through, the rebalance reaches the member or nothing is left to commit: work the member could
// not commit would be done twice, so it hands out no new record meanwhile.

#include <functional>

#include <librdkafka/rdkafka.h>

#include <QList>
#include <QMap>
#include <QString>

#include "core/kafka/consumer_record.h"

class QObject;
class QTimer;

namespace hookbench::kafka {

class OffsetCommitter final
{
    Q_DISABLE_COPY_MOVE(OffsetCommitter)

public:
    // Called on the member's thread.
    struct Hooks
    {
        std::function<void()> resumed; // holdsBack() turned false: records may be handed out again
        std::function<void(const TopicPartition &, qint64 offset)> committed; // acknowledged commit
        std::function<void(const QString &message)> error;
    };

    // `rk` must outlive the committer. Its timers are children of `context`, so they run on the
    // member's thread and move with it.
    OffsetCommitter(rd_kafka_t *rk, const QString &memberId, QObject *context, Hooks hooks);
    ~OffsetCommitter();

    // A newly assigned partition: nothing completed, nothing acknowledged yet.
    void track(const TopicPartition &tp);
    // A revoked partition: its later commit results are reported but no longer retried.
    void forget(const TopicPartition &tp);
    // The record at `offset` is done: its successor is committed with the next coalesced commit.
    void completed(const TopicPartition &tp, qint64 offset);
    // Commits what completed since the last commit, of every tracked partition or of `only`.
    void commit(bool sync, const QList<TopicPartition> *only = nullptr);
    // The result librdkafka's offset_commit_cb delivered.
    void commitResult(rd_kafka_resp_err_t err, const rd_kafka_topic_partition_list_t *offsets);
    // A rebalance reached the member: a new generation, so commits go through again.
    void rebalanced();
    bool holdsBack() const;

private:
    struct Offsets
    {
        qint64 toCommit = -1;  // offset to commit next (completed offset + 1)
        qint64 committed = -1; // last offset the coordinator acknowledged
    };

    void retry();

    rd_kafka_t *m_rk = nullptr;
    QString m_memberId;
    Hooks m_hooks;
    QTimer *m_commitTimer = nullptr;
    QTimer *m_retryTimer = nullptr;
    QMap<TopicPartition, Offsets> m_partitions; // the member's current assignment
    // The coordinator rejected our last commit because of a rebalance. Until a commit goes
    // through or the rebalance reaches us, no new record is handed out: whatever we finished now
    // could not be committed and would be consumed again by the next owner.
    bool m_rejected = false;
};

} // namespace hookbench::kafka
