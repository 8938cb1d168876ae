#pragma once

// Config: the validated configuration of one Hookbench instance. ConfigLoader turns a JSON file
// into this, with errors that name the file, the field and why; defaults live here. The consumer
// side reads `consumers`, `retry` (global, overridable per source) and `sources[].simulate`.

#include <optional>

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QMap>
#include <QString>

#include "core/processing/retry_settings.h"
#include "core/processing/simulate_settings.h"

namespace hookbench::config {

struct GenericHmacConfig
{
    QByteArray header = "X-Signature";            // header carrying the signature
    QString algorithm = QStringLiteral("sha256"); // sha1 | sha256
    QString encoding = QStringLiteral("hex");     // hex | base64
    QByteArray prefix;                            // e.g. "sha256=" (stripped before comparing)
};

struct SourceConfig
{
    QString name;               // path segment: POST /webhooks/<name>
    QString provider;           // stripe, github, shopify, slack, twilio, standard-webhooks, generic-hmac, none
    QList<QByteArray> secrets;  // newest first; any of them may match (rotation)
    int toleranceSeconds = 300; // timestamp tolerance where the provider has one
    QString entityKeyPointer;   // JSON Pointer (RFC 6901); empty = provider default
    QString eventTypePointer;   // JSON Pointer for sources whose provider has no own event type
    QString topic;              // empty = "webhooks.<name>"
    QByteArray publicUrl;       // Twilio: the URL Twilio calls (scheme, host, path, query)
    GenericHmacConfig genericHmac;
    std::optional<processing::RetrySettings> retry;       // overrides Config::retry for this source
    std::optional<processing::SimulateSettings> simulate; // set: the simulate handler processes it

    QString effectiveTopic() const { return topic.isEmpty() ? QStringLiteral("webhooks.") + name : topic; }
};

struct KafkaConfig
{
    QString mode = QStringLiteral("embedded"); // embedded | external
    int brokers = 3;                           // embedded only
    int partitions = 6;                        // for topics Hookbench creates
    QString bootstrap;                         // external only
    QMap<QString, QString> properties;         // librdkafka properties, passed through
    int produceWaitMs = 2000;                  // wait for the delivery report before answering 202
};

struct LimitsConfig
{
    qint64 maxBodyBytes = 10 * 1024 * 1024;
    int maxHeaderBytes = 64 * 1024;
    int headerTimeoutMs = 10'000; // from the first byte of a request to the end of its headers
    int idleTimeoutMs = 60'000;   // keep-alive idle, and a stalled body
    int maxConnections = 1024;
};

struct DedupConfig
{
    qint64 ttlSeconds = 72 * 3600;
};

struct StoreConfig
{
    // PRAGMA synchronous of the journal's commits: "full" (an answered webhook survives a power
    // loss) or "normal" (it survives an application crash; one fsync less per group commit).
    QString synchronous = QStringLiteral("full");
    // Journal entries older than this many days whose work is finished (produced, then processed
    // or discarded) are deleted with their processing records; 0 keeps everything. The default
    // keeps everything: the journal is the record of what happened, deleting it is the user's call.
    int retentionDays = 0;
};

struct ConsumersConfig
{
    QString group = QStringLiteral("hookbench-processors"); // Kafka consumer group id
    int count = 2;                                          // in-process consumers; 0 = none
};

struct Config
{
    QList<SourceConfig> sources;
    KafkaConfig kafka;
    LimitsConfig limits;
    DedupConfig dedup;
    StoreConfig store;
    ConsumersConfig consumers;
    processing::RetrySettings retry; // for every source without its own `retry`
    QHostAddress listenAddress = QHostAddress(QHostAddress::LocalHost);
    quint16 listenPort = 8088;

    // The largest Kafka record Hookbench produces or consumes: a body at the limit plus its key
    // and headers (the content type, idempotency key and event type come from the request's
    // headers and body; 64 KiB covers them and the record framing beyond max_header_bytes).
    qint64 maxRecordBytes() const { return limits.maxBodyBytes + limits.maxHeaderBytes + 64 * 1024; }

    const SourceConfig *source(const QString &name) const
    {
        for (const auto &s : sources) {
            if (s.name == name)
                return &s;
        }
        return nullptr;
    }

    // The retry settings that apply to a source: its own, else the global ones.
    const processing::RetrySettings &effectiveRetry(const SourceConfig &source) const
    {
        return source.retry ? *source.retry : retry;
    }
};

} // namespace hookbench::config
