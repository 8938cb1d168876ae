#pragma once

// JournalLoader: runs the live feed's journal reads off the GUI thread. It lives on a
// WorkerThread, opens its own read-only JournalQuery (and ProcessingQuery) connection on first
// use, and answers each FeedRequest with one FeedPage through loaded() (queued to the model).

#include <memory>

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>

#include "core/store/journal_query.h"
#include "ui/models/feed_row.h"

namespace hookbench::store {
class ProcessingQuery;
} // namespace hookbench::store

namespace hookbench::ui {

struct FeedRequest
{
    enum class Kind {
        Reset,   // the newest `limit` rows replace the window
        Tail,    // rows after anchorId (the window's newest), plus refresh and statuses
        Refresh, // only refresh and statuses
        Older,   // the `limit` rows before anchorId (the window's oldest)
        Newer,   // the `limit` rows after anchorId
        Around,  // rows around anchorId replace the window (jump to an entry)
    };
    quint64 generation = 0;
    Kind kind = Kind::Reset;
    store::JournalFilter filter; // the base filter; paging fields are set by the loader
    qint64 anchorId = 0;
    int limit = 200;
    // Re-read window rows with refreshFromId <= id <= refreshToId (unsettled rows); 0 = none.
    qint64 refreshFromId = 0;
    qint64 refreshToId = 0;
    QList<qint64> statusIds; // window rows whose processing state may still change
};

struct FeedPage
{
    quint64 generation = 0;
    FeedRequest::Kind kind = FeedRequest::Kind::Reset;
    FeedRows rows;      // new rows, oldest first (contiguous with the window where it applies)
    bool more = false;  // Tail/Older/Newer/Around: there are rows beyond `rows` in that direction
    FeedRows newest;    // Tail with more: the newest `limit` rows, for a window that follows the tail
    FeedRows refreshed; // window rows re-read
    QHash<qint64, FeedStatus> statuses;
    QString error; // what failed, when a read failed
};

class JournalLoader final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JournalLoader)

public:
    explicit JournalLoader(QString databasePath);
    ~JournalLoader() override;

    // Runs on the loader's thread (post it with QMetaObject::invokeMethod).
    void load(const FeedRequest &request);

signals:
    void loaded(const hookbench::ui::FeedPage &page);

private:
    bool ensureOpen(QString *error);
    Result<FeedRows> list(const store::JournalFilter &filter) const;
    void readStatuses(const QList<qint64> &ids, FeedPage &page) const;

    QString m_databasePath;
    std::unique_ptr<store::JournalQuery> m_journal;
    // shared_ptr: its deleter is bound where it is set, so builds without ProcessingQuery link.
    std::shared_ptr<store::ProcessingQuery> m_processing;
};

} // namespace hookbench::ui
