#include "core/kafka/consumer_queries.h"

#include <algorithm>

#include "core/config/secret_names.h"

using namespace Qt::StringLiterals;

namespace hookbench::kafka::consumer_queries {

// Applies `properties` in order; on failure the error names the property (not a secret value).
Result<void> applyProperties(rd_kafka_conf_t *conf, const QList<QPair<QByteArray, QByteArray>> &properties)
{
    char errstr[512];
    for (const auto &[name, value] : properties) {
        if (rd_kafka_conf_set(conf, name.constData(), value.constData(), errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK) {
            // Key material and credentials (sasl.password, ssl.key.pem, sasl.jaas.config, ...) are
            // not repeated in messages.
            const bool secret = config::SecretNames::isSecretProperty(QString::fromUtf8(name));
            return Error{u"kafka_property_invalid"_s,
                         u"Kafka property "_s % QString::fromUtf8(name)
                             % (secret ? QString() : u" = \""_s % QString::fromUtf8(value) % u'"') % u" rejected: "_s
                             % QString::fromUtf8(errstr).trimmed()};
        }
    }
    return {};
}

ConsumedRecord toRecord(const rd_kafka_message_t *message, const QString &memberId)
{
    ConsumedRecord record;
    record.memberId = memberId;
    record.topic = QString::fromUtf8(rd_kafka_topic_name(message->rkt));
    record.partition = int(message->partition);
    record.offset = message->offset;
    if (message->key)
        record.key = QByteArray(static_cast<const char *>(message->key), qsizetype(message->key_len));
    if (message->payload)
        record.value = QByteArray(static_cast<const char *>(message->payload), qsizetype(message->len));
    rd_kafka_headers_t *headers = nullptr;
    if (rd_kafka_message_headers(message, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR) {
        const char *name = nullptr;
        const void *value = nullptr;
        size_t size = 0;
        for (size_t i = 0; rd_kafka_header_get_all(headers, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR;
             ++i) {
            record.headers.append({QByteArray(name), value
                                                         ? QByteArray(static_cast<const char *>(value), qsizetype(size))
                                                         : QByteArray()});
        }
    }
    rd_kafka_timestamp_type_t type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE;
    const qint64 timestamp = rd_kafka_message_timestamp(message, &type);
    record.timestampMs = type == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? -1 : timestamp;
    return record;
}

bool cachedWatermarks(rd_kafka_t *rk, const TopicPartition &tp, qint64 *low, qint64 *high)
{
    int64_t lo = RD_KAFKA_OFFSET_INVALID;
    int64_t hi = RD_KAFKA_OFFSET_INVALID;
    if (rd_kafka_get_watermark_offsets(rk, tp.topic.toUtf8().constData(), tp.partition, &lo, &hi)
            != RD_KAFKA_RESP_ERR_NO_ERROR
        || hi < 0)
        return false;
    *low = lo;
    *high = hi;
    return true;
}

Result<QMap<QString, int>> topicPartitionCounts(rd_kafka_t *rk, int timeoutMs)
{
    auto leaders = topicPartitionLeaders(rk, timeoutMs);
    if (!leaders)
        return leaders.error();
    QMap<QString, int> counts;
    for (auto it = leaders->cbegin(); it != leaders->cend(); ++it)
        counts.insert(it.key(), int(it.value().size()));
    return counts;
}

Result<QMap<QString, QList<int>>> topicPartitionLeaders(rd_kafka_t *rk, int timeoutMs)
{
    const rd_kafka_metadata_t *metadata = nullptr;
    const rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 1, nullptr, &metadata, timeoutMs);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
        return Error{u"kafka_metadata_failed"_s, u"Cannot read the topic list within "_s % QString::number(timeoutMs)
                                                     % u" ms: "_s % QString::fromUtf8(rd_kafka_err2str(err))};
    QMap<QString, QList<int>> result;
    for (int i = 0; i < metadata->topic_cnt; ++i) {
        const rd_kafka_metadata_topic_t &topic = metadata->topics[i];
        if (topic.err != RD_KAFKA_RESP_ERR_NO_ERROR)
            continue;
        // The response need not list partitions in id order; an id out of range is ignored
        // rather than trusted (it comes off the network).
        QList<int> leaders(std::max(0, topic.partition_cnt), -1);
        for (int j = 0; j < topic.partition_cnt; ++j) {
            const rd_kafka_metadata_partition_t &partition = topic.partitions[j];
            if (partition.id >= 0 && partition.id < leaders.size())
                leaders[partition.id] = partition.leader >= 0 ? int(partition.leader) : -1;
        }
        result.insert(QString::fromUtf8(topic.topic), leaders);
    }
    rd_kafka_metadata_destroy(metadata);
    return result;
}

Result<QMap<TopicPartition, qint64>> committedOffsets(rd_kafka_t *rk, const QList<TopicPartition> &partitions,
                                                      int timeoutMs)
{
    QMap<TopicPartition, qint64> result;
    if (partitions.isEmpty())
        return result;
    rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(int(partitions.size()));
    for (const TopicPartition &tp : partitions)
        rd_kafka_topic_partition_list_add(list, tp.topic.toUtf8().constData(), tp.partition);
    const rd_kafka_resp_err_t err = rd_kafka_committed(rk, list, timeoutMs);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
        for (int i = 0; i < list->cnt; ++i) {
            if (list->elems[i].err == RD_KAFKA_RESP_ERR_NO_ERROR)
                result.insert(TopicPartition{QString::fromUtf8(list->elems[i].topic), int(list->elems[i].partition)},
                              list->elems[i].offset >= 0 ? list->elems[i].offset : -1);
        }
    }
    rd_kafka_topic_partition_list_destroy(list);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
        return Error{u"kafka_committed_failed"_s, u"Cannot read committed offsets within "_s
                                                      % QString::number(timeoutMs) % u" ms: "_s
                                                      % QString::fromUtf8(rd_kafka_err2str(err))};
    return result;
}

Result<QPair<qint64, qint64>> queryWatermarks(rd_kafka_t *rk, const TopicPartition &tp, int timeoutMs)
{
    int64_t low = -1;
    int64_t high = -1;
    const rd_kafka_resp_err_t err =
        rd_kafka_query_watermark_offsets(rk, tp.topic.toUtf8().constData(), tp.partition, &low, &high, timeoutMs);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
        return Error{u"kafka_watermarks_failed"_s, u"Cannot read watermarks of "_s % tp.topic % u'['
                                                       % QString::number(tp.partition) % u"]: "_s
                                                       % QString::fromUtf8(rd_kafka_err2str(err))};
    return QPair<qint64, qint64>(low, high);
}

} // namespace hookbench::kafka::consumer_queries
