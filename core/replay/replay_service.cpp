#include "core/replay/replay_service.h"

namespace hookbench::replay {

struct ReplayService::Private
{};

ReplayService::ReplayService(QObject *parent) : QObject(parent), d(std::make_unique<Private>()) {}
ReplayService::~ReplayService() = default;

Result<std::unique_ptr<ReplayService>> ReplayService::create(ReplayEnvironment env)
{
    Q_UNUSED(env)
    return Error{QStringLiteral("not_implemented"), QStringLiteral("replay is not built yet")};
}

void ReplayService::replay(const ReplayRequest &request, QObject *context, Done done)
{
    Q_UNUSED(request)
    Q_UNUSED(context)
    Q_UNUSED(done)
}

void ReplayService::replayMany(const ReplaySelection &selection, QObject *context, DoneMany done)
{
    Q_UNUSED(selection)
    Q_UNUSED(context)
    Q_UNUSED(done)
}

void ReplayService::discard(qint64 deadLetterId, QObject *context, std::function<void(const Result<void> &)> done)
{
    Q_UNUSED(deadLetterId)
    Q_UNUSED(context)
    Q_UNUSED(done)
}

} // namespace hookbench::replay
