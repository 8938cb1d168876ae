#pragma once

// Producer: librdkafka producer with acks=all, idempotence and the murmur2_random partitioner
// (the partition Java clients pick). Delivery reports arrive on the thread that owns the
// Producer: librdkafka signals its main queue through a pipe that a QSocketNotifier watches,
// and the slot polls — no timer spinning, no callback touching Qt objects from librdkafka's
// threads. Reports are emitted in batches.

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
    // Wait up to timeoutMs for outstanding messages; returns how many are still in flight.
    int flush(int timeoutMs);
    int inFlight() const;
    // Partition count of a topic from cluster metadata, or an error.
    Result<int> partitionCount(const QString &topic, int timeoutMs);

signals:
    void delivered(const QList<hookbench::kafka::DeliveryReport> &reports);

private:
    explicit Producer(QObject *parent = nullptr);
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace hookbench::kafka
