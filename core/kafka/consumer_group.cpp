#include "core/kafka/consumer_group.h"

#include <algorithm>
#include <vector>

#include <QDeadlineTimer>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QTimer>

#include "core/kafka/consumer_member.h"

using namespace Qt::StringLiterals;

namespace hookbench::kafka {

namespace {

Q_LOGGING_CATEGORY(lcGroup, "hookbench.kafka.group")

// stateChanged() is emitted at most this often, whatever the record rate.
constexpr int kStateSignalCoalesceMs = 100;

} // namespace

struct ConsumerGroup::Private
{
    ConsumerGroup *q = nullptr;
    ConsumerGroupSettings settings;
    QRegularExpression pattern;
    RecordHandler handler;
    std::vector<std::unique_ptr<ConsumerMember>> members; // oldest first
    // Asks the cluster for metadata, committed offsets and watermarks. Never subscribes, so it
    // never joins the group. Not a member: with librdkafka 2.0.2 (rdkafka_cgrp.c,
    // rd_kafka_cgrp_metadata_update_check()) an all-topics Metadata response makes a member in
    // join-state wait-metadata rejoin even when nothing changed, and the group leader is in that
    // state while it waits for its assignor's metadata. A member asking every topicRefreshMs
    // kept the leader rejoining instead of assigning: an endless eager rebalance, nothing
    // consumed (on the embedded cluster a rejoin round takes session.timeout.ms - 1000 ms, the
    // same 5 s as the topic refresh, so the two stayed in step). Its committed-offset queries
    // also queued on the member's coordinator connection, which the mock cluster holds while a
    // JoinGroup is pending, and delayed the leader's metadata further.
    std::unique_ptr<ConsumerMember> querier;
    int nextMemberNumber = 1;
    QStringList topics;                 // subscribed, sorted
    QMap<QString, int> partitionCounts; // of `topics`
    QMap<TopicPartition, int> leaders;  // broker id per partition of `topics`, -1 unknown
    QMap<TopicPartition, qint64> committed;
    QMap<TopicPartition, QPair<qint64, qint64>> watermarks; // low, high from the last refresh
    QList<RebalanceEvent> rebalances;
    qint64 handled = 0;
    qint64 completed = 0;
    qint64 dropped = 0;
    QString lastError;
    QTimer *refreshTimer = nullptr;
    QTimer *topicTimer = nullptr;
    QTimer *notifyTimer = nullptr;
    int handlerDepth = 0; // > 0 while the handler runs: member changes are deferred

