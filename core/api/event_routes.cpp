#include "core/api/event_routes.h"

#include <limits>

#include <QJsonArray>

#include "core/api/api_reply.h"
#include "core/api/json_codec.h"
#include "core/api/request_reader.h"

using namespace Qt::StringLiterals;

namespace hookbench::api {

namespace {

constexpr int kDefaultLimit = 100;
constexpr int kMaxLimit = 1000;

void readTime(RequestReader &r, const QString &field, qint64 &ms)
{
    if (!r.has(field))
        return;
    const QJsonValue value = r.object().value(field);
    if (value.isDouble()) {
        if (std::optional<qint64> n = r.integer(field, 0, std::numeric_limits<qint64>::max() / 2))
            ms = *n;
        return;
    }
    const std::optional<qint64> parsed = value.isString() ? JsonCodec::parseTime(value.toString()) : std::nullopt;
    if (!parsed) {
        r.fail(field, u"must be an RFC 3339 time with a zone (2024-05-01T12:00:00Z) or milliseconds since the epoch"_s);
        return;
    }
    ms = *parsed;
}

} // namespace

Result<std::unique_ptr<EventRoutes>> EventRoutes::open(const QString &databasePath)
{
    Result<std::unique_ptr<store::JournalQuery>> journal = store::JournalQuery::open(databasePath);
    if (!journal)
        return journal.error();
    Result<std::unique_ptr<store::ProcessingQuery>> processing = store::ProcessingQuery::open(databasePath);
    if (!processing)
        return processing.error();
    std::unique_ptr<EventRoutes> routes(new EventRoutes);
    routes->m_journal = std::move(*journal);
    routes->m_processing = std::move(*processing);
    return routes;
}

void EventRoutes::readJournalFilter(RequestReader &r, store::JournalFilter &f)
{
    if (std::optional<QString> source = r.string(u"source"_s))
        f.source = *source;
    if (std::optional<QString> status = r.string(u"status"_s)) {
        f.verdict = store::parseVerdict(*status);
        if (!f.verdict)
            r.fail(u"status"_s,
                   u"\"%1\" is not a verdict; expected accepted, duplicate, queued or rejected"_s.arg(*status));
    }
    readTime(r, u"since"_s, f.sinceMs);
    readTime(r, u"until"_s, f.untilMs);
    if (r.ok() && f.sinceMs > 0 && f.untilMs > 0 && f.untilMs <= f.sinceMs)
        r.fail(u"until"_s, u"must be later than since"_s);
}

http::HttpResponse EventRoutes::events(const http::HttpRequest &request)
{
    RequestReader query = RequestReader::fromQuery(request.query());
    query.rejectUnknown({u"source"_s, u"status"_s, u"processing"_s, u"since"_s, u"until"_s, u"limit"_s, u"after"_s});
    store::JournalFilter filter;
    readJournalFilter(query, filter);
    if (std::optional<QString> processing = query.string(u"processing"_s)) {
        filter.processingState = JsonCodec::parseProcessingState(*processing);
        if (!filter.processingState) {
            QStringList names = JsonCodec::processingStateNames();
            const QString last = names.takeLast();
            query.fail(u"processing"_s, u"\"%1\" is not a processing state; expected %2 or %3"_s.arg(
                                            *processing, names.join(u", "_s), last));
        }
    }
    const qint64 after = query.integer(u"after"_s, 0, std::numeric_limits<qint64>::max()).value_or(0);
    const int limit = int(query.integer(u"limit"_s, 1, kMaxLimit).value_or(kDefaultLimit));
    if (!query.ok())
        return query.errorResponse();

    filter.limit = limit + 1; // one more tells whether there is a next page
    QList<store::JournalEntry> entries;
    if (after > 0) {
        filter.afterId = after;
        Result<QList<store::JournalEntry>> page = m_journal->list(filter);
        if (!page)
            return ApiReply::fromError(page.error());
        entries = std::move(*page);
    } else {
        // JournalQuery pages forward from an id > 0 only (afterId 0 means "the newest"). Ids
        // start at 1, so the first page is entry 1, when it matches, then the entries after it.
        filter.afterId = 1;
        Result<QList<store::JournalEntry>> page = m_journal->list(filter);
        if (!page)
            return ApiReply::fromError(page.error());
        entries = std::move(*page);
        // Whether entry 1 matches is asked of SQLite too (the entries before id 2), so every
        // condition, the processing state included, is decided in one place.
        store::JournalFilter firstOnly = filter;
        firstOnly.afterId = 0;
        firstOnly.beforeId = 2;
        firstOnly.limit = 1;
        Result<QList<store::JournalEntry>> first = m_journal->list(firstOnly);
        if (!first)
            return ApiReply::fromError(first.error());
        if (!first->isEmpty())
            entries.prepend(first->constFirst());
    }
    const bool more = entries.size() > limit;
    if (more)
        entries.resize(limit);

    QList<qint64> ids;
    for (const store::JournalEntry &e : entries)
        ids.append(e.id);
    Result<QHash<qint64, store::ProcessingStatus>> statuses = m_processing->statusOf(ids);
    if (!statuses)
        return ApiReply::fromError(statuses.error());
    QJsonArray items;
    for (const store::JournalEntry &e : entries) {
        QJsonObject item = JsonCodec::entry(e, false);
        item.insert(u"processing"_s, JsonCodec::status(statuses->value(e.id)));
        items.append(item);
    }
    return ApiReply::list(items, more ? std::optional<qint64>(entries.last().id) : std::nullopt);
}

http::HttpResponse EventRoutes::event(qint64 id)
{
    Result<std::optional<store::JournalEntry>> entry = m_journal->entry(id);
    if (!entry)
        return ApiReply::fromError(entry.error());
    if (!*entry)
        return ApiReply::error(404, u"not_found"_s, u"journal entry %1 does not exist"_s.arg(id));
    Result<QHash<qint64, store::ProcessingStatus>> statuses = m_processing->statusOf({id});
    Result<QList<store::AttemptRow>> attempts = m_processing->attemptsFor(id);
    Result<std::optional<store::DeadLetterRow>> letter = m_processing->deadLetterFor(id);
    Result<QList<qint64>> replays = m_processing->replaysOf(id);
    for (const Error *e : {statuses ? nullptr : &statuses.error(), attempts ? nullptr : &attempts.error(),
                           letter ? nullptr : &letter.error(), replays ? nullptr : &replays.error()}) {
        if (e)
            return ApiReply::fromError(*e);
    }

    QJsonObject o = JsonCodec::entry(**entry, true);
    o.insert(u"processing"_s, JsonCodec::status(statuses->value(id)));
    QJsonArray attemptArray;
    for (const store::AttemptRow &a : *attempts)
        attemptArray.append(JsonCodec::attempt(a));
    o.insert(u"attempts"_s, attemptArray);
    o.insert(u"dead_letter"_s, *letter ? QJsonValue(JsonCodec::deadLetter(**letter)) : QJsonValue());
    QJsonArray replayArray;
    for (qint64 replayId : *replays)
        replayArray.append(replayId);
    o.insert(u"replays"_s, replayArray);
    return ApiReply::json(200, o);
}

http::HttpResponse EventRoutes::deadLetters(const http::HttpRequest &request)
{
    RequestReader query = RequestReader::fromQuery(request.query());
    query.rejectUnknown({u"status"_s, u"limit"_s, u"after"_s});
    std::optional<store::DeadLetterStatus> status;
    if (std::optional<QString> name = query.string(u"status"_s)) {
        status = store::parseDeadLetterStatus(*name);
        if (!status)
            query.fail(u"status"_s,
                       u"\"%1\" is not a dead-letter status; expected dead, replayed or discarded"_s.arg(*name));
    }
    const qint64 after = query.integer(u"after"_s, 0, std::numeric_limits<qint64>::max()).value_or(0);
    const int limit = int(query.integer(u"limit"_s, 1, kMaxLimit).value_or(kDefaultLimit));
    if (!query.ok())
        return query.errorResponse();

    Result<QList<store::DeadLetterRow>> rows = m_processing->deadLetters(status, limit + 1, after);
    if (!rows)
        return ApiReply::fromError(rows.error());
    const bool more = rows->size() > limit;
    if (more)
        rows->resize(limit);
    QJsonArray items;
    for (const store::DeadLetterRow &row : *rows)
        items.append(JsonCodec::deadLetter(row));
    return ApiReply::list(items, more ? std::optional<qint64>(rows->last().id) : std::nullopt);
}

http::HttpResponse EventRoutes::deadLetter(qint64 id)
{
    Result<store::DeadLetterRow> row = m_processing->deadLetter(id);
    return row ? ApiReply::json(200, JsonCodec::deadLetter(*row)) : ApiReply::fromError(row.error());
}

} // namespace hookbench::api
