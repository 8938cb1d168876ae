#include "core/kafka/consumer_member_p.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <unistd.h>

#include <QDeadlineTimer>
#include <QSocketNotifier>

#include "core/kafka/client_log.h"
#include "core/kafka/consumer_queries.h"

using namespace Qt::StringLiterals;

namespace hookbench::kafka {

Q_LOGGING_CATEGORY(lcConsumer, "hookbench.kafka.consumer")

namespace {

// Leaving the group before close: the longest wait for librdkafka's revoke and for the consumer
// queue to go quiet, and how long "quiet" is (no callback, no record for this long).
constexpr int kLeaveTimeoutMs = 10000;
constexpr int kLeaveQuietMs = 100;

// Called on librdkafka's threads: it only writes a log line.
void logToQt(const rd_kafka_t *, int level, const char *facility, const char *message)
{
    if (isWarning(level, facility, message))
        qCWarning(lcConsumer, "%s: %s", facility, message);
    else
        qCDebug(lcConsumer, "%s: %s", facility, message);
}

} // namespace

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

bool ConsumerMember::Private::hasMemberId() const
{
    char *memberId = rd_kafka_memberid(rk);
    if (!memberId)
        return false;
    const bool set = memberId[0] != '\0';
    rd_kafka_mem_free(rk, memberId);
    return set;
}

// Unsubscribes and serves the consumer queue on this thread until the member has left the
// group and the queue stays quiet: any rebalance queued earlier and the revoke run now, answered
// by a group that is not shutting down. librdkafka postpones the unsubscribe while a rebalance
// is in progress and sends LeaveGroup (clearing the member id) once the partitions are given up.
// Records that still arrive are dropped; the next owner reads them from the committed offset.
// False on timeout.
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
    for (const Private::Key &key : d->partitions.keys())
        result.append(Private::toTopicPartition(key));
    return result;
}

bool ConsumerMember::owns(const TopicPartition &tp) const
{
    return d->partitions.contains(Private::Key(tp.topic, tp.partition));
}

qint64 ConsumerMember::inFlightOffset(const TopicPartition &tp) const
{
    const auto it = d->partitions.constFind(Private::Key(tp.topic, tp.partition));
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
