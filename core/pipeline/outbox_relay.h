#pragma once

// OutboxRelay: produces journal entries that are durable but not yet acknowledged by Kafka —
// those answered 202 queued while Kafka was down or slow, and those left pending by a previous
// run. It walks the pending entries in id order, a page at a time, on a timer; entries still in
// flight are skipped by the produce function, so nothing is produced twice by the relay itself.

#include <functional>

#include <QObject>
#include <QTimer>

#include "core/store/journal_entry.h"

namespace hookbench::store {
class JournalWriter;
} // namespace hookbench::store

namespace hookbench::pipeline {

class OutboxRelay final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OutboxRelay)

public:
    // Returns false when the entry was not handed to the producer (already in flight, draining).
    using ProduceFunction = std::function<bool(const store::JournalEntry &)>;

    explicit OutboxRelay(store::JournalWriter *writer, QObject *parent = nullptr);

    void setProduceFunction(ProduceFunction produce) { m_produce = std::move(produce); }
    // Called when a page load is submitted: entries acknowledged after this moment may still be
    // in the page as pending, so the produce function must skip them (the writer is FIFO, so
    // anything acknowledged before it is already reflected in the page).
    void setLoadStartedFunction(std::function<void()> loadStarted) { m_loadStarted = std::move(loadStarted); }
    void setIntervalMs(int intervalMs) { m_timer.setInterval(intervalMs); }
    void setPageSize(int pageSize) { m_pageSize = pageSize; }

    // Runs one pass now, then every interval.
    void start();
    void stop();
    qint64 relayedCount() const { return m_relayed; }

private:
    void pass();
    void onPage(const QList<store::JournalEntry> &entries);

    store::JournalWriter *m_writer;
    ProduceFunction m_produce;
    std::function<void()> m_loadStarted;
    QTimer m_timer;
    int m_pageSize = 500;
    qint64 m_cursor = 0; // last id seen in this sweep
    bool m_loading = false;
    qint64 m_relayed = 0;
};

} // namespace hookbench::pipeline
