#include "core/api/crud_routes.h"

#include <limits>

#include <QJsonArray>
#include <QRegularExpression>
#include <QUrl>

#include "core/api/api_reply.h"
#include "core/api/json_codec.h"
#include "core/api/request_reader.h"
#include "core/processing/event_filter.h"
#include "core/store/database.h"
#include "core/store/processing_store.h"

using namespace Qt::StringLiterals;

namespace hookbench::api {

namespace {

constexpr int kDefaultLimit = 100;
constexpr int kMaxLimit = 1000;
// Same bounds as a target's timeout_ms in the config file (TargetSettings).
constexpr qint64 kMinTimeoutMs = 1;
constexpr qint64 kMaxTimeoutMs = 600'000;

// Rows as JSON, whatever the resource.
Result<QList<QJsonObject>> allRows(store::ProcessingStore &store, QByteArrayView name)
{
    QList<QJsonObject> rows;
    auto add = [&rows](const auto &result, auto toJson) -> Result<QList<QJsonObject>> {
        if (!result)
            return result.error();
        for (const auto &row : *result)
            rows.append(toJson(row));
        return rows;
    };
    if (name == "targets")
        return add(store.targets(), &JsonCodec::target);
    if (name == "filters")
        return add(store.filters(), &JsonCodec::filter);
    return add(store.subscriptions(), &JsonCodec::subscription);
}

Result<QJsonObject> oneRow(store::ProcessingStore &store, QByteArrayView name, qint64 id)
{
    auto convert = [](const auto &result, auto toJson) -> Result<QJsonObject> {
        if (!result)
            return result.error();
        return toJson(*result);
    };
    if (name == "targets")
        return convert(store.target(id), &JsonCodec::target);
    if (name == "filters")
        return convert(store.filter(id), &JsonCodec::filter);
    return convert(store.subscription(id), &JsonCodec::subscription);
}

// Why a target URL is unusable, or an empty string. Same rules as a configured target.
QString urlProblem(const QString &text)
{
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid())
        return u"\"%1\" is not a valid URL: %2"_s.arg(text, url.errorString());
    if (url.scheme() != u"http"_s && url.scheme() != u"https"_s)
        return u"\"%1\" must start with http:// or https://"_s.arg(text);
    if (url.host().isEmpty())
        return u"\"%1\" has no host"_s.arg(text);
    return {};
}

// Event type patterns: what EventFilter accepts (non-empty strings), and nothing a provider's
// event type cannot contain (spaces, control characters) or absurdly long.
std::optional<QStringList> readEvents(RequestReader &r)
{
    const QJsonValue value = r.object().value(u"events"_s);
    Result<processing::EventFilter> filter = processing::EventFilter::fromJson(value, u"events"_s);
    if (!filter || value.isNull()) {
        // EventFilter names the field itself ("events[2]: ..."): keep the index, drop the name.
        QString why =
            value.isNull() ? u"must be an array of event type patterns, got null"_s : filter.error().message.mid(6);
        if (why.startsWith(u": "_s))
            why.remove(0, 2);
        r.fail(u"events"_s, why);
        return std::nullopt;
    }
    const QStringList patterns = filter->patterns();
    for (qsizetype i = 0; i < patterns.size(); ++i) {
        if (const QString problem = processing::EventFilter::patternProblem(patterns[i]); !problem.isEmpty()) {
            r.fail(u"events"_s, u"[%1] \"%2\" is not an event type pattern: "_s.arg(i).arg(patterns[i]) % problem);
            return std::nullopt;
        }
    }
    return patterns;
}

} // namespace

CrudRoutes::CrudRoutes(std::unique_ptr<store::Database> db, const Clock &clock)
    : m_db(std::move(db))
    , m_store(std::make_unique<store::ProcessingStore>(*m_db))
    , m_clock(clock)
{}

CrudRoutes::~CrudRoutes() = default;

Result<std::unique_ptr<CrudRoutes>> CrudRoutes::open(const QString &databasePath, const Clock &clock)
{
    Result<std::unique_ptr<store::Database>> db = store::Database::open(databasePath, store::OpenMode::ReadWrite);
    if (!db)
        return db.error();
    return std::unique_ptr<CrudRoutes>(new CrudRoutes(std::move(*db), clock));
}

bool CrudRoutes::isCollection(QByteArrayView name)
{
    return name == "targets" || name == "filters" || name == "subscriptions";
}

