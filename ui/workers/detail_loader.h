#pragma once

// DetailLoader: reads everything the inspector shows about one journal entry (the entry with its
// body, the first delivery of its key and the duplicates, the processing attempts, dead letter
// and replays) on its own thread and connection, and answers with one EntryDetail. A refresh
// (refresh = true) reads the same without the body: the journaled request never changes, only
// its Kafka placement, duplicates and what the consumer side did with it.

#include <memory>
#include <optional>

#include <QList>
#include <QObject>
#include <QString>

#include "core/store/journal_entry.h"
#include "core/store/processing_query.h"
#include "core/store/processing_rows.h"
#include "ui/format/body_views.h"

namespace hookbench::store {
class JournalQuery;
class ProcessingQuery;
} // namespace hookbench::store

namespace hookbench::ui {

struct EntryDetail
{
    quint64 generation = 0;
    qint64 id = 0;
    // A re-read of the shown entry: entry->body is empty (the inspector keeps the one it shows).
    bool refresh = false;
    std::optional<store::JournalEntry> entry;      // nullopt: no such entry
    std::optional<store::JournalEntry> firstSeen;  // the claim holder, for a duplicate
    QList<store::JournalEntry> duplicates;         // of the first delivery of this key
    bool processingAvailable = false;              // the consumer side's tables could be read
    std::optional<store::ProcessingStatus> status; // as the feed and the admin API report it
    QList<store::AttemptRow> attempts;
    std::optional<store::DeadLetterRow> deadLetter;
    QList<qint64> replays;
    // The body's text, hex and JSON views, built here off the GUI thread: a first read of an
    // entry whose body is at most kViewsLimit bytes (larger ones are formatted on request).
    std::optional<BodyViews> views;
    bool derivedFromPurged = false; // entry->derivedFrom is no longer in the journal (data retention)
    bool firstSeenPurged = false;   // a duplicate's first delivery is no longer in the journal
    QString error;
};

class DetailLoader final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DetailLoader)

public:
    explicit DetailLoader(QString databasePath);
    ~DetailLoader() override;

    static constexpr qsizetype kViewsLimit = 1024 * 1024;

    // Runs on the loader's thread (post it with QMetaObject::invokeMethod).
    void load(quint64 generation, qint64 id, bool refresh = false);
    // Builds the views of a body of any size (the inspector's "Show anyway"); answers formatted().
    void format(quint64 generation, const QByteArray &body);

signals:
    void loaded(const hookbench::ui::EntryDetail &detail);
    void formatted(quint64 generation, const hookbench::ui::BodyViews &views);

private:
    QString m_databasePath;
    std::unique_ptr<store::JournalQuery> m_journal;
    // shared_ptr: its deleter is bound where it is set, so builds without ProcessingQuery link.
    std::shared_ptr<store::ProcessingQuery> m_processing;
};

} // namespace hookbench::ui
