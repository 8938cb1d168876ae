#pragma once

// TargetSettings: where the forward handler POSTs records. JSON shape:
//   {"url": "http://127.0.0.1:3000/hooks", "headers": {"X-Env": "dev"}, "timeout_ms": 10000}

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QUrl>

#include "core/util/result.h"

namespace hookbench::processing {

struct TargetSettings
{
    QUrl url;                                     // http or https, with a host
    QList<QPair<QByteArray, QByteArray>> headers; // added to every request
    int timeoutMs = 10'000;                       // transfer timeout (no progress for this long)

    // Validates the URL, header names (RFC 9110 tokens) and values (no CR, LF or NUL), and
    // rejects headers the forwarder sets itself (Content-Type, Content-Length, Host,
    // Transfer-Encoding, Connection, hookbench-*). Errors name the field under fieldPath.
    static Result<TargetSettings> fromJson(const QJsonObject &object, const QString &fieldPath);
    QJsonObject toJson() const;
};

} // namespace hookbench::processing
