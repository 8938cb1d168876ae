#pragma once

// CrudRoutes: /api/targets, /api/filters and /api/subscriptions of the admin API — list (paged
// by id: ?after=&limit=), get, create (201), patch (only the fields given) and delete (409 while
// a subscription uses the target or filter). Writes go through a ProcessingStore on a
// read-write connection of its own; the consumers pick the changes up from the database.

#include <memory>

#include <QByteArray>
#include <QString>

#include "core/http/http_request.h"
#include "core/http/http_response.h"
#include "core/util/clock.h"
#include "core/util/result.h"

namespace hookbench::store {
class Database;
class ProcessingStore;
} // namespace hookbench::store

namespace hookbench::api {

class RequestReader;

class CrudRoutes
{
public:
    static Result<std::unique_ptr<CrudRoutes>> open(const QString &databasePath, const Clock &clock);
    ~CrudRoutes();
    CrudRoutes(const CrudRoutes &) = delete;
    CrudRoutes &operator=(const CrudRoutes &) = delete;

    // "targets", "filters", "subscriptions".
    static bool isCollection(QByteArrayView name);

    // GET and POST on the collection.
    http::HttpResponse collection(QByteArrayView name, const http::HttpRequest &request);
    // GET, PATCH and DELETE on one item.
    http::HttpResponse item(QByteArrayView name, qint64 id, const http::HttpRequest &request);

private:
    CrudRoutes(std::unique_ptr<store::Database> db, const Clock &clock);

    http::HttpResponse list(QByteArrayView name, const http::HttpRequest &request);
    http::HttpResponse get(QByteArrayView name, qint64 id);
    http::HttpResponse remove(QByteArrayView name, qint64 id);
    // id 0: create.
    http::HttpResponse writeTarget(qint64 id, RequestReader &reader);
    http::HttpResponse writeFilter(qint64 id, RequestReader &reader);
    http::HttpResponse writeSubscription(qint64 id, RequestReader &reader);

    std::unique_ptr<store::Database> m_db;
    std::unique_ptr<store::ProcessingStore> m_store;
    const Clock &m_clock;
};

} // namespace hookbench::api
