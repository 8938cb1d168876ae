// The admin API's authentication, its token file, and the CRUD resources (targets, filters,
// subscriptions) with validation, 404, 409 and paging, over a real HttpServer and client.

#include <sys/stat.h>

#include <QFile>
#include <QJsonArray>
#include <QTest>

#include "core/api/admin_api.h"
#include "tests/api/test_api.h"

using namespace Qt::StringLiterals;

namespace hookbench::tests {

namespace {

const QJsonObject kTarget{
    {u"url"_s, u"http://127.0.0.1:3000/hooks"_s},
    {u"headers"_s, QJsonObject{{u"X-Env"_s, u"dev"_s}}},
    {u"timeout_ms"_s, 10000},
};
const QJsonObject kFilter{{u"events"_s, QJsonArray{u"invoice.*"_s, u"order.created"_s}}};

qint64 idOf(const ApiReplyData &reply)
{
    return reply.json.value(u"id"_s).toInteger();
}

} // namespace

void TestApi::authorization_data()
{
    QTest::addColumn<QByteArray>("header"); // null: no Authorization header
    QTest::addColumn<bool>("useToken");     // append the right token to header
    QTest::addColumn<int>("status");

    QTest::newRow("missing") << QByteArray() << false << 401;
    QTest::newRow("wrong token") << QByteArray("Bearer 0123456789abcdef") << false << 401;
    QTest::newRow("empty bearer") << QByteArray("Bearer ") << false << 401;
    QTest::newRow("basic scheme") << QByteArray("Basic ") << true << 401;
    QTest::newRow("token with extra byte") << QByteArray("Bearer x") << true << 401;
    QTest::newRow("right token") << QByteArray("Bearer ") << true << 200;
    QTest::newRow("scheme in lower case") << QByteArray("bearer ") << true << 200;
}

void TestApi::authorization()
{
    QFETCH(QByteArray, header);
    QFETCH(bool, useToken);
    QFETCH(int, status);
    QVERIFY(startApi());

    const QByteArray authorization = header.isNull() ? QByteArray("") : header + (useToken ? m_token : QByteArray());
    ApiClient client(m_server->serverPort()); // no token of its own
    const ApiReplyData reply = client.send("GET", "/api/targets", {}, authorization);
    QCOMPARE(reply.status, status);
    if (status == 401) {
        QCOMPARE(reply.json.value(u"error"_s).toString(), u"unauthorized"_s);
        QVERIFY(reply.header("WWW-Authenticate").startsWith("Bearer"));
        // Unknown paths are not revealed without the token either.
        QCOMPARE(client.send("GET", "/api/nothing-here", {}, authorization).status, 401);
    } else {
        QVERIFY(reply.json.value(u"items"_s).isArray());
    }
}

void TestApi::tokenFileIsPrivateAndStable()
{
    const QString dataDir = m_dir->filePath(u"data"_s);
    auto first = api::AdminApi::loadOrCreateToken(dataDir);
    QVERIFY2(first, qPrintable(first ? QString() : first.error().message));
    QCOMPARE(first->size(), 64);
    QVERIFY(QByteArray::fromHex(*first).toHex() == *first);

    const QString path = dataDir + u"/admin-token"_s;
    QFile file(path);
    QCOMPARE(file.permissions() & ~(QFile::ReadUser | QFile::WriteUser), QFile::ReadOwner | QFile::WriteOwner);
    struct stat info
    {};
    QCOMPARE(::stat(QFile::encodeName(path).constData(), &info), 0);
    QCOMPARE(info.st_mode & 0777, 0600u);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll().trimmed(), *first);
    file.close();

    // A restart reads the same token; another data directory gets another one.
    QCOMPARE(api::AdminApi::loadOrCreateToken(dataDir).value(), *first);
    QVERIFY(api::AdminApi::loadOrCreateToken(m_dir->filePath(u"other"_s)).value() != *first);

    // A copy widened by hand is narrowed again.
    QVERIFY(file.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther | QFile::ReadGroup));
    QCOMPARE(api::AdminApi::loadOrCreateToken(dataDir).value(), *first);
    QCOMPARE(::stat(QFile::encodeName(path).constData(), &info), 0);
    QCOMPARE(info.st_mode & 0777, 0600u);

    // The API started with it accepts exactly that token.
    QVERIFY(startApi([&](api::AdminEnvironment &env) { env.token = *first; }));
    m_client->setToken(*first);
    QCOMPARE(m_client->get("/api/filters").status, 200);
}