http::HttpResponse CrudRoutes::collection(QByteArrayView name, const http::HttpRequest &request)
{
    if (request.method == "GET")
        return list(name, request);
    if (request.method == "POST") {
        RequestReader reader = RequestReader::fromBody(request.body);
        if (!reader.ok())
            return reader.errorResponse();
        if (name == "targets")
            return writeTarget(0, reader);
        if (name == "filters")
            return writeFilter(0, reader);
        return writeSubscription(0, reader);
    }
    return ApiReply::methodNotAllowed("GET, POST");
}

http::HttpResponse CrudRoutes::item(QByteArrayView name, qint64 id, const http::HttpRequest &request)
{
    if (request.method == "GET")
        return get(name, id);
    if (request.method == "DELETE")
        return remove(name, id);
    if (request.method == "PATCH") {
        RequestReader reader = RequestReader::fromBody(request.body);
        if (!reader.ok())
            return reader.errorResponse();
        if (name == "targets")
            return writeTarget(id, reader);
        if (name == "filters")
            return writeFilter(id, reader);
        return writeSubscription(id, reader);
    }
    return ApiReply::methodNotAllowed("GET, PATCH, DELETE");
}

http::HttpResponse CrudRoutes::list(QByteArrayView name, const http::HttpRequest &request)
{
    RequestReader query = RequestReader::fromQuery(request.query());
    query.rejectUnknown({u"after"_s, u"limit"_s});
    const qint64 after = query.integer(u"after"_s, 0, std::numeric_limits<qint64>::max()).value_or(0);
    const qint64 limit = query.integer(u"limit"_s, 1, kMaxLimit).value_or(kDefaultLimit);
    if (!query.ok())
        return query.errorResponse();

    // These tables hold what a person configured (a handful of rows): page in memory.
    Result<QList<QJsonObject>> rows = allRows(*m_store, name);
    if (!rows)
        return ApiReply::fromError(rows.error());
    QJsonArray items;
    bool more = false;
    for (const QJsonObject &row : *rows) {
        if (row.value(u"id"_s).toInteger() <= after)
            continue;
        if (items.size() == limit) {
            more = true;
            break;
        }
        items.append(row);
    }
    std::optional<qint64> next;
    if (more)
        next = items.last().toObject().value(u"id"_s).toInteger();
    return ApiReply::list(items, next);
}

http::HttpResponse CrudRoutes::get(QByteArrayView name, qint64 id)
{
    Result<QJsonObject> row = oneRow(*m_store, name, id);
    return row ? ApiReply::json(200, *row) : ApiReply::fromError(row.error());
}

http::HttpResponse CrudRoutes::remove(QByteArrayView name, qint64 id)
{
    Result<void> removed = name == "targets"   ? m_store->deleteTarget(id)
                           : name == "filters" ? m_store->deleteFilter(id)
                                               : m_store->deleteSubscription(id);
    if (!removed)
        return ApiReply::fromError(removed.error());
    return ApiReply::json(200, QJsonObject{{u"id"_s, id}, {u"deleted"_s, true}});
}

http::HttpResponse CrudRoutes::writeTarget(qint64 id, RequestReader &r)
{
    store::TargetRow row;
    if (id > 0) {
        Result<store::TargetRow> existing = m_store->target(id);
        if (!existing)
            return ApiReply::fromError(existing.error());
        row = *existing;
    }
    const bool creating = id == 0;
    r.rejectUnknown({u"url"_s, u"headers"_s, u"timeout_ms"_s});
    if (creating && !r.has(u"url"_s))
        r.fail(u"url"_s, u"is required (e.g. http://127.0.0.1:3000/hooks)"_s);
    if (std::optional<QString> url = r.string(u"url"_s)) {
        if (const QString problem = urlProblem(*url); !problem.isEmpty())
            r.fail(u"url"_s, problem);
        row.url = *url;
    }
    if (std::optional<http::HeaderList> headers = r.headers(u"headers"_s))
        row.headers = *headers;
    if (std::optional<qint64> timeout = r.integer(u"timeout_ms"_s, kMinTimeoutMs, kMaxTimeoutMs))
        row.timeoutMs = int(*timeout);
    if (!r.ok())
        return r.errorResponse();

    if (creating) {
        row.createdAtMs = m_clock.nowMs();
        Result<qint64> created = m_store->createTarget(row);
        if (!created)
            return ApiReply::fromError(created.error(), u"url"_s);
        id = *created;
    } else if (Result<void> updated = m_store->updateTarget(row); !updated) {
        return ApiReply::fromError(updated.error(), u"url"_s);
    }
    Result<store::TargetRow> stored = m_store->target(id);
    if (!stored)
        return ApiReply::fromError(stored.error());
    return ApiReply::json(creating ? 201 : 200, JsonCodec::target(*stored));
}

