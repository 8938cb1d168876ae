#include "ui/workers/journal_loader.h"

#include "core/store/processing_query.h"

using namespace Qt::StringLiterals;

namespace hookbench::ui {

namespace {

FeedProcessing feedProcessing(store::ProcessingState state)
{
    switch (state) {
    case store::ProcessingState::Pending: return FeedProcessing::Pending;
    case store::ProcessingState::Retrying: return FeedProcessing::Retrying;
    case store::ProcessingState::Done: return FeedProcessing::Done;
    case store::ProcessingState::DeadLettered: return FeedProcessing::DeadLettered;
    case store::ProcessingState::Replayed: return FeedProcessing::Replayed;
    case store::ProcessingState::Discarded: return FeedProcessing::Discarded;
    }
    return FeedProcessing::Unknown;
}

} // namespace

JournalLoader::JournalLoader(QString databasePath) : m_databasePath(std::move(databasePath)) {}

JournalLoader::~JournalLoader() = default;

bool JournalLoader::ensureOpen(QString *error)
{
    if (!m_journal) {
        auto opened = store::JournalQuery::open(m_databasePath);
        if (!opened) {
            *error = opened.error().message;
            return false;
        }
        m_journal = std::move(opened.value());
    }
    if (!m_processing) {
        // Without it the feed still works; the processing column then says "unknown".
        auto opened = store::ProcessingQuery::open(m_databasePath);
        if (opened)
            m_processing = std::move(opened.value());
    }
    return true;
}

Result<FeedRows> JournalLoader::list(const store::JournalFilter &filter) const
{
    auto entries = m_journal->list(filter);
    if (!entries)
        return entries.error();
    FeedRows rows;
    rows.reserve(entries->size());
    for (const auto &entry : *entries)
        rows.append(FeedRow::fromEntry(entry));
    return rows;
}

void JournalLoader::readStatuses(const QList<qint64> &ids, FeedPage &page) const
{
    if (!m_processing || ids.isEmpty())
        return;
    auto statuses = m_processing->statusOf(ids);
    if (!statuses) {
        page.error = statuses.error().message;
        return;
    }
    for (auto it = statuses->cbegin(); it != statuses->cend(); ++it)
        page.statuses.insert(it.key(), FeedStatus{feedProcessing(it->state), it->attempts, it->lastError});
}

void JournalLoader::load(const FeedRequest &request)
{
    FeedPage page;
    page.generation = request.generation;
    page.kind = request.kind;
    if (!ensureOpen(&page.error)) {
        emit loaded(page);
        return;
    }

    store::JournalFilter filter = request.filter;
    filter.withBodies = false;
    filter.beforeId = 0;
    filter.afterId = 0;
    const int limit = qMax(1, request.limit);
    auto fail = [&](const Error &error) {
        page.error = u"Reading the journal failed: "_s + error.message;
        emit loaded(page);
    };

    using Kind = FeedRequest::Kind;
    switch (request.kind) {
    case Kind::Reset: {
        filter.limit = limit;
        auto rows = list(filter);
        if (!rows)
            return fail(rows.error());
        page.rows = std::move(rows.value());
        break;
    }
    case Kind::Tail:
    case Kind::Newer: {
        // One row more than asked says whether there is more beyond.
        filter.afterId = request.anchorId;
        filter.limit = limit + 1;
        auto rows = list(filter);
        if (!rows)
            return fail(rows.error());
        page.rows = std::move(rows.value());
        if (page.rows.size() > limit) {
            page.more = true;
            page.rows.removeLast();
            if (request.kind == Kind::Tail) {
                store::JournalFilter newest = request.filter;
                newest.withBodies = false;
                newest.beforeId = 0;
                newest.afterId = 0;
                newest.limit = limit;
                auto tail = list(newest);
                if (!tail)
                    return fail(tail.error());
                page.newest = std::move(tail.value());
            }
        }
        break;
    }
    case Kind::Older: {
        filter.beforeId = request.anchorId;
        filter.limit = limit + 1;
        auto rows = list(filter);
        if (!rows)
            return fail(rows.error());
        page.rows = std::move(rows.value());
        if (page.rows.size() > limit) {
            page.more = true;
            page.rows.removeFirst();
        }
        break;
    }
    case Kind::Around: {
        // Half a page up to and including the anchor, the rest after it.
        filter.beforeId = request.anchorId + 1;
        filter.limit = limit / 2;
        auto before = list(filter);
        if (!before)
            return fail(before.error());
        filter.beforeId = 0;
        filter.afterId = request.anchorId;
        filter.limit = limit - limit / 2 + 1;
        auto after = list(filter);
        if (!after)
            return fail(after.error());
        page.rows = std::move(before.value());
        if (after->size() > limit - limit / 2) {
            page.more = true;
            after->removeLast();
        }
        page.rows.append(after.value());
        break;
    }
    case Kind::Refresh: break;
    }

    if (request.refreshFromId > 0 && request.refreshToId >= request.refreshFromId) {
        store::JournalFilter refresh = request.filter;
        refresh.withBodies = false;
        refresh.afterId = request.refreshFromId - 1;
        refresh.beforeId = request.refreshToId + 1;
        refresh.limit = 0;
        auto rows = list(refresh);
        if (!rows)
            return fail(rows.error());
        page.refreshed = std::move(rows.value());
    }

    QList<qint64> ids = request.statusIds;
    for (const FeedRows *rows : {&page.rows, &page.newest}) {
        for (const auto &row : *rows) {
            if (row.verdict != store::Verdict::Rejected && row.verdict != store::Verdict::Duplicate)
                ids.append(row.id);
        }
    }
    readStatuses(ids, page);
    emit loaded(page);
}

} // namespace hookbench::ui
