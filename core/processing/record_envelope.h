#pragma once

// RecordEnvelope: the metadata of one consumed record, read from its Kafka headers, and the
// headers the processor writes when it moves the record on.
//
// Read: the ingest headers (hookbench-source, idempotency-key, event-type, content-type,
// hookbench-journal-id) and, on retry topics, the ones the processor wrote itself:
//   hookbench-attempt                the attempt this copy is (2 for the first retry)
//   hookbench-due-at                 ms since the epoch before which it must not be attempted
//   hookbench-original-topic         where the record was first consumed
//   hookbench-original-partition
//   hookbench-original-offset
//   hookbench-pending-subscriptions  comma-separated subscription ids still to deliver (0 = simulate)
//   hookbench-first-failure-at       ms since the epoch of the first failed attempt
//   hookbench-last-error             the error of the attempt before (for the Retries view)
// Headers are network input: a missing or malformed value falls back to the first-delivery
// default instead of failing.
//
// Written: retryHeaders() for webhooks.<source>.retry.<n> and dlqHeaders() for webhooks.dlq,
// both the original headers (without the retry-topic ones, so they never pile up) plus their own.

#include <optional>

#include <QByteArray>
#include <QList>
#include <QString>

#include "core/http/http_request.h"
#include "core/kafka/consumer_record.h"

namespace hookbench::processing {

class RecordEnvelope
{
public:
    // Why a record goes to webhooks.dlq (the hookbench-dlq-* headers).
    struct DeadLetter
    {
        QString error;
        QString errorClass; // "permanent" or "transient" (attempts exhausted)
        int attempts = 0;
        qint64 firstFailureAtMs = 0;
        qint64 lastFailureAtMs = 0;
        QString consumer;
    };

    static RecordEnvelope parse(const kafka::ConsumedRecord &record);

    QString source;
    QByteArray idempotencyKey;
    QString eventType;
    QByteArray contentType;
    qint64 journalId = 0;
    int attempt = 1;
    qint64 dueAtMs = 0;
    QString originalTopic; // the record's own placement unless it came from a retry topic
    int originalPartition = -1;
    qint64 originalOffset = -1;
    std::optional<QList<qint64>> pendingSubscriptions; // set only on retry-topic copies
    qint64 firstFailureAtMs = 0;
    QString lastError;
    http::HeaderList originalHeaders; // the record's headers minus the retry-topic ones

    http::HeaderList retryHeaders(int nextAttempt, qint64 nextDueAtMs, const QList<qint64> &pending,
                                  qint64 firstFailedAtMs, const QString &previousError = {}) const;
    http::HeaderList dlqHeaders(const DeadLetter &letter) const;

    // True for the headers only retry-topic copies carry.
    static bool isRetryHeader(const QByteArray &name);
};

} // namespace hookbench::processing
