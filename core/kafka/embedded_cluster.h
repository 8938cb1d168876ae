#pragma once

// EmbeddedCluster: librdkafka's mock cluster (rdkafka_mock.h), a real Kafka-protocol cluster
// in-process. Any Kafka client can reach it at bootstrap(). Its fault injection is a feature.
// Data lives in memory only; the journal is the durable record.
//
// Topics: the mock auto-creates an unknown topic (on a Metadata request that allows it, which a
// producer's does) with a fixed 4 partitions that cannot be configured in librdkafka 2.0.2. So
// whoever produces to a topic first calls ensureTopic() (or createTopic()) to get
// defaultPartitions() instead. Broker ids are 1..brokerCount().
//
// Threads: the fault calls (broker down/up, round-trip time, request errors, leader moves) and
// isBrokerUp() may be called from any thread: librdkafka hands each one to the mock cluster's own
// thread and waits for it to be applied (rd_kafka_mock_* post an op and block on its reply), so
// they can block for a moment — keep them off the GUI thread. Create topics from one thread.
//
// Large records: the mock takes requests up to its host's receive.message.max.bytes (start()
// raises it to cover maxRecordBytes) and has no per-topic message size limit. It keeps at most
// 5 MiB (and 100,000 batches) per partition, dropping the oldest batches; in librdkafka 2.0.2 a
// batch that pushes out every older batch of its partition also moves the log start past
// itself (rd_kafka_mock_msgset_new() sets the start offset before appending), so a consumer
// that has not fetched it yet gets OFFSET_OUT_OF_RANGE. Records of a few MB that follow each
// other on one partition can therefore be skipped by consumers; the journal keeps them all.

#include <memory>

#include <QList>
#include <QString>

#include "core/util/result.h"

namespace hookbench::kafka {

class EmbeddedCluster final
{
    Q_DISABLE_COPY_MOVE(EmbeddedCluster)

public:
    // maxRecordBytes: the largest record clients will produce (0: librdkafka's defaults).
    static Result<std::unique_ptr<EmbeddedCluster>> start(int brokers, int defaultPartitions,
                                                          qint64 maxRecordBytes = 0);
    ~EmbeddedCluster();

    QString bootstrap() const;
    int brokerCount() const;
    QList<int> brokerIds() const;
    int defaultPartitions() const;

    // Creates the topic with `partitions` partitions and replication factor min(3, brokers);
    // error code "kafka_topic_exists" if it exists already.
    Result<void> createTopic(const QString &topic, int partitions);
    // createTopic(topic, defaultPartitions()) that accepts an existing topic as it is.
    Result<void> ensureTopic(const QString &topic);
    Result<void> setBrokerDown(int brokerId);
    Result<void> setBrokerUp(int brokerId);
    bool isBrokerUp(int brokerId) const;
    // Extra round-trip time for one broker (demo of a slow network).
    Result<void> setBrokerRttMs(int brokerId, int rttMs);
    // The next requests of Kafka API `apiKey` (0 = Produce, 1 = Fetch, 3 = Metadata, ...) on
    // any broker fail with these Kafka protocol error codes, one request per code, in order.
    Result<void> failNextRequests(int apiKey, const QList<int> &errorCodes);
    // Makes brokerId the leader of topic/partition (a leader move, as after a broker failure).
    // Clients notice it on their next metadata refresh or a NOT_LEADER answer.
    Result<void> setPartitionLeader(const QString &topic, int partition, int brokerId);

private:
    EmbeddedCluster();
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace hookbench::kafka
