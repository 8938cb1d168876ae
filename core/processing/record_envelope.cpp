#include "core/processing/record_envelope.h"

namespace hookbench::processing {

namespace {

const QByteArray kAttempt = "hookbench-attempt";
const QByteArray kDueAt = "hookbench-due-at";
const QByteArray kOriginalTopic = "hookbench-original-topic";
const QByteArray kOriginalPartition = "hookbench-original-partition";
const QByteArray kOriginalOffset = "hookbench-original-offset";
const QByteArray kPending = "hookbench-pending-subscriptions";
const QByteArray kFirstFailure = "hookbench-first-failure-at";
const QByteArray kLastError = "hookbench-last-error";

// Header names are compared case-insensitively, like HTTP's: a hand-made record may differ.
bool sameName(const QByteArray &a, const QByteArray &b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

std::optional<qint64> number(const QByteArray &value)
{
    bool ok = false;
    const qint64 n = value.trimmed().toLongLong(&ok);
    return ok ? std::optional<qint64>(n) : std::nullopt;
}

} // namespace

bool RecordEnvelope::isRetryHeader(const QByteArray &name)
{
    for (const QByteArray *known : {&kAttempt, &kDueAt, &kOriginalTopic, &kOriginalPartition, &kOriginalOffset,
                                    &kPending, &kFirstFailure, &kLastError}) {
        if (sameName(name, *known))
            return true;
    }
    return false;
}

RecordEnvelope RecordEnvelope::parse(const kafka::ConsumedRecord &record)
{
    RecordEnvelope env;
    env.originalTopic = record.topic;
    env.originalPartition = record.partition;
    env.originalOffset = record.offset;
    bool haveSource = false;
    bool haveKey = false;
    for (const auto &[name, value] : record.headers) {
        if (!isRetryHeader(name))
            env.originalHeaders.append({name, value});
        // The first occurrence wins, as in HttpRequest::header().
        if (sameName(name, "hookbench-source") && !haveSource) {
            env.source = QString::fromUtf8(value);
            haveSource = true;
        } else if (sameName(name, "idempotency-key") && !haveKey) {
            env.idempotencyKey = value;
            haveKey = true;
        } else if (sameName(name, "event-type") && env.eventType.isEmpty()) {
            env.eventType = QString::fromUtf8(value);
        } else if (sameName(name, "content-type") && env.contentType.isEmpty()) {
            env.contentType = value;
        } else if (sameName(name, "hookbench-journal-id") && env.journalId == 0) {
            env.journalId = qMax<qint64>(0, number(value).value_or(0));
        } else if (sameName(name, kAttempt)) {
            const qint64 n = number(value).value_or(1);
            env.attempt = n >= 1 && n <= 1'000'000 ? int(n) : 1;
        } else if (sameName(name, kDueAt)) {
            env.dueAtMs = qMax<qint64>(0, number(value).value_or(0));
        } else if (sameName(name, kOriginalTopic) && !value.isEmpty()) {
            env.originalTopic = QString::fromUtf8(value);
        } else if (sameName(name, kOriginalPartition)) {
            const qint64 n = number(value).value_or(-1);
            env.originalPartition = n >= 0 && n <= 1'000'000 ? int(n) : -1;
        } else if (sameName(name, kOriginalOffset)) {
            env.originalOffset = number(value).value_or(-1);
        } else if (sameName(name, kLastError)) {
            env.lastError = QString::fromUtf8(value);
        } else if (sameName(name, kFirstFailure)) {
            env.firstFailureAtMs = qMax<qint64>(0, number(value).value_or(0));
        } else if (sameName(name, kPending)) {
            QList<qint64> ids;
            for (const QByteArray &part : value.split(',')) {
                if (const std::optional<qint64> id = number(part); id && *id >= 0 && !ids.contains(*id))
                    ids.append(*id);
            }
            env.pendingSubscriptions = ids;
        }
    }
    return env;
}

http::HeaderList RecordEnvelope::retryHeaders(int nextAttempt, qint64 nextDueAtMs, const QList<qint64> &pending,
                                              qint64 firstFailedAtMs, const QString &previousError) const
{
    QByteArrayList ids;
    for (const qint64 id : pending)
        ids.append(QByteArray::number(id));
    http::HeaderList headers = originalHeaders;
    headers.append({kAttempt, QByteArray::number(nextAttempt)});
    headers.append({kDueAt, QByteArray::number(nextDueAtMs)});
    headers.append({kOriginalTopic, originalTopic.toUtf8()});
    headers.append({kOriginalPartition, QByteArray::number(originalPartition)});
    headers.append({kOriginalOffset, QByteArray::number(originalOffset)});
    headers.append({kPending, ids.join(',')});
    headers.append({kFirstFailure, QByteArray::number(firstFailedAtMs)});
    if (!previousError.isEmpty())
        headers.append({kLastError, previousError.toUtf8()});
    return headers;
}

http::HeaderList RecordEnvelope::dlqHeaders(const DeadLetter &letter) const
{
    http::HeaderList headers = originalHeaders;
    headers.append({"hookbench-dlq-original-topic", originalTopic.toUtf8()});
    headers.append({"hookbench-dlq-original-partition", QByteArray::number(originalPartition)});
    headers.append({"hookbench-dlq-original-offset", QByteArray::number(originalOffset)});
    headers.append({"hookbench-dlq-error", letter.error.toUtf8()});
    headers.append({"hookbench-dlq-error-class", letter.errorClass.toUtf8()});
    headers.append({"hookbench-dlq-attempts", QByteArray::number(letter.attempts)});
    headers.append({"hookbench-dlq-first-failure-at", QByteArray::number(letter.firstFailureAtMs)});
    headers.append({"hookbench-dlq-last-failure-at", QByteArray::number(letter.lastFailureAtMs)});
    headers.append({"hookbench-dlq-consumer", letter.consumer.toUtf8()});
    return headers;
}

} // namespace hookbench::processing