void TestApi::tokenFileProblems()
{
    QFile file(m_dir->filePath(u"admin-token"_s));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("not a token\n");
    file.close();
    auto token = api::AdminApi::loadOrCreateToken(m_dir->path());
    QVERIFY(!token);
    QCOMPARE(token.error().code, u"admin_token_failed"_s);
    QVERIFY2(token.error().message.contains(u"admin-token"_s), qPrintable(token.error().message));

    api::AdminEnvironment env;
    env.databasePath = dbPath();
    QCOMPARE(api::AdminApi::create(env).error().code, u"invalid_argument"_s); // no token
}

void TestApi::targetRoundTrip()
{
    QVERIFY(startApi());
    const ApiReplyData created = m_client->post("/api/targets", kTarget);
    QCOMPARE(created.status, 201);
    const qint64 id = idOf(created);
    QVERIFY(id > 0);
    QCOMPARE(created.json.value(u"url"_s), kTarget.value(u"url"_s));
    QCOMPARE(created.json.value(u"headers"_s), kTarget.value(u"headers"_s));
    QCOMPARE(created.json.value(u"timeout_ms"_s).toInt(), 10000);
    QVERIFY(created.json.value(u"created_at"_s).toString().endsWith(u'Z'));

    const QByteArray item = "/api/targets/" + QByteArray::number(id);
    QCOMPARE(m_client->get(item).json, created.json);

    // PATCH changes only the fields given.
    const ApiReplyData patched = m_client->patch(item, QJsonObject{{u"timeout_ms"_s, 2500}});
    QCOMPARE(patched.status, 200);
    QCOMPARE(patched.json.value(u"timeout_ms"_s).toInt(), 2500);
    QCOMPARE(patched.json.value(u"url"_s), kTarget.value(u"url"_s));
    QCOMPARE(patched.json.value(u"headers"_s), kTarget.value(u"headers"_s));
    const ApiReplyData moved =
        m_client->patch(item, QJsonObject{{u"url"_s, u"https://example.test/in"_s}, {u"headers"_s, QJsonObject{}}});
    QCOMPARE(moved.json.value(u"url"_s).toString(), u"https://example.test/in"_s);
    QCOMPARE(moved.json.value(u"headers"_s).toObject(), QJsonObject{});
    QCOMPARE(moved.json.value(u"timeout_ms"_s).toInt(), 2500);
    QCOMPARE(moved.json.value(u"created_at"_s), created.json.value(u"created_at"_s));

    const ApiReplyData listed = m_client->get("/api/targets");
    QCOMPARE(listed.status, 200);
    QCOMPARE(listed.items().size(), 1);
    QCOMPARE(listed.items().at(0).toObject(), moved.json);
    QVERIFY(listed.json.value(u"next"_s).isNull());

    QCOMPARE(m_client->remove(item).status, 200);
    QCOMPARE(m_client->get(item).status, 404);
    QVERIFY(m_client->get("/api/targets").items().isEmpty());
}

void TestApi::filterRoundTrip()
{
    QVERIFY(startApi());
    const ApiReplyData created = m_client->post("/api/filters", kFilter);
    QCOMPARE(created.status, 201);
    const qint64 id = idOf(created);
    QVERIFY(id > 0);
    QCOMPARE(created.json.value(u"events"_s), kFilter.value(u"events"_s));

    const QByteArray item = "/api/filters/" + QByteArray::number(id);
    QCOMPARE(m_client->get(item).json, created.json);
    const ApiReplyData patched = m_client->patch(item, QJsonObject{{u"events"_s, QJsonArray{u"*.created"_s}}});
    QCOMPARE(patched.status, 200);
    QCOMPARE(patched.json.value(u"events"_s).toArray(), QJsonArray{u"*.created"_s});
    // An empty list is a filter that lets every event through.
    QCOMPARE(m_client->patch(item, QJsonObject{{u"events"_s, QJsonArray{}}}).json.value(u"events"_s).toArray(),
             QJsonArray{});
    QCOMPARE(m_client->get("/api/filters").items().size(), 1);
    QCOMPARE(m_client->remove(item).status, 200);
    QCOMPARE(m_client->remove(item).status, 404);
}

