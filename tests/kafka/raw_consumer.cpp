#include "tests/kafka/raw_consumer.h"

#include <QElapsedTimer>
#include <QPair>
#include <QtDebug>

using namespace Qt::StringLiterals;

namespace hookbench::kafka::test {

void ConsumerDeleter::operator()(rd_kafka_t *rk) const
{
    // Documented consumer termination order.
    rd_kafka_consumer_close(rk);
    rd_kafka_destroy(rk);
}

// A raw librdkafka consumer; group.id is required by rd_kafka_assign(), nothing is committed.
ConsumerHandle newConsumer(const QString &bootstrap, QString *error)
{
    static int groupSerial = 0;
    const QByteArray group = "hookbench-test-reader-" + QByteArray::number(++groupSerial);
    const QByteArray servers = bootstrap.toUtf8();
    const QList<QPair<QByteArray, QByteArray>> properties = {
        {"bootstrap.servers", servers},
        {"group.id", group},
        {"enable.auto.commit", "false"},
        {"auto.offset.reset", "earliest"},
    };
    char errstr[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    for (const auto &[name, value] : properties) {
        if (rd_kafka_conf_set(conf, name.constData(), value.constData(), errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK) {
            *error = QString::fromUtf8(name) % u": "_s % QString::fromUtf8(errstr);
            rd_kafka_conf_destroy(conf);
            return {};
        }
    }
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof(errstr));
    if (!rk) {
        *error = QString::fromUtf8(errstr);
        rd_kafka_conf_destroy(conf);
        return {};
    }
    rd_kafka_poll_set_consumer(rk);
    return ConsumerHandle(rk);
}

// Partition count as a separate client sees it in the cluster metadata; -1 on error.
int metadataPartitionCount(rd_kafka_t *rk, const QByteArray &topic, int *brokerCount)
{
    rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, topic.constData(), nullptr);
    const rd_kafka_metadata_t *metadata = nullptr;
    int count = -1;
    if (rd_kafka_metadata(rk, 0, rkt, &metadata, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR) {
        *brokerCount = metadata->broker_cnt;
        for (int i = 0; i < metadata->topic_cnt; ++i) {
            if (topic == metadata->topics[i].topic && metadata->topics[i].err == RD_KAFKA_RESP_ERR_NO_ERROR)
                count = metadata->topics[i].partition_cnt;
        }
        rd_kafka_metadata_destroy(metadata);
    }
    rd_kafka_topic_destroy(rkt);
    return count;
}

// Reads `expected` records from every partition of `topic`, from the beginning, within 20 s.
QList<Consumed> readBack(rd_kafka_t *rk, const QByteArray &topic, int partitions, int expected)
{
    rd_kafka_topic_partition_list_t *assignment = rd_kafka_topic_partition_list_new(partitions);
    for (int p = 0; p < partitions; ++p)
        rd_kafka_topic_partition_list_add(assignment, topic.constData(), p)->offset = RD_KAFKA_OFFSET_BEGINNING;
    const rd_kafka_resp_err_t err = rd_kafka_assign(rk, assignment);
    rd_kafka_topic_partition_list_destroy(assignment);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        qWarning("assign failed: %s", rd_kafka_err2str(err));
        return {};
    }

    QList<Consumed> records;
    QElapsedTimer clock;
    clock.start();
    while (records.size() < expected && clock.elapsed() < 20000) {
        rd_kafka_message_t *message = rd_kafka_consumer_poll(rk, 200);
        if (!message)
            continue;
        if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
            Consumed record;
            record.partition = message->partition;
            record.offset = message->offset;
            record.key = QByteArray(static_cast<const char *>(message->key), qsizetype(message->key_len));
            record.value = QByteArray(static_cast<const char *>(message->payload), qsizetype(message->len));
            rd_kafka_headers_t *headers = nullptr;
            if (rd_kafka_message_headers(message, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR) {
                const char *name = nullptr;
                const void *value = nullptr;
                size_t size = 0;
                for (size_t i = 0;
                     rd_kafka_header_get_all(headers, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR; ++i)
                    record.headers.append(
                        {QByteArray(name), QByteArray(static_cast<const char *>(value), qsizetype(size))});
            }
            records.append(record);
        }
        rd_kafka_message_destroy(message);
    }
    return records;
}

} // namespace hookbench::kafka::test
