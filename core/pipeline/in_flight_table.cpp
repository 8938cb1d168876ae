#include "core/pipeline/in_flight_table.h"

namespace hookbench::pipeline {

void InFlightTable::add(InFlight entry)
{
    if (entry.responder.isValid())
        m_deadlines.emplace_back(entry.answerDeadlineMs, entry.id);
    m_entries.insert_or_assign(entry.id, std::move(entry));
}

std::optional<InFlight> InFlightTable::take(qint64 id)
{
    const auto it = m_entries.find(id);
    if (it == m_entries.end())
        return std::nullopt;
    InFlight entry = std::move(it->second);
    m_entries.erase(it);
    return entry;
}

QList<InFlight> InFlightTable::takeExpiredAnswers(qint64 nowMs)
{
    QList<InFlight> expired;
    while (!m_deadlines.empty() && m_deadlines.front().first <= nowMs) {
        const qint64 id = m_deadlines.front().second;
        m_deadlines.pop_front();
        const auto it = m_entries.find(id);
        if (it == m_entries.end() || !it->second.responder.isValid())
            continue; // answered by its report already
        expired.append(it->second);
        it->second.responder = {};
    }
    return expired;
}

std::optional<qint64> InFlightTable::nextDeadline()
{
    // Drop deadlines of entries answered meanwhile so the timer is not armed for nothing.
    while (!m_deadlines.empty()) {
        const auto it = m_entries.find(m_deadlines.front().second);
        if (it != m_entries.end() && it->second.responder.isValid())
            return m_deadlines.front().first;
        m_deadlines.pop_front();
    }
    return std::nullopt;
}

QList<InFlight> InFlightTable::takeAllAnswers()
{
    QList<InFlight> waiting;
    for (auto &[id, entry] : m_entries) {
        if (entry.responder.isValid()) {
            waiting.append(entry);
            entry.responder = {};
        }
    }
    m_deadlines.clear();
    return waiting;
}

QList<InFlight> InFlightTable::takeAll()
{
    QList<InFlight> all;
    all.reserve(qsizetype(m_entries.size()));
    for (auto &[id, entry] : m_entries)
        all.append(std::move(entry));
    m_entries.clear();
    m_deadlines.clear();
    return all;
}

} // namespace hookbench::pipeline
