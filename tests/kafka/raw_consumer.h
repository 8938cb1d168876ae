#pragma once

// Test support: a plain librdkafka consumer that reads records back, independent of core/kafka,
// so the tests check what a separate Kafka client sees.

#include <memory>

#include <librdkafka/rdkafka.h>

#include <QByteArray>
#include <QList>
#include <QString>

#include "core/http/http_request.h"

namespace hookbench::kafka::test {

// A record as a consumer sees it.
struct Consumed
{
    int partition = -1;
    qint64 offset = -1;
    QByteArray key;
    QByteArray value;
    http::HeaderList headers;
};

struct ConsumerDeleter
{
    void operator()(rd_kafka_t *rk) const;
};
using ConsumerHandle = std::unique_ptr<rd_kafka_t, ConsumerDeleter>;

// A consumer in a fresh group (rd_kafka_assign() needs a group.id); nothing is committed.
ConsumerHandle newConsumer(const QString &bootstrap, QString *error);
// Partition count of `topic` in the cluster metadata, -1 on error; sets *brokerCount.
int metadataPartitionCount(rd_kafka_t *rk, const QByteArray &topic, int *brokerCount);
// Reads up to `expected` records from all partitions of `topic` from the beginning, within 20 s.
QList<Consumed> readBack(rd_kafka_t *rk, const QByteArray &topic, int partitions, int expected);

} // namespace hookbench::kafka::test
