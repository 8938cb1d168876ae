#include "core/kafka/consumer_member_p.h"

#include <algorithm>
#include <utility>

#include <unistd.h>

#include <QDateTime>

#include "core/kafka/consumer_queries.h"

using namespace Qt::StringLiterals;

namespace hookbench::kafka {

namespace {

// Bound of one wake-up on the consumer queue; the rest waits for the next turn of the loop.
constexpr int kMaxPollsPerWakeUp = 256;

QList<TopicPartition> toList(const rd_kafka_topic_partition_list_t *list)
{
    QList<TopicPartition> result;
    for (int i = 0; list && i < list->cnt; ++i)
        result.append(TopicPartition{QString::fromUtf8(list->elems[i].topic), int(list->elems[i].partition)});
    std::sort(result.begin(), result.end());
    return result;
}

} // namespace

// All callbacks below are served from the consumer queue by rd_kafka_consumer_poll() (or by
// rd_kafka_consumer_close()) on the member's thread, so they may touch Private without locks.
void ConsumerMember::Private::onRebalance(rd_kafka_t *rk, rd_kafka_resp_err_t err,
                                          rd_kafka_topic_partition_list_t *list, void *opaque)
{
    auto *d = static_cast<Private *>(opaque);
    ++d->callbacks;
    // Not rd_kafka_rebalance_protocol(): it waits without a bound for librdkafka's group thread,
    // which stops answering (or answers NULL) once the group is torn down.
    const bool cooperative = d->cooperative;
    if (d->inClose) {
        // leaveGroup() served every rebalance before close, so this one arrived late. librdkafka
        // 2.0.2 may drop a request made from here while its group shuts down, and the
        // assign call below then never returns (librdkafka issues #4041, #4884).
        qCWarning(lcConsumer, "%s: rebalance (%s) reached the member inside rd_kafka_consumer_close()",
                  qPrintable(d->id), rd_kafka_err2name(err));
    }
    RebalanceEvent event;
    event.timeMs = QDateTime::currentMSecsSinceEpoch();
    event.memberId = d->id;
    event.protocol = cooperative ? u"COOPERATIVE"_s : u"EAGER"_s;

    rd_kafka_error_t *error = nullptr;
    rd_kafka_resp_err_t result = RD_KAFKA_RESP_ERR_NO_ERROR;
    if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
        event.assigned = toList(list);
        // Taken even while leaving: librdkafka postpones an unsubscribe until the rebalance in
        // progress completes, and only this call completes it.
        if (cooperative)
            error = rd_kafka_incremental_assign(rk, list);
        else
            result = rd_kafka_assign(rk, list);
        // After the assign call librdkafka has the partitions, so their queues exist. Not while
        // closing: nothing is read any more (records reaching the consumer queue are dropped),
        // and every queue reference must be gone before rd_kafka_consumer_close().
        if (!error && result == RD_KAFKA_RESP_ERR_NO_ERROR && !d->closing)
            d->attach(list);
    } else {
        // Revoke, or an error: then, like librdkafka's examples, drop the whole assignment.
        const bool revoke = err == RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS;
        if (!revoke)
            d->reportError(u"rebalance failed: "_s % QString::fromUtf8(rd_kafka_err2str(err)));
        event.lost = !revoke || rd_kafka_assignment_lost(rk);
        QList<Key> keys;
        if (revoke && cooperative) {
            for (const TopicPartition &tp : toList(list))
                keys.append(Key(tp.topic, tp.partition));
        } else {
            keys = d->partitions.keys();
        }
        for (const Key &key : std::as_const(keys))
            event.revoked.append(toTopicPartition(key));
        // Completed records of a lost assignment are not committed: another member may own
        // the partitions already. It consumes them again (at-least-once). Inside close a
        // synchronous commit could wait forever like assign (see above); leaveGroup() committed.
        d->revoke(keys, !event.lost && !d->inClose);
        if (revoke && cooperative)
            error = rd_kafka_incremental_unassign(rk, list);
        else
            result = rd_kafka_assign(rk, nullptr);
    }
    if (error) {
        d->reportError(u"rebalance: "_s % QString::fromUtf8(rd_kafka_error_string(error)));
        rd_kafka_error_destroy(error);
    } else if (result != RD_KAFKA_RESP_ERR_NO_ERROR) {
        d->reportError(u"rebalance: "_s % QString::fromUtf8(rd_kafka_err2str(result)));
    }
    // A new assignment belongs to a new generation: commits go through again.
    d->committer->rebalanced();
    if (d->hooks.rebalanced)
        d->hooks.rebalanced(event);
    // Freshly assigned partitions may have records already; come back once the consumer queue
    // is drained (records fetched before the forward was cut must go first).
    d->rearm();
}

