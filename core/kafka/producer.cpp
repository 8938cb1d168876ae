#include "core/kafka/producer.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>

#include <QHash>
#include <QLoggingCategory>
#include <QSocketNotifier>
#include <QTimer>

#include "core/config/secret_names.h"
#include "core/kafka/client_log.h"

using namespace Qt::StringLiterals;

namespace hookbench::kafka {

namespace {

Q_LOGGING_CATEGORY(lcProducer, "hookbench.kafka.producer")

// linger.ms: how long librdkafka waits to fill a batch. The HTTP answer waits for the delivery
// report, so this is added to a lone webhook's latency. Measured against the embedded cluster
// (3 brokers, 6 partitions, acks=all, idempotent, ~1 KiB values, six headers) with
// `hookbench-stage-costs --stage kafka --linger L --window W` on a shared 2-core machine,
// produce-to-report on the Producer's thread:
//   linger.ms   one at a time p50   64 outstanding p50 / p99   msg/s at 64 outstanding
//       0            0.1 ms             1.1 / 47 ms                12k
//       1            1.3 ms             1.7 / 3.8 ms               30k
//       2            2.3 ms             2.8 / 5.7 ms               19k
//       5 (default)  5.5 ms             6.1 / 12 ms                8.5k
// 0 wins only when webhooks arrive one at a time; under concurrency it sends many tiny requests
// that queue up (the idempotent producer allows 5 in flight per broker): p99 ~45 ms and a third
// of the throughput. 1 ms costs about a millisecond alone and is the best under load.
constexpr const char *kLingerMs = "1";

// Statistics are only read to notice that a broker connection is up again after librdkafka said
// all brokers are down (it has no event for that); once a second costs a few KiB of JSON.
constexpr const char *kStatisticsIntervalMs = "1000";

// librdkafka's bounds for message.max.bytes.
constexpr qint64 kMinMessageMaxBytes = 1000;
constexpr qint64 kMaxMessageMaxBytes = 1'000'000'000;

// Bound of one wake-up: after this many rd_kafka_poll() calls that all served something the
// event loop gets its turn and we come back through our own pipe.
constexpr int kMaxPollsPerWakeUp = 64;

constexpr int kDestructorFlushMs = 5000;

static_assert(sizeof(intptr_t) >= sizeof(qint64), "opaque ids travel through a pointer-sized field");

} // namespace

struct Producer::Private
{
    Producer *q = nullptr;
    rd_kafka_t *rk = nullptr;
    rd_kafka_queue_t *mainQueue = nullptr;
    int pipeFds[2] = {-1, -1};                 // librdkafka writes to [1] when its main queue wakes up
    QSocketNotifier *notifier = nullptr;       // child of q, watches pipeFds[0]
    QHash<QString, rd_kafka_topic_t *> topics; // named ahead or for metadata, destroyed before rk
    QList<DeliveryReport> pending;             // filled by onDelivery() inside rd_kafka_poll()
    rd_kafka_queue_t *adminQueue = nullptr;    // DescribeConfigs answers, polled by adminTimer
    QTimer *adminTimer = nullptr;              // child of q
    // Messages accepted by produce() without a delivery report yet. Counted here because
    // rd_kafka_outq_len() also counts logs and errors waiting on the main queue.
    int outstanding = 0;
    QString fatalMessage; // set by onError(), emitted once
    bool fatalEmitted = false;
    // Cluster reachability as last emitted, and as last seen by the callbacks (emitted on the
    // next wake-up when it differs).
    bool reachable = true;
    bool reachableSeen = true;
    QString unreachableReason;

    static void onDelivery(rd_kafka_t *rk, const rd_kafka_message_t *rkmessage, void *opaque);
    static void onError(rd_kafka_t *rk, int err, const char *reason, void *opaque);
    static void onLog(const rd_kafka_t *rk, int level, const char *facility, const char *message);
    static int onStatistics(rd_kafka_t *rk, char *json, size_t jsonLength, void *opaque);

