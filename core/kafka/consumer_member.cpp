#include "core/kafka/consumer_member.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>

#include <QDateTime>
#include <QDeadlineTimer>
#include <QLoggingCategory>
#include <QMutex>
#include <QSocketNotifier>

#include "core/kafka/consumer_queries.h"
#include "core/kafka/offset_committer.h"

using namespace Qt::StringLiterals;

namespace hookbench::kafka {

namespace {

Q_LOGGING_CATEGORY(lcConsumer, "hookbench.kafka.consumer")

// Bound of one wake-up on the consumer queue; the rest waits for the next turn of the loop.
constexpr int kMaxPollsPerWakeUp = 256;
// Leaving the group before close: the longest wait for librdkafka's revoke and for the consumer
// queue to go quiet, and how long "quiet" is (no callback, no record for this long).
constexpr int kLeaveTimeoutMs = 10000;
constexpr int kLeaveQuietMs = 100;

using Key = QPair<QString, int>;

TopicPartition toTopicPartition(const Key &key)
{
    return TopicPartition{key.first, key.second};
}

QList<TopicPartition> toList(const rd_kafka_topic_partition_list_t *list)
{
    QList<TopicPartition> result;
    for (int i = 0; list && i < list->cnt; ++i)
        result.append(TopicPartition{QString::fromUtf8(list->elems[i].topic), int(list->elems[i].partition)});
    std::sort(result.begin(), result.end());
    return result;
}

// Called on librdkafka's threads: it only writes a log line.
void logToQt(const rd_kafka_t *, int level, const char *facility, const char *message)
{
    if (level <= 4)
        qCWarning(lcConsumer, "%s: %s", facility, message);
    else
        qCDebug(lcConsumer, "%s: %s", facility, message);
}

} // namespace

struct ConsumerMember::Private
{
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

ConsumerMember::ConsumerMember(QObject *parent) : QObject(parent), d(std::make_unique<Private>())
{
    d->q = this;
}

ConsumerMember::~ConsumerMember()
{
    if (d->rk) {
        {
            QMutexLocker lock(&d->relay->mutex);
            d->relay->member = nullptr;
        }
        d->closing = true;
        // Completed records are committed; records in progress are left to the next owner.
        d->committer->commit(true);
        // Why not straight to rd_kafka_consumer_close(): a rebalance librdkafka queued for us
        // earlier (the thread was busy, e.g. closing a sibling member) would be served inside
        // close, where librdkafka 2.0.2 tears its group down concurrently. Requests our callback
        // makes then (rd_kafka_assign(), rd_kafka_rebalance_protocol()) can be dropped
        // unanswered and wait forever, or come back NULL. So the member leaves while the group
        // still answers, and close finds nothing left to call back.
        if (!d->leaveGroup())
            qCWarning(lcConsumer, "%s: the consumer queue did not settle within %d ms; closing anyway",
                      qPrintable(d->id), kLeaveTimeoutMs);
        // rdkafka.h: every queue reference must be destroyed before rd_kafka_consumer_close().
        for (auto &partition : d->partitions)
            d->detachQueue(partition);
        if (d->consumerQueue) {
            rd_kafka_queue_io_event_enable(d->consumerQueue, -1, nullptr, 0);
            rd_kafka_queue_destroy(d->consumerQueue);
            d->consumerQueue = nullptr;
        }
        d->inClose = true;
        const rd_kafka_resp_err_t err = rd_kafka_consumer_close(d->rk);
        if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
            qCWarning(lcConsumer, "%s: close: %s", qPrintable(d->id), rd_kafka_err2str(err));
        rd_kafka_destroy(d->rk);
        d->rk = nullptr;
    }
    delete d->notifier;
    d->notifier = nullptr;
    // Only after rd_kafka_destroy(): librdkafka may write to the pipe until then.
    for (int &fd : d->pipeFds) {
        if (fd >= 0)
            ::close(fd);
        fd = -1;
    }
}

// Unsubscribes and serves the consumer queue on this thread until the member has left the
// group and the queue stays quiet: any rebalance queued earlier and the revoke run now, answered
// by a group that is not shutting down. librdkafka postpones the unsubscribe while a rebalance
// is in progress and sends LeaveGroup (clearing the member id) once the partitions are given up.
// Records that still arrive are dropped; the next owner reads them from the committed offset.
// False on timeout.
bool ConsumerMember::Private::hasMemberId() const
{
    char *memberId = rd_kafka_memberid(rk);
    if (!memberId)
        return false;
    const bool set = memberId[0] != '\0';
    rd_kafka_mem_free(rk, memberId);
    return set;
}

bool ConsumerMember::Private::leaveGroup()
{
    if (const rd_kafka_resp_err_t err = rd_kafka_unsubscribe(rk); err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        qCWarning(lcConsumer, "%s: unsubscribe: %s", qPrintable(id), rd_kafka_err2str(err));
        return false;
    }
    const QDeadlineTimer deadline(kLeaveTimeoutMs);
    while (!deadline.hasExpired()) {
        const quint64 before = callbacks;
        if (rd_kafka_message_t *message = rd_kafka_consumer_poll(rk, kLeaveQuietMs)) {
            takeConsumerMessage(message); // reports errors; records go with the stash
            continue;
        }
        // rd_kafka_consumer_poll() serves callbacks until its timeout: none during a whole
        // interval, and no member id any more, means librdkafka has nothing more for us.
        if (callbacks == before && !hasMemberId())
            return true;
    }
    return false;
}

Result<void> ConsumerMember::validate(const Properties &properties)
{
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    Result<void> result = consumer_queries::applyProperties(conf, properties);
    rd_kafka_conf_destroy(conf);
    return result;
}

Result<std::unique_ptr<ConsumerMember>> ConsumerMember::create(const QString &id, const Properties &properties,
                                                               Hooks hooks)
{
    char errstr[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    if (Result<void> applied = consumer_queries::applyProperties(conf, properties); !applied) {
        rd_kafka_conf_destroy(conf);
        return applied.error();
    }
    QString clientId = u"rdkafka"_s;
    for (const auto &[name, value] : properties) {
        if (name == "client.id")
            clientId = QString::fromUtf8(value);
    }

    std::unique_ptr<ConsumerMember> member(new ConsumerMember());
    Private *d = member->d.get();
    d->id = id;
    d->clientId = clientId;
    d->hooks = std::move(hooks);

    {
        char strategy[256] = {};
        size_t size = sizeof(strategy);
        if (rd_kafka_conf_get(conf, "partition.assignment.strategy", strategy, &size) == RD_KAFKA_CONF_OK)
            d->cooperative = std::strstr(strategy, "cooperative-sticky") != nullptr;
    }
    rd_kafka_conf_set_opaque(conf, d);
    rd_kafka_conf_set_rebalance_cb(conf, Private::onRebalance);
    rd_kafka_conf_set_offset_commit_cb(conf, Private::onCommit);
    rd_kafka_conf_set_error_cb(conf, Private::onError);
    rd_kafka_conf_set_log_cb(conf, logToQt);

    if (::pipe2(d->pipeFds, O_NONBLOCK | O_CLOEXEC) != 0) {
        const int saved = errno;
        rd_kafka_conf_destroy(conf);
        return Error{u"kafka_create_failed"_s, u"Kafka consumer "_s % id % u": cannot create its wake-up pipe: "_s
                                                   % QString::fromLocal8Bit(strerror(saved))};
    }

    d->rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof(errstr));
    if (!d->rk) {
        // rd_kafka_new() takes ownership of conf only on success.
        rd_kafka_conf_destroy(conf);
        return Error{u"kafka_create_failed"_s,
                     u"Kafka consumer "_s % id % u": "_s % QString::fromUtf8(errstr).trimmed()};
    }
    // Errors and commit results go to the consumer queue too: one queue, one wake-up.
    rd_kafka_poll_set_consumer(d->rk);
    d->consumerQueue = rd_kafka_queue_get_consumer(d->rk);

    OffsetCommitter::Hooks commitHooks;
    commitHooks.resumed = [d] { d->rearm(); };
    commitHooks.committed = d->hooks.committed;
    commitHooks.error = [d](const QString &message) { d->reportError(message); };
    d->committer = std::make_unique<OffsetCommitter>(d->rk, id, member.get(), std::move(commitHooks));

    d->notifier = new QSocketNotifier(d->pipeFds[0], QSocketNotifier::Read, member.get());
    connect(d->notifier, &QSocketNotifier::activated, member.get(), [d] { d->wakeUp(); });
    rd_kafka_queue_io_event_enable(d->consumerQueue, d->pipeFds[1], "1", 1);
    {
        QMutexLocker lock(&d->relay->mutex);
        d->relay->member = member.get();
    }
    // Anything queued before io events were enabled would never signal: wake up once by hand.
    d->rearm();
    return member;
}

Result<void> ConsumerMember::subscribe(const QStringList &topics)
{
    if (topics.isEmpty()) {
        const rd_kafka_resp_err_t err = rd_kafka_unsubscribe(d->rk);
        if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
            return Error{u"kafka_subscribe_failed"_s, u"Consumer "_s % d->id % u" cannot unsubscribe: "_s
                                                          % QString::fromUtf8(rd_kafka_err2str(err))};
        return {};
    }
    rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(int(topics.size()));
    for (const QString &topic : topics)
        rd_kafka_topic_partition_list_add(list, topic.toUtf8().constData(), RD_KAFKA_PARTITION_UA);
    const rd_kafka_resp_err_t err = rd_kafka_subscribe(d->rk, list);
    rd_kafka_topic_partition_list_destroy(list);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
        return Error{u"kafka_subscribe_failed"_s, u"Consumer "_s % d->id % u" cannot subscribe to "_s
                                                      % topics.join(u", "_s) % u": "_s
                                                      % QString::fromUtf8(rd_kafka_err2str(err))};
    return {};
}

void ConsumerMember::setHandler(RecordHandler handler)
{
    d->hooks.handler = std::move(handler);
    d->dispatchIdle();
}

QString ConsumerMember::id() const
{
    return d->id;
}

QString ConsumerMember::clientId() const
{
    return d->clientId;
}

QString ConsumerMember::groupMemberId() const
{
    char *memberId = rd_kafka_memberid(d->rk);
    if (!memberId)
        return {};
    const QString result = QString::fromUtf8(memberId);
    rd_kafka_mem_free(d->rk, memberId);
    return result;
}

QList<TopicPartition> ConsumerMember::assignment() const
{
    QList<TopicPartition> result;
    for (const Key &key : d->partitions.keys())
        result.append(toTopicPartition(key));
    return result;
}

bool ConsumerMember::owns(const TopicPartition &tp) const
{
    return d->partitions.contains(Key(tp.topic, tp.partition));
}

qint64 ConsumerMember::inFlightOffset(const TopicPartition &tp) const
{
    const auto it = d->partitions.constFind(Key(tp.topic, tp.partition));
    return it == d->partitions.cend() ? -1 : it->inFlight;
}

int ConsumerMember::inFlightCount() const
{
    return int(std::count_if(d->partitions.cbegin(), d->partitions.cend(),
                             [](const Private::Partition &p) { return p.inFlight >= 0; }));
}

qint64 ConsumerMember::handledCount() const
{
    return d->handled;
}

bool ConsumerMember::cachedWatermarks(const TopicPartition &tp, qint64 *low, qint64 *high) const
{
    return consumer_queries::cachedWatermarks(d->rk, tp, low, high);
}

Result<QMap<QString, int>> ConsumerMember::topicPartitionCounts(int timeoutMs) const
{
    return consumer_queries::topicPartitionCounts(d->rk, timeoutMs);
}

Result<QMap<QString, QList<int>>> ConsumerMember::topicPartitionLeaders(int timeoutMs) const
{
    return consumer_queries::topicPartitionLeaders(d->rk, timeoutMs);
}

Result<QMap<TopicPartition, qint64>> ConsumerMember::committedOffsets(const QList<TopicPartition> &partitions,
                                                                      int timeoutMs) const
{
    return consumer_queries::committedOffsets(d->rk, partitions, timeoutMs);
}

Result<QPair<qint64, qint64>> ConsumerMember::queryWatermarks(const TopicPartition &tp, int timeoutMs) const
{
    return consumer_queries::queryWatermarks(d->rk, tp, timeoutMs);
}

void ConsumerMember::poll()
{
    d->serveConsumerQueue();
    d->committer->commit(false);
    d->dispatchIdle();
}

} // namespace hookbench::kafka
