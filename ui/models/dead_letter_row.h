#pragma once

// DeadLetterRow (UI): one dead letter as the DLQ view lists it — ids, times, numbers and the
// strings it is grouped and filtered by; the payload stays in SQLite (the editor reads it).

#include <QByteArray>
#include <QList>
#include <QString>

#include "core/store/processing_rows.h"

namespace hookbench::ui {

struct DeadLetterItem
{
    qint64 id = 0;
    qint64 journalId = 0;
    qint64 lastFailureAtMs = 0;
    QString source;
    QString eventType; // the record's event-type header
    QByteArray key;    // entity key (the Kafka key)
    QString error;
    QString errorClass; // "transient" (exhausted) or "permanent"
    int attempts = 0;
    QString topic; // original placement
    int partition = -1;
    qint64 offset = -1;
    store::DeadLetterStatus status = store::DeadLetterStatus::Dead;
    qint64 replayedAsJournalId = 0;
    int replayCount = 0; // replays in the lineage of its journal entry (the loop guard)

    // What letters are grouped by: the class and the error without the attempt count, so
    // "attempts exhausted after 3: X" and "… after 5: X" are one group.
    QString errorGroup() const;
    static DeadLetterItem from(const store::DeadLetterRow &row, int replayCount);
    friend bool operator==(const DeadLetterItem &, const DeadLetterItem &) = default;
};

using DeadLetterItems = QList<DeadLetterItem>;

} // namespace hookbench::ui