    // The topic handle this producer holds for `topic`, made on first use; null if librdkafka
    // refuses the name (rd_kafka_last_error() says why).
    rd_kafka_topic_t *topicHandle(const QString &topic);
    void wakeUp();
    void pollAll();
    void emitPending();
    void rearm();
};

// Delivery reports, errors and logs are all served from the main queue by rd_kafka_poll() on
// the Producer's thread, so these callbacks may touch Private without locks.
void Producer::Private::onDelivery(rd_kafka_t *, const rd_kafka_message_t *rkmessage, void *opaque)
{
    auto *d = static_cast<Private *>(opaque);
    DeliveryReport report;
    report.opaque = static_cast<qint64>(reinterpret_cast<intptr_t>(rkmessage->_private));
    report.ok = rkmessage->err == RD_KAFKA_RESP_ERR_NO_ERROR;
    if (!report.ok) {
        // Not rd_kafka_message_errstr(): on a delivery report it returns the message payload,
        // which is not NUL-terminated (ASan caught the overread).
        report.error = QString::fromUtf8(rd_kafka_err2str(rkmessage->err));
        report.errorCode = QString::fromUtf8(rd_kafka_err2name(rkmessage->err));
    }
    report.topic = QString::fromUtf8(rd_kafka_topic_name(rkmessage->rkt));
    report.partition = rkmessage->partition;
    report.offset = rkmessage->offset;
    if (report.ok)
        d->reachableSeen = true;
    d->pending.append(std::move(report));
    --d->outstanding;
}

void Producer::Private::onError(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
    auto *d = static_cast<Private *>(opaque);
    if (err == RD_KAFKA_RESP_ERR__FATAL) {
        // The reason of a fatal error is generic; rd_kafka_fatal_error() has the original one.
        char errstr[512];
        const rd_kafka_resp_err_t orig = rd_kafka_fatal_error(rk, errstr, sizeof(errstr));
        d->fatalMessage = QString::fromUtf8(rd_kafka_err2name(orig)) % u": "_s % QString::fromUtf8(errstr);
        qCCritical(lcProducer, "fatal error: %s: %s", rd_kafka_err2name(orig), errstr);
        return;
    }
    // Everything else is informational: librdkafka retries on its own (all brokers down,
    // connection refused, ...). Delivery reports say what finally happened to each message.
    // Transport errors are also logged by librdkafka (facility FAIL), so they stay at debug.
    const auto code = static_cast<rd_kafka_resp_err_t>(err);
    if (code == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN) {
        d->reachableSeen = false;
        d->unreachableReason = QString::fromUtf8(rd_kafka_err2name(code)) % u": "_s % QString::fromUtf8(reason);
    }
    if (code == RD_KAFKA_RESP_ERR__TRANSPORT || code == RD_KAFKA_RESP_ERR__RESOLVE)
        qCDebug(lcProducer, "%s: %s", rd_kafka_err2name(code), reason);
    else
        qCWarning(lcProducer, "%s: %s", rd_kafka_err2name(code), reason);
}

void Producer::Private::onLog(const rd_kafka_t *, int level, const char *facility, const char *message)
{
    if (isWarning(level, facility, message))
        qCWarning(lcProducer, "%s: %s", facility, message);
    else if (level <= 6 && level > 4)
        qCInfo(lcProducer, "%s: %s", facility, message);
    else
        qCDebug(lcProducer, "%s: %s", facility, message);
}

int Producer::Private::onStatistics(rd_kafka_t *, char *json, size_t jsonLength, void *opaque)
{
    // Only broker entries carry "state"; one that is UP means the cluster is reachable again.
    auto *d = static_cast<Private *>(opaque);
    if (!d->reachableSeen && QByteArrayView(json, qsizetype(jsonLength)).contains(QByteArrayView("\"state\":\"UP\"")))
        d->reachableSeen = true;
    return 0; // librdkafka frees the JSON
}

// The notifier fired: librdkafka put something on a previously empty main queue.
rd_kafka_topic_t *Producer::Private::topicHandle(const QString &topic)
{
    rd_kafka_topic_t *rkt = topics.value(topic);
    if (!rkt) {
        rkt = rd_kafka_topic_new(rk, topic.toUtf8().constData(), nullptr);
        if (rkt)
            topics.insert(topic, rkt);
    }
    return rkt;
}

void Producer::Private::wakeUp()
{
    char buffer[64];
    while (::read(pipeFds[0], buffer, sizeof(buffer)) > 0) {}
    pollAll();
    emitPending();
}

void Producer::Private::pollAll()
{
    for (int i = 0; i < kMaxPollsPerWakeUp; ++i) {
        if (rd_kafka_poll(rk, 0) == 0)
            return;
    }
    // Still busy: librdkafka only signals an empty queue becoming non-empty, so we signal
    // ourselves to come back after the event loop has run.
    rearm();
}

void Producer::Private::rearm()
{
    const char byte = 1;
    // A full pipe already means "wake up"; EAGAIN is fine.
    [[maybe_unused]] const ssize_t written = ::write(pipeFds[1], &byte, 1);
}

void Producer::Private::emitPending()
{
    if (!pending.isEmpty()) {
        const QList<DeliveryReport> batch = std::exchange(pending, {});
        emit q->delivered(batch);
    }
    if (!fatalMessage.isEmpty() && !fatalEmitted) {
        fatalEmitted = true;
        emit q->fatalError(fatalMessage);
    }
    if (reachableSeen != reachable) {
        reachable = reachableSeen;
        emit q->clusterReachableChanged(reachable, reachable ? QString() : unreachableReason);
    }
}

Producer::Producer(QObject *parent) : QObject(parent), d(std::make_unique<Private>())
{
    d->q = this;
}

Producer::~Producer()
{
    if (d->rk) {
        // Documented termination: flush with a bound, then destroy. Reports served here are
        // still emitted, so the owner can mark those events delivered.
        const int left = flush(kDestructorFlushMs);
        if (left > 0)
            qCWarning(lcProducer, "%d message(s) without a delivery report at shutdown", left);
        d->pollAll();
        d->emitPending();
    }

    delete d->notifier;
    d->notifier = nullptr;
    delete d->adminTimer;
    d->adminTimer = nullptr;
    if (d->adminQueue)
        rd_kafka_queue_destroy(d->adminQueue);
    if (d->mainQueue) {
        rd_kafka_queue_io_event_enable(d->mainQueue, -1, nullptr, 0);
        rd_kafka_queue_destroy(d->mainQueue);
    }
    for (rd_kafka_topic_t *rkt : std::as_const(d->topics))
        rd_kafka_topic_destroy(rkt);
    d->topics.clear();
    if (d->rk)
        rd_kafka_destroy(d->rk);
    // Only after rd_kafka_destroy(): librdkafka may write to the pipe until then.
    for (int &fd : d->pipeFds) {
        if (fd >= 0)
            ::close(fd);
        fd = -1;
    }
}

Result<std::unique_ptr<Producer>> Producer::create(const ProducerSettings &settings)
{
    if (settings.bootstrap.trimmed().isEmpty() && !settings.properties.contains(u"bootstrap.servers"_s)
        && !settings.properties.contains(u"metadata.broker.list"_s))
        return Error{u"kafka_config_invalid"_s, u"Kafka producer: no bootstrap servers given"_s};

    char errstr[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();

    // Hookbench's defaults first, then the user's properties, which win.
    QList<QPair<QByteArray, QByteArray>> properties = {
        {"client.id", "hookbench"},
        {"acks", "all"},
        {"enable.idempotence", "true"},
        {"partitioner", "murmur2_random"},
        {"linger.ms", kLingerMs},
        {"message.timeout.ms", QByteArray::number(settings.messageTimeoutMs)},
        {"statistics.interval.ms", kStatisticsIntervalMs},
        // Logs go to the main queue too, so they are written on the Producer's thread.
        {"log.queue", "true"},
    };
    if (settings.maxMessageBytes > 0) {
        const qint64 maxBytes = std::clamp(settings.maxMessageBytes, kMinMessageMaxBytes, kMaxMessageMaxBytes);
        properties.append({"message.max.bytes", QByteArray::number(maxBytes)});
    }
    if (!settings.bootstrap.trimmed().isEmpty())
        properties.prepend({"bootstrap.servers", settings.bootstrap.trimmed().toUtf8()});
    for (auto it = settings.properties.cbegin(); it != settings.properties.cend(); ++it)
        properties.append({it.key().toUtf8(), it.value().toUtf8()});

    for (const auto &[name, value] : std::as_const(properties)) {
        if (rd_kafka_conf_set(conf, name.constData(), value.constData(), errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK) {
            rd_kafka_conf_destroy(conf);
            // Key material and credentials (sasl.password, ssl.key.pem, sasl.jaas.config, ...) are
            // not repeated in messages.
            const bool secret = config::SecretNames::isSecretProperty(QString::fromUtf8(name));
            return Error{u"kafka_property_invalid"_s,
                         u"Kafka property "_s % QString::fromUtf8(name)
                             % (secret ? QString() : u" = \""_s % QString::fromUtf8(value) % u'"') % u" rejected: "_s
                             % QString::fromUtf8(errstr).trimmed()};
        }
    }

    std::unique_ptr<Producer> producer(new Producer());
    Private *d = producer->d.get();

    rd_kafka_conf_set_opaque(conf, d);
    rd_kafka_conf_set_dr_msg_cb(conf, Private::onDelivery);
    rd_kafka_conf_set_error_cb(conf, Private::onError);
    rd_kafka_conf_set_log_cb(conf, Private::onLog);
    rd_kafka_conf_set_stats_cb(conf, Private::onStatistics);

    if (::pipe2(d->pipeFds, O_NONBLOCK | O_CLOEXEC) != 0) {
        const int saved = errno;
        rd_kafka_conf_destroy(conf);
        return Error{u"kafka_create_failed"_s,
                     u"Kafka producer: cannot create its wake-up pipe: "_s % QString::fromLocal8Bit(strerror(saved))};
    }

    d->rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
    if (!d->rk) {
        // rd_kafka_new() takes ownership of conf only on success.
        rd_kafka_conf_destroy(conf);
        return Error{u"kafka_create_failed"_s, u"Kafka producer: "_s % QString::fromUtf8(errstr).trimmed()};
    }

    // A failure here only loses the head start: produce() names the topic again.
    for (const QString &topic : settings.topics) {
        if (!topic.isEmpty())
            d->topicHandle(topic);
    }

    // Without log.queue (a user may switch it off) this fails and logs come from librdkafka's
    // threads instead, which onLog() allows: it only writes a log line.
    rd_kafka_set_log_queue(d->rk, nullptr);

    d->mainQueue = rd_kafka_queue_get_main(d->rk);
    d->notifier = new QSocketNotifier(d->pipeFds[0], QSocketNotifier::Read, producer.get());
    connect(d->notifier, &QSocketNotifier::activated, producer.get(), [d] { d->wakeUp(); });
    rd_kafka_queue_io_event_enable(d->mainQueue, d->pipeFds[1], "1", 1);
    // Anything queued before the line above (logs from rd_kafka_new) would leave the queue
    // non-empty forever without a signal: wake up once by hand.
    d->rearm();

    return producer;
}

Result<void> Producer::produce(const ProduceRequest &request)
{
    if (hasFatalError())
        return Error{u"kafka_fatal"_s, u"Kafka producer is unusable after a fatal error: "_s % fatalErrorString()};
    if (request.topic.isEmpty())
        return Error{u"kafka_produce_failed"_s,
                     u"Cannot produce message "_s % QString::number(request.opaque) % u": the topic name is empty"_s};

    const QByteArray topic = request.topic.toUtf8();
    rd_kafka_headers_t *headers = nullptr;
    if (!request.headers.isEmpty()) {
        headers = rd_kafka_headers_new(static_cast<size_t>(request.headers.size()));
        for (const auto &[name, value] : request.headers)
            rd_kafka_header_add(headers, name.constData(), name.size(), value.constData(), value.size());
    }

    // An empty key is "no key": murmur2_random then picks a random partition.
    const void *key = request.key.isEmpty() ? nullptr : request.key.constData();
    void *opaque = reinterpret_cast<void *>(static_cast<intptr_t>(request.opaque));

    rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
    // Two tries at most: QUEUE_FULL is back-pressure, and waiting for room here would hold the
    // receiver's thread (every other request waits behind it). Serving the reports already
    // queued is instant and may make room; beyond that the caller backs off.
    for (int attempt = 0; attempt < 2; ++attempt) {
        // RD_KAFKA_MSG_F_COPY: librdkafka copies key and value, the request may go away.
        err = rd_kafka_producev(
            d->rk, RD_KAFKA_V_TOPIC(topic.constData()), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
            RD_KAFKA_V_KEY(key, static_cast<size_t>(request.key.size())),
            RD_KAFKA_V_VALUE(const_cast<char *>(request.value.constData()), static_cast<size_t>(request.value.size())),
            RD_KAFKA_V_HEADERS(headers), RD_KAFKA_V_OPAQUE(opaque), RD_KAFKA_V_END);
        if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL)
            break;
        // The reports collected here are emitted on the next wake-up: librdkafka has written
        // to the pipe when they were queued.
        rd_kafka_poll(d->rk, 0);
    }

    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
        ++d->outstanding;
        return {}; // librdkafka owns the headers now
    }

    // On failure the headers are still ours.
    if (headers)
        rd_kafka_headers_destroy(headers);
    if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL)
        return Error{u"kafka_queue_full"_s, u"Cannot produce message "_s % QString::number(request.opaque) % u" to "_s
                                                % request.topic
                                                % u": the producer queue is full (Kafka too slow or unreachable)"_s};
    if (err == RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE)
        return Error{u"kafka_message_too_large"_s,
                     u"Cannot produce message "_s % QString::number(request.opaque) % u" to "_s % request.topic
                         % u": "_s % QString::number(request.value.size() + request.key.size())
                         % u" bytes of value and key (plus headers) exceed message.max.bytes"_s};
    if (err == RD_KAFKA_RESP_ERR__FATAL)
        return Error{u"kafka_fatal"_s, u"Kafka producer is unusable after a fatal error: "_s % fatalErrorString()};
    return Error{u"kafka_produce_failed"_s, u"Cannot produce message "_s % QString::number(request.opaque) % u" to "_s
                                                % request.topic % u": "_s % QString::fromUtf8(rd_kafka_err2str(err))};
}

