#pragma once

// Helpers shared by the ConsumerGroup tests: fast group timings for the mock cluster, a producer of
// numbered records, a plain librdkafka client that reads committed offsets, watermarks and
// leaders, group creation, and a recorder of what the handler saw.

#include <memory>

#include <librdkafka/rdkafka.h>

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QMap>
#include <QSet>
#include <QSignalSpy>
#include <QString>
#include <QStringBuilder>

#include "core/kafka/consumer_group.h"
#include "core/kafka/producer.h"

namespace hookbench::kafka::testing {

using namespace Qt::StringLiterals;

// Mock-cluster timing (librdkafka 2.0.2): the first join of a group waits 3000 ms for more
// members, and members blocked in JoinGroup meanwhile send no heartbeats, so a session shorter
// than that times them all out and the group never forms. Every later rebalance waits
// session.timeout.ms - 1000 ms for members to rejoin. Hence 4000 here (the group's default is
// 6000) and frequent heartbeats.
inline const QMap<QString, QString> kFastGroup = {
    {u"session.timeout.ms"_s, u"4000"_s},
    {u"heartbeat.interval.ms"_s, u"200"_s},
    {u"reconnect.backoff.max.ms"_s, u"500"_s},

};

struct Produced
{
    QString topic;
    int partition = -1;
    qint64 offset = -1;
    QByteArray key;
    QByteArray value;
    http::HeaderList headers;
};

// "topic/partition/offset"
using Position = QString;

inline Position positionOf(const QString &topic, int partition, qint64 offset)
{
    return topic % u'/' % QString::number(partition) % u'/' % QString::number(offset);
}

inline Position positionOf(const ConsumedRecord &r)
{
    return positionOf(r.topic, r.partition, r.offset);
}

// Produces `count` records to `topic`, key "entity-<i % keys>", value "<topic>#<i>", a "seq"
// header; returns them with the partition and offset of their delivery reports.
inline QList<Produced> produce(const QString &bootstrap, const QString &topic, int count, int keys, int first = 0)
{
    ProducerSettings settings;
    settings.bootstrap = bootstrap;
    auto producer = Producer::create(settings);
    if (!producer) {
        qWarning() << producer.error().message;
        return {};
    }
    QSignalSpy spy(producer->get(), &Producer::delivered);
    QHash<qint64, Produced> byId;
    for (int i = first; i < first + count; ++i) {
        Produced record;
        record.topic = topic;
        record.key = "entity-" + QByteArray::number(i % keys);
        record.value = topic.toUtf8() + '#' + QByteArray::number(i) + QByteArray("\0\xff", 2);
        record.headers = {{"seq", QByteArray::number(i)}, {"seq", "again"}, {"content-type", "application/json"}};
        ProduceRequest request{topic, record.key, record.value, record.headers, i};
        if (Result<void> queued = (*producer)->produce(request); !queued) {
            qWarning() << queued.error().message;
            return {};
        }
        byId.insert(i, record);
    }
    QList<Produced> result;
    QElapsedTimer clock;
    clock.start();
    while (result.size() < count && clock.elapsed() < 20000) {
        if (spy.isEmpty() && !spy.wait(1000))
            continue;
        const auto reports = spy.takeFirst().at(0).value<QList<DeliveryReport>>();
        for (const DeliveryReport &report : reports) {
            if (!report.ok)
                return {};
            Produced record = byId.value(report.opaque);
            record.partition = report.partition;
            record.offset = report.offset;
            result.append(record);
        }
    }
    return result;
}

// A plain consumer of the group under test that only reads offsets; it never joins the group.
struct Probe
{
    rd_kafka_t *rk = nullptr;
    Probe(const QString &bootstrap, const QString &groupId)
    {
        char errstr[512];
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        if (rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap.toUtf8().constData(), errstr, sizeof(errstr))
                != RD_KAFKA_CONF_OK
            || rd_kafka_conf_set(conf, "group.id", groupId.toUtf8().constData(), errstr, sizeof(errstr))
                   != RD_KAFKA_CONF_OK) {
            qWarning("probe: %s", errstr);
            rd_kafka_conf_destroy(conf);
            return;
        }
        rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof(errstr));
        if (!rk)
            rd_kafka_conf_destroy(conf);
    }
    ~Probe()
    {
        if (rk) {
            rd_kafka_consumer_close(rk);
            rd_kafka_destroy(rk);
        }
    }
    Q_DISABLE_COPY_MOVE(Probe)

    // Committed offset per partition, -1 when none.
    QList<qint64> committed(const QString &topic, int partitions) const
    {
        QList<qint64> result(partitions, -2);
        rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(partitions);
        for (int p = 0; p < partitions; ++p)
            rd_kafka_topic_partition_list_add(list, topic.toUtf8().constData(), p);
        if (rd_kafka_committed(rk, list, 5000) == RD_KAFKA_RESP_ERR_NO_ERROR) {
            for (int i = 0; i < list->cnt; ++i)
                result[list->elems[i].partition] = list->elems[i].offset >= 0 ? list->elems[i].offset : -1;
        }
        rd_kafka_topic_partition_list_destroy(list);
        return result;
    }

    // Leader broker id per partition from this client's own metadata request, -2 if not read.
    QList<int> leaders(const QString &topic, int partitions) const
    {
        QList<int> result(partitions, -2);
        const rd_kafka_metadata_t *metadata = nullptr;
        if (rd_kafka_metadata(rk, 1, nullptr, &metadata, 5000) != RD_KAFKA_RESP_ERR_NO_ERROR)
            return result;
        for (int i = 0; i < metadata->topic_cnt; ++i) {
            if (QString::fromUtf8(metadata->topics[i].topic) != topic)
                continue;
            for (int j = 0; j < metadata->topics[i].partition_cnt; ++j) {
                const rd_kafka_metadata_partition_t &partition = metadata->topics[i].partitions[j];
                if (partition.id >= 0 && partition.id < partitions)
                    result[partition.id] = int(partition.leader);
            }
        }
        rd_kafka_metadata_destroy(metadata);
        return result;
    }

    QList<qint64> highWatermarks(const QString &topic, int partitions) const
    {
        QList<qint64> result;
        for (int p = 0; p < partitions; ++p) {
            int64_t low = -1;
            int64_t high = -1;
            rd_kafka_query_watermark_offsets(rk, topic.toUtf8().constData(), p, &low, &high, 5000);
            result.append(high);
        }
        return result;
    }
};