void TestApi::subscriptionRoundTrip()
{
    QVERIFY(startApi());
    const qint64 target = idOf(m_client->post("/api/targets", kTarget));
    const qint64 filter = idOf(m_client->post("/api/filters", kFilter));
    const qint64 otherTarget = idOf(m_client->post("/api/targets", kTarget));
    QVERIFY(target > 0 && filter > 0 && otherTarget > 0);

    const ApiReplyData created = m_client->post(
        "/api/subscriptions", QJsonObject{{u"target_id"_s, target}, {u"filter_id"_s, filter}, {u"active"_s, true}});
    QCOMPARE(created.status, 201);
    const qint64 id = idOf(created);
    QVERIFY(id > 0);
    QCOMPARE(created.json.value(u"target_id"_s).toInteger(), target);
    QCOMPARE(created.json.value(u"filter_id"_s).toInteger(), filter);
    QCOMPARE(created.json.value(u"active"_s).toBool(), true);

    const QByteArray item = "/api/subscriptions/" + QByteArray::number(id);
    const ApiReplyData paused = m_client->patch(item, QJsonObject{{u"active"_s, false}});
    QCOMPARE(paused.status, 200);
    QCOMPARE(paused.json.value(u"active"_s).toBool(), false);
    QCOMPARE(paused.json.value(u"filter_id"_s).toInteger(), filter);
    const ApiReplyData moved =
        m_client->patch(item, QJsonObject{{u"target_id"_s, otherTarget}, {u"filter_id"_s, QJsonValue::Null}});
    QCOMPARE(moved.json.value(u"target_id"_s).toInteger(), otherTarget);
    QVERIFY(moved.json.value(u"filter_id"_s).isNull());
    QCOMPARE(moved.json.value(u"active"_s).toBool(), false);
    QCOMPARE(m_client->get(item).json, moved.json);

    // Defaults: no filter, active.
    const ApiReplyData plain = m_client->post("/api/subscriptions", QJsonObject{{u"target_id"_s, target}});
    QCOMPARE(plain.status, 201);
    QVERIFY(plain.json.value(u"filter_id"_s).isNull());
    QCOMPARE(plain.json.value(u"active"_s).toBool(), true);

    QCOMPARE(m_client->get("/api/subscriptions").items().size(), 2);
    QCOMPARE(m_client->remove(item).status, 200);
    QCOMPARE(m_client->get(item).status, 404);
}

