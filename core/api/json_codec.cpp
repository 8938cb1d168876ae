#include "core/api/json_codec.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QStringDecoder>

using namespace Qt::StringLiterals;

namespace hookbench::api {

namespace {

QJsonValue idOrNull(qint64 id)
{
    return id > 0 ? QJsonValue(id) : QJsonValue(QJsonValue::Null);
}

// Sets <name> and <name>_encoding: text when the bytes are exact UTF-8, else base64.
void putPayload(QJsonObject &object, const QString &name, const QByteArray &bytes)
{
    if (bytes.isNull()) {
        object.insert(name, QJsonValue::Null);
        object.insert(name + u"_encoding"_s, QJsonValue::Null);
    } else if (JsonCodec::isExactUtf8(bytes)) {
        object.insert(name, QString::fromUtf8(bytes));
        object.insert(name + u"_encoding"_s, u"utf-8"_s);
    } else {
        object.insert(name, QString::fromLatin1(bytes.toBase64()));
        object.insert(name + u"_encoding"_s, u"base64"_s);
    }
}

QJsonArray topicPartitions(const QList<kafka::TopicPartition> &list)
{
    QJsonArray array;
    for (const kafka::TopicPartition &tp : list)
        array.append(QJsonObject{{u"topic"_s, tp.topic}, {u"partition"_s, tp.partition}});
    return array;
}

} // namespace

QJsonObject JsonCodec::target(const store::TargetRow &row)
{
    // The API takes headers as an object; a name repeated in the row (possible through the
    // store) is shown with its values joined, as HTTP would combine them.
    QJsonObject headers;
    for (const auto &[name, value] : row.headers) {
        const QString key = QString::fromUtf8(name);
        const QString text = QString::fromUtf8(value);
        headers.insert(key, headers.contains(key) ? headers.value(key).toString() + u", "_s + text : text);
    }
    return QJsonObject{
        {u"id"_s, row.id},
        {u"url"_s, row.url},
        {u"headers"_s, headers},
        {u"timeout_ms"_s, row.timeoutMs},
        {u"created_at"_s, time(row.createdAtMs)},
    };
}

QJsonObject JsonCodec::filter(const store::FilterRow &row)
{
    return QJsonObject{{u"id"_s, row.id}, {u"events"_s, QJsonArray::fromStringList(row.events)}};
}

QJsonObject JsonCodec::subscription(const store::SubscriptionRow &row)
{
    return QJsonObject{
        {u"id"_s, row.id},         {u"target_id"_s, row.targetId},           {u"filter_id"_s, idOrNull(row.filterId)},
        {u"active"_s, row.active}, {u"created_at"_s, time(row.createdAtMs)},
    };
}

QJsonObject JsonCodec::entry(const store::JournalEntry &e, bool withBody)
{
    QJsonObject o{
        {u"id"_s, e.id},
        {u"received_at"_s, time(e.receivedAtMs)},
        {u"received_at_ms"_s, e.receivedAtMs},
        {u"source"_s, e.source},
        {u"method"_s, bytes(e.method)},
        {u"target"_s, bytes(e.target)},
        {u"remote_address"_s, e.remoteAddress},
        {u"remote_port"_s, int(e.remotePort)},
        {u"verdict"_s, store::verdictName(e.verdict)},
        {u"http_status"_s, e.httpStatus},
        {u"reason"_s, e.reason},
        {u"idempotency_key"_s, e.idempotencyKey.isEmpty() ? QJsonValue() : bytes(e.idempotencyKey)},
        {u"idempotency_origin"_s, e.idempotencyOrigin},
        {u"entity_key"_s, e.entityKey.isEmpty() ? QJsonValue() : bytes(e.entityKey)},
        {u"event_type"_s, e.eventType},
        {u"duplicate_of"_s, idOrNull(e.duplicateOf)},
        {u"derived_from"_s, idOrNull(e.derivedFrom)},
        {u"topic"_s, e.topic},
        {u"kafka_state"_s, store::kafkaStateName(e.kafkaState)},
        {u"kafka_error"_s, e.kafkaError.isEmpty() ? QJsonValue() : QJsonValue(e.kafkaError)},
        {u"partition"_s, e.partition},
        {u"offset"_s, e.offset},
        {u"produced_at"_s, time(e.producedAtMs)},
        {u"body_size"_s, e.bodySize},
    };
    if (withBody) {
        o.insert(u"headers"_s, headerList(e.headers));
        putPayload(o, u"body"_s, e.body.isNull() ? QByteArray("") : e.body);
        const QJsonDocument verification = QJsonDocument::fromJson(e.verification);
        QJsonObject verificationObject = verification.object();
        // Rows journaled by earlier versions hold the signature that would have been valid over the
        // rejected bytes: the API never hands that out.
        verificationObject.remove(u"expected"_s);
        o.insert(u"verification"_s, verification.isObject()  ? QJsonValue(verificationObject)
                                    : verification.isArray() ? QJsonValue(verification.array())
                                                             : QJsonValue(QJsonValue::Null));
    }
    return o;
}

QJsonObject JsonCodec::status(const store::ProcessingStatus &s)
{
    return QJsonObject{
        {u"state"_s, store::processingStateName(s.state)},
        {u"attempts"_s, s.attempts},
        {u"last_error"_s, s.lastError.isEmpty() ? QJsonValue() : QJsonValue(s.lastError)},
        {u"last_attempt_at"_s, time(s.lastAttemptAtMs)},
        {u"next_due_at"_s, time(s.nextDueAtMs)},
        {u"processed_at"_s, time(s.processedAtMs)},
        {u"dead_letter_id"_s, idOrNull(s.deadLetterId)},
    };
}

QJsonObject JsonCodec::attempt(const store::AttemptRow &a)
{
    return QJsonObject{
        {u"id"_s, a.id},
        {u"attempt"_s, a.attempt},
        {u"consumer"_s, a.consumer},
        {u"topic"_s, a.topic},
        {u"partition"_s, a.partition},
        {u"offset"_s, a.offset},
        {u"started_at"_s, time(a.startedAtMs)},
        {u"finished_at"_s, time(a.finishedAtMs)},
        {u"outcome"_s, store::attemptOutcomeName(a.outcome)},
        {u"http_status"_s, a.httpStatus},
        {u"error"_s, a.error},
        {u"next_due_at"_s, time(a.nextDueAtMs)},
        {u"subscription_id"_s, idOrNull(a.subscriptionId)},
    };
}

QJsonObject JsonCodec::deadLetter(const store::DeadLetterRow &r)
{
    QJsonObject o{
        {u"id"_s, r.id},
        {u"journal_id"_s, r.journalId},
        {u"source"_s, r.source},
        {u"topic"_s, r.topic},
        {u"partition"_s, r.partition},
        {u"offset"_s, r.offset},
        {u"key"_s, bytes(r.key)},
        {u"headers"_s, headerList(r.headers)},
        {u"error"_s, r.error},
        {u"error_class"_s, r.errorClass},
        {u"attempts"_s, r.attempts},
        {u"first_failure_at"_s, time(r.firstFailureAtMs)},
        {u"last_failure_at"_s, time(r.lastFailureAtMs)},
        {u"consumer"_s, r.consumer},
        {u"status"_s, store::deadLetterStatusName(r.status)},
        {u"status_changed_at"_s, time(r.statusChangedAtMs)},
        {u"replayed_as_journal_id"_s, idOrNull(r.replayedAsJournalId)},
    };
    putPayload(o, u"value"_s, r.value);
    return o;
}

QJsonObject JsonCodec::replayResult(const replay::ReplayResult &r)
{
    return QJsonObject{
        {u"original_journal_id"_s, idOrNull(r.originalJournalId)},
        {u"dead_letter_id"_s, idOrNull(r.deadLetterId)},
        {u"new_journal_id"_s, idOrNull(r.newJournalId)},
        {u"status"_s, r.status},
        {u"http_status"_s, r.httpStatus},
        {u"reason"_s, r.reason},
        {u"idempotency_key"_s, r.idempotencyKey.isEmpty() ? QJsonValue() : bytes(r.idempotencyKey)},
        {u"topic"_s, r.topic},
        {u"partition"_s, r.partition},
        {u"offset"_s, r.offset},
    };
}

QJsonObject JsonCodec::consumers(const kafka::ConsumerGroupState &state)
{
    QJsonArray members;
    for (const kafka::MemberState &m : state.members) {
        members.append(QJsonObject{
            {u"id"_s, m.id},
            {u"client_id"_s, m.clientId},
            {u"group_member_id"_s, m.groupMemberId},
            {u"assigned"_s, topicPartitions(m.assigned)},
            {u"handled"_s, m.handled},
            {u"in_flight"_s, m.inFlight},
        });
    }
    QJsonArray partitions;
    for (const kafka::PartitionState &p : state.partitions) {
        partitions.append(QJsonObject{
            {u"topic"_s, p.topic},
            {u"partition"_s, p.partition},
            {u"committed"_s, p.committed},
            {u"high_watermark"_s, p.highWatermark},
            {u"lag"_s, p.lag},
            {u"owner"_s, p.owner.isEmpty() ? QJsonValue() : QJsonValue(p.owner)},
        });
    }
    QJsonArray rebalances;
    for (const kafka::RebalanceEvent &r : state.rebalances) {
        rebalances.append(QJsonObject{
            {u"time"_s, time(r.timeMs)},
            {u"member"_s, r.memberId},
            {u"protocol"_s, r.protocol},
            {u"revoked"_s, topicPartitions(r.revoked)},
            {u"assigned"_s, topicPartitions(r.assigned)},
            {u"lost"_s, r.lost},
        });
    }
    return QJsonObject{
        {u"group_id"_s, state.groupId},
        {u"topics"_s, QJsonArray::fromStringList(state.topics)},
        {u"members"_s, members},
        {u"partitions"_s, partitions},
        {u"rebalances"_s, rebalances},
        {u"handled"_s, state.handled},
        {u"completed"_s, state.completed},
        {u"last_error"_s, state.lastError.isEmpty() ? QJsonValue() : QJsonValue(state.lastError)},
    };
}

QJsonArray JsonCodec::headerList(const http::HeaderList &headers)
{
    QJsonArray array;
    for (const auto &[name, value] : headers)
        array.append(QJsonArray{bytes(name), bytes(value)});
    return array;
}

QJsonValue JsonCodec::bytes(const QByteArray &data)
{
    if (data.isNull())
        return QJsonValue::Null;
    if (isExactUtf8(data))
        return QString::fromUtf8(data);
    return QJsonObject{{u"base64"_s, QString::fromLatin1(data.toBase64())}};
}

bool JsonCodec::isExactUtf8(const QByteArray &data)
{
    // Keep a leading BOM as U+FEFF (the default decoder drops it), then insist on a round trip:
    // what is shown as text must be the same bytes.
    QStringDecoder decoder(QStringDecoder::Utf8,
                           QStringDecoder::Flag::Stateless | QStringDecoder::Flag::ConvertInitialBom);
    const QString text = decoder(data);
    return !decoder.hasError() && text.toUtf8() == data;
}

QJsonValue JsonCodec::time(qint64 ms)
{
    if (ms <= 0)
        return QJsonValue::Null;
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

std::optional<qint64> JsonCodec::parseTime(const QString &text)
{
    static const QRegularExpression digits(u"^[0-9]{1,15}$"_s);
    if (digits.match(text).hasMatch())
        return text.toLongLong();
    // RFC 3339 needs a zone: "Z" or an offset; Qt would read a bare time as local time.
    static const QRegularExpression rfc3339(
        u"^\\d{4}-\\d{2}-\\d{2}[Tt ]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})$"_s);
    if (!rfc3339.match(text).hasMatch())
        return std::nullopt;
    QString normalised = text;
    normalised[10] = u'T';
    if (normalised.endsWith(u'z'))
        normalised.back() = u'Z';
    // Qt reads at most milliseconds: cut finer fractions (RFC 3339 allows any number of digits).
    static const QRegularExpression fraction(u"\\.(\\d{3})\\d+"_s);
    normalised.replace(fraction, u".\\1"_s);
    const QDateTime parsed = QDateTime::fromString(normalised, Qt::ISODateWithMs);
    if (!parsed.isValid())
        return std::nullopt;
    return parsed.toMSecsSinceEpoch();
}

namespace {

// Every state, in enum order; the names come from store::processingStateName so the filter
// accepts exactly what the API reports.
constexpr store::ProcessingState kProcessingStates[] = {
    store::ProcessingState::Pending,      store::ProcessingState::Retrying, store::ProcessingState::Done,
    store::ProcessingState::DeadLettered, store::ProcessingState::Replayed, store::ProcessingState::Discarded,
};

} // namespace

std::optional<store::ProcessingState> JsonCodec::parseProcessingState(const QString &name)
{
    for (store::ProcessingState state : kProcessingStates) {
        if (store::processingStateName(state) == name)
            return state;
    }
    return std::nullopt;
}

QStringList JsonCodec::processingStateNames()
{
    QStringList names;
    for (store::ProcessingState state : kProcessingStates)
        names.append(store::processingStateName(state));
    return names;
}

} // namespace hookbench::api
