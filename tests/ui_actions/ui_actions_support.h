#pragma once

// Set-up shared by the UI action tests and the screenshot tool: a pipeline whose "stripe" source
// dead-letters every event of customer cus_bad (simulate handler, permanent failure) and whose
// "slow" source fails transiently and waits in the Retries view: its delays are drawn with full
// jitter from [0, 1 h) and stretched by time_scale 0.001 to [0, 1000 h), so that no retry comes
// due during a test by chance (with [0, 1 h) one in thirty runs drew less than a minute).

#include <memory>

#include <QByteArray>
#include <QDateTime>
#include <QFile>

#include "core/pipeline/ingest_pipeline.h"
#include "test_client.h"
#include "ui_test_support.h"

namespace uiactions {

inline QByteArray configJson(int produceWaitMs = 2000)
{
    return R"({
        "sources": [
            {"name": "stripe", "provider": "stripe", "secrets": ["whsec_ui_test_secret"],
             "simulate": {"failing_keys": ["cus_bad"], "failure": "permanent"}},
            {"name": "plain", "provider": "none"},
            {"name": "slow", "provider": "none", "entity_key": "/key",
             "simulate": {"failure_rate": 1.0, "failure": "transient"},
             "retry": {"strategy": "blocking", "base_ms": 3600000, "cap_ms": 3600000, "max_attempts": 5,
                       "time_scale": 0.001}}
        ],
        "kafka": {"mode": "embedded", "brokers": 1, "partitions": 2, "produce_wait_ms": )"
           + QByteArray::number(produceWaitMs) + R"(},
        "consumers": {"count": 1},
        "listen": "127.0.0.1:0"
    })";
}

// A Stripe invoice.paid event with its own event id and customer (the entity key).
inline QByteArray stripeEvent(const QByteArray &eventId, const QByteArray &customer)
{
    QByteArray body = uitest::stripeEvent(eventId);
    body.replace(QByteArray("\"cus_00000000000000\""), QByteArray("\"" + customer + "\""));
    return body;
}

inline RawResponse postSlow(quint16 port, const QByteArray &key)
{
    return post(port, "/webhooks/slow", "{\"key\":\"" + key + "\",\"type\":\"slow.thing\"}",
                {{"Content-Type", "application/json"}});
}

} // namespace uiactions
