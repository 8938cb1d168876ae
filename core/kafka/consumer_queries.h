#pragma once

// Plain librdkafka calls for ConsumerMember, kept apart so consumer_member.cpp stays about the
// flow of records: property checking, message conversion and the blocking cluster queries used
// by ConsumerGroup's state refresh. Internal to core/kafka (it includes rdkafka.h).

#include <librdkafka/rdkafka.h>

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QPair>

#include "core/kafka/consumer_record.h"
#include "core/util/result.h"

namespace hookbench::kafka::consumer_queries {

// rd_kafka_conf_set() for each property in order; the error names the property that failed
// (and its value, unless it looks like a secret).
Result<void> applyProperties(rd_kafka_conf_t *conf, const QList<QPair<QByteArray, QByteArray>> &properties);
// The record exactly as consumed: key, value and headers byte for byte, headers in order.
ConsumedRecord toRecord(const rd_kafka_message_t *message, const QString &memberId);
// Watermarks librdkafka cached from fetch responses (no request); false if unknown.
bool cachedWatermarks(rd_kafka_t *rk, const TopicPartition &tp, qint64 *low, qint64 *high);
// Blocking, up to timeoutMs each.
Result<QMap<QString, int>> topicPartitionCounts(rd_kafka_t *rk, int timeoutMs);
// Every topic in the cluster metadata: the leader's broker id of each partition, indexed by
// partition id (-1 when the metadata names none), so the list size is the partition count.
Result<QMap<QString, QList<int>>> topicPartitionLeaders(rd_kafka_t *rk, int timeoutMs);
Result<QMap<TopicPartition, qint64>> committedOffsets(rd_kafka_t *rk, const QList<TopicPartition> &partitions,
                                                      int timeoutMs);
Result<QPair<qint64, qint64>> queryWatermarks(rd_kafka_t *rk, const TopicPartition &tp, int timeoutMs);

} // namespace hookbench::kafka::consumer_queries
