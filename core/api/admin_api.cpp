#include "core/api/admin_api.h"

#include <openssl/rand.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QThread>

#include "core/api/action_routes.h"
#include "core/api/api_reply.h"
#include "core/api/crud_routes.h"
#include "core/api/event_routes.h"
#include "core/util/crypto.h"
#include "core/util/private_path.h"

using namespace Qt::StringLiterals;

namespace hookbench::api {

namespace {

constexpr int kTokenBytes = 32;
constexpr QFileDevice::Permissions kOwnerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;

Error tokenError(const QString &path, const QString &why)
{
    return Error{u"admin_token_failed"_s, u"admin token %1: %2"_s.arg(QDir::toNativeSeparators(path), why)};
}

Result<QByteArray> readToken(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return tokenError(path, u"cannot read it: %1"_s.arg(file.errorString()));
    const QByteArray token = file.read(4096).trimmed();
    static const QRegularExpression hex(u"^[0-9a-f]{64}$"_s);
    if (!hex.match(QString::fromLatin1(token)).hasMatch()) {
        return tokenError(path,
                          u"it does not hold 64 lowercase hex digits; delete the file to have a new token made"_s);
    }
    // A token others can read is no secret: narrow a copy that was widened by hand.
    if ((file.permissions() & ~(kOwnerOnly | QFileDevice::ReadUser | QFileDevice::WriteUser)) != 0
        && !file.setPermissions(kOwnerOnly)) {
        return tokenError(path,
                          u"it is readable by others and its mode cannot be set to 0600: %1"_s.arg(file.errorString()));
    }
    return token;
}

// The path segment as a positive id, or 0.
qint64 parseId(const QByteArray &segment)
{
    if (segment.isEmpty() || segment.size() > 18 || segment.front() == '0')
        return 0;
    for (char c : segment) {
        if (c < '0' || c > '9')
            return 0;
    }
    return segment.toLongLong();
}

http::HttpResponse notFound(const QByteArray &path)
{
    return ApiReply::error(404, u"not_found"_s, u"no admin API resource at %1"_s.arg(QString::fromUtf8(path)));
}

} // namespace

struct AdminApi::Private
{
    AdminEnvironment env;
    std::unique_ptr<CrudRoutes> crud;
    std::unique_ptr<EventRoutes> events;
    std::unique_ptr<ActionRoutes> actions;

    bool authorised(const http::HttpRequest &request) const;
    void dispatch(const http::HttpRequest &request, const http::Responder &responder);
};

AdminApi::AdminApi(QObject *parent) : QObject(parent), d(std::make_unique<Private>()) {}
AdminApi::~AdminApi() = default;

Result<QByteArray> AdminApi::loadOrCreateToken(const QString &dataDir)
{
    const QString path = QDir(dataDir).filePath(u"admin-token"_s);
    if (QFileInfo::exists(path))
        return readToken(path);
    if (!util::PrivatePath::makeDir(dataDir))
        return tokenError(path, u"cannot create the directory %1"_s.arg(QDir::toNativeSeparators(dataDir)));

    unsigned char random[kTokenBytes];
    if (RAND_bytes(random, kTokenBytes) != 1)
        return tokenError(path, u"the system random generator failed"_s);
    const QByteArray token = QByteArray(reinterpret_cast<const char *>(random), kTokenBytes).toHex();

    // Created 0600 from the start (no window in which others could read it), and NewOnly so
    // that a second Hookbench starting at the same moment reads the first one's token instead.
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly, kOwnerOnly)) {
        if (QFileInfo::exists(path))
            return readToken(path);
        return tokenError(path, u"cannot create it: %1"_s.arg(file.errorString()));
    }
    // The umask cannot widen 0600, but say it explicitly: the mode is the point of the file.
    if (!file.setPermissions(kOwnerOnly) || file.write(token + '\n') != token.size() + 1 || !file.flush()) {
        const QString why = file.errorString();
        file.close();
        file.remove();
        return tokenError(path, u"cannot write it: %1"_s.arg(why));
    }
    file.close();
    return token;
}

