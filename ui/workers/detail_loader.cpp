#include "ui/workers/detail_loader.h"

#include "core/store/journal_query.h"
#include "core/store/processing_query.h"

using namespace Qt::StringLiterals;

namespace hookbench::ui {

DetailLoader::DetailLoader(QString databasePath) : m_databasePath(std::move(databasePath)) {}

DetailLoader::~DetailLoader() = default;

void DetailLoader::format(quint64 generation, const QByteArray &body)
{
    emit formatted(generation, BodyViews::build(body));
}

void DetailLoader::load(quint64 generation, qint64 id, bool refresh)
{
    EntryDetail detail;
    detail.generation = generation;
    detail.id = id;
    detail.refresh = refresh;
    auto finish = [&](const QString &error = {}) {
        if (!error.isEmpty())
            detail.error = error;
        emit loaded(detail);
    };
    if (!m_journal) {
        auto opened = store::JournalQuery::open(m_databasePath);
        if (!opened)
            return finish(opened.error().message);
        m_journal = std::move(opened.value());
    }
    if (refresh) {
        // The entry without its body: the one entry right before id + 1, when it is this one.
        store::JournalFilter only;
        only.beforeId = id + 1;
        only.limit = 1;
        auto listed = m_journal->list(only);
        if (!listed)
            return finish(u"Re-reading journal entry #%1 failed: %2"_s.arg(id).arg(listed.error().message));
        if (!listed->isEmpty() && listed->constFirst().id == id)
            detail.entry = listed->constFirst();
    } else {
        auto entry = m_journal->entry(id);
        if (!entry)
            return finish(u"Reading journal entry #%1 failed: %2"_s.arg(id).arg(entry.error().message));
        detail.entry = *entry;
    }
    if (!detail.entry)
        return finish();
    if (!refresh && detail.entry->body.size() <= kViewsLimit)
        detail.views = BodyViews::build(detail.entry->body);

    // The duplicates hang off the first delivery (the claim holder).
    qint64 firstId = id;
    if (detail.entry->verdict == store::Verdict::Duplicate && detail.entry->duplicateOf > 0) {
        firstId = detail.entry->duplicateOf;
        auto first = m_journal->entry(firstId);
        if (first && first->has_value()) {
            detail.firstSeen = std::move(first.value());
            detail.firstSeen->body.clear(); // not shown; keep the copy small
        } else if (first) {
            detail.firstSeenPurged = true;
        }
    }
    if (detail.entry->derivedFrom > 0) {
        if (auto found = m_journal->contains(detail.entry->derivedFrom); found && !*found)
            detail.derivedFromPurged = true;
    }
    if (auto duplicates = m_journal->duplicatesOf(firstId))
        detail.duplicates = std::move(duplicates.value());
    else
        detail.error = duplicates.error().message;

    if (!m_processing) {
        auto opened = store::ProcessingQuery::open(m_databasePath);
        if (opened)
            m_processing = std::move(opened.value());
    }
    if (m_processing) {
        detail.processingAvailable = true;
        if (auto statuses = m_processing->statusOf({id}); statuses && statuses->contains(id))
            detail.status = statuses->value(id);
        if (auto attempts = m_processing->attemptsFor(id))
            detail.attempts = std::move(attempts.value());
        if (auto dead = m_processing->deadLetterFor(id))
            detail.deadLetter = std::move(dead.value());
        if (auto replays = m_processing->replaysOf(id))
            detail.replays = std::move(replays.value());
    }
    finish();
}

} // namespace hookbench::ui
