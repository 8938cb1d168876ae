#pragma once

// JournalFeedModel: the live feed — a bounded window (windowSize rows) over the journal, in the
// manner of Wireshark's PacketListModel. JournalWriter::committed() only marks the model dirty;
// a coalescing timer (tickMs) then asks the JournalLoader (own thread) for the rows after the
// newest one, re-reads rows whose Kafka placement is still pending and the processing state of
// the window, and applies the answer with one beginInsertRows / beginRemoveRows per batch.
// Older and newer rows page in from SQLite when a view reaches an edge (fetchOlder/fetchNewer).
// Rows are compact records; data() formats text on demand.

#include <memory>
#include <optional>

#include <QAbstractTableModel>
#include <QTimer>

#include "core/store/journal_query.h"
#include "ui/models/feed_row.h"
#include "ui/workers/journal_loader.h"

namespace hookbench::pipeline {
class IngestPipeline;
} // namespace hookbench::pipeline

namespace hookbench::ui {

class JournalLoader;
class WorkerThread;

class JournalFeedModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JournalFeedModel)

public:
    // Processing before placement: the state is what people watch, and it stays in view in a
    // narrow feed.
    enum Column { Time, Source, EventType, IdempotencyKey, EntityKey, Verdict, Processing, Placement, ColumnCount };
    enum Role { IdRole = Qt::UserRole + 1 };

    struct Options
    {
        int windowSize = 2000;      // rows kept in memory
        int pageSize = 200;         // rows per page from SQLite (older, newer, first load)
        int tickMs = 100;           // coalescing delay after a commit
        int statusRefreshMs = 1000; // processing states change without journal commits
    };

    explicit JournalFeedModel(pipeline::IngestPipeline &pipeline, QObject *parent = nullptr);
    JournalFeedModel(pipeline::IngestPipeline &pipeline, Options options, QObject *parent = nullptr);
    ~JournalFeedModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // A new filter reloads the window with the newest matching rows (run in SQLite).
    void setFilter(const store::JournalFilter &filter);
    const store::JournalFilter &filter() const { return m_filter; }

    // Paused: the view stays as it is (the pipeline keeps running); resuming catches up.
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    // Set by the view while it is scrolled to the bottom: new rows push old ones out.
    void setFollowTail(bool follow) { m_followTail = follow; }
    bool followsTail() const { return m_followTail; }

    // Page older rows in at the top / newer rows at the bottom; false when there is nothing to
    // page or a read is already running (it is then retried when the view asks again).
    bool fetchOlder();
    bool fetchNewer();
    bool hasOlder() const { return m_hasOlder; }
    bool atNewest() const { return m_atNewest; }
    // Loads the rows around `id` into the window; rowLoaded(id) tells when it is there.
    void showEntry(qint64 id);

    qint64 idAt(int row) const;
    int rowOf(qint64 id) const;
    const FeedRow *rowAt(int row) const;
    bool isLoading() const { return m_inFlight.has_value(); }

signals:
    void pageApplied(hookbench::ui::FeedRequest::Kind kind);
    void rowLoaded(qint64 id); // after showEntry(), when the row is in the window
    void loadFailed(const QString &message);

private:
    void markDirty();
    void tick();
    void send(FeedRequest request);
    void apply(const FeedPage &page);
    void applyTail(const FeedPage &page);
    void applyRefresh(const FeedPage &page);
    void replaceRows(FeedRows rows);
    void appendRows(const FeedRows &rows);
    void trimFront(int count);
    void trimBack(int count);
    FeedRequest baseRequest(FeedRequest::Kind kind) const;

    pipeline::IngestPipeline &m_pipeline;
    Options m_options;
    std::unique_ptr<WorkerThread> m_thread;
    JournalLoader *m_loader = nullptr; // lives on m_thread
    store::JournalFilter m_filter;
    FeedRows m_rows;
    quint64 m_generation = 0;
    std::optional<FeedRequest::Kind> m_inFlight;
    bool m_dirty = false;
    bool m_statusDirty = false;
    bool m_paused = false;
    bool m_followTail = true;
    bool m_atNewest = true;
    bool m_hasOlder = false;
    qint64 m_showId = 0;
    QTimer m_tick;
    QTimer m_statusTimer;
};

} // namespace hookbench::ui
