#pragma once

// Producer: librdkafka producer with acks=all, idempotence and the murmur2_random partitioner
// (the partition Java clients pick). Delivery reports arrive on the thread that owns the
// Producer: librdkafka signals its main queue through a pipe that a QSocketNotifier watches,
// and the slot polls — no timer spinning, no callback touching Qt objects from librdkafka's
// threads. Reports are emitted in batches.
//
// Settings: bootstrap.servers, acks=all, enable.idempotence=true, partitioner=murmur2_random,
// linger.ms (see producer.cpp), message.timeout.ms, then ProducerSettings::properties applied
// last, so they win; an unknown or invalid property is an error naming it.
//
// Fatal errors (an idempotent producer that lost its guarantee, e.g. out-of-order sequence)
// make the instance unusable: fatalError() is emitted once, hasFatalError() turns true and
// produce() fails with "kafka_fatal". The owner then stops producing, destroys this Producer
// and creates a new one; the journal still holds every unacknowledged event.

#include <memory>

#include <QList>
#include <QMap>
#include <QObject>

#include "core/http/http_request.h"
#include "core/kafka/delivery_report.h"
#include "core/util/result.h"

namespace hookbench::kafka {

struct ProducerSettings
{
    QString bootstrap;                 // comma-separated host:port list
    QMap<QString, QString> properties; // passed through to librdkafka (like kcat -X); win over defaults
    int messageTimeoutMs = 300'000;    // librdkafka's own retry window before a report says failed
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

    // Queue a message. QUEUE_FULL is back-pressure: poll and retry briefly before failing.
    Result<void> produce(const ProduceRequest &request);
    // Wait up to timeoutMs for outstanding messages; returns how many still have no delivery
    // report from librdkafka (reports served meanwhile are emitted on the next wake-up).
    int flush(int timeoutMs);
    // Messages produced whose report has not been emitted yet (queued, in flight, or with a
    // report waiting for the next wake-up).
    int inFlight() const;
    // Partition count of a topic from cluster metadata, or an error. Blocks up to timeoutMs.
    // On a cluster that auto-creates topics this creates an unknown topic (broker default).
    Result<int> partitionCount(const QString &topic, int timeoutMs);

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

private:
    explicit Producer(QObject *parent = nullptr);
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace hookbench::kafka
