#pragma once

// RecentRecord: one produced webhook as the partition views need it (where it landed and its
// entity key), read from the journal. Plain data, cheap to copy and to send in a queued signal.

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QString>

namespace hookbench::ui {

struct RecentRecord
{
    qint64 journalId = 0;
    QString source;
    QString topic;
    int partition = -1;
    qint64 offset = -1;
    QByteArray entityKey; // empty: produced without a key
    QString eventType;
    qint64 receivedAtMs = 0;
};

} // namespace hookbench::ui

Q_DECLARE_METATYPE(hookbench::ui::RecentRecord)
Q_DECLARE_METATYPE(QList<hookbench::ui::RecentRecord>)
