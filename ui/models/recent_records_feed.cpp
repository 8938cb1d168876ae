#include "ui/models/recent_records_feed.h"

#include "ui/workers/recent_records_loader.h"

namespace hookbench::ui {

RecentRecordsFeed::RecentRecordsFeed(const QString &databasePath, int capacity, int intervalMs, QObject *parent)
    : QObject(parent)
    , m_capacity(capacity)
{
    qRegisterMetaType<QList<RecentRecord>>();
    m_thread.setObjectName(QStringLiteral("recent-records"));
    m_loader = new RecentRecordsLoader(databasePath, capacity);
    m_loader->moveToThread(&m_thread);
    connect(m_loader, &RecentRecordsLoader::fetched, this, [this](const QList<RecentRecord> &batch) {
        if (!m_lastError.isEmpty()) {
            m_lastError.clear();
            emit errorChanged(m_lastError);
        }
        append(batch);
    });
    connect(m_loader, &RecentRecordsLoader::failed, this, [this](const QString &message) {
        if (message != m_lastError) {
            m_lastError = message;
            emit errorChanged(message);
        }
    });
    m_thread.start();

    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, &RecentRecordsFeed::refresh);
    m_timer.start();
    refresh();
}

RecentRecordsFeed::~RecentRecordsFeed()
{
    m_timer.stop();
    m_thread.quit();
    m_thread.wait();
    // The thread has stopped: nothing runs on the loader any more.
    delete m_loader;
}

void RecentRecordsFeed::refresh()
{
    if (m_busy)
        return;
    // A quiet journal emits nothing, so the flag is cleared by a reply posted after every fetch.
    m_busy = true;
    QMetaObject::invokeMethod(
        m_loader,
        [loader = m_loader, feed = this] {
            loader->fetch();
            QMetaObject::invokeMethod(
                feed, [feed] { feed->m_busy = false; }, Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

void RecentRecordsFeed::append(const QList<RecentRecord> &batch)
{
    m_records.append(batch);
    if (m_records.size() > m_capacity)
        m_records.remove(0, m_records.size() - m_capacity);
    emit recordsChanged();
}

} // namespace hookbench::ui