void TestApi::validation_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("field");

    // Target 1, filter 1 and subscription 1 exist (made in validation()).
    QTest::newRow("target ftp url") << QByteArray("POST") << QByteArray("/api/targets")
                                    << QByteArray(R"({"url":"ftp://127.0.0.1/x"})") << u"url"_s;
    QTest::newRow("target url not a url") << QByteArray("POST") << QByteArray("/api/targets")
                                          << QByteArray(R"({"url":"http://exa mple.test/"})") << u"url"_s;
    QTest::newRow("target url without host")
        << QByteArray("POST") << QByteArray("/api/targets") << QByteArray(R"({"url":"http:///hooks"})") << u"url"_s;
    QTest::newRow("target url missing") << QByteArray("POST") << QByteArray("/api/targets")
                                        << QByteArray(R"({"timeout_ms":100})") << u"url"_s;
    QTest::newRow("target url number") << QByteArray("POST") << QByteArray("/api/targets") << QByteArray(R"({"url":5})")
                                       << u"url"_s;
    QTest::newRow("target unknown field") << QByteArray("POST") << QByteArray("/api/targets")
                                          << QByteArray(R"({"url":"http://a.test/","method":"PUT"})") << u"method"_s;
    QTest::newRow("target timeout zero") << QByteArray("POST") << QByteArray("/api/targets")
                                         << QByteArray(R"({"url":"http://a.test/","timeout_ms":0})") << u"timeout_ms"_s;
    QTest::newRow("target timeout too long") << QByteArray("PATCH") << QByteArray("/api/targets/1")
                                             << QByteArray(R"({"timeout_ms":600001})") << u"timeout_ms"_s;
    QTest::newRow("target timeout fraction") << QByteArray("PATCH") << QByteArray("/api/targets/1")
                                             << QByteArray(R"({"timeout_ms":1.5})") << u"timeout_ms"_s;
    QTest::newRow("target timeout string") << QByteArray("PATCH") << QByteArray("/api/targets/1")
                                           << QByteArray(R"({"timeout_ms":"100"})") << u"timeout_ms"_s;
    QTest::newRow("target headers array") << QByteArray("PATCH") << QByteArray("/api/targets/1")
                                          << QByteArray(R"({"headers":["X-Env","dev"]})") << u"headers"_s;
    QTest::newRow("target header number") << QByteArray("PATCH") << QByteArray("/api/targets/1")
                                          << QByteArray(R"({"headers":{"X-Env":1}})") << u"headers.X-Env"_s;
    QTest::newRow("target header bad name") << QByteArray("PATCH") << QByteArray("/api/targets/1")
                                            << QByteArray(R"({"headers":{"X Env":"dev"}})") << u"headers.X Env"_s;
    QTest::newRow("target header newline")
        << QByteArray("PATCH") << QByteArray("/api/targets/1")
        << QByteArray(R"({"headers":{"X-Env":"a\r\nX-Evil: 1"}})") << u"headers.X-Env"_s;
    QTest::newRow("target id read-only") << QByteArray("PATCH") << QByteArray("/api/targets/1")
                                         << QByteArray(R"({"id":7})") << u"id"_s;
    QTest::newRow("body not json") << QByteArray("POST") << QByteArray("/api/targets") << QByteArray("{url:")
                                   << u"body"_s;
    QTest::newRow("body an array") << QByteArray("POST") << QByteArray("/api/filters") << QByteArray("[]") << u"body"_s;
    QTest::newRow("body empty") << QByteArray("POST") << QByteArray("/api/filters") << QByteArray() << u"body"_s;
    QTest::newRow("filter events missing")
        << QByteArray("POST") << QByteArray("/api/filters") << QByteArray("{}") << u"events"_s;
    QTest::newRow("filter events string")
        << QByteArray("POST") << QByteArray("/api/filters") << QByteArray(R"({"events":"invoice.*"})") << u"events"_s;
    QTest::newRow("filter empty pattern") << QByteArray("POST") << QByteArray("/api/filters")
                                          << QByteArray(R"({"events":["invoice.*",""]})") << u"events"_s;
    QTest::newRow("filter pattern with space") << QByteArray("PATCH") << QByteArray("/api/filters/1")
                                               << QByteArray(R"({"events":["invoice paid"]})") << u"events"_s;
    QTest::newRow("filter pattern number")
        << QByteArray("PATCH") << QByteArray("/api/filters/1") << QByteArray(R"({"events":[3]})") << u"events"_s;
    QTest::newRow("filter events null") << QByteArray("PATCH") << QByteArray("/api/filters/1")
                                        << QByteArray(R"({"events":null})") << u"events"_s;
    QTest::newRow("subscription unknown target") << QByteArray("POST") << QByteArray("/api/subscriptions")
                                                 << QByteArray(R"({"target_id":999})") << u"target_id"_s;
    QTest::newRow("subscription unknown filter") << QByteArray("POST") << QByteArray("/api/subscriptions")
                                                 << QByteArray(R"({"target_id":1,"filter_id":999})") << u"filter_id"_s;
    QTest::newRow("subscription target missing")
        << QByteArray("POST") << QByteArray("/api/subscriptions") << QByteArray(R"({"active":true})") << u"target_id"_s;
    QTest::newRow("subscription target string") << QByteArray("POST") << QByteArray("/api/subscriptions")
                                                << QByteArray(R"({"target_id":"1"})") << u"target_id"_s;
    QTest::newRow("subscription target zero") << QByteArray("PATCH") << QByteArray("/api/subscriptions/1")
                                              << QByteArray(R"({"target_id":0})") << u"target_id"_s;
    QTest::newRow("subscription active string") << QByteArray("PATCH") << QByteArray("/api/subscriptions/1")
                                                << QByteArray(R"({"active":"yes"})") << u"active"_s;
    QTest::newRow("subscription unknown field") << QByteArray("PATCH") << QByteArray("/api/subscriptions/1")
                                                << QByteArray(R"({"enabled":true})") << u"enabled"_s;
    QTest::newRow("list limit zero") << QByteArray("GET") << QByteArray("/api/targets?limit=0") << QByteArray()
                                     << u"limit"_s;
    QTest::newRow("list after text") << QByteArray("GET") << QByteArray("/api/filters?after=abc") << QByteArray()
                                     << u"after"_s;
    QTest::newRow("list unknown parameter")
        << QByteArray("GET") << QByteArray("/api/subscriptions?sort=id") << QByteArray() << u"sort"_s;
}

void TestApi::validation()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, body);
    QFETCH(QString, field);
    QVERIFY(startApi());
    QCOMPARE(m_client->post("/api/targets", kTarget).status, 201);
    QCOMPARE(m_client->post("/api/filters", kFilter).status, 201);
    QCOMPARE(m_client->post("/api/subscriptions", QJsonObject{{u"target_id"_s, 1}}).status, 201);
    const QJsonObject before = m_client->get("/api/targets/1").json;

    const ApiReplyData reply = m_client->send(method, path, body);
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.json.value(u"error"_s).toString(), u"invalid_argument"_s);
    QCOMPARE(reply.json.value(u"field"_s).toString(), field);
    QVERIFY2(reply.json.value(u"message"_s).toString().size() > field.size() + 2, reply.body.constData());
    // Nothing was written.
    QCOMPARE(m_client->get("/api/targets").items().size(), 1);
    QCOMPARE(m_client->get("/api/filters").items().size(), 1);
    QCOMPARE(m_client->get("/api/subscriptions").items().size(), 1);
    QCOMPARE(m_client->get("/api/targets/1").json, before);
}

void TestApi::unknownIdsAndPaths_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("body");

    QTest::newRow("get target") << QByteArray("GET") << QByteArray("/api/targets/42") << QByteArray();
    QTest::newRow("patch target") << QByteArray("PATCH") << QByteArray("/api/targets/42")
                                  << QByteArray(R"({"timeout_ms":5})");
    QTest::newRow("delete target") << QByteArray("DELETE") << QByteArray("/api/targets/42") << QByteArray();
    QTest::newRow("get filter") << QByteArray("GET") << QByteArray("/api/filters/42") << QByteArray();
    QTest::newRow("patch filter") << QByteArray("PATCH") << QByteArray("/api/filters/42")
                                  << QByteArray(R"({"events":[]})");
    QTest::newRow("delete subscription") << QByteArray("DELETE") << QByteArray("/api/subscriptions/42") << QByteArray();
    QTest::newRow("patch subscription") << QByteArray("PATCH") << QByteArray("/api/subscriptions/42")
                                        << QByteArray(R"({"active":false})");
    QTest::newRow("event") << QByteArray("GET") << QByteArray("/api/events/42") << QByteArray();
    QTest::newRow("id not a number") << QByteArray("GET") << QByteArray("/api/targets/abc") << QByteArray();
    QTest::newRow("id zero") << QByteArray("GET") << QByteArray("/api/filters/0") << QByteArray();
    QTest::newRow("unknown resource") << QByteArray("GET") << QByteArray("/api/widgets") << QByteArray();
    QTest::newRow("too deep") << QByteArray("GET") << QByteArray("/api/targets/1/extra") << QByteArray();
    QTest::newRow("unknown dlq action") << QByteArray("POST") << QByteArray("/api/dlq/1/explode") << QByteArray();
}

