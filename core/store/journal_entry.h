#pragma once

// JournalEntry: one received request as the journal keeps it — the request byte for byte, the
// verdict it got, the keys derived from it and, later, where it landed in Kafka.

#include <optional>

#include <QByteArray>
#include <QString>
#include <QStringView>

#include "core/http/http_request.h"

namespace hookbench::store {

enum class Verdict { Accepted, Duplicate, Queued, Rejected };
enum class KafkaState { None, Pending, Produced };

QString verdictName(Verdict verdict);     // "accepted", "duplicate", "queued", "rejected"
QString kafkaStateName(KafkaState state); // "none", "pending", "produced"
// The inverse of the names above (exact, lower case); nullopt for anything else.
std::optional<Verdict> parseVerdict(QStringView name);
std::optional<KafkaState> parseKafkaState(QStringView name);

struct JournalEntry
{
    qint64 id = 0; // assigned by the journal
    qint64 receivedAtMs = 0;
    QString source; // the {source} path segment as sent, even when unknown
    QByteArray method;
    QByteArray target;        // path and query as sent
    http::HeaderList headers; // order and repeats kept
    QByteArray body;          // raw bytes
    QString remoteAddress;
    quint16 remotePort = 0;

    Verdict verdict = Verdict::Rejected;
    int httpStatus = 0;
    QString reason;          // rejection reason code, empty otherwise
    QByteArray verification; // compact JSON describing the verification (for the inspector)

    QByteArray idempotencyKey;
    QString idempotencyOrigin; // where the key came from
    QByteArray entityKey;
    QString eventType;
    qint64 duplicateOf = 0; // journal id of the delivery that first claimed the key

    QString topic;
    KafkaState kafkaState = KafkaState::None;
    int partition = -1;
    qint64 offset = -1;
    qint64 producedAtMs = 0;
    // Why Kafka refused the event for good (kafka_state stays pending, the relay skips it), e.g.
    // "MSG_SIZE_TOO_LARGE: ..."; empty otherwise.
    QString kafkaError;

    qint64 bodySize = 0; // byte length of body; set by the journal also when body was not loaded

    // Journal id of the entry this one was replayed from after editing (lineage); 0 for none.
    qint64 derivedFrom = 0;
};

} // namespace hookbench::store