void ConsumerMember::Private::onCommit(rd_kafka_t *, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *offsets,
                                       void *opaque)
{
    auto *d = static_cast<Private *>(opaque);
    ++d->callbacks;
    d->committer->commitResult(err, offsets);
}

void ConsumerMember::Private::onError(rd_kafka_t *, int err, const char *reason, void *opaque)
{
    auto *d = static_cast<Private *>(opaque);
    ++d->callbacks;
    // librdkafka recovers from these on its own; they are shown, not acted on.
    d->reportError(QString::fromUtf8(rd_kafka_err2name(static_cast<rd_kafka_resp_err_t>(err))) % u": "_s
                   % QString::fromUtf8(reason));
}

void ConsumerMember::Private::reportError(const QString &message)
{
    qCWarning(lcConsumer).noquote() << id << message;
    if (hooks.error)
        hooks.error(id % u": "_s % message);
}

void ConsumerMember::Private::wakeUp()
{
    char buffer[64];
    while (::read(pipeFds[0], buffer, sizeof(buffer)) > 0) {}
    serveConsumerQueue();
    dispatchIdle();
}

void ConsumerMember::Private::rearm()
{
    const char byte = 1;
    // A full pipe already means "wake up"; EAGAIN is fine.
    [[maybe_unused]] const ssize_t written = ::write(pipeFds[1], &byte, 1);
}

void ConsumerMember::Private::serveConsumerQueue()
{
    if (closing)
        return;
    for (int i = 0; i < kMaxPollsPerWakeUp; ++i) {
        // Serves rebalance, commit and error callbacks; returns records and consumer errors.
        rd_kafka_message_t *message = rd_kafka_consumer_poll(rk, 0);
        if (!message)
            return;
        takeConsumerMessage(message);
    }
    // Still busy: librdkafka only signals an empty queue turning non-empty.
    rearm();
}

void ConsumerMember::Private::takeConsumerMessage(rd_kafka_message_t *message)
{
    if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        if (message->err != RD_KAFKA_RESP_ERR__PARTITION_EOF)
            reportError(QString::fromUtf8(rd_kafka_err2name(message->err)) % u": "_s
                        % QString::fromUtf8(rd_kafka_message_errstr(message)));
        rd_kafka_message_destroy(message);
        return;
    }
    // A record fetched before its partition queue stopped forwarding: it precedes everything
    // in that queue, so it goes first.
    const Key key(QString::fromUtf8(rd_kafka_topic_name(message->rkt)), int(message->partition));
    auto it = partitions.find(key);
    if (it == partitions.end()) {
        rd_kafka_message_destroy(message);
        return;
    }
    it->stash.append(message);
}

void ConsumerMember::Private::dispatchIdle()
{
    if (!hooks.handler || closing || committer->holdsBack())
        return;
    for (auto it = partitions.begin(); it != partitions.end(); ++it) {
        if (it->inFlight < 0)
            dispatchNext(it.key(), *it);
    }
}