Result<std::unique_ptr<AdminApi>> AdminApi::create(AdminEnvironment env)
{
    if (env.token.isEmpty())
        return Error{u"invalid_argument"_s, u"cannot start the admin API without a token"_s};
    if (!env.clock)
        env.clock = &SystemClock::instance();
    // Read-write first: it creates and migrates the database if no JournalWriter did yet, which
    // the read-only connections require.
    Result<std::unique_ptr<CrudRoutes>> crud = CrudRoutes::open(env.databasePath, *env.clock);
    if (!crud)
        return crud.error();
    Result<std::unique_ptr<EventRoutes>> events = EventRoutes::open(env.databasePath);
    if (!events)
        return events.error();

    std::unique_ptr<AdminApi> api(new AdminApi);
    Private &p = *api->d;
    p.env = std::move(env);
    p.crud = std::move(*crud);
    p.events = std::move(*events);
    p.actions = std::make_unique<ActionRoutes>(p.env, *p.events, api.get());
    return api;
}

void AdminApi::handle(const http::HttpRequest &request, const http::Responder &responder)
{
    if (QThread::currentThread() == thread()) {
        d->dispatch(request, responder);
        return;
    }
    QMetaObject::invokeMethod(
        this, [this, request, responder] { d->dispatch(request, responder); }, Qt::QueuedConnection);
}

bool AdminApi::Private::authorised(const http::HttpRequest &request) const
{
    // RFC 6750: "Bearer" is case-insensitive, the token is compared in constant time.
    const QByteArray header = request.header("Authorization").trimmed();
    constexpr QByteArrayView scheme = "bearer ";
    if (header.size() <= scheme.size() || !header.first(scheme.size()).toLower().startsWith(scheme))
        return false;
    return util::Crypto::constantTimeEquals(header.sliced(scheme.size()).trimmed(), env.token);
}

void AdminApi::Private::dispatch(const http::HttpRequest &request, const http::Responder &responder)
{
    const QByteArray path = request.path();
    if (!authorised(request)) {
        http::HttpResponse response = ApiReply::error(
            401, u"unauthorized"_s,
            u"send \"Authorization: Bearer <token>\" with the token from the admin-token file in the data directory"_s);
        response.headers.append(qMakePair(QByteArray("WWW-Authenticate"), QByteArray("Bearer realm=\"hookbench\"")));
        responder.send(response);
        return;
    }
    if (!path.startsWith("/api/")) {
        responder.send(notFound(path));
        return;
    }
    QList<QByteArray> segments = path.sliced(5).split('/');
    if (segments.size() > 1 && segments.last().isEmpty())
        segments.removeLast(); // a trailing slash names the same resource
    const QByteArray &method = request.method;
    const QByteArray &name = segments.first();
    const qsizetype count = segments.size();
    const qint64 id = count >= 2 ? parseId(segments.at(1)) : 0;

    if (CrudRoutes::isCollection(name) && count == 1) {
        responder.send(crud->collection(name, request));
    } else if (CrudRoutes::isCollection(name) && count == 2 && id > 0) {
        responder.send(crud->item(name, id, request));
    } else if (name == "events" && count == 1) {
        responder.send(method == "GET" ? events->events(request) : ApiReply::methodNotAllowed("GET"));
    } else if (name == "events" && count == 2 && id > 0) {
        responder.send(method == "GET" ? events->event(id) : ApiReply::methodNotAllowed("GET"));
    } else if (name == "dlq" && count == 1) {
        responder.send(method == "GET" ? events->deadLetters(request) : ApiReply::methodNotAllowed("GET"));
    } else if (name == "dlq" && count == 3 && id > 0 && (segments[2] == "replay" || segments[2] == "discard")) {
        if (method != "POST")
            responder.send(ApiReply::methodNotAllowed("POST"));
        else if (segments[2] == "replay")
            actions->replayDeadLetter(id, request, responder);
        else
            actions->discardDeadLetter(id, responder);
    } else if (name == "replay" && count == 1) {
        if (method == "POST")
            actions->replayMany(request, responder);
        else
            responder.send(ApiReply::methodNotAllowed("POST"));
    } else if (name == "consumers" && count == 1) {
        responder.send(actions->consumers(request));
    } else {
        responder.send(notFound(path));
    }
}

} // namespace hookbench::api
