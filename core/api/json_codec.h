#pragma once

// JsonCodec: how the admin API writes store rows, journal entries, processing status, replay
// results and consumer group snapshots as JSON (snake_case keys, times as RFC 3339 in UTC with
// milliseconds next to the raw milliseconds), and how it reads times back.
//
// Bytes are shown as they are: a JSON string when they are valid UTF-8 that round-trips
// exactly, else {"base64": "..."} (keys, header values). Bodies are a string with
// "body_encoding": "utf-8" or "base64".

#include <optional>

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include "core/http/http_request.h"
#include "core/kafka/consumer_group_state.h"
#include "core/replay/replay_request.h"
#include "core/store/journal_entry.h"
#include "core/store/processing_query.h"
#include "core/store/processing_rows.h"

namespace hookbench::api {

class JsonCodec
{
public:
    static QJsonObject target(const store::TargetRow &row);
    static QJsonObject filter(const store::FilterRow &row);
    static QJsonObject subscription(const store::SubscriptionRow &row);

    // withBody: the body and the verification details too (GET /api/events/{id}).
    static QJsonObject entry(const store::JournalEntry &entry, bool withBody);
    static QJsonObject status(const store::ProcessingStatus &status);
    static QJsonObject attempt(const store::AttemptRow &row);
    static QJsonObject deadLetter(const store::DeadLetterRow &row);
    static QJsonObject replayResult(const replay::ReplayResult &result);
    static QJsonObject consumers(const kafka::ConsumerGroupState &state);

    // [[name, value], ...] in order, repeats kept.
    static QJsonArray headerList(const http::HeaderList &headers);
    // A string, or {"base64": ...}; null for a null QByteArray (e.g. a Kafka null key).
    static QJsonValue bytes(const QByteArray &bytes);
    static bool isExactUtf8(const QByteArray &bytes);
    // RFC 3339 in UTC with milliseconds; null for 0 (never happened).
    static QJsonValue time(qint64 ms);
    // Milliseconds since the epoch from digits, or from RFC 3339 with a "Z" or an offset.
    static std::optional<qint64> parseTime(const QString &text);
    // A processing state from the name status() reports ("pending", "dead_lettered", ...).
    static std::optional<store::ProcessingState> parseProcessingState(const QString &name);
    // Every processing state name, in the order of store::ProcessingState.
    static QStringList processingStateNames();
};

} // namespace hookbench::api