void ConsumerMember::Private::dispatchNext(const Key &key, Partition &partition)
{
    if (!hooks.handler || closing || committer->holdsBack())
        return;
    while (partition.inFlight < 0) {
        rd_kafka_message_t *message = nullptr;
        if (!partition.stash.isEmpty())
            message = partition.stash.takeFirst();
        else if (partition.queue)
            message = rd_kafka_consume_queue(partition.queue, 0);
        if (!message)
            return; // the queue's io event wakes us when the next record arrives
        if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
            takeConsumerMessage(message); // reports and destroys it
            continue;
        }
        ConsumedRecord record = consumer_queries::toRecord(message, id);
        rd_kafka_message_destroy(message);
        partition.inFlight = record.offset;
        ++handled;
        // The handler only queues work; a completion always arrives through the event loop,
        // so `partition` stays valid here.
        hooks.handler(record, makeCompletion(key, record.offset, partition.epoch));
    }
}

Completion ConsumerMember::Private::makeCompletion(const Key &key, qint64 offset, quint64 epoch) const
{
    return [relay = relay, key, offset, epoch] {
        // The lock keeps the member alive until the call is posted; a posted call is dropped by
        // Qt if the member is deleted before it runs.
        QMutexLocker lock(&relay->mutex);
        ConsumerMember *member = relay->member;
        if (!member)
            return;
        QMetaObject::invokeMethod(
            member, [member, key, offset, epoch] { member->d->complete(key, offset, epoch); }, Qt::QueuedConnection);
    };
}

void ConsumerMember::Private::complete(const Key &key, qint64 offset, quint64 epoch)
{
    auto it = partitions.find(key);
    if (it == partitions.end() || it->epoch != epoch || it->inFlight != offset) {
        // Revoked meanwhile (or completed twice): the partition's new owner has it again.
        if (hooks.completed)
            hooks.completed(false);
        return;
    }
    it->inFlight = -1;
    committer->completed(toTopicPartition(key), offset);
    if (hooks.completed)
        hooks.completed(true);
    dispatchNext(key, *it);
}

void ConsumerMember::Private::attach(const rd_kafka_topic_partition_list_t *list)
{
    for (int i = 0; i < list->cnt; ++i) {
        const Key key(QString::fromUtf8(list->elems[i].topic), int(list->elems[i].partition));
        Partition &partition = partitions[key];
        detachQueue(partition); // an eager re-assign of a partition we had
        partition = Partition{};
        partition.epoch = nextEpoch++;
        committer->track(toTopicPartition(key));
        partition.queue = rd_kafka_queue_get_partition(rk, list->elems[i].topic, list->elems[i].partition);
        if (!partition.queue) {
            reportError(u"no queue for assigned partition "_s % key.first % u'[' % QString::number(key.second) % u']');
            continue;
        }
        // Stop forwarding to the consumer queue: this partition is read only when it is idle.
        rd_kafka_queue_forward(partition.queue, nullptr);
        rd_kafka_queue_io_event_enable(partition.queue, pipeFds[1], "1", 1);
    }
}

void ConsumerMember::Private::revoke(const QList<Key> &keys, bool commit)
{
    if (commit) {
        // Completed while ours: commit now, synchronously, before librdkafka gives them away.
        QList<TopicPartition> revoked;
        for (const Key &key : keys)
            revoked.append(toTopicPartition(key));
        committer->commit(true, &revoked);
    }
    for (const Key &key : keys) {
        auto it = partitions.find(key);
        if (it == partitions.end())
            continue;
        // A record in progress here is forgotten: its completion finds no matching epoch.
        detachQueue(*it);
        partitions.erase(it);
        committer->forget(toTopicPartition(key));
    }
}

void ConsumerMember::Private::detachQueue(Partition &partition)
{
    for (rd_kafka_message_t *message : std::as_const(partition.stash))
        rd_kafka_message_destroy(message);
    partition.stash.clear();
    if (partition.queue) {
        rd_kafka_queue_io_event_enable(partition.queue, -1, nullptr, 0);
        rd_kafka_queue_destroy(partition.queue);
        partition.queue = nullptr;
    }
}

} // namespace hookbench::kafka
