#include "core/kafka/embedded_cluster.h"

#include <algorithm>
#include <atomic>
#include <vector>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <QLoggingCategory>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace hookbench::kafka {

namespace {

Q_LOGGING_CATEGORY(lcMock, "hookbench.kafka.mock")

// Called on librdkafka's threads: it only writes a log line, it touches no Qt object.
void logToQt(const rd_kafka_t *, int level, const char *facility, const char *message)
{
    if (level <= 3)
        qCWarning(lcMock, "%s: %s", facility, message);
    else
        qCDebug(lcMock, "%s: %s", facility, message);
}

Error mockError(const QString &what, rd_kafka_resp_err_t err)
{
    return Error{u"kafka_mock_failed"_s, what % u": "_s % QString::fromUtf8(rd_kafka_err2str(err)) % u" ("_s
                                             % QString::fromUtf8(rd_kafka_err2name(err)) % u')'};
}

} // namespace

struct EmbeddedCluster::Private
{
    rd_kafka_t *host = nullptr; // the handle the mock cluster lives on
    rd_kafka_mock_cluster_t *mcluster = nullptr;
    QString bootstrap;
    int brokers = 0;
    int defaultPartitions = 1;
    // Index brokerId - 1; the mock has no getter. Atomic: the GUI reads it while a fault worker
    // thread changes it.
    std::unique_ptr<std::atomic<bool>[]> up;

    bool validBroker(int brokerId) const { return brokerId >= 1 && brokerId <= brokers; }
};

EmbeddedCluster::EmbeddedCluster() : d(std::make_unique<Private>()) {}

EmbeddedCluster::~EmbeddedCluster()
{
    // Documented order: the cluster first, then the handle it was created on.
    if (d->mcluster)
        rd_kafka_mock_cluster_destroy(d->mcluster);
    if (d->host)
        rd_kafka_destroy(d->host);
}

