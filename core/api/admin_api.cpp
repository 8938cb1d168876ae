#include "core/api/admin_api.h"

namespace hookbench::api {

struct AdminApi::Private
{};

AdminApi::AdminApi(QObject *parent) : QObject(parent), d(std::make_unique<Private>()) {}
AdminApi::~AdminApi() = default;

Result<QByteArray> AdminApi::loadOrCreateToken(const QString &dataDir)
{
    Q_UNUSED(dataDir)
    return Error{QStringLiteral("not_implemented"), QStringLiteral("the admin API is not built yet")};
}

Result<std::unique_ptr<AdminApi>> AdminApi::create(AdminEnvironment env)
{
    Q_UNUSED(env)
    return Error{QStringLiteral("not_implemented"), QStringLiteral("the admin API is not built yet")};
}

void AdminApi::handle(const http::HttpRequest &request, const http::Responder &responder)
{
    Q_UNUSED(request)
    Q_UNUSED(responder)
}

} // namespace hookbench::api
