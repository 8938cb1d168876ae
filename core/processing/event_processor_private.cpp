#include "core/processing/event_processor_p.h"

#include <algorithm>
#include <limits>
#include <memory>

#include <QTimer>

#include "core/kafka/embedded_cluster.h"
#include "core/metrics/metrics_registry.h"
#include "core/processing/http_forwarder.h"
#include "core/processing/simulate_handler.h"

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcProcessor, "hookbench.processing.processor")

namespace hookbench::processing {

using detail::Job;
using detail::KeyId;
using detail::kStoreRetryMs;
using detail::Outcome;
using detail::PendingProduce;

namespace {

constexpr int kProduceRetryMs = 1000; // a retry/DLQ copy Kafka did not take: produced again

const QString kAttemptsMetric = u"delivery_attempts_total"_s;
const QString kDlqMetric = u"dlq_events_total"_s;
const QString kLagMetric = u"consumer_lag"_s;
const QString kProcessedMetric = u"events_processed_total"_s;
const QString kRetriedMetric = u"events_retried_total"_s;
const QString kRedeliveredMetric = u"events_redelivered_total"_s;

// The retry topic of a retry that will be attempt `nextAttempt`: retry.1 holds the first retry
// (attempt 2), so a schedule of max_attempts deliveries uses retry.1 .. retry.<max_attempts - 1>.
int retryTopicNumber(int nextAttempt, int maxAttempts)
{
    return std::clamp(nextAttempt - 1, 1, std::max(1, maxAttempts - 1));
}

int timerMs(qint64 ms)
{
    return int(std::clamp<qint64>(ms, 0, std::numeric_limits<int>::max()));
}

} // namespace

void EventProcessor::Private::describeMetrics()
{
    if (!env.metrics)
        return;
    env.metrics->describeCounter(kAttemptsMetric, u"Handler attempts by outcome (success, transient, permanent)"_s);
    env.metrics->describeCounter(kDlqMetric,
                                 u"Records sent to webhooks.dlq by source and error (permanent, exhausted)"_s);
    env.metrics->describeGauge(kLagMetric, u"Records not consumed yet per topic partition and consumer group"_s);
    env.metrics->describeCounter(kProcessedMetric, u"Records marked processed by source"_s);
    env.metrics->describeCounter(kRetriedMetric, u"Transient failures that were retried, by source"_s);
    env.metrics->describeCounter(kRedeliveredMetric,
                                 u"Records skipped as already processed or dead-lettered, by source"_s);
}

void EventProcessor::Private::ensureTopic(const QString &topic)
{
    if (createdTopics.contains(topic))
        return;
    if (env.cluster) {
        if (Result<void> r = env.cluster->ensureTopic(topic); !r) {
            // The produce still goes ahead: the cluster auto-creates the topic, with its default
            // partition count.
            qCWarning(lcProcessor).noquote() << "cannot create topic" << topic << ":" << r.error().message;
            return;
        }
    }
    createdTopics.insert(topic);
}

void EventProcessor::Private::applyRetry(const QString &source, const RetrySettings &settings)
{
    for (config::SourceConfig &s : env.config.sources) {
        if (s.name == source)
            s.retry = settings;
    }
    policies.insert(source, std::make_shared<RetryPolicy>(settings, *env.clock));
    if (settings.strategy == RetrySettings::Strategy::Topics && env.cluster) {
        // Made now, so the first retry does not wait for a topic refresh of the group.
        bool added = false;
        for (int n = 1; n <= std::max(1, settings.maxAttempts - 1); ++n) {
            ensureTopic(detail::retryTopic(source, n));
            if (!subscribedTopics.contains(detail::retryTopic(source, n))) {
                subscribedTopics.insert(detail::retryTopic(source, n));
                added = true;
            }
        }
        if (added && group)
            group->refreshNow();
    }
}

void EventProcessor::Private::applySimulate(const QString &source, const std::optional<SimulateSettings> &settings)
{
    for (config::SourceConfig &s : env.config.sources) {
        if (s.name == source)
            s.simulate = settings;
    }
    if (settings)
        simulators.insert(source, std::make_shared<SimulateHandler>(*settings));
    else
        simulators.remove(source);
}

void EventProcessor::Private::refreshSnapshot()
{
    if (!group)
        return;
    kafka::ConsumerGroupState state = group->state();
    if (env.metrics) {
        for (const kafka::PartitionState &p : state.partitions) {
            if (p.lag < 0)
                continue;
            env.metrics->setGauge(
                kLagMetric,
                {{u"topic"_s, p.topic}, {u"partition"_s, QString::number(p.partition)}, {u"group"_s, state.groupId}},
                double(p.lag));
        }
    }
    const std::lock_guard lock(mutex);
    snapshot = std::move(state);
}

void EventProcessor::Private::later(int ms, std::function<void()> fn)
{
    QTimer::singleShot(ms, Qt::PreciseTimer, q, std::move(fn));
}

// Runs fn once the clock reaches dueAtMs. The clock is checked again when the timer fires, so a
// timer that fires a little early never makes a retry earlier than the schedule said.
void EventProcessor::Private::at(qint64 dueAtMs, std::function<void()> fn)
{
    const qint64 wait = dueAtMs - now();
    if (wait <= 0) {
        later(0, std::move(fn));
        return;
    }
    later(timerMs(wait), [this, dueAtMs, fn = std::move(fn)]() mutable { at(dueAtMs, std::move(fn)); });
}

void EventProcessor::Private::waitFor(quint64 id, qint64 dueAtMs, bool retryTopic, std::function<void()> fn)
{
    Job *job = this->job(id);
    if (!job)
        return;
    job->resume = std::move(fn);
    job->waitDueAtMs = dueAtMs;
    job->waitingOnRetryTopic = retryTopic;
    const quint64 token = ++job->waitToken;
    publishScheduled();
    at(dueAtMs, [this, id, token] { resumeWait(id, token); });
}

bool EventProcessor::Private::endWait(Job &job)
{
    if (!job.resume)
        return false;
    job.resume = nullptr;
    job.waitDueAtMs = 0;
    ++job.waitToken; // the timer still pending finds another token and does nothing
    publishScheduled();
    return true;
}

void EventProcessor::Private::resumeWait(quint64 id, quint64 token)
{
    Job *job = this->job(id);
    if (!job || job->waitToken != token || !job->resume)
        return;
    std::function<void()> fn = std::move(job->resume);
    endWait(*job);
    fn();
}

void EventProcessor::Private::publishScheduled()
{
    QList<ScheduledRetry> list;
    for (const auto &[id, job] : jobs) {
        if (!job->resume)
            continue;
        ScheduledRetry r;
        r.jobId = id;
        r.journalId = job->envelope.journalId;
        r.source = job->envelope.source;
        r.entityKey = job->record.key;
        r.eventType = job->envelope.eventType;
        r.topic = job->record.topic;
        r.partition = job->record.partition;
        r.offset = job->record.offset;
        r.attempt = job->attempt;
        r.dueAtMs = job->waitDueAtMs;
        r.lastError = job->lastError;
        r.strategy =
            job->waitingOnRetryTopic ? ScheduledRetry::Strategy::RetryTopic : ScheduledRetry::Strategy::Blocking;
        list.append(std::move(r));
    }
    std::stable_sort(list.begin(), list.end(),
                     [](const ScheduledRetry &a, const ScheduledRetry &b) { return a.dueAtMs < b.dueAtMs; });
    const std::lock_guard lock(mutex);
    scheduled = std::move(list);
}

Result<void> EventProcessor::Private::retryNow(quint64 id)
{
    Job *job = this->job(id);
    if (!job || !job->resume)
        return Error{u"not_found"_s, u"job %1 is not waiting for a retry (attempted or finished meanwhile)"_s.arg(id)};
    // A retry-topic copy checks its due time again in begin(): it is due now.
    job->envelope.dueAtMs = 0;
    std::function<void()> fn = std::move(job->resume);
    endWait(*job);
    fn();
    return {};
}

Result<void> EventProcessor::Private::giveUp(quint64 id)
{
    Job *job = this->job(id);
    if (!job || !job->resume)
        return Error{u"not_found"_s, u"job %1 is not waiting for a retry (attempted or finished meanwhile)"_s.arg(id)};
    endWait(*job);
    const QString last = job->lastError.isEmpty() ? u"see the attempts"_s : job->lastError;
    deadLetter(id, u"given up by the user after %1 attempts: %2"_s.arg(QString::number(job->attemptsMade), last),
               ErrorClass::Transient);
    return {};
}

ProcessingActivity EventProcessor::Private::activityFor(ProcessingActivity::Kind kind, const Job &job) const
{
    ProcessingActivity a;
    a.kind = kind;
    a.timeMs = now();
    a.journalId = job.envelope.journalId;
    a.source = job.envelope.source;
    a.idempotencyKey = job.envelope.idempotencyKey;
    a.entityKey = job.record.key;
    a.eventType = job.envelope.eventType;
    a.topic = job.record.topic;
    a.partition = job.record.partition;
    a.offset = job.record.offset;
    a.consumer = job.record.memberId;
    a.attempt = job.attempt;
    return a;
}

void EventProcessor::Private::emitActivity(ProcessingActivity activity)
{
    activityBuffer.append(std::move(activity));
    if (!activityTimer->isActive())
        activityTimer->start();
}

void EventProcessor::Private::onRecord(const kafka::ConsumedRecord &record, kafka::Completion completion)
{
    if (stopping)
        return; // not completed: the partition's next owner gets it again
    auto job = std::make_unique<Job>();
    job->id = nextJobId++;
    job->record = record;
    job->completion = std::move(completion);
    job->envelope = RecordEnvelope::parse(record);
    job->attempt = job->envelope.attempt;
    job->attemptsMade = job->envelope.attempt - 1;
    job->firstFailureAtMs = job->envelope.firstFailureAtMs;
    job->lastError = job->envelope.lastError;
    const quint64 id = job->id;

    const KeyId key{job->envelope.source, job->envelope.idempotencyKey};
    bool park = false;
    if (!key.first.isEmpty() && !key.second.isEmpty()) {
        if (const auto it = activeByKey.constFind(key); it != activeByKey.constEnd()) {
            Job *active = this->job(*it);
            if (active && active->record.topic == record.topic && active->record.partition == record.partition
                && active->record.offset == record.offset) {
                // The same record again after a rebalance: the old Completion is void now, the
                // running job finishes it with the new owner's.
                active->completion = std::move(job->completion);
                active->record.memberId = record.memberId;
                return;
            }
            // Another copy of a key in progress (a duplicate on another partition): handled
            // after it, when the processed check can tell.
            park = true;
            parked[key].append(id);
        } else {
            activeByKey.insert(key, id);
        }
    }
    jobs.emplace(id, std::move(job));
    updateStats([](ProcessorStats &) {});
    if (!park)
        begin(id);
}

void EventProcessor::Private::begin(quint64 id)
{
    Job *job = this->job(id);
    if (!job)
        return;
    const RecordEnvelope &envelope = job->envelope;
    if (envelope.source.isEmpty() || envelope.idempotencyKey.isEmpty()) {
        const QString missing = envelope.source.isEmpty() ? u"hookbench-source"_s : u"idempotency-key"_s;
        deadLetter(id,
                   u"record %1/%2/%3 has no %4 header: it was not produced by the receiver"_s.arg(
                       job->record.topic, QString::number(job->record.partition), QString::number(job->record.offset),
                       missing),
                   ErrorClass::Permanent);
        return;
    }
    // Handled before: processed, or dead-lettered (a redelivery of a record whose partition moved
    // before its offset was committed must not be attempted, and dead-lettered, again).
    Result<bool> processed = store->isHandled(envelope.source, envelope.idempotencyKey, envelope.journalId);
    if (!processed) {
        qCWarning(lcProcessor).noquote() << "processed check failed, trying again:" << processed.error().message;
        later(kStoreRetryMs, [this, id] { begin(id); });
        return;
    }
    if (*processed) {
        emitActivity(activityFor(ProcessingActivity::Kind::Redelivered, *job));
        count(kRedeliveredMetric, {{u"source"_s, envelope.source}});
        updateStats([](ProcessorStats &s) { ++s.redelivered; });
        finish(id);
        return;
    }
    if (envelope.dueAtMs > now()) {
        // A retry-topic copy read before its time: the partition waits for it (and the copies
        // behind it are due later still, as every copy on retry.<n> waited the same schedule).
        waitFor(id, envelope.dueAtMs, true, [this, id] { begin(id); });
        return;
    }
    if (Result<void> r = planner->refreshIfStale(); !r)
        qCWarning(lcProcessor).noquote() << "cannot re-read subscriptions, using the last copy:" << r.error().message;
    const config::SourceConfig *source = env.config.source(envelope.source);
    const bool simulate = source && source->simulate.has_value();
    job->pending = envelope.pendingSubscriptions ? planner->planPending(*envelope.pendingSubscriptions, simulate)
                                                 : planner->plan(envelope.eventType, simulate);
    if (job->pending.isEmpty()) {
        markDone(id, ProcessingActivity::Kind::NoHandler);
        return;
    }
    attempt(id);
}

void EventProcessor::Private::attempt(quint64 id)
{
    Job *job = this->job(id);
    if (!job)
        return;
    job->attemptStartedAtMs = now();
    job->outcomes.clear();
    job->outstanding = int(job->pending.size());
    emitActivity(activityFor(ProcessingActivity::Kind::Started, *job));

    ProcessingRecord record;
    record.source = job->envelope.source;
    record.idempotencyKey = job->envelope.idempotencyKey;
    record.entityKey = job->record.key;
    record.eventType = job->envelope.eventType;
    record.contentType = job->envelope.contentType;
    record.body = job->record.value;
    record.attempt = job->attempt;
    // Copied: a synchronous failure below may end the job and free `pending`.
    const QList<Delivery> deliveries = job->pending;
    for (const Delivery &delivery : deliveries) {
        auto done = [this, id, delivery](const ForwardOutcome &outcome) { onOutcome(id, delivery, outcome); };
        if (delivery.isSimulate()) {
            // planPending drops simulate when the source has no simulate settings, so sim is set,
            // unless the settings were switched off live since: then the handler has nothing to do.
            if (const auto sim = simulators.value(record.source)) {
                sim->handle(record, q, std::move(done));
            } else {
                ForwardOutcome ok;
                ok.ok = true;
                QMetaObject::invokeMethod(
                    q, [done = std::move(done), ok] { done(ok); }, Qt::QueuedConnection);
            }
        } else {
            forwarder->forward(ForwardRequest{delivery.target, record}, q, std::move(done));
        }
    }
}

void EventProcessor::Private::onOutcome(quint64 id, const Delivery &delivery, const ForwardOutcome &outcome)
{
    Job *job = this->job(id);
    if (!job)
        return;
    job->outcomes.append(Outcome{delivery, outcome, now()});
    if (--job->outstanding > 0)
        return;
    concludeAttempt(id);
}

void EventProcessor::Private::concludeAttempt(quint64 id)
{
    Job *job = this->job(id);
    if (!job)
        return;
    const QString &source = job->envelope.source;
    QList<Delivery> failed;
    std::optional<QString> permanentError;
    QString lastError;
    std::optional<qint64> retryAfterMs;
    for (const Outcome &o : std::as_const(job->outcomes)) {
        if (o.outcome.ok)
            continue;
        failed.append(o.delivery);
        const QString error = o.delivery.isSimulate() ? QString(u"simulate: "_s % o.outcome.error)
                                                      : u"subscription "_s % QString::number(o.delivery.subscriptionId)
                                                            % u": "_s % o.outcome.error;
        if (o.outcome.cls == ErrorClass::Permanent && !permanentError)
            permanentError = error;
        lastError = error;
        if (o.outcome.retryAfterMs)
            retryAfterMs = std::max(retryAfterMs.value_or(0), *o.outcome.retryAfterMs);
    }
    ++job->attemptsMade;
    // When its last outcome came in, as recorded on the attempt rows: a fresh clock read here
    // could be a millisecond later than the rows say.
    const qint64 finishedAt = job->outcomes.isEmpty() ? now() : job->outcomes.last().finishedAtMs;
    if (!failed.isEmpty()) {
        if (job->firstFailureAtMs == 0)
            job->firstFailureAtMs = finishedAt;
        job->lastFailureAtMs = finishedAt;
    }
    RetryPolicy::Decision decision;
    if (!failed.isEmpty() && !permanentError)
        decision = policy(source).next(job->attemptsMade, retryAfterMs);

    for (const Outcome &o : std::as_const(job->outcomes)) {
        store::AttemptRow row;
        row.journalId = job->envelope.journalId;
        row.source = source;
        row.idempotencyKey = job->envelope.idempotencyKey;
        row.topic = job->record.topic;
        row.partition = job->record.partition;
        row.offset = job->record.offset;
        row.attempt = job->attempt;
        row.consumer = job->record.memberId;
        row.startedAtMs = job->attemptStartedAtMs;
        row.finishedAtMs = o.finishedAtMs;
        row.outcome = o.outcome.ok                             ? store::AttemptOutcome::Success
                      : o.outcome.cls == ErrorClass::Permanent ? store::AttemptOutcome::Permanent
                                                               : store::AttemptOutcome::Transient;
        row.httpStatus = o.outcome.httpStatus;
        row.error = o.outcome.error;
        row.nextDueAtMs = row.outcome == store::AttemptOutcome::Transient && decision.retry ? decision.dueAtMs : 0;
        row.subscriptionId = o.delivery.subscriptionId;
        // The history is for people; a failed insert must not hold the record back.
        batcher->addBestEffort(u"record attempt %1 of journal entry %2"_s.arg(QString::number(row.attempt),
                                                                              QString::number(row.journalId)),
                               [row](store::ProcessingStore &writeStore) -> Result<void> {
                                   if (Result<qint64> r = writeStore.recordAttempt(row); !r)
                                       return r.error();
                                   return {};
                               });
        count(kAttemptsMetric, {{u"outcome"_s, store::attemptOutcomeName(row.outcome)}});
    }
    updateStats([job](ProcessorStats &s) { s.attempts += job->outcomes.size(); });
    job->pending = failed;

    if (failed.isEmpty()) {
        markDone(id, ProcessingActivity::Kind::Succeeded);
        return;
    }
    if (permanentError) {
        deadLetter(id, *permanentError, ErrorClass::Permanent);
        return;
    }
    if (!decision.retry) {
        deadLetter(id, u"attempts exhausted after %1: %2"_s.arg(QString::number(job->attemptsMade), lastError),
                   ErrorClass::Transient);
        return;
    }
    ProcessingActivity retrying = activityFor(ProcessingActivity::Kind::Retrying, *job);
    retrying.error = lastError;
    retrying.nextDueAtMs = decision.dueAtMs;
    emitActivity(std::move(retrying));
    count(kRetriedMetric, {{u"source"_s, source}});
    updateStats([](ProcessorStats &s) { ++s.retries; });

    if (strategy(source) == RetrySettings::Strategy::Blocking) {
        job->attempt = decision.nextAttempt;
        job->lastError = lastError;
        waitFor(id, decision.dueAtMs, false, [this, id] { attempt(id); });
    } else {
        job->lastError = lastError;
        produceRetry(id, decision);
    }
}

void EventProcessor::Private::markDone(quint64 id, ProcessingActivity::Kind kind)
{
    Job *job = this->job(id);
    if (!job)
        return;
    const QString source = job->envelope.source;
    const QByteArray key = job->envelope.idempotencyKey;
    const qint64 journalId = job->envelope.journalId;
    // Not completed before the mark is committed: until then the job stays active, so a copy of
    // the same key is parked rather than checked against a mark that is not written yet. A failed
    // write is tried again by the batcher and the partition waits for the database.
    batcher->add(
        u"mark %1/%2 processed"_s.arg(source, QString::fromUtf8(key)),
        [source, key, journalId, markedAt = now()](store::ProcessingStore &writeStore) -> Result<void> {
            if (Result<bool> marked = writeStore.markProcessed(source, key, journalId, markedAt); !marked)
                return marked.error();
            return {};
        },
        [this, id, kind] {
            Job *done = this->job(id);
            if (!done)
                return;
            emitActivity(activityFor(kind, *done));
            count(kProcessedMetric, {{u"source"_s, done->envelope.source}});
            updateStats([](ProcessorStats &s) { ++s.processed; });
            finish(id);
        });
}

void EventProcessor::Private::produceRetry(quint64 id, const RetryPolicy::Decision &decision)
{
    Job *job = this->job(id);
    if (!job)
        return;
    const RecordEnvelope &envelope = job->envelope;
    const int n = retryTopicNumber(decision.nextAttempt, policy(envelope.source).settings().maxAttempts);
    QList<qint64> pendingIds;
    for (const Delivery &d : std::as_const(job->pending))
        pendingIds.append(d.subscriptionId);
    PendingProduce produce;
    produce.kind = PendingProduce::Kind::Retry;
    produce.jobId = id;
    produce.request.topic = detail::retryTopic(envelope.source, n);
    produce.request.key = job->record.key;
    produce.request.value = job->record.value;
    produce.request.headers = envelope.retryHeaders(decision.nextAttempt, decision.dueAtMs, pendingIds,
                                                    job->firstFailureAtMs, job->lastError);
    produce.request.opaque = nextOpaque++;
    ensureTopic(produce.request.topic);
    const qint64 opaque = produce.request.opaque;
    produces.insert(opaque, std::move(produce));
    send(opaque);
}

void EventProcessor::Private::deadLetter(quint64 id, const QString &error, ErrorClass cls)
{
    Job *job = this->job(id);
    if (!job)
        return;
    if (job->firstFailureAtMs == 0)
        job->firstFailureAtMs = now();
    if (job->lastFailureAtMs == 0)
        job->lastFailureAtMs = now();
    PendingProduce produce;
    produce.kind = PendingProduce::Kind::DeadLetter;
    produce.jobId = id;
    produce.letter.error = error;
    produce.letter.errorClass = FailureClassifier::name(cls);
    produce.letter.attempts = job->attemptsMade;
    produce.letter.firstFailureAtMs = job->firstFailureAtMs;
    produce.letter.lastFailureAtMs = job->lastFailureAtMs;
    produce.letter.consumer = job->record.memberId;
    produce.request.topic = detail::dlqTopic();
    produce.request.key = job->record.key;
    produce.request.value = job->record.value;
    produce.request.headers = job->envelope.dlqHeaders(produce.letter);
    produce.request.opaque = nextOpaque++;
    ensureTopic(detail::dlqTopic());
    const qint64 opaque = produce.request.opaque;
    produces.insert(opaque, std::move(produce));
    send(opaque);
}

Result<void> EventProcessor::Private::createProducer()
{
    Result<std::unique_ptr<kafka::Producer>> created = kafka::Producer::create(producerSettings);
    if (!created)
        return created.error();
    producer = std::move(*created);
    QObject::connect(producer.get(), &kafka::Producer::delivered, q,
                     [this](const QList<kafka::DeliveryReport> &reports) { onDelivered(reports); });
    QObject::connect(producer.get(), &kafka::Producer::fatalError, q, [this](const QString &message) {
        qCWarning(lcProcessor).noquote() << "fatal producer error, recreating the retry/DLQ producer:" << message;
        count(u"kafka_producer_fatal_errors_total"_s, {{u"producer"_s, u"processor"_s}});
        later(0, [this] { recreateProducer(); }); // not inside the producer's own signal
    });
    return {};
}

void EventProcessor::Private::recreateProducer()
{
    if (stopping)
        return;
    if (std::unique_ptr<kafka::Producer> old = std::move(producer)) {
        old->purge();
        old.reset(); // bounded flush; the purged copies are reported failed and sent again
    }
    if (Result<void> created = createProducer(); !created) {
        qCWarning(lcProcessor).noquote() << "cannot recreate the retry/DLQ producer, trying again:"
                                         << created.error().message;
        later(kProduceRetryMs, [this] { recreateProducer(); });
        return;
    }
    count(u"kafka_producer_recreated_total"_s, {{u"producer"_s, u"processor"_s}});
}

void EventProcessor::Private::send(qint64 opaque)
{
    const auto it = produces.constFind(opaque);
    if (it == produces.constEnd())
        return;
    if (!producer) { // being recreated
        later(kProduceRetryMs, [this, opaque] { send(opaque); });
        return;
    }
    if (Result<void> r = producer->produce(it->request); !r) {
        qCWarning(lcProcessor).noquote() << "cannot produce to" << it->request.topic
                                         << ", trying again:" << r.error().message;
        later(kProduceRetryMs, [this, opaque] { send(opaque); });
    }
}

void EventProcessor::Private::onDelivered(const QList<kafka::DeliveryReport> &reports)
{
    for (const kafka::DeliveryReport &report : reports) {
        const auto it = produces.constFind(report.opaque);
        if (it == produces.constEnd())
            continue;
        if (!report.ok) {
            // The original is not completed until its copy is in Kafka: produce it again.
            qCWarning(lcProcessor).noquote()
                << "delivery to" << report.topic << "failed, trying again:" << report.error;
            const qint64 opaque = report.opaque;
            later(kProduceRetryMs, [this, opaque] { send(opaque); });
            continue;
        }
        const PendingProduce produce = *it;
        produces.erase(it);
        if (produce.kind == PendingProduce::Kind::Retry) {
            if (!subscribedTopics.contains(produce.request.topic)) {
                // A new retry topic: the group reads it now instead of after topicRefreshMs.
                subscribedTopics.insert(produce.request.topic);
                group->refreshNow();
            }
            finish(produce.jobId);
        } else {
            storeDeadLetter(produce);
        }
    }
}

void EventProcessor::Private::storeDeadLetter(const PendingProduce &produce)
{
    Job *job = this->job(produce.jobId);
    if (!job)
        return;
    store::DeadLetterRow row;
    row.journalId = job->envelope.journalId;
    row.source = job->envelope.source;
    row.topic = job->envelope.originalTopic;
    row.partition = job->envelope.originalPartition;
    row.offset = job->envelope.originalOffset;
    row.key = job->record.key;
    row.headers = job->envelope.originalHeaders;
    row.value = job->record.value;
    row.error = produce.letter.error;
    row.errorClass = produce.letter.errorClass;
    row.attempts = produce.letter.attempts;
    row.firstFailureAtMs = produce.letter.firstFailureAtMs;
    row.lastFailureAtMs = produce.letter.lastFailureAtMs;
    row.consumer = produce.letter.consumer;
    const quint64 id = produce.jobId;
    const bool permanent = produce.letter.errorClass == FailureClassifier::name(ErrorClass::Permanent);
    auto stored = std::make_shared<qint64>(0);
    batcher->add(
        u"store the dead letter of journal entry %1"_s.arg(QString::number(row.journalId)),
        [row, stored](store::ProcessingStore &writeStore) -> Result<void> {
            Result<qint64> r = writeStore.addDeadLetter(row);
            if (!r)
                return r.error();
            *stored = *r;
            return {};
        },
        [this, id, permanent, stored, source = row.source, error = row.error] {
            Job *done = this->job(id);
            if (!done)
                return;
            count(kDlqMetric, {{u"source"_s, source}, {u"error"_s, permanent ? u"permanent"_s : u"exhausted"_s}});
            updateStats([](ProcessorStats &s) { ++s.deadLettered; });
            ProcessingActivity dead = activityFor(ProcessingActivity::Kind::DeadLettered, *done);
            dead.error = error;
            dead.deadLetterId = *stored;
            emitActivity(std::move(dead));
            finish(id);
        });
}

void EventProcessor::Private::finish(quint64 id)
{
    const auto it = jobs.find(id);
    if (it == jobs.end())
        return;
    const std::unique_ptr<Job> job = std::move(it->second);
    jobs.erase(it);
    if (job->resume) // finished while waiting (stopping): no longer scheduled
        publishScheduled();
    if (job->completion)
        job->completion();
    const KeyId key{job->envelope.source, job->envelope.idempotencyKey};
    if (activeByKey.value(key) == id) {
        activeByKey.remove(key);
        if (auto waiting = parked.find(key); waiting != parked.end()) {
            const quint64 next = waiting->takeFirst();
            if (waiting->isEmpty())
                parked.erase(waiting);
            activeByKey.insert(key, next);
            later(0, [this, next] { begin(next); });
        }
    }
    updateStats([](ProcessorStats &) {});
}

} // namespace hookbench::processing