void TestApi::unknownIdsAndPaths()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, body);
    QVERIFY(startApi());
    const ApiReplyData reply = m_client->send(method, path, body);
    QCOMPARE(reply.status, 404);
    QCOMPARE(reply.json.value(u"error"_s).toString(), u"not_found"_s);
    QVERIFY(!reply.json.value(u"message"_s).toString().isEmpty());
}

void TestApi::deleteInUseConflicts()
{
    QVERIFY(startApi());
    const qint64 target = idOf(m_client->post("/api/targets", kTarget));
    const qint64 filter = idOf(m_client->post("/api/filters", kFilter));
    const qint64 subscription =
        idOf(m_client->post("/api/subscriptions", QJsonObject{{u"target_id"_s, target}, {u"filter_id"_s, filter}}));
    QVERIFY(subscription > 0);

    const ApiReplyData targetInUse = m_client->remove("/api/targets/" + QByteArray::number(target));
    QCOMPARE(targetInUse.status, 409);
    QCOMPARE(targetInUse.json.value(u"error"_s).toString(), u"in_use"_s);
    QVERIFY(targetInUse.json.value(u"message"_s).toString().contains(QString::number(subscription)));
    QCOMPARE(m_client->remove("/api/filters/" + QByteArray::number(filter)).status, 409);
    QCOMPARE(m_client->get("/api/targets/" + QByteArray::number(target)).status, 200);

    // Detached, they can go.
    QCOMPARE(m_client->remove("/api/subscriptions/" + QByteArray::number(subscription)).status, 200);
    QCOMPARE(m_client->remove("/api/targets/" + QByteArray::number(target)).status, 200);
    QCOMPARE(m_client->remove("/api/filters/" + QByteArray::number(filter)).status, 200);
}

