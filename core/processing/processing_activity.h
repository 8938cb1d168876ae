#pragma once

// ProcessingActivity: one thing the consumer side did with one record, as views see it. The
// EventProcessor batches them (one signal per ~100 ms), so a view at 10,000 events/s gets a
// handful of signals a second, never one per record.

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QString>

namespace hookbench::processing {

struct ProcessingActivity
{
    enum class Kind {
        Started,      // a delivery attempt began
        Succeeded,    // every handler of the record succeeded; marked processed
        NoHandler,    // no subscription matched and the source has no simulate settings: processed
        Redelivered,  // already processed (idempotency key) or dead-lettered (journal id): not handled again
        Retrying,     // a transient failure; the next attempt is due at nextDueAtMs
        DeadLettered, // permanent failure or attempts exhausted: now on webhooks.dlq
    };

    Kind kind = Kind::Started;
    qint64 timeMs = 0;
    qint64 journalId = 0; // from the hookbench-journal-id header; 0 when the record has none
    QString source;
    QByteArray idempotencyKey;
    QByteArray entityKey;
    QString eventType;
    QString topic; // where the record was read (webhooks.<source> or a retry topic)
    int partition = -1;
    qint64 offset = -1;
    QString consumer; // ConsumerGroup member id
    int attempt = 1;
    QString error;           // Retrying / DeadLettered: why
    qint64 nextDueAtMs = 0;  // Retrying: when the next attempt is due
    qint64 deadLetterId = 0; // DeadLettered: the dlq row id

    static QString kindName(Kind kind); // "started", "succeeded", "no_handler", ...
};

} // namespace hookbench::processing

Q_DECLARE_METATYPE(hookbench::processing::ProcessingActivity)
Q_DECLARE_METATYPE(QList<hookbench::processing::ProcessingActivity>)
