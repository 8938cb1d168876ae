#include "core/processing/event_processor.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QPointer>
#include <QRegularExpression>
#include <QThread>
#include <QTimer>

#include "core/processing/event_processor_p.h"
#include "core/processing/http_forwarder.h"
#include "core/processing/simulate_handler.h"
#include "core/store/journal_writer.h"

using namespace Qt::StringLiterals;

namespace hookbench::processing {

using detail::kActivityBatchMs;
using detail::kStoreRetryMs;
using detail::kSubscriptionRefreshMs;
using detail::retryTopic;

// ---- EventProcessor ----

EventProcessor::EventProcessor(QObject *parent) : QObject(parent), d(std::make_unique<Private>())
{
    d->q = this;
    d->activityTimer = new QTimer(this);
    d->activityTimer->setSingleShot(true);
    d->activityTimer->setInterval(kActivityBatchMs);
    connect(d->activityTimer, &QTimer::timeout, this, [this] {
        if (d->activityBuffer.isEmpty())
            return;
        const QList<ProcessingActivity> batch = std::exchange(d->activityBuffer, {});
        Q_EMIT activity(batch);
    });
}

EventProcessor::~EventProcessor()
{
    // Order matters: nothing may call back into a half-destroyed processor. The group goes first
    // (it commits what completed and leaves), then the forwarder (aborts requests silently), then
    // the producer (its bounded flush emits reports nobody listens to any more). Writes still
    // queued are committed first, so their records are not handled again after a restart.
    if (d->batcher && !d->batcher->isEmpty() && QThread::currentThread() == thread())
        d->batcher->flush();
    // Writes handed to the journal writer report back to this object: wait until the writer has
    // posted those reports (Qt drops them with this object) so it never posts to a freed one.
    if (d->batcher && d->batcher->inFlight() > 0 && d->env.writer)
        d->env.writer->sync();
    if (d->group) {
        d->group->disconnect(this);
        d->group.reset();
    }
    delete d->forwarder;
    d->forwarder = nullptr;
    if (d->producer) {
        d->producer->disconnect(this);
        d->producer.reset();
    }
    d->jobs.clear();
}

Result<std::unique_ptr<EventProcessor>> EventProcessor::create(ProcessorEnvironment env)
{
    qRegisterMetaType<ProcessingActivity>();
    qRegisterMetaType<QList<ProcessingActivity>>();
    qRegisterMetaType<kafka::ConsumerGroupState>();
    if (!env.clock)
        env.clock = &SystemClock::instance();
    if (env.config.consumers.count < 0 || env.config.consumers.count > kafka::ConsumerGroup::kMaxMembers) {
        return Error{u"config_invalid"_s, u"event processor: consumers.count %1 is not within 0..%2"_s.arg(
                                              QString::number(env.config.consumers.count),
                                              QString::number(kafka::ConsumerGroup::kMaxMembers))};
    }

    std::unique_ptr<EventProcessor> p(new EventProcessor());
    Private &d = *p->d;
    d.env = std::move(env);
    d.describeMetrics();

    Result<std::unique_ptr<store::Database>> db = store::Database::open(d.env.databasePath, store::OpenMode::ReadWrite);
    if (!db) {
        return Error{db.error().code,
                     u"event processor: cannot open the database %1: %2"_s.arg(d.env.databasePath, db.error().message)};
    }
    d.db = std::move(*db);
    d.store = std::make_unique<store::ProcessingStore>(*d.db);
    d.batcher = std::make_unique<StoreBatcher>(*d.db, p.get(), kStoreRetryMs, 512, d.env.writer);
    d.planner = std::make_unique<DeliveryPlanner>(*d.store, kSubscriptionRefreshMs);

    kafka::ProducerSettings producerSettings;
    producerSettings.bootstrap = d.env.bootstrap;
    producerSettings.properties = d.env.config.kafka.properties;
    // Retry and DLQ copies carry the original value and headers plus a few of their own.
    producerSettings.maxMessageBytes = d.env.config.maxRecordBytes() + 64 * 1024;
    d.producerSettings = producerSettings;
    if (Result<void> created = d.createProducer(); !created) {
        return Error{created.error().code,
                     u"event processor: cannot create the retry/DLQ producer: "_s % created.error().message};
    }

    d.forwarder = new HttpForwarder(*d.env.clock, p.get());
    d.defaultPolicy = std::make_shared<RetryPolicy>(d.env.config.retry, *d.env.clock);
    QStringList extraTopics; // sources with a topic outside webhooks.*
    for (const config::SourceConfig &source : std::as_const(d.env.config.sources)) {
        d.policies.insert(source.name,
                          std::make_shared<RetryPolicy>(d.env.config.effectiveRetry(source), *d.env.clock));
        if (source.simulate)
            d.simulators.insert(source.name, std::make_shared<SimulateHandler>(*source.simulate));
        d.liveSettings.insert(source.name, {d.env.config.effectiveRetry(source), source.simulate});
        const QString topic = source.effectiveTopic();
        if (!topic.startsWith(u"webhooks."_s))
            extraTopics.append(QRegularExpression::escape(topic));
        // Made before the group starts, so its first subscription already has them and a first
        // retry does not cost a rebalance.
        if (d.env.cluster) {
            d.ensureTopic(topic);
            const RetrySettings &retry = d.env.config.effectiveRetry(source);
            if (retry.strategy == RetrySettings::Strategy::Topics) {
                for (int n = 1; n <= std::max(1, retry.maxAttempts - 1); ++n) {
                    d.ensureTopic(retryTopic(source.name, n));
                    d.subscribedTopics.insert(retryTopic(source.name, n));
                }
            }
        }
    }
    if (d.env.cluster)
        d.ensureTopic(detail::dlqTopic());

    kafka::ConsumerGroupSettings groupSettings;
    groupSettings.bootstrap = d.env.bootstrap;
    groupSettings.groupId = d.env.config.consumers.group;
    groupSettings.memberCount = d.env.config.consumers.count;
    groupSettings.properties = d.env.config.kafka.properties;
    groupSettings.maxMessageBytes = d.env.config.maxRecordBytes() + 64 * 1024;
    groupSettings.stateRefreshMs = d.env.stateRefreshMs;
    if (!extraTopics.isEmpty())
        groupSettings.topicPattern = u"^(webhooks\\..*|"_s % extraTopics.join(u'|') % u")$"_s;
    Result<std::unique_ptr<kafka::ConsumerGroup>> group = kafka::ConsumerGroup::create(groupSettings);
    if (!group)
        return Error{group.error().code,
                     u"event processor: cannot start the consumer group: "_s % group.error().message};
    d.group = std::move(*group);
    connect(d.group.get(), &kafka::ConsumerGroup::stateChanged, p.get(), [&d] {
        d.refreshSnapshot();
        Q_EMIT d.q->stateChanged();
    });
    d.group->setHandler(
        [&d](const kafka::ConsumedRecord &record, kafka::Completion completion) { d.onRecord(record, completion); });
    d.refreshSnapshot();
    return p;
}

Result<void> EventProcessor::setConsumerCount(int count)
{
    if (count < 0 || count > kafka::ConsumerGroup::kMaxMembers) {
        return Error{u"invalid_argument"_s,
                     u"consumer count %1 is not within 0..%2"_s.arg(
                         QString::number(count), QString::number(kafka::ConsumerGroup::kMaxMembers))};
    }
    QMetaObject::invokeMethod(
        this,
        [this, count] {
            if (!d->group || d->stopping)
                return;
            if (Result<void> r = d->group->setMemberCount(count); !r)
                qCWarning(lcProcessor).noquote() << "cannot change the consumer count:" << r.error().message;
        },
        Qt::QueuedConnection);
    return {};
}

void EventProcessor::setRetrySettings(const config::Config &config)
{
    QMetaObject::invokeMethod(
        this,
        [this, retry = config.retry] {
            d->env.config.retry = retry;
            d->defaultPolicy = std::make_shared<RetryPolicy>(retry, *d->env.clock);
        },
        Qt::QueuedConnection);
    // Through the per-source path, so sourceSettings() and the retry topics follow too; a source
    // the running processor does not have (added since the start) is "not_found" and waits for a
    // restart like every new source.
    for (const config::SourceConfig &source : config.sources)
        (void)setRetrySettings(source.name, config.effectiveRetry(source));
}

Result<void> EventProcessor::setRetrySettings(const QString &source, const RetrySettings &settings)
{
    {
        const std::lock_guard lock(d->mutex);
        const auto it = d->liveSettings.find(source);
        if (it == d->liveSettings.end())
            return Error{u"not_found"_s, u"no source named '%1' to set retry settings for"_s.arg(source)};
        it->first = settings;
    }
    QMetaObject::invokeMethod(
        this,
        [this, source, settings] {
            d->applyRetry(source, settings);
            Q_EMIT settingsChanged(source);
        },
        Qt::QueuedConnection);
    return {};
}

Result<void> EventProcessor::setSimulateSettings(const QString &source, const std::optional<SimulateSettings> &settings)
{
    {
        const std::lock_guard lock(d->mutex);
        const auto it = d->liveSettings.find(source);
        if (it == d->liveSettings.end())
            return Error{u"not_found"_s, u"no source named '%1' to set simulate settings for"_s.arg(source)};
        it->second = settings;
    }
    QMetaObject::invokeMethod(
        this,
        [this, source, settings] {
            d->applySimulate(source, settings);
            Q_EMIT settingsChanged(source);
        },
        Qt::QueuedConnection);
    return {};
}

Result<QPair<RetrySettings, std::optional<SimulateSettings>>>
EventProcessor::sourceSettings(const QString &source) const
{
    const std::lock_guard lock(d->mutex);
    const auto it = d->liveSettings.constFind(source);
    if (it == d->liveSettings.constEnd())
        return Error{u"not_found"_s, u"no source named '%1'"_s.arg(source)};
    return *it;
}

kafka::ConsumerGroupState EventProcessor::snapshot() const
{
    const std::lock_guard lock(d->mutex);
    return d->snapshot;
}

ProcessorStats EventProcessor::stats() const
{
    ProcessorStats s;
    {
        const std::lock_guard lock(d->mutex);
        s = d->stats;
    }
    if (d->batcher) {
        s.storeTransactions = d->batcher->transactions();
        s.storeWrites = d->batcher->writes();
        s.storeFailures = d->batcher->failures();
    }
    return s;
}

QList<ScheduledRetry> EventProcessor::scheduledRetries() const
{
    const std::lock_guard lock(d->mutex);
    return d->scheduled;
}

void EventProcessor::retryNow(quint64 jobId, QObject *context, std::function<void(const Result<void> &)> done)
{
    QPointer<QObject> ctx(context);
    QMetaObject::invokeMethod(
        this,
        [this, jobId, ctx, done = std::move(done)] {
            const Result<void> r = d->retryNow(jobId);
            if (ctx && done)
                QMetaObject::invokeMethod(
                    ctx.data(), [done, r] { done(r); }, Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

void EventProcessor::giveUp(quint64 jobId, QObject *context, std::function<void(const Result<void> &)> done)
{
    QPointer<QObject> ctx(context);
    QMetaObject::invokeMethod(
        this,
        [this, jobId, ctx, done = std::move(done)] {
            const Result<void> r = d->giveUp(jobId);
            if (ctx && done)
                QMetaObject::invokeMethod(
                    ctx.data(), [done, r] { done(r); }, Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

void EventProcessor::stop(int timeoutMs)
{
    if (QThread::currentThread() != thread()) {
        QMetaObject::invokeMethod(
            this, [this, timeoutMs] { stop(timeoutMs); }, Qt::BlockingQueuedConnection);
        return;
    }
    d->stopping = true;
    if (!d->jobs.empty()) {
        // Records in progress finish through this thread's events (HTTP replies, timers, delivery
        // reports), so a local loop runs them until they are done or the deadline passes.
        const QDeadlineTimer deadline(timeoutMs);
        QEventLoop loop;
        QTimer poll;
        poll.setInterval(20);
        connect(&poll, &QTimer::timeout, &loop, [this, &loop, &deadline] {
            if (d->jobs.empty() || deadline.hasExpired())
                loop.quit();
        });
        poll.start();
        loop.exec();
    }
    // Writes queued or waiting for a retry get one more try: a committed mark completes its record.
    if (!d->batcher->isEmpty()) {
        d->batcher->flushAll();
        // Handed to the journal writer: their commits are reported through this thread's queue.
        // sync() returns once the writer has committed them and posted the reports, so none is
        // posted later to a processor being deleted; the loop then runs the reports.
        if (d->batcher->inFlight() > 0 && d->env.writer) {
            d->env.writer->sync();
            const QDeadlineTimer deadline(std::max(timeoutMs, 2000));
            QEventLoop loop;
            QTimer poll;
            poll.setInterval(5);
            connect(&poll, &QTimer::timeout, &loop, [this, &loop, &deadline] {
                if (d->batcher->inFlight() == 0 || deadline.hasExpired())
                    loop.quit();
            });
            poll.start();
            loop.exec();
        }
    }
    if (d->group) {
        // Leaving commits what completed; what is still in progress is redelivered later.
        if (Result<void> r = d->group->setMemberCount(0); !r)
            qCWarning(lcProcessor).noquote() << "cannot stop the consumers:" << r.error().message;
    }
    d->activityTimer->stop();
    if (!d->activityBuffer.isEmpty())
        Q_EMIT activity(std::exchange(d->activityBuffer, {}));
}

} // namespace hookbench::processing