http::HttpResponse CrudRoutes::writeFilter(qint64 id, RequestReader &r)
{
    store::FilterRow row;
    if (id > 0) {
        Result<store::FilterRow> existing = m_store->filter(id);
        if (!existing)
            return ApiReply::fromError(existing.error());
        row = *existing;
    }
    const bool creating = id == 0;
    r.rejectUnknown({u"events"_s});
    if (creating && !r.has(u"events"_s))
        r.fail(u"events"_s, u"is required: an array of event type patterns such as \"invoice.*\" ([] = every event)"_s);
    if (r.ok() && r.has(u"events"_s)) {
        if (std::optional<QStringList> events = readEvents(r))
            row.events = *events;
    }
    if (!r.ok())
        return r.errorResponse();

    if (creating) {
        Result<qint64> created = m_store->createFilter(row);
        if (!created)
            return ApiReply::fromError(created.error(), u"events"_s);
        id = *created;
    } else if (Result<void> updated = m_store->updateFilter(row); !updated) {
        return ApiReply::fromError(updated.error(), u"events"_s);
    }
    Result<store::FilterRow> stored = m_store->filter(id);
    if (!stored)
        return ApiReply::fromError(stored.error());
    return ApiReply::json(creating ? 201 : 200, JsonCodec::filter(*stored));
}

http::HttpResponse CrudRoutes::writeSubscription(qint64 id, RequestReader &r)
{
    store::SubscriptionRow row;
    if (id > 0) {
        Result<store::SubscriptionRow> existing = m_store->subscription(id);
        if (!existing)
            return ApiReply::fromError(existing.error());
        row = *existing;
    }
    const bool creating = id == 0;
    r.rejectUnknown({u"target_id"_s, u"filter_id"_s, u"active"_s});
    if (creating && !r.has(u"target_id"_s))
        r.fail(u"target_id"_s, u"is required: the id of a target (POST /api/targets)"_s);
    if (std::optional<qint64> target = r.id(u"target_id"_s)) {
        if (Result<store::TargetRow> t = m_store->target(*target); !t)
            r.fail(u"target_id"_s,
                   t.error().code == u"not_found"_s ? u"target %1 does not exist"_s.arg(*target) : t.error().message);
        row.targetId = *target;
    }
    bool noFilter = false;
    if (std::optional<qint64> filter = r.id(u"filter_id"_s, true, &noFilter)) {
        if (Result<store::FilterRow> f = m_store->filter(*filter); !f)
            r.fail(u"filter_id"_s,
                   f.error().code == u"not_found"_s ? u"filter %1 does not exist"_s.arg(*filter) : f.error().message);
        row.filterId = *filter;
    } else if (noFilter) {
        row.filterId = 0;
    }
    if (std::optional<bool> active = r.boolean(u"active"_s))
        row.active = *active;
    if (!r.ok())
        return r.errorResponse();

    // A target or filter deleted between the check and the write is still caught by the store
    // (foreign key) and named the same way.
    auto referenceField = [](const Error &e) {
        return e.message.contains(u"filter"_s) ? u"filter_id"_s : u"target_id"_s;
    };
    if (creating) {
        row.createdAtMs = m_clock.nowMs();
        Result<qint64> created = m_store->createSubscription(row);
        if (!created)
            return ApiReply::fromError(created.error(), referenceField(created.error()));
        id = *created;
    } else if (Result<void> updated = m_store->updateSubscription(row); !updated) {
        return ApiReply::fromError(updated.error(), referenceField(updated.error()));
    }
    Result<store::SubscriptionRow> stored = m_store->subscription(id);
    if (!stored)
        return ApiReply::fromError(stored.error());
    return ApiReply::json(creating ? 201 : 200, JsonCodec::subscription(*stored));
}

} // namespace hookbench::api
