#pragma once

// OutboxRelay: produces journal entries that are durable but not yet acknowledged by Kafka —
// those answered 202 queued while Kafka was down or slow, and those left pending by a previous
// run. It walks the pending entries in id order, a page at a time (bounded in entries and in
// body bytes), on a timer; entries still in flight are skipped by the produce function, so
// nothing is produced twice by the relay itself.
//
// It shares its thread with the receiver, so it never holds that thread long: a page is produced
// in small slices, one per event-loop turn, and when the produce function answers Backoff (the
// producer queue is full, too many relayed entries are in flight, the producer is being
// recreated) the relay keeps its place and waits for resume() — called when delivery reports
// make room — or for its next timer tick. It never waits inside a call.

#include <functional>

#include <QList>
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
    enum class Outcome {
        Produced, // handed to the producer
        Skipped,  // not for the relay now (in flight, too young, draining)
        Backoff,  // no room: keep this entry and stop until resume() or the next tick
    };
    using ProduceFunction = std::function<Outcome(const store::JournalEntry &)>;

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
    // Continue a page held back by Backoff (no-op otherwise). Cheap: call it whenever room appears.
    void resume();
    bool isBackingOff() const { return m_backingOff; }
    qint64 relayedCount() const { return m_relayed; }

private:
    void pass();
    void onPage(const QList<store::JournalEntry> &entries);
    void produceSlice();

    store::JournalWriter *m_writer;
    ProduceFunction m_produce;
    std::function<void()> m_loadStarted;
    QTimer m_timer;
    QTimer m_sliceTimer; // zero-interval single shot: the next slice after the event loop ran
    int m_pageSize = 500;
    qint64 m_cursor = 0;               // last id handled in this sweep
    QList<store::JournalEntry> m_page; // the page being produced
    qsizetype m_next = 0;              // index of the next entry of m_page
    bool m_loading = false;
    bool m_backingOff = false;
    qint64 m_relayed = 0;
};

} // namespace hookbench::pipeline
