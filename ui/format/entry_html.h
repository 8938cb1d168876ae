#pragma once

// EntryHtml: the inspector's text for one journal entry, as HTML for QTextBrowser / QLabel — the
// request summary, verification, dedup, Kafka placement and processing notes — and the cells of
// the processing timeline. Pure functions of an EntryDetail, so the inspector can render a
// re-read entry and touch only the views whose text changed.

#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include "ui/workers/detail_loader.h"

namespace hookbench::config {
struct Config;
} // namespace hookbench::config

namespace hookbench::ui {

class EntryHtml final
{
    Q_DECLARE_TR_FUNCTIONS(EntryHtml)

public:
    static QString summary(const store::JournalEntry &entry);
    static QString verification(const store::JournalEntry &entry, const config::Config &config);
    static QString dedup(const EntryDetail &detail);
    static QString kafka(const store::JournalEntry &entry, int partitions);
    // The state, lineage, dead letter and replays; the attempts are in the timeline table.
    // consumersRunning: whether an EventProcessor exists (an empty timeline then means pending).
    static QString processing(const EntryDetail &detail, bool consumersRunning);

    static QStringList timelineHeader();
    // One row per attempt: #, started, consumer, outcome, HTTP status, error / next try.
    static QStringList timelineRow(const store::AttemptRow &attempt);

    static QString sizeText(qint64 bytes);
};

} // namespace hookbench::ui