Result<std::unique_ptr<EmbeddedCluster>> EmbeddedCluster::start(int brokers, int defaultPartitions,
                                                                qint64 maxRecordBytes)
{
    if (brokers < 1)
        return Error{u"kafka_mock_invalid"_s,
                     u"Embedded Kafka needs at least 1 broker, got "_s % QString::number(brokers)};
    if (defaultPartitions < 1)
        return Error{u"kafka_mock_invalid"_s, u"Embedded Kafka needs at least 1 partition per topic, got "_s
                                                  % QString::number(defaultPartitions)};

    // A mock cluster is hosted by an rd_kafka_t; like librdkafka's own tests we create a
    // producer with a minimal configuration for that and never produce with it.
    char errstr[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    if (rd_kafka_conf_set(conf, "client.id", "hookbench-mock-host", errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK) {
        rd_kafka_conf_destroy(conf);
        return Error{u"kafka_mock_failed"_s,
                     u"Embedded Kafka: property client.id rejected: "_s % QString::fromUtf8(errstr)};
    }
    // The mock refuses requests larger than its host's receive.message.max.bytes (100 MB by
    // default): leave room for a produce request carrying the largest record.
    if (maxRecordBytes > 0) {
        const qint64 requestBytes = std::clamp<qint64>(maxRecordBytes + 1024 * 1024, 100'000'000, 2'147'483'647);
        if (rd_kafka_conf_set(conf, "receive.message.max.bytes", QByteArray::number(requestBytes).constData(), errstr,
                              sizeof(errstr))
            != RD_KAFKA_CONF_OK) {
            rd_kafka_conf_destroy(conf);
            return Error{u"kafka_mock_failed"_s, u"Embedded Kafka: property receive.message.max.bytes rejected: "_s
                                                     % QString::fromUtf8(errstr)};
        }
    }
    rd_kafka_conf_set_log_cb(conf, logToQt);

    rd_kafka_t *host = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
    if (!host) {
        // rd_kafka_new() only takes ownership of conf on success.
        rd_kafka_conf_destroy(conf);
        return Error{u"kafka_mock_failed"_s,
                     u"Embedded Kafka: cannot create the host handle: "_s % QString::fromUtf8(errstr)};
    }

    rd_kafka_mock_cluster_t *mcluster = rd_kafka_mock_cluster_new(host, brokers);
    if (!mcluster) {
        rd_kafka_destroy(host);
        return Error{u"kafka_mock_failed"_s, u"Embedded Kafka: cannot start a mock cluster with "_s
                                                 % QString::number(brokers)
                                                 % u" brokers (could not listen on 127.0.0.1?)"_s};
    }

    std::unique_ptr<EmbeddedCluster> cluster(new EmbeddedCluster());
    cluster->d->host = host;
    cluster->d->mcluster = mcluster;
    cluster->d->bootstrap = QString::fromUtf8(rd_kafka_mock_cluster_bootstraps(mcluster));
    cluster->d->brokers = brokers;
    cluster->d->defaultPartitions = defaultPartitions;
    cluster->d->up = std::make_unique<std::atomic<bool>[]>(size_t(brokers));
    for (int i = 0; i < brokers; ++i)
        cluster->d->up[size_t(i)] = true;
    qCDebug(lcMock) << "embedded Kafka cluster up at" << cluster->d->bootstrap;
    return cluster;
}

QString EmbeddedCluster::bootstrap() const
{
    return d->bootstrap;
}

int EmbeddedCluster::brokerCount() const
{
    return d->brokers;
}

QList<int> EmbeddedCluster::brokerIds() const
{
    QList<int> ids;
    ids.reserve(d->brokers);
    for (int id = 1; id <= d->brokers; ++id)
        ids.append(id);
    return ids;
}

int EmbeddedCluster::defaultPartitions() const
{
    return d->defaultPartitions;
}

Result<void> EmbeddedCluster::createTopic(const QString &topic, int partitions)
{
    if (topic.isEmpty())
        return Error{u"kafka_topic_invalid"_s, u"Cannot create a topic with an empty name"_s};
    if (partitions < 1)
        return Error{u"kafka_topic_invalid"_s,
                     u"Cannot create topic "_s % topic % u" with "_s % QString::number(partitions) % u" partitions"_s};

    const int replication = std::min(3, d->brokers);
    const QByteArray name = topic.toUtf8();
    const rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(d->mcluster, name.constData(), partitions, replication);
    if (err == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS)
        return Error{u"kafka_topic_exists"_s, u"Topic "_s % topic % u" exists already"_s};
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
        return mockError(
            u"Cannot create topic "_s % topic % u" with "_s % QString::number(partitions) % u" partitions"_s, err);
    return {};
}

Result<void> EmbeddedCluster::ensureTopic(const QString &topic)
{
    Result<void> created = createTopic(topic, d->defaultPartitions);
    if (!created && created.error().code == u"kafka_topic_exists"_s)
        return {};
    return created;
}

Result<void> EmbeddedCluster::setBrokerDown(int brokerId)
{
    if (!d->validBroker(brokerId))
        return Error{u"kafka_broker_unknown"_s, u"No broker "_s % QString::number(brokerId)
                                                    % u" in the embedded cluster (ids 1.."_s
                                                    % QString::number(d->brokers) % u')'};
    const rd_kafka_resp_err_t err = rd_kafka_mock_broker_set_down(d->mcluster, brokerId);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
        return mockError(u"Cannot take broker "_s % QString::number(brokerId) % u" down"_s, err);
    d->up[size_t(brokerId - 1)] = false;
    return {};
}

Result<void> EmbeddedCluster::setBrokerUp(int brokerId)
{
    if (!d->validBroker(brokerId))
        return Error{u"kafka_broker_unknown"_s, u"No broker "_s % QString::number(brokerId)
                                                    % u" in the embedded cluster (ids 1.."_s
                                                    % QString::number(d->brokers) % u')'};
    const rd_kafka_resp_err_t err = rd_kafka_mock_broker_set_up(d->mcluster, brokerId);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
        return mockError(u"Cannot bring broker "_s % QString::number(brokerId) % u" up"_s, err);
    d->up[size_t(brokerId - 1)] = true;
    return {};
}

bool EmbeddedCluster::isBrokerUp(int brokerId) const
{
    return d->validBroker(brokerId) && d->up[size_t(brokerId - 1)].load();
}

Result<void> EmbeddedCluster::setBrokerRttMs(int brokerId, int rttMs)
{
    if (!d->validBroker(brokerId))
        return Error{u"kafka_broker_unknown"_s, u"No broker "_s % QString::number(brokerId)
                                                    % u" in the embedded cluster (ids 1.."_s
                                                    % QString::number(d->brokers) % u')'};
    if (rttMs < 0)
        return Error{u"kafka_mock_invalid"_s, u"Round-trip time for broker "_s % QString::number(brokerId)
                                                  % u" must be >= 0 ms, got "_s % QString::number(rttMs)};
    const rd_kafka_resp_err_t err = rd_kafka_mock_broker_set_rtt(d->mcluster, brokerId, rttMs);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
        return mockError(u"Cannot set the round-trip time of broker "_s % QString::number(brokerId), err);
    return {};
}

Result<void> EmbeddedCluster::failNextRequests(int apiKey, const QList<int> &errorCodes)
{
    if (apiKey < 0 || apiKey > 0x7fff)
        return Error{u"kafka_mock_invalid"_s, u"No Kafka API with key "_s % QString::number(apiKey)};
    if (errorCodes.isEmpty())
        return {};
    std::vector<rd_kafka_resp_err_t> errors;
    errors.reserve(size_t(errorCodes.size()));
    for (int code : errorCodes)
        errors.push_back(static_cast<rd_kafka_resp_err_t>(code));
    rd_kafka_mock_push_request_errors_array(d->mcluster, static_cast<int16_t>(apiKey), errors.size(), errors.data());
    return {};
}

Result<void> EmbeddedCluster::setPartitionLeader(const QString &topic, int partition, int brokerId)
{
    if (!d->validBroker(brokerId))
        return Error{u"kafka_broker_unknown"_s, u"No broker "_s % QString::number(brokerId)
                                                    % u" in the embedded cluster (ids 1.."_s
                                                    % QString::number(d->brokers) % u')'};
    if (topic.isEmpty() || partition < 0)
        return Error{u"kafka_mock_invalid"_s,
                     u"No partition "_s % QString::number(partition) % u" of topic '"_s % topic % u"' to move"_s};
    const QByteArray name = topic.toUtf8();
    const rd_kafka_resp_err_t err =
        rd_kafka_mock_partition_set_leader(d->mcluster, name.constData(), partition, brokerId);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
        return mockError(u"Cannot move the leader of "_s % topic % u'/' % QString::number(partition) % u" to broker "_s
                             % QString::number(brokerId),
                         err);
    return {};
}

} // namespace hookbench::kafka