int Producer::flush(int timeoutMs)
{
    // rd_kafka_flush() serves the main queue itself; the reports it collects are emitted on
    // the next wake-up (the pipe was written when they were queued).
    rd_kafka_flush(d->rk, timeoutMs);
    return d->outstanding;
}

void Producer::purge()
{
    const rd_kafka_resp_err_t err = rd_kafka_purge(d->rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
        qCWarning(lcProducer, "purge failed: %s", rd_kafka_err2str(err));
}

int Producer::inFlight() const
{
    return d->outstanding + int(d->pending.size());
}

Result<int> Producer::partitionCount(const QString &topic, int timeoutMs)
{
    if (topic.isEmpty())
        return Error{u"kafka_metadata_failed"_s, u"Cannot read metadata of a topic with an empty name"_s};

    rd_kafka_topic_t *rkt = d->topicHandle(topic);
    if (!rkt)
        return Error{u"kafka_metadata_failed"_s, u"Cannot use topic "_s % topic % u": "_s
                                                     % QString::fromUtf8(rd_kafka_err2str(rd_kafka_last_error()))};

    const rd_kafka_metadata_t *metadata = nullptr;
    const rd_kafka_resp_err_t err = rd_kafka_metadata(d->rk, 0, rkt, &metadata, timeoutMs);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
        return Error{u"kafka_metadata_failed"_s, u"Cannot read metadata of topic "_s % topic % u" within "_s
                                                     % QString::number(timeoutMs) % u" ms: "_s
                                                     % QString::fromUtf8(rd_kafka_err2str(err))};

    Result<int> result = Error{u"kafka_metadata_failed"_s, u"Metadata did not list topic "_s % topic};
    for (int i = 0; i < metadata->topic_cnt; ++i) {
        const rd_kafka_metadata_topic_t &t = metadata->topics[i];
        if (QString::fromUtf8(t.topic) != topic)
            continue;
        if (t.err != RD_KAFKA_RESP_ERR_NO_ERROR)
            result = Error{u"kafka_metadata_failed"_s,
                           u"Metadata of topic "_s % topic % u": "_s % QString::fromUtf8(rd_kafka_err2str(t.err))};
        else
            result = t.partition_cnt;
        break;
    }
    rd_kafka_metadata_destroy(metadata);
    return result;
}

void Producer::requestTopicLimits(const QStringList &topics, int timeoutMs)
{
    if (topics.isEmpty() || d->adminQueue) // one request at a time
        return;
    char errstr[256];
    rd_kafka_AdminOptions_t *options = rd_kafka_AdminOptions_new(d->rk, RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS);
    rd_kafka_AdminOptions_set_request_timeout(options, timeoutMs, errstr, sizeof(errstr));
    std::vector<rd_kafka_ConfigResource_t *> resources;
    for (const QString &topic : topics)
        resources.push_back(rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, topic.toUtf8().constData()));
    d->adminQueue = rd_kafka_queue_new(d->rk);
    rd_kafka_DescribeConfigs(d->rk, resources.data(), resources.size(), options, d->adminQueue);
    for (rd_kafka_ConfigResource_t *resource : resources)
        rd_kafka_ConfigResource_destroy(resource);
    rd_kafka_AdminOptions_destroy(options);

    // A start-up check, once: polling its queue a few times a second costs nothing.
    d->adminTimer = new QTimer(this);
    d->adminTimer->setInterval(200);
    connect(d->adminTimer, &QTimer::timeout, this, [this] {
        rd_kafka_event_t *event = rd_kafka_queue_poll(d->adminQueue, 0);
        if (!event)
            return;
        QMap<QString, qint64> limits;
        QString error;
        if (rd_kafka_event_error(event) != RD_KAFKA_RESP_ERR_NO_ERROR) {
            error = QString::fromUtf8(rd_kafka_event_error_string(event));
        } else if (const rd_kafka_DescribeConfigs_result_t *result = rd_kafka_event_DescribeConfigs_result(event)) {
            size_t count = 0;
            const rd_kafka_ConfigResource_t **described = rd_kafka_DescribeConfigs_result_resources(result, &count);
            for (size_t i = 0; i < count; ++i) {
                if (rd_kafka_ConfigResource_error(described[i]) != RD_KAFKA_RESP_ERR_NO_ERROR)
                    continue;
                size_t entries = 0;
                const rd_kafka_ConfigEntry_t **configs = rd_kafka_ConfigResource_configs(described[i], &entries);
                for (size_t j = 0; j < entries; ++j) {
                    if (qstrcmp(rd_kafka_ConfigEntry_name(configs[j]), "max.message.bytes") == 0
                        && rd_kafka_ConfigEntry_value(configs[j]))
                        limits.insert(QString::fromUtf8(rd_kafka_ConfigResource_name(described[i])),
                                      QByteArray(rd_kafka_ConfigEntry_value(configs[j])).toLongLong());
                }
            }
        }
        rd_kafka_event_destroy(event);
        d->adminTimer->deleteLater();
        d->adminTimer = nullptr;
        rd_kafka_queue_destroy(d->adminQueue);
        d->adminQueue = nullptr;
        emit topicLimits(limits, error);
    });
    d->adminTimer->start();
}

bool Producer::hasFatalError() const
{
    char errstr[8];
    return rd_kafka_fatal_error(d->rk, errstr, sizeof(errstr)) != RD_KAFKA_RESP_ERR_NO_ERROR;
}

QString Producer::fatalErrorString() const
{
    char errstr[512];
    const rd_kafka_resp_err_t err = rd_kafka_fatal_error(d->rk, errstr, sizeof(errstr));
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR)
        return {};
    return QString::fromUtf8(rd_kafka_err2name(err)) % u": "_s % QString::fromUtf8(errstr);
}

} // namespace hookbench::kafka
