#include "core/pipeline/outbox_relay.h"

#include <algorithm>

#include "core/store/journal_writer.h"

namespace hookbench::pipeline {

namespace {

// Entries produced per event-loop turn. Producing copies the body into librdkafka; 32 small
// entries take well under a millisecond, so a live request waits at most that long behind a slice.
// Large bodies end a slice early: a few MiB copied is the most one turn does.
constexpr int kSliceSize = 32;
constexpr qint64 kSliceMaxBytes = 4 * 1024 * 1024;
// A page holds at most this many body bytes (and at least one entry).
constexpr qint64 kPageMaxBytes = 32 * 1024 * 1024;

} // namespace

OutboxRelay::OutboxRelay(store::JournalWriter *writer, QObject *parent)
    : QObject(parent)
    , m_writer(writer)
    , m_timer(this)
    , m_sliceTimer(this)
{
    m_timer.setInterval(2000);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        if (m_backingOff)
            resume();
        else
            pass();
    });
    m_sliceTimer.setSingleShot(true);
    m_sliceTimer.setInterval(0);
    connect(&m_sliceTimer, &QTimer::timeout, this, &OutboxRelay::produceSlice);
}

void OutboxRelay::start()
{
    m_timer.start();
    pass();
}

void OutboxRelay::stop()
{
    m_timer.stop();
    m_sliceTimer.stop();
    m_produce = {};
    m_page.clear();
    m_backingOff = false;
}

void OutboxRelay::resume()
{
    if (!m_backingOff)
        return;
    m_backingOff = false;
    m_sliceTimer.start();
}

void OutboxRelay::pass()
{
    // Busy loading or producing a page: that sweep goes on by itself.
    if (m_loading || !m_produce || !m_page.isEmpty())
        return;
    m_loading = true;
    if (m_loadStarted)
        m_loadStarted();
    m_writer->loadPending(m_cursor, m_pageSize, kPageMaxBytes, this,
                          [this](const QList<store::JournalEntry> &entries) { onPage(entries); });
}

void OutboxRelay::onPage(const QList<store::JournalEntry> &entries)
{
    m_loading = false;
    if (!m_produce)
        return;
    if (entries.isEmpty()) {
        m_cursor = 0; // swept to the end: the next pass starts from the oldest pending entry
        return;
    }
    m_page = entries;
    m_next = 0;
    produceSlice();
}

void OutboxRelay::produceSlice()
{
    if (!m_produce || m_page.isEmpty())
        return;
    const qsizetype end = std::min(m_next + kSliceSize, m_page.size());
    qint64 bytes = 0;
    for (; m_next < end && bytes < kSliceMaxBytes; ++m_next) {
        const store::JournalEntry &entry = m_page.at(m_next);
        const Outcome outcome = m_produce(entry);
        if (outcome == Outcome::Backoff) {
            m_backingOff = true; // keep the page and this entry; resume() or the timer goes on
            return;
        }
        m_cursor = entry.id;
        bytes += entry.body.size();
        if (outcome == Outcome::Produced)
            ++m_relayed;
    }
    if (m_next < m_page.size()) {
        m_sliceTimer.start(); // the rest after the receiver had its turn
        return;
    }
    // Page done: the next one right away (an empty page ends the sweep).
    m_page.clear();
    pass();
}

} // namespace hookbench::pipeline
