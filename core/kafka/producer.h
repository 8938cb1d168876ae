#pragma once

// Producer: librdkafka producer with acks=all, idempotence and the murmur2_random partitioner
// (the partition Java clients pick). Delivery reports arrive on the thread that owns the
// Producer: librdkafka signals its main queue through a pipe that a QSocketNotifier watches,
// and the slot polls — no timer spinning, no callback touching Qt objects from librdkafka's
// threads. Reports are emitted in batches.
//
// Settings: bootstrap.servers, acks=all, enable.idempotence=true, partitioner=murmur2_random,
// linger.ms (see producer.cpp), message.timeout.ms, message.max.bytes (from maxMessageBytes),
// statistics.interval.ms (see clusterReachableChanged), then ProducerSettings::properties
// applied last, so they win; an unknown or invalid property is an error naming it.
//
// Fatal errors (an idempotent producer that lost its guarantee, e.g. out-of-order sequence)
// make the instance unusable: fatalError() is emitted once, hasFatalError() turns true and
// produce() fails with "kafka_fatal". The owner then stops producing, destroys this Producer
// and creates a new one; the journal still holds every unacknowledged event.

#include <memory>

#include <QList>
#include <QMap>
#include <QObject>
#include <QStringList>

#include "core/http/http_request.h"
#include "core/kafka/delivery_report.h"
#include "core/util/result.h"

namespace hookbench::kafka {

struct ProducerSettings
{
    QString bootstrap;                 // comma-separated host:port list
    QMap<QString, QString> properties; // passed through to librdkafka (like kcat -X); win over defaults
    int messageTimeoutMs = 300'000;    // librdkafka's own retry window before a report says failed
    // The largest record (value + key + headers) to accept: librdkafka's message.max.bytes,
    // whose default (1,000,000) is smaller than the bodies the receiver accepts. 0 = its default.
    qint64 maxMessageBytes = 0;
    // Topics it will write to. Known from the start, librdkafka asks for their metadata as soon as
    // it connects; a topic first named by a message waits for its next topic scan (once a second),
    // and so did the first webhook to each topic. On a cluster that auto-creates topics, this
    // creates them at start rather than at the first message.
    QStringList topics;
};

struct ProduceRequest
{
    QString topic;
    QByteArray key; // empty = no key
    QByteArray value;
    http::HeaderList headers;
    qint64 opaque = 0;
};

class Producer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Producer)

public:
    static Result<std::unique_ptr<Producer>> create(const ProducerSettings &settings);
    ~Producer() override; // flushes with a bound, then destroys in the documented order

    // Queue a message. Never waits: on QUEUE_FULL it serves the reports already there once and
    // tries again, then fails with "kafka_queue_full" (back-pressure: the caller backs off; the
    // journal keeps the event). A message over message.max.bytes fails with "kafka_message_too_large".
    Result<void> produce(const ProduceRequest &request);
    // Wait up to timeoutMs for outstanding messages; returns how many still have no delivery
    // report from librdkafka (reports served meanwhile are emitted on the next wake-up).
    int flush(int timeoutMs);
    // Fails every message still queued or in flight (their reports say _PURGE_QUEUE or
    // _PURGE_INFLIGHT), so the destructor's flush returns at once: the first step of recreating
    // a producer after a fatal error, whose messages the journal still holds.
    void purge();
    // Messages produced whose report has not been emitted yet (queued, in flight, or with a
    // report waiting for the next wake-up).
    int inFlight() const;
    // Partition count of a topic from cluster metadata, or an error. Blocks up to timeoutMs.
    // On a cluster that auto-creates topics this creates an unknown topic (broker default).
    Result<int> partitionCount(const QString &topic, int timeoutMs);

    // Asks the cluster (DescribeConfigs) how large a record each topic takes: its
    // max.message.bytes, the broker's message.max.bytes unless the topic overrides it. Nothing
    // waits: topicLimits() carries the answer, or an error after about timeoutMs.
    void requestTopicLimits(const QStringList &topics, int timeoutMs);

    // True once librdkafka raised a fatal error (rd_kafka_fatal_error); see the top comment.
    bool hasFatalError() const;
    // librdkafka's description of the fatal error, empty if there is none.
    QString fatalErrorString() const;

signals:
    // Emitted on the Producer's thread, once per wake-up, with every report served then.
    // Reports served by the bounded flush in the destructor are emitted from the destructor.
    void delivered(const QList<hookbench::kafka::DeliveryReport> &reports);
    // Emitted once when librdkafka raises a fatal error.
    void fatalError(const QString &message);
    // What the cluster looks like from here, emitted when it changes: unreachable after
    // librdkafka reports all brokers down (reason = its message), reachable again once a broker
    // connection is up (statistics) or a delivery report says acknowledged.
    void clusterReachableChanged(bool reachable, const QString &reason);
    // The answer to requestTopicLimits(): max.message.bytes by topic (topics the cluster did not
    // describe are missing), and why not when the whole request failed.
    void topicLimits(const QMap<QString, qint64> &maxMessageBytes, const QString &error);

private:
    explicit Producer(QObject *parent = nullptr);
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace hookbench::kafka