void TestApi::listPaging()
{
    QVERIFY(startApi());
    QList<qint64> ids;
    for (int i = 0; i < 5; ++i) {
        QJsonObject target = kTarget;
        target.insert(u"url"_s, u"http://127.0.0.1:3000/hooks/%1"_s.arg(i));
        ids.append(idOf(m_client->post("/api/targets", target)));
    }
    QList<qint64> seen;
    QByteArray path = "/api/targets?limit=2";
    int pages = 0;
    for (;;) {
        const ApiReplyData page = m_client->get(path);
        QCOMPARE(page.status, 200);
        ++pages;
        for (const QJsonValue &item : page.items())
            seen.append(item.toObject().value(u"id"_s).toInteger());
        const QJsonValue next = page.json.value(u"next"_s);
        QVERIFY(page.json.contains(u"next"_s));
        if (next.isNull())
            break;
        QCOMPARE(next.toInteger(), seen.last());
        path = "/api/targets?limit=2&after=" + QByteArray::number(next.toInteger());
        QVERIFY(pages < 10);
    }
    QCOMPARE(seen, ids);
    QCOMPARE(pages, 3);
    // A full last page has no next: nothing follows.
    const ApiReplyData exact = m_client->get("/api/targets?limit=5");
    QCOMPARE(exact.items().size(), 5);
    QVERIFY(exact.json.value(u"next"_s).isNull());
    QCOMPARE(m_client->get("/api/targets?after=" + QByteArray::number(ids[3])).items().size(), 1);
}

void TestApi::wrongMethod_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("allow");

    QTest::newRow("put targets") << QByteArray("PUT") << QByteArray("/api/targets") << QByteArray("GET, POST");
    QTest::newRow("post target") << QByteArray("POST") << QByteArray("/api/targets/1")
                                 << QByteArray("GET, PATCH, DELETE");
    QTest::newRow("delete events") << QByteArray("DELETE") << QByteArray("/api/events") << QByteArray("GET");
    QTest::newRow("post event") << QByteArray("POST") << QByteArray("/api/events/1") << QByteArray("GET");
    QTest::newRow("post dlq") << QByteArray("POST") << QByteArray("/api/dlq") << QByteArray("GET");
    QTest::newRow("get dlq replay") << QByteArray("GET") << QByteArray("/api/dlq/1/replay") << QByteArray("POST");
    QTest::newRow("get replay") << QByteArray("GET") << QByteArray("/api/replay") << QByteArray("POST");
    QTest::newRow("delete consumers") << QByteArray("DELETE") << QByteArray("/api/consumers") << QByteArray("GET, PUT");
}

void TestApi::wrongMethod()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, allow);
    QVERIFY(startApi());
    const ApiReplyData reply = m_client->send(method, path);
    QCOMPARE(reply.status, 405);
    QCOMPARE(reply.header("Allow"), allow);
    QCOMPARE(reply.json.value(u"error"_s).toString(), u"method_not_allowed"_s);
}

} // namespace hookbench::tests
