#pragma once

// AdminApi: the local admin API under /api/ on the receiver's listener (JSON, snake_case like
// the config file). Every request needs "Authorization: Bearer <token>", the token Hookbench
// writes to <data-dir>/admin-token (mode 0600) on first start; else 401.
//
//   /api/targets, /api/filters, /api/subscriptions   GET (list), GET /{id}, POST, PATCH /{id}, DELETE /{id}
//   GET  /api/events?source=&status=&since=&until=&limit=&after=   journal (status = verdict)
//   GET  /api/events/{id}                              entry + processing status + attempts + replays
//   GET  /api/dlq?status=&limit=&after=               dead letters
//   POST /api/dlq/{id}/replay   {"mode","body","headers","new_idempotency_key","resign"}
//   POST /api/dlq/{id}/discard
//   POST /api/replay            {"ids": [...]} or {"source","status","since","until","limit"}, "mode"
//   GET  /api/consumers         group, members, assignment, partitions with lag, rebalances
//   PUT  /api/consumers         {"count": N}
// Lists answer {"items": [...], "next": <cursor or null>}; created objects {"id": N, ...} with
// 201; invalid input 400 {"error": "invalid_argument", "field": "...", "message": "..."};
// unknown ids 404; a target or filter still used by a subscription 409 on DELETE.
//
// Lives on the pipeline's service thread; handle() may be called from any thread (it hops) and
// answers through the Responder.

#include <functional>
#include <memory>

#include <QByteArray>
#include <QObject>

#include "core/http/http_server.h"
#include "core/kafka/consumer_group_state.h"
#include "core/util/clock.h"
#include "core/util/result.h"

namespace hookbench::replay {
class ReplayService;
} // namespace hookbench::replay

namespace hookbench::api {

struct AdminEnvironment
{
    QString databasePath;
    QByteArray token;
    const Clock *clock = &SystemClock::instance();
    replay::ReplayService *replay = nullptr; // lives on the same thread as the API
    // Thread-safe consumer group access (EventProcessor::snapshot / setConsumerCount); empty
    // functions when consumers are off: GET answers an empty group, PUT 409.
    std::function<kafka::ConsumerGroupState()> consumers;
    std::function<Result<void>(int)> setConsumerCount;
};

class AdminApi final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AdminApi)

public:
    // Reads <dataDir>/admin-token, or creates it (32 random bytes, hex, mode 0600) when missing.
    static Result<QByteArray> loadOrCreateToken(const QString &dataDir);

    static Result<std::unique_ptr<AdminApi>> create(AdminEnvironment env);
    ~AdminApi() override;

    // A request whose path starts with /api/.
    void handle(const http::HttpRequest &request, const http::Responder &responder);

private:
    explicit AdminApi(QObject *parent = nullptr);
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace hookbench::api
