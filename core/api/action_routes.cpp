#include "core/api/action_routes.h"

#include <limits>

#include <QJsonArray>

#include "core/api/api_reply.h"
#include "core/api/event_routes.h"
#include "core/api/json_codec.h"
#include "core/api/request_reader.h"
#include "core/replay/replay_service.h"

using namespace Qt::StringLiterals;

namespace hookbench::api {

namespace {

// Same bounds as consumers.count in the config file.
constexpr qint64 kMaxConsumers = 32;
constexpr qint64 kMaxReplayMany = 1000;

http::HttpResponse replayUnavailable()
{
    return ApiReply::error(503, u"replay_unavailable"_s, u"replay is not available in this run of Hookbench"_s);
}

// The service's errors; "invalid_argument" concerns the entry or letter the path or ids name.
http::HttpResponse replayError(const Error &e, const QString &field)
{
    return ApiReply::fromError(e, field);
}

std::optional<replay::ReplayMode> readMode(RequestReader &r)
{
    std::optional<QString> name = r.string(u"mode"_s);
    if (!name)
        return std::nullopt;
    // Spelled out here rather than with replay::parseReplayMode so the API does not depend on
    // the replay implementation being linked in (it is optional: env.replay may be null).
    std::optional<replay::ReplayMode> mode;
    if (*name == u"topic"_s)
        mode = replay::ReplayMode::Topic;
    else if (*name == u"receiver"_s)
        mode = replay::ReplayMode::Receiver;
    if (!mode)
        r.fail(u"mode"_s, u"\"%1\" is not a replay mode; expected topic or receiver"_s.arg(*name));
    return mode;
}

} // namespace

ActionRoutes::ActionRoutes(const AdminEnvironment &env, EventRoutes &events, QObject *context)
    : m_env(env)
    , m_events(events)
    , m_context(context)
{}

void ActionRoutes::replayDeadLetter(qint64 id, const http::HttpRequest &request, const http::Responder &responder)
{
    RequestReader r = RequestReader::fromBody(request.body, true);
    r.rejectUnknown({u"mode"_s, u"body"_s, u"headers"_s, u"new_idempotency_key"_s, u"resign"_s});
    replay::ReplayRequest replayRequest;
    replayRequest.deadLetterId = id;
    if (std::optional<replay::ReplayMode> mode = readMode(r))
        replayRequest.mode = *mode;
    if (std::optional<QString> body = r.string(u"body"_s, true))
        replayRequest.edits.body = body->toUtf8();
    if (std::optional<http::HeaderList> headers = r.headers(u"headers"_s))
        replayRequest.edits.headers = *headers;
    if (std::optional<bool> newKey = r.boolean(u"new_idempotency_key"_s))
        replayRequest.edits.newIdempotencyKey = *newKey;
    if (std::optional<bool> resign = r.boolean(u"resign"_s))
        replayRequest.edits.resign = *resign;
    if (!r.ok()) {
        responder.send(r.errorResponse());
        return;
    }
    if (!m_env.replay) {
        responder.send(replayUnavailable());
        return;
    }
    m_env.replay->replay(replayRequest, m_context, [responder](const Result<replay::ReplayResult> &result) {
        responder.send(result ? ApiReply::json(200, JsonCodec::replayResult(*result))
                              : replayError(result.error(), u"id"_s));
    });
}

void ActionRoutes::discardDeadLetter(qint64 id, const http::Responder &responder)
{
    if (!m_env.replay) {
        responder.send(replayUnavailable());
        return;
    }
    EventRoutes *events = &m_events;
    m_env.replay->discard(id, m_context, [responder, events, id](const Result<void> &result) {
        // The letter as it is now, so the caller sees status "discarded" and when.
        responder.send(result ? events->deadLetter(id) : replayError(result.error(), u"id"_s));
    });
}

void ActionRoutes::replayMany(const http::HttpRequest &request, const http::Responder &responder)
{
    RequestReader r = RequestReader::fromBody(request.body);
    r.rejectUnknown(
        {u"ids"_s, u"source"_s, u"status"_s, u"since"_s, u"until"_s, u"limit"_s, u"mode"_s, u"new_idempotency_key"_s});
    replay::ReplaySelection selection;
    if (r.has(u"ids"_s)) {
        const QJsonValue ids = r.object().value(u"ids"_s);
        for (const QString &field : {u"source"_s, u"status"_s, u"since"_s, u"until"_s}) {
            if (r.has(field))
                r.fail(field, u"cannot be combined with ids: give either ids or a filter"_s);
        }
        if (!ids.isArray() || ids.toArray().isEmpty() || ids.toArray().size() > kMaxReplayMany) {
            r.fail(u"ids"_s, u"must be an array of 1 to %1 journal ids"_s.arg(kMaxReplayMany));
        } else {
            const QJsonArray array = ids.toArray();
            for (qsizetype i = 0; i < array.size(); ++i) {
                const double d = array.at(i).toDouble(-1);
                if (!array.at(i).isDouble() || d < 1 || d != double(qint64(d)) || d > 9007199254740992.0) {
                    r.fail(u"ids"_s, u"[%1] must be a positive integer journal id"_s.arg(i));
                    break;
                }
                selection.journalIds.append(qint64(d));
            }
        }
    } else {
        EventRoutes::readJournalFilter(r, selection.filter);
    }
    if (std::optional<qint64> limit = r.integer(u"limit"_s, 1, kMaxReplayMany))
        selection.limit = int(*limit);
    selection.filter.limit = selection.limit;
    selection.filter.afterId = 0;
    if (std::optional<replay::ReplayMode> mode = readMode(r))
        selection.mode = *mode;
    if (std::optional<bool> newKey = r.boolean(u"new_idempotency_key"_s))
        selection.newIdempotencyKey = *newKey;
    if (!r.ok()) {
        responder.send(r.errorResponse());
        return;
    }
    if (!m_env.replay) {
        responder.send(replayUnavailable());
        return;
    }
    m_env.replay->replayMany(
        selection, m_context, [responder](const Result<QList<Result<replay::ReplayResult>>> &results) {
            if (!results) {
                responder.send(replayError(results.error(), u"ids"_s));
                return;
            }
            QJsonArray items;
            for (const Result<replay::ReplayResult> &one : *results) {
                items.append(one ? JsonCodec::replayResult(*one)
                                 : QJsonObject{{u"error"_s, one.error().code}, {u"message"_s, one.error().message}});
            }
            responder.send(ApiReply::json(200, QJsonObject{{u"items"_s, items}}));
        });
}

http::HttpResponse ActionRoutes::consumers(const http::HttpRequest &request)
{
    if (request.method == "GET") {
        kafka::ConsumerGroupState state;
        if (m_env.consumers)
            state = m_env.consumers();
        return ApiReply::json(200, JsonCodec::consumers(state));
    }
    if (request.method != "PUT")
        return ApiReply::methodNotAllowed("GET, PUT");

    RequestReader r = RequestReader::fromBody(request.body);
    r.rejectUnknown({u"count"_s});
    if (r.ok() && !r.has(u"count"_s))
        r.fail(u"count"_s, u"is required: how many consumers the group should have"_s);
    const std::optional<qint64> count = r.integer(u"count"_s, 0, kMaxConsumers);
    if (!r.ok())
        return r.errorResponse();
    if (!m_env.setConsumerCount) {
        return ApiReply::error(409, u"consumers_off"_s,
                               u"the consumer group is not running, so its size cannot be changed"_s);
    }
    if (Result<void> set = m_env.setConsumerCount(int(*count)); !set)
        return ApiReply::fromError(set.error(), u"count"_s);
    return ApiReply::json(200, QJsonObject{{u"count"_s, *count}});
}

} // namespace hookbench::api
