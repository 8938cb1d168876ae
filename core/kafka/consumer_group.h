#pragma once

// ConsumerGroup: N in-process librdkafka consumers in one Kafka consumer group (default
// "hookbench-processors") that hand every record of the webhook topics to a RecordHandler, at
// least once, one record in progress per partition (per-entity order), other partitions flowing.
//
// Topics: every topic whose name matches topicPattern (QRegularExpression) and is not in
// excludedTopics: webhooks.<source> and webhooks.<source>.retry.<n>, but not webhooks.dlq.
// librdkafka's own regex subscription cannot exclude a name, so the group reads the topic list
// from the cluster metadata (at start and every topicRefreshMs) and subscribes the members to
// the matching names; a new source topic joins within topicRefreshMs (a rebalance). The same
// metadata read gives each partition's leader (PartitionState::leader), as fresh as that read.
// These reads, and the state refresh's queries, go through one more librdkafka client that never
// subscribes: asked through a member, they can keep the group from ever finishing a rebalance
// (see ConsumerGroup::Private::querier).
//
// Members can be added and removed live (setMemberCount): each change is a real rebalance.
// The assignor is range (librdkafka's default, the EAGER protocol): every rebalance revokes
// everything and assigns anew, in one round. cooperative-sticky would move only the partitions
// that must move, but against the embedded cluster (librdkafka 2.0.2's mock) it needs two
// rounds of ~session.timeout.ms each per change and members kept losing their assignment
// (ILLEGAL_GENERATION), replaying far more records; it stays one property away
// (partition.assignment.strategy=cooperative-sticky) and the rebalance callback handles both
// protocols (incremental_assign/unassign or assign).
//
// Commits: see consumer_member.h. Offset + 1 is committed only after the record's Completion,
// strictly in order per partition; on revoke, completed offsets are committed first and records
// in progress are dropped (their new owner gets them again: at-least-once, never lost).
//
// Threads: create the group on the thread that will own it (a worker thread in the app, the
// test's main thread). Records, rebalances and stateChanged() happen on that thread; librdkafka
// wakes it through a pipe watched by a QSocketNotifier, no polling loop. The handler is called
// on that thread and must return quickly; its Completion may be called from any thread. A state
// refresh every stateRefreshMs asks the cluster for committed offsets and the watermarks of
// unowned partitions, blocking the thread at most kQueryTimeoutMs per query.
//
// Defaults for a laptop demo (properties override them, like kcat -X): session.timeout.ms 6000
// and heartbeat.interval.ms 500 (a removed or crashed member's partitions move within seconds;
// the embedded cluster waits session.timeout.ms - 1000 ms for members in each rebalance and
// 3000 ms on a group's first join, so the session must stay above 3000 ms),
// auto.offset.reset earliest (events produced before the group started are processed),
// enable.auto.commit false (commits follow completions), enable.partition.eof false.

#include <memory>

#include <QMap>
#include <QObject>
#include <QStringList>

#include "core/kafka/consumer_group_state.h"
#include "core/kafka/consumer_record.h"
#include "core/util/result.h"

namespace hookbench::kafka {

struct ConsumerGroupSettings
{
    QString bootstrap; // comma-separated host:port list
    QString groupId = QStringLiteral("hookbench-processors");
    QString topicPattern = QStringLiteral("^webhooks\\..*");
    QStringList excludedTopics = {QStringLiteral("webhooks.dlq")};
    int memberCount = 1;                                           // 0..ConsumerGroup::kMaxMembers
    QString clientIdPrefix = QStringLiteral("hookbench-consumer"); // client.id = prefix-<n>
    QMap<QString, QString> properties;                             // passed through to librdkafka; win over defaults
    int stateRefreshMs = 1000;
    int topicRefreshMs = 5000;
    // The largest record to fetch: message.max.bytes, which librdkafka turns into fetch.max.bytes
    // and receive.message.max.bytes at least as large. 0 = librdkafka's defaults.
    qint64 maxMessageBytes = 0;
};

class ConsumerGroup final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConsumerGroup)

public:
    static constexpr int kMaxMembers = 32;
    static constexpr int kRebalanceLogSize = 500;
    static constexpr int kQueryTimeoutMs = 1000;

    // Checks the settings (bootstrap, group id, pattern, member count, every property) and
    // starts settings.memberCount members. Kafka being unreachable is not an error: members
    // join when it answers.
    static Result<std::unique_ptr<ConsumerGroup>> create(const ConsumerGroupSettings &settings);
    // Removes every member (commits completed offsets, leaves the group), then returns.
    ~ConsumerGroup() override;

    // Records wait in librdkafka until a handler is set.
    void setHandler(RecordHandler handler);
    // Adds or removes members (the newest go first); each change rebalances the group. Called
    // from inside the handler it takes effect right after the handler returns.
    Result<void> setMemberCount(int count);
    int memberCount() const;

    // Snapshots, copied.
    ConsumerGroupState state() const;
    QList<MemberState> members() const;
    QList<PartitionState> partitions() const;
    QList<RebalanceEvent> rebalanceLog() const;
    QStringList topics() const;

    // Re-reads the topic list and the offsets now instead of on the next timer.
    void refreshNow();

signals:
    // Coalesced (at most every ~100 ms) after records, commits, rebalances and refreshes.
    void stateChanged();

private:
    explicit ConsumerGroup(QObject *parent = nullptr);
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace hookbench::kafka
