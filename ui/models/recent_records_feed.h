#pragma once

// RecentRecordsFeed: the most recent produced records (entity key, topic, partition, offset),
// bounded, refreshed from the journal on a timer by a RecentRecordsLoader on its own thread.
// Lives on the GUI thread; recordsChanged() says when records() has new rows.

#include <QList>
#include <QObject>
#include <QString>
#include <QThread>
#include <QTimer>

#include "ui/models/recent_record.h"

namespace hookbench::ui {

class RecentRecordsLoader;

class RecentRecordsFeed final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RecentRecordsFeed)

public:
    // capacity: how many records are kept (the oldest fall off); intervalMs: journal poll period.
    explicit RecentRecordsFeed(const QString &databasePath, int capacity = 2000, int intervalMs = 1000,
                               QObject *parent = nullptr);
    ~RecentRecordsFeed() override; // stops the loader thread

    // Oldest first.
    const QList<RecentRecord> &records() const { return m_records; }
    QString lastError() const { return m_lastError; }
    // Reads the journal now (the timer keeps running).
    void refresh();

signals:
    void recordsChanged();
    void errorChanged(const QString &message);

private:
    void append(const QList<RecentRecord> &batch);

    QThread m_thread;
    RecentRecordsLoader *m_loader = nullptr; // lives on m_thread, deleted after it stopped
    QTimer m_timer;
    QList<RecentRecord> m_records;
    QString m_lastError;
    int m_capacity;
    bool m_busy = false; // a fetch is queued or running: do not pile up more
};

} // namespace hookbench::ui