    ConsumerMember::Properties memberProperties(const QString &clientId) const;
    RecordHandler memberHandler();
    Result<void> applyMemberCount(int count);
    void refreshTopics();
    void refreshOffsets();
    void markDirty();
    // A client's error, as the state shows it (members and the querier alike).
    void recordError(const QString &message)
    {
        lastError = message;
        markDirty();
    }
    ConsumerMember *owner(const TopicPartition &tp) const;
    QList<MemberState> memberStates() const;
    QList<PartitionState> partitionStates() const;
};

ConsumerMember::Properties ConsumerGroup::Private::memberProperties(const QString &clientId) const
{
    // Hookbench's defaults first, then the user's properties, which win (see the header).
    ConsumerMember::Properties properties = {
        {"group.id", settings.groupId.toUtf8()},
        {"client.id", clientId.toUtf8()},
        {"partition.assignment.strategy", "range"},
        {"session.timeout.ms", "6000"},
        {"heartbeat.interval.ms", "500"},
        {"auto.offset.reset", "earliest"},
        {"enable.auto.commit", "false"},
        {"enable.auto.offset.store", "false"},
        {"enable.partition.eof", "false"},
    };
    if (settings.maxMessageBytes > 0)
        properties.append({"message.max.bytes",
                           QByteArray::number(std::clamp<qint64>(settings.maxMessageBytes, 1000, 1'000'000'000))});
    if (!settings.bootstrap.trimmed().isEmpty())
        properties.prepend({"bootstrap.servers", settings.bootstrap.trimmed().toUtf8()});
    for (auto it = settings.properties.cbegin(); it != settings.properties.cend(); ++it)
        properties.append({it.key().toUtf8(), it.value().toUtf8()});
    return properties;
}

RecordHandler ConsumerGroup::Private::memberHandler()
{
    if (!handler)
        return {};
    return [this](const ConsumedRecord &record, Completion done) {
        ++handled;
        ++handlerDepth;
        handler(record, std::move(done));
        --handlerDepth;
        markDirty();
    };
}

Result<void> ConsumerGroup::Private::applyMemberCount(int count)
{
    while (int(members.size()) > count) {
        // Its destructor commits completed offsets and leaves the group (a rebalance).
        std::unique_ptr<ConsumerMember> member = std::move(members.back());
        members.pop_back();
        qCInfo(lcGroup, "removing %s", qPrintable(member->id()));
        member.reset();
    }
    const bool wasEmpty = members.empty();
    while (int(members.size()) < count) {
        const int number = nextMemberNumber;
        const QString id = u"consumer-"_s % QString::number(number);
        ConsumerMember::Hooks hooks;
        hooks.handler = memberHandler();
        hooks.rebalanced = [this](const RebalanceEvent &event) {
            rebalances.append(event);
            if (rebalances.size() > kRebalanceLogSize)
                rebalances.remove(0, rebalances.size() - kRebalanceLogSize);
            markDirty();
        };
        hooks.committed = [this](const TopicPartition &tp, qint64 offset) {
            qint64 &value = committed[tp];
            value = std::max(value, offset);
            markDirty();
        };
        hooks.completed = [this](bool accepted) {
            ++(accepted ? completed : dropped);
            markDirty();
        };
        hooks.error = [this](const QString &message) { recordError(message); };
        auto member = ConsumerMember::create(
            id, memberProperties(settings.clientIdPrefix % u'-' % QString::number(number)), std::move(hooks));
        if (!member)
            return member.error();
        ++nextMemberNumber;
        if (!topics.isEmpty()) {
            if (Result<void> subscribed = (*member)->subscribe(topics); !subscribed)
                return subscribed.error();
        }
        qCInfo(lcGroup, "added %s", qPrintable(id));
        members.push_back(std::move(member).value());
    }
    if (wasEmpty && !members.empty())
        refreshTopics(); // nobody could read the metadata while the group had no member
    markDirty();
    return {};
}

void ConsumerGroup::Private::refreshTopics()
{
    if (members.empty())
        return;
    // One metadata request gives both the partition counts and the leaders.
    auto metadata = querier->topicPartitionLeaders(kQueryTimeoutMs);
    if (!metadata) {
        lastError = metadata.error().message;
        markDirty();
        return;
    }
    QStringList matched;
    QMap<QString, int> matchedCounts;
    QMap<TopicPartition, int> matchedLeaders;
    for (auto it = metadata->cbegin(); it != metadata->cend(); ++it) {
        if (pattern.match(it.key()).hasMatch() && !settings.excludedTopics.contains(it.key())) {
            matched.append(it.key());
            matchedCounts.insert(it.key(), int(it.value().size()));
            for (int p = 0; p < int(it.value().size()); ++p)
                matchedLeaders.insert(TopicPartition{it.key(), p}, it.value().at(p));
        }
    }
    matched.sort();
    partitionCounts = matchedCounts;
    leaders = matchedLeaders;
    if (matched != topics) {
        topics = matched;
        qCInfo(lcGroup).noquote() << "subscribing to" << topics.join(u", "_s);
        for (const auto &member : members) {
            if (Result<void> subscribed = member->subscribe(topics); !subscribed)
                lastError = subscribed.error().message;
        }
    }
    markDirty();
}

void ConsumerGroup::Private::refreshOffsets()
{
    if (members.empty())
        return;
    QList<TopicPartition> all;
    for (auto it = partitionCounts.cbegin(); it != partitionCounts.cend(); ++it) {
        for (int p = 0; p < it.value(); ++p)
            all.append(TopicPartition{it.key(), p});
    }
    ConsumerMember *asker = querier.get();
    // One budget for the whole refresh, not one per query: with the brokers down every query
    // runs to its timeout, and a refresh of dozens of partitions would hold this thread (and
    // anything queued to it, such as a stop) for as many seconds. What is not refreshed now
    // keeps its last value and is asked again on the next tick.
    const QDeadlineTimer budget(kQueryTimeoutMs);
    auto remainingMs = [&budget] { return int(std::max<qint64>(0, budget.remainingTime())); };
    bool complete = true;
    if (auto offsets = asker->committedOffsets(all, kQueryTimeoutMs); offsets) {
        for (auto it = offsets->cbegin(); it != offsets->cend(); ++it)
            committed.insert(it.key(), it.value());
    } else {
        lastError = offsets.error().message;
        complete = false;
    }
    for (const TopicPartition &tp : std::as_const(all)) {
        // An owner has them cached from its fetch responses; otherwise ask the leader.
        qint64 low = -1;
        qint64 high = -1;
        if (ConsumerMember *member = owner(tp); member && member->cachedWatermarks(tp, &low, &high)) {
            watermarks.insert(tp, {low, high});
        } else if (remainingMs() == 0) {
            complete = false;
        } else if (auto queried = asker->queryWatermarks(tp, remainingMs()); queried) {
            watermarks.insert(tp, *queried);
        } else {
            complete = false;
        }
    }
    // An error stays on show only while it is current.
    if (complete)
        lastError.clear();
    markDirty();
}

void ConsumerGroup::Private::markDirty()
{
    if (notifyTimer && !notifyTimer->isActive())
        notifyTimer->start();
}

ConsumerMember *ConsumerGroup::Private::owner(const TopicPartition &tp) const
{
    for (const auto &member : members) {
        if (member->owns(tp))
            return member.get();
    }
    return nullptr;
}

QList<MemberState> ConsumerGroup::Private::memberStates() const
{
    QList<MemberState> result;
    for (const auto &member : members) {
        MemberState state;
        state.id = member->id();
        state.clientId = member->clientId();
        state.groupMemberId = member->groupMemberId();
        state.assigned = member->assignment();
        state.handled = member->handledCount();
        state.inFlight = member->inFlightCount();
        result.append(state);
    }
    return result;
}

QList<PartitionState> ConsumerGroup::Private::partitionStates() const
{
    QList<PartitionState> result;
    for (auto it = partitionCounts.cbegin(); it != partitionCounts.cend(); ++it) {
        for (int p = 0; p < it.value(); ++p) {
            const TopicPartition tp{it.key(), p};
            PartitionState state;
            state.topic = tp.topic;
            state.partition = p;
            state.leader = leaders.value(tp, -1);
            state.committed = committed.value(tp, -1);
            const QPair<qint64, qint64> marks = watermarks.value(tp, {-1, -1});
            state.lowWatermark = marks.first;
            state.highWatermark = marks.second;
            if (ConsumerMember *member = owner(tp)) {
                state.owner = member->id();
                state.inFlightOffset = member->inFlightOffset(tp);
                // Fresher than the last refresh and free: librdkafka's cache.
                member->cachedWatermarks(tp, &state.lowWatermark, &state.highWatermark);
            }
            const qint64 base = state.committed >= 0 ? state.committed : state.lowWatermark;
            if (state.highWatermark >= 0 && base >= 0)
                state.lag = std::max<qint64>(0, state.highWatermark - base);
            result.append(state);
        }
    }
    return result;
}

ConsumerGroup::ConsumerGroup(QObject *parent) : QObject(parent), d(std::make_unique<Private>())
{
    d->q = this;
}

ConsumerGroup::~ConsumerGroup()
{
    // The timers are missing when create() failed before making them.
    for (QTimer *timer : {d->refreshTimer, d->topicTimer, d->notifyTimer}) {
        if (timer)
            timer->stop();
    }
    // Newest first, like setMemberCount(0); each leaves the group in librdkafka's order.
    [[maybe_unused]] const Result<void> removed = d->applyMemberCount(0);
    // Before the rest of Private: its error hook writes lastError.
    d->querier.reset();
}

Result<std::unique_ptr<ConsumerGroup>> ConsumerGroup::create(const ConsumerGroupSettings &settings)
{
    if (settings.bootstrap.trimmed().isEmpty() && !settings.properties.contains(u"bootstrap.servers"_s)
        && !settings.properties.contains(u"metadata.broker.list"_s))
        return Error{u"kafka_config_invalid"_s, u"Kafka consumer group: no bootstrap servers given"_s};
    if (settings.groupId.trimmed().isEmpty())
        return Error{u"kafka_config_invalid"_s, u"Kafka consumer group: the group id is empty"_s};
    const QRegularExpression pattern(settings.topicPattern);
    if (settings.topicPattern.isEmpty() || !pattern.isValid())
        return Error{u"kafka_config_invalid"_s,
                     u"Kafka consumer group: topic pattern \""_s % settings.topicPattern
                         % u"\" is not a valid regular expression: "_s
                         % (settings.topicPattern.isEmpty() ? u"it is empty"_s : pattern.errorString())};
    if (settings.memberCount < 0 || settings.memberCount > kMaxMembers)
        return Error{u"kafka_config_invalid"_s, u"Kafka consumer group: member count "_s
                                                    % QString::number(settings.memberCount) % u" is not within 0.."_s
                                                    % QString::number(kMaxMembers)};
    if (settings.stateRefreshMs <= 0 || settings.topicRefreshMs <= 0)
        return Error{u"kafka_config_invalid"_s, u"Kafka consumer group: refresh intervals must be positive, got "_s
                                                    % QString::number(settings.stateRefreshMs) % u" and "_s
                                                    % QString::number(settings.topicRefreshMs) % u" ms"_s};

    std::unique_ptr<ConsumerGroup> group(new ConsumerGroup());
    Private *d = group->d.get();
    d->settings = settings;
    d->settings.groupId = settings.groupId.trimmed();
    d->pattern = pattern;
    // Every property is checked even when the group starts without members.
    if (Result<void> valid = ConsumerMember::validate(d->memberProperties(settings.clientIdPrefix)); !valid)
        return valid.error();
    ConsumerMember::Hooks queryHooks;
    queryHooks.error = [d](const QString &message) { d->recordError(message); };
    auto querier = ConsumerMember::create(u"queries"_s, d->memberProperties(settings.clientIdPrefix % u"-queries"_s),
                                          std::move(queryHooks));
    if (!querier)
        return querier.error();
    d->querier = std::move(querier).value();

    d->notifyTimer = new QTimer(group.get());
    d->notifyTimer->setSingleShot(true);
    d->notifyTimer->setInterval(kStateSignalCoalesceMs);
    connect(d->notifyTimer, &QTimer::timeout, group.get(), [q = group.get()] { emit q->stateChanged(); });

    d->refreshTimer = new QTimer(group.get());
    d->refreshTimer->setInterval(settings.stateRefreshMs);
    connect(d->refreshTimer, &QTimer::timeout, group.get(), [d] {
        for (const auto &member : d->members)
            member->poll();
        d->refreshOffsets();
    });
    d->topicTimer = new QTimer(group.get());
    d->topicTimer->setInterval(settings.topicRefreshMs);
    connect(d->topicTimer, &QTimer::timeout, group.get(), [d] { d->refreshTopics(); });

    if (Result<void> started = d->applyMemberCount(settings.memberCount); !started)
        return started.error();
    d->refreshTimer->start();
    d->topicTimer->start();
    return group;
}

void ConsumerGroup::setHandler(RecordHandler handler)
{
    d->handler = std::move(handler);
    for (const auto &member : d->members)
        member->setHandler(d->memberHandler());
}

Result<void> ConsumerGroup::setMemberCount(int count)
{
    if (count < 0 || count > kMaxMembers)
        return Error{u"kafka_config_invalid"_s, u"Consumer group member count "_s % QString::number(count)
                                                    % u" is not within 0.."_s % QString::number(kMaxMembers)};
    if (d->handlerDepth > 0) {
        // Called from the handler: a member must not be destroyed while it hands out a record.
        QMetaObject::invokeMethod(
            this,
            [this, count] {
                if (Result<void> applied = d->applyMemberCount(count); !applied)
                    d->lastError = applied.error().message;
            },
            Qt::QueuedConnection);
        return {};
    }
    return d->applyMemberCount(count);
}

int ConsumerGroup::memberCount() const
{
    return int(d->members.size());
}

ConsumerGroupState ConsumerGroup::state() const
{
    ConsumerGroupState state;
    state.groupId = d->settings.groupId;
    state.topics = d->topics;
    state.members = d->memberStates();
    state.partitions = d->partitionStates();
    state.rebalances = d->rebalances;
    state.handled = d->handled;
    state.completed = d->completed;
    state.dropped = d->dropped;
    state.lastError = d->lastError;
    return state;
}

QList<MemberState> ConsumerGroup::members() const
{
    return d->memberStates();
}

QList<PartitionState> ConsumerGroup::partitions() const
{
    return d->partitionStates();
}

QList<RebalanceEvent> ConsumerGroup::rebalanceLog() const
{
    return d->rebalances;
}

QStringList ConsumerGroup::topics() const
{
    return d->topics;
}

void ConsumerGroup::refreshNow()
{
    d->refreshTopics();
    d->refreshOffsets();
}

} // namespace hookbench::kafka
