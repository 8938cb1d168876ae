#include "core/pipeline/outbox_relay.h"

#include "core/store/journal_writer.h"

namespace hookbench::pipeline {

OutboxRelay::OutboxRelay(store::JournalWriter *writer, QObject *parent)
    : QObject(parent)
    , m_writer(writer)
    , m_timer(this)
{
    m_timer.setInterval(2000);
    connect(&m_timer, &QTimer::timeout, this, &OutboxRelay::pass);
}

void OutboxRelay::start()
{
    m_timer.start();
    pass();
}

void OutboxRelay::stop()
{
    m_timer.stop();
    m_produce = {};
}

void OutboxRelay::pass()
{
    if (m_loading || !m_produce)
        return;
    m_loading = true;
    if (m_loadStarted)
        m_loadStarted();
    m_writer->loadPending(m_cursor, m_pageSize, this,
                          [this](const QList<store::JournalEntry> &entries) { onPage(entries); });
}

void OutboxRelay::onPage(const QList<store::JournalEntry> &entries)
{
    m_loading = false;
    if (!m_produce)
        return;
    for (const store::JournalEntry &entry : entries) {
        m_cursor = entry.id;
        if (m_produce(entry))
            ++m_relayed;
    }
    if (entries.size() < m_pageSize) {
        m_cursor = 0; // swept to the end: the next pass starts from the oldest pending entry
        return;
    }
    // A full page: more may follow; continue without waiting for the timer.
    pass();
}

} // namespace hookbench::pipeline
