#pragma once

// EmbeddedCluster: librdkafka's mock cluster (rdkafka_mock.h), a real Kafka-protocol cluster
// in-process. Any Kafka client can reach it at bootstrap(). Its fault injection is a feature.
// Data lives in memory only; the journal is the durable record.

#include <memory>

#include <QList>
#include <QString>

#include "core/util/result.h"

namespace hookbench::kafka {

class EmbeddedCluster final
{
    Q_DISABLE_COPY_MOVE(EmbeddedCluster)

public:
    static Result<std::unique_ptr<EmbeddedCluster>> start(int brokers, int defaultPartitions);
    ~EmbeddedCluster();

    QString bootstrap() const;
    int brokerCount() const;
    QList<int> brokerIds() const;
    int defaultPartitions() const;

    Result<void> createTopic(const QString &topic, int partitions);
    Result<void> setBrokerDown(int brokerId);
    Result<void> setBrokerUp(int brokerId);
    bool isBrokerUp(int brokerId) const;
    // Extra round-trip time for one broker (demo of a slow network).
    Result<void> setBrokerRttMs(int brokerId, int rttMs);

private:
    EmbeddedCluster();
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace hookbench::kafka