// `pattern` empty: the default one. The tests share one cluster, so most pin their own topic.
inline std::unique_ptr<ConsumerGroup> createGroup(const QString &bootstrap, const QString &groupId, int members,
                                                  const QString &pattern)
{
    ConsumerGroupSettings settings;
    if (!pattern.isEmpty())
        settings.topicPattern = pattern;
    settings.bootstrap = bootstrap;
    settings.groupId = groupId;
    settings.memberCount = members;
    settings.properties = kFastGroup;
    auto group = ConsumerGroup::create(settings);
    if (!group) {
        qWarning() << group.error().message;
        return {};
    }
    return std::move(group).value();
}

inline int assignedCount(const ConsumerGroup &group)
{
    int count = 0;
    for (const MemberState &member : group.members())
        count += int(member.assigned.size());
    return count;
}

inline bool everyMemberAssigned(const ConsumerGroup &group, int partitions)
{
    for (const MemberState &member : group.members()) {
        if (member.assigned.isEmpty())
            return false;
    }
    return assignedCount(group) == partitions;
}

// What the handler saw, and the rule "one record in progress per partition and member".
struct Recorder
{
    QList<ConsumedRecord> seen;
    QSet<QString> inProgress; // "member/topic/partition"
    int overlaps = 0;

    static QString slotOf(const ConsumedRecord &r)
    {
        return r.memberId % u'/' % r.topic % u'/' % QString::number(r.partition);
    }
    void begin(const ConsumedRecord &r)
    {
        const QString slot = slotOf(r);
        if (inProgress.contains(slot))
            ++overlaps;
        inProgress.insert(slot);
        seen.append(r);
    }
    void end(const ConsumedRecord &r) { inProgress.remove(slotOf(r)); }
};

} // namespace hookbench::kafka::testing
