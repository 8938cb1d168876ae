#pragma once

// ScenarioReport: what a scenario run measured. The counts of answers come from the receiver's
// answers; everything else (duplicates caught, the order each entity's events were processed
// in, processing outcomes) is read back from the journal and the processing tables after the
// run, not taken from what was sent.

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace hookbench::scenario {

struct OrderViolation
{
    QString source;
    QString entity;         // the Kafka message key
    int position = 0;       // index in the entity's log order where processing differed first
    qint64 expectedSeq = 0; // the event that was next in the log (partition order)
    qint64 gotSeq = 0;      // the event that was processed there instead
};

struct ScenarioReport
{
    QString name;
    QString runId;
    QString strategy; // the retry strategy of the run's sources ("blocking", "topics", "mixed")
    qint64 startedAtMs = 0;
    qint64 finishedAtMs = 0;

    int planned = 0;            // unique events
    int sent = 0;               // requests sent, duplicates included
    int duplicatesInjected = 0; // second deliveries of an event
    int reordered = 0;          // events moved by the out-of-order shuffle

    // Receiver answers.
    int accepted = 0; // 200 accepted (produced)
    int queued = 0;   // 202 queued (journaled, produced later)
    int duplicateAnswers = 0;
    int rejected = 0;
    int failed = 0; // no answer

    // From the journal.
    int duplicatesCaught = 0;  // entries of the run with verdict duplicate
    int arrivedOutOfOrder = 0; // events received after a later event of their entity

    // From the processing tables.
    bool settled = false; // every accepted event reached a final state before the timeout
    int done = 0;
    int deadLettered = 0;
    int retrying = 0;
    int pending = 0;
    qint64 attempts = 0;

    int entitiesChecked = 0;
    int entitiesInOrder = 0;
    int entitiesViolated = 0;
    QList<OrderViolation> violations; // the first per violated entity, at most kMaxViolations
    static constexpr int kMaxViolations = 20;

    QStringList problems; // why ok is false
    bool ok = false;      // completed as expected

    QJsonObject toJson() const;
};

} // namespace hookbench::scenario
