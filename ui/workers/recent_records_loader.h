#pragma once

// RecentRecordsLoader: the worker behind RecentRecordsFeed. It lives on the feed's own thread,
// opens its own JournalQuery (read-only SQLite) there and, on each fetch(), reads the journal
// entries written since the last fetch and emits the produced ones. SQLite is never touched from
// the GUI thread.

#include <memory>

#include <QList>
#include <QObject>
#include <QSet>
#include <QString>

#include "ui/models/recent_record.h"

namespace hookbench::store {
class JournalQuery;
} // namespace hookbench::store

namespace hookbench::ui {

class RecentRecordsLoader final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RecentRecordsLoader)

public:
    // initialLimit: how many of the newest entries the first fetch reads.
    explicit RecentRecordsLoader(QString databasePath, int initialLimit, QObject *parent = nullptr);
    ~RecentRecordsLoader() override;

    void fetch();

signals:
    // Newly produced records, oldest first (by journal id), each emitted once.
    void fetched(const QList<hookbench::ui::RecentRecord> &records);
    void failed(const QString &message);

private:
    QString m_databasePath;
    int m_initialLimit;
    std::unique_ptr<store::JournalQuery> m_query;
    qint64 m_cursor = -1;        // every entry up to this id is settled (-1: nothing read yet)
    QSet<qint64> m_emittedAbove; // produced entries above the cursor already emitted
};

} // namespace hookbench::ui
