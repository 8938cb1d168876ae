#pragma once

// Test support for the event processor tests: events with the ingest headers, and an HTTP target
// that fails its first requests.

#include <algorithm>

#include <QList>
#include <QMap>
#include <QSignalSpy>
#include <QString>

#include "core/http/http_request.h"
#include "core/processing/processing_activity.h"
#include "tests/processing/scripted_http_server.h"

using namespace Qt::StringLiterals;

namespace hookbench::tests {

using processing::ProcessingActivity;

inline constexpr int kPartitions = 3;
inline const QString kSource = u"shop"_s;
inline const QString kTopic = u"webhooks.shop"_s;

// Mock-cluster timing (see tests/consumer): the first join waits 3000 ms, so the session must be
// longer than that; every later rebalance waits session.timeout.ms - 1000 ms.
inline const QMap<QString, QString> kFastGroup = {
    {u"session.timeout.ms"_s, u"4000"_s},
    {u"heartbeat.interval.ms"_s, u"200"_s},
    {u"reconnect.backoff.max.ms"_s, u"500"_s},
};

struct Event
{
    qint64 journalId = 0;
    QByteArray entityKey;
    QByteArray idempotencyKey;
    QString eventType = u"customer.updated"_s;
    QByteArray body;
};

inline http::HeaderList ingestHeaders(const Event &e)
{
    return {
        {"hookbench-source", kSource.toUtf8()},      {"idempotency-key", e.idempotencyKey},
        {"received-at", "2024-01-02T03:04:05.678Z"}, {"content-type", "application/json"},
        {"event-type", e.eventType.toUtf8()},        {"hookbench-journal-id", QByteArray::number(e.journalId)},
    };
}

inline Event makeEvent(qint64 journalId, const QByteArray &entityKey)
{
    Event e;
    e.journalId = journalId;
    e.entityKey = entityKey;
    e.idempotencyKey = "evt_" + QByteArray::number(journalId);
    // Bytes a careless pipeline would change: CRLF, NUL, invalid UTF-8.
    e.body = "{\"id\":\"evt_" + QByteArray::number(journalId) + "\",\r\n\"x\":\"\xff\"}" + QByteArray("\0!", 2);
    return e;
}

// A target that answers `status` to the first `failures` requests, then 200.
class FlakyTarget
{
public:
    explicit FlakyTarget(int failures, int status = 503, QList<QPair<QByteArray, QByteArray>> headers = {})
        : m_failures(failures)
    {
        server.script(failures > 0 ? status : 200, std::move(headers));
        QObject::connect(&server, &ScriptedHttpServer::requestReceived, &server, [this] {
            // Emitted after the answer is written: the next request gets the new script.
            if (server.requests.size() == m_failures)
                server.script(200);
        });
    }
    ScriptedHttpServer server;

private:
    int m_failures;
};

inline QList<ProcessingActivity> flatten(const QSignalSpy &spy)
{
    QList<ProcessingActivity> all;
    for (const QList<QVariant> &args : spy)
        all += args.at(0).value<QList<ProcessingActivity>>();
    return all;
}

inline int countKind(const QList<ProcessingActivity> &all, ProcessingActivity::Kind kind)
{
    return int(std::count_if(all.begin(), all.end(), [kind](const ProcessingActivity &a) { return a.kind == kind; }));
}

} // namespace hookbench::tests
