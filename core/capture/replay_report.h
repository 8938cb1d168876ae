#pragma once

// ReplayReport: what a replay run did — sends, answers per status, duplicates injected and how
// many the receiver caught, per-entity order violations (an entity's events sent in another
// order than captured), failures with why, and the journal ids the sends became.

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>

namespace hookbench::capture {

struct ReplaySendResult
{
    int sequence = 0; // position in the plan
    int capture = 0;  // capture index
    bool duplicate = false;
    int httpStatus = 0; // 0: no answer (transport error)
    QString status;     // receiver's "accepted", "queued", "duplicate", "rejected", or "error"
    QString reason;
    qint64 journalId = 0;
    QString topic;
    int partition = -1;
    qint64 offset = -1;
    QByteArray entityKey;
};

struct ReplayReport
{
    QString mode; // "receiver" or "topic"
    int planned = 0;
    int sent = 0;
    int failed = 0; // no answer, 4xx or 5xx
    int duplicatesInjected = 0;
    int dedupCatches = 0;                  // answers "duplicate"
    int duplicatesMissed = 0;              // injected duplicates answered as new events (receiver mode)
    QMap<QString, int> statusCounts;       // "200 accepted" → n
    QMap<QByteArray, int> orderViolations; // entity key → sends out of captured order
    QList<QString> failures;               // "send 12 (capture 3): 401 rejected signature_mismatch"
    QList<qint64> journalIds;              // in send order (filled when the run finishes)
    qint64 elapsedMs = 0;
    QList<ReplaySendResult> results;

    double capturesPerSecond() const;
    // Everything as expected: no failure, no missed duplicate.
    bool allAsExpected() const;
    QJsonObject toJson() const; // journal ids and per-entity violations included
    QString toText() const;     // a few lines for a terminal
};

} // namespace hookbench::capture
