#pragma once

// InFlightTable: journal entries handed to the producer whose delivery report has not arrived.
// Some still hold an HTTP answer that waits for the report (until their deadline: the produce
// wait); relayed entries hold none. Deadlines are equal for every request (one produce wait),
// so they expire in insertion order and a FIFO is enough — one timer for all, not one per request.

#include <deque>
#include <optional>
#include <unordered_map>

#include <QString>

#include "core/http/http_server.h"

namespace hookbench::pipeline {

struct InFlight
{
    qint64 id = 0;
    QString source;
    QString topic;
    QByteArray idempotencyKey;
    qint64 producedAtMs = 0;     // when produce() was called, for the latency histogram
    http::Responder responder;   // valid while an HTTP client waits for the answer
    qint64 answerDeadlineMs = 0; // when to stop waiting and answer 202 queued
    bool relayed = false;        // produced by the outbox relay (counts against its window)
};

class InFlightTable final
{
public:
    void add(InFlight entry);
    bool contains(qint64 id) const { return m_entries.count(id) != 0; }
    std::size_t size() const { return m_entries.size(); }

    // Removes and returns the entry for a delivery report.
    std::optional<InFlight> take(qint64 id);
    // Entries whose answer deadline passed and that still hold a responder: the responder is moved
    // out (the entry stays in flight, its report may still come).
    QList<InFlight> takeExpiredAnswers(qint64 nowMs);
    // The earliest pending answer deadline, if any.
    std::optional<qint64> nextDeadline();
    // Every entry still holding a responder (shutdown answers them).
    QList<InFlight> takeAllAnswers();
    // Every entry (a recreated producer will never report on them).
    QList<InFlight> takeAll();

private:
    std::unordered_map<qint64, InFlight> m_entries;
    std::deque<std::pair<qint64, qint64>> m_deadlines; // (deadline, id), non-decreasing deadlines
};

} // namespace hookbench::pipeline
