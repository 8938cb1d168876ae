#pragma once

// ConsumerMember::Private: the member's state, shared by consumer_member.cpp (the public class:
// creation, leaving the group, destruction, queries) and consumer_member_private.cpp (the flow
// of records: librdkafka callbacks, wake-ups, handing out records, completions, rebalances).
// Internal to core/kafka (it includes rdkafka.h).

#include <memory>

#include <librdkafka/rdkafka.h>

#include <QList>
#include <QLoggingCategory>
#include <QMap>
#include <QMutex>
#include <QPair>
#include <QString>

#include "core/kafka/consumer_member.h"
#include "core/kafka/offset_committer.h"

class QSocketNotifier;

namespace hookbench::kafka {

Q_DECLARE_LOGGING_CATEGORY(lcConsumer)

struct ConsumerMember::Private
{
    using Key = QPair<QString, int>;

    static TopicPartition toTopicPartition(const Key &key) { return TopicPartition{key.first, key.second}; }

    struct Partition
    {
        rd_kafka_queue_t *queue = nullptr; // the partition's own queue, not forwarded
        QList<rd_kafka_message_t *> stash; // records that still came through the consumer queue
        quint64 epoch = 0;                 // which assignment a completion belongs to
        qint64 inFlight = -1;              // offset given to the handler, not completed yet
    };

    // What a Completion holds: cleared when the member goes, so late completions do nothing.
    struct Relay
    {
        QMutex mutex;
        ConsumerMember *member = nullptr;
    };

    ConsumerMember *q = nullptr;
    QString id;
    QString clientId;
    Hooks hooks;
    rd_kafka_t *rk = nullptr;
    rd_kafka_queue_t *consumerQueue = nullptr;
    int pipeFds[2] = {-1, -1};
    QSocketNotifier *notifier = nullptr;
    // Exists once rk does; its holdsBack() stops records being handed out.
    std::unique_ptr<OffsetCommitter> committer;
    QMap<Key, Partition> partitions; // the current assignment
    std::shared_ptr<Relay> relay = std::make_shared<Relay>();
    quint64 nextEpoch = 1;
    qint64 handled = 0;
    // From the assignment strategy: cooperative-sticky is librdkafka's only COOPERATIVE assignor
    // and it cannot be mixed with eager ones. Known without asking librdkafka from a callback.
    bool cooperative = false;
    // Destruction has begun: no record is handed out, wake-ups do nothing.
    bool closing = false;
    // Inside rd_kafka_consumer_close(): the group is being torn down (see ~ConsumerMember).
    bool inClose = false;
    // Callbacks served so far; leaveGroup() watches it to know the consumer queue went quiet.
    quint64 callbacks = 0;

    static void onRebalance(rd_kafka_t *rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *list,
                            void *opaque);
    static void onCommit(rd_kafka_t *rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *offsets,
                         void *opaque);
    static void onError(rd_kafka_t *rk, int err, const char *reason, void *opaque);

    void wakeUp();
    void rearm();
    void serveConsumerQueue();
    void takeConsumerMessage(rd_kafka_message_t *message);
    void dispatchIdle();
    void dispatchNext(const Key &key, Partition &partition);
    Completion makeCompletion(const Key &key, qint64 offset, quint64 epoch) const;
    void complete(const Key &key, qint64 offset, quint64 epoch);
    void attach(const rd_kafka_topic_partition_list_t *list);
    void revoke(const QList<Key> &keys, bool commit);
    void detachQueue(Partition &partition);
    bool leaveGroup();
    bool hasMemberId() const;
    void reportError(const QString &message);
};

} // namespace hookbench::kafka
