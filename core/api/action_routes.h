#pragma once

// ActionRoutes: the admin API's commands — replaying and discarding dead letters, replaying a
// selection of journal entries (ReplayService), and the consumer group (GET a snapshot, PUT the
// member count). Replays answer asynchronously through the Responder; `context` (the AdminApi)
// is where the service's answers arrive and must outlive pending replays or drop them.

#include <QObject>

#include "core/api/admin_api.h"
#include "core/http/http_request.h"
#include "core/http/http_server.h"

namespace hookbench::api {

class EventRoutes;

class ActionRoutes
{
public:
    ActionRoutes(const AdminEnvironment &env, EventRoutes &events, QObject *context);

    // POST /api/dlq/{id}/replay
    void replayDeadLetter(qint64 id, const http::HttpRequest &request, const http::Responder &responder);
    // POST /api/dlq/{id}/discard
    void discardDeadLetter(qint64 id, const http::Responder &responder);
    // POST /api/replay
    void replayMany(const http::HttpRequest &request, const http::Responder &responder);
    // GET and PUT /api/consumers
    http::HttpResponse consumers(const http::HttpRequest &request);

private:
    const AdminEnvironment &m_env;
    EventRoutes &m_events;
    QObject *m_context;
};

} // namespace hookbench::api
