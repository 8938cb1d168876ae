#include "core/store/journal_table.h"

#include "core/store/header_codec.h"

using namespace Qt::StringLiterals;

namespace hookbench::store {

namespace {

enum Column {
    ColId,
    ColReceivedAt,
    ColSource,
    ColMethod,
    ColTarget,
    ColHeaders,
    ColBody,
    ColBodySize,
    ColRemoteAddress,
    ColRemotePort,
    ColVerdict,
    ColHttpStatus,
    ColReason,
    ColVerification,
    ColIdempotencyKey,
    ColIdempotencyOrigin,
    ColEntityKey,
    ColEventType,
    ColDuplicateOf,
    ColTopic,
    ColKafkaState,
    ColPartition,
    ColOffset,
    ColProducedAt,
    ColDerivedFrom,
    ColKafkaError,
};

} // namespace

QByteArray JournalTable::selectSql(bool withBodies)
{
    return QByteArray("SELECT id, received_at_ms, source, method, target, headers, ")
           + (withBodies ? QByteArray("body, ") : QByteArray("X'', "))
           + QByteArray(
               "length(body), remote_address, remote_port, verdict, http_status, reason, verification, "
               "idempotency_key, idempotency_origin, entity_key, event_type, duplicate_of, topic, "
               "kafka_state, kafka_partition, kafka_offset, produced_at_ms, derived_from, kafka_error FROM journal");
}

Result<JournalEntry> JournalTable::read(const Statement &stmt)
{
    JournalEntry e;
    e.id = stmt.columnInt64(ColId);
    e.receivedAtMs = stmt.columnInt64(ColReceivedAt);
    e.source = stmt.columnText(ColSource);
    e.method = stmt.columnBlob(ColMethod);
    e.target = stmt.columnBlob(ColTarget);
    Result<http::HeaderList> headers = decodeHeaders(stmt.columnBlob(ColHeaders));
    if (!headers) {
        return Result<JournalEntry>::failure(
            headers.error().code, u"journal entry %1: %2"_s.arg(QString::number(e.id), headers.error().message));
    }
    e.headers = std::move(*headers);
    e.body = stmt.columnBlob(ColBody);
    e.bodySize = stmt.columnInt64(ColBodySize);
    e.remoteAddress = stmt.columnText(ColRemoteAddress);
    e.remotePort = quint16(stmt.columnInt(ColRemotePort));

    const QString verdict = stmt.columnText(ColVerdict);
    const std::optional<Verdict> parsedVerdict = parseVerdict(verdict);
    const QString kafkaState = stmt.columnText(ColKafkaState);
    const std::optional<KafkaState> parsedState = parseKafkaState(kafkaState);
    if (!parsedVerdict || !parsedState) {
        // The schema's CHECK constraints make this unreachable unless the file was edited by hand.
        return Result<JournalEntry>::failure(
            u"store_corrupt_row"_s, u"journal entry %1 has an unknown verdict \"%2\" or kafka_state \"%3\""_s.arg(
                                        QString::number(e.id), verdict, kafkaState));
    }
    e.verdict = *parsedVerdict;
    e.httpStatus = stmt.columnInt(ColHttpStatus);
    e.reason = stmt.columnText(ColReason);
    e.verification = stmt.columnBlob(ColVerification);
    e.idempotencyKey = stmt.columnBlob(ColIdempotencyKey);
    e.idempotencyOrigin = stmt.columnText(ColIdempotencyOrigin);
    e.entityKey = stmt.columnBlob(ColEntityKey);
    e.eventType = stmt.columnText(ColEventType);
    e.duplicateOf = stmt.columnInt64(ColDuplicateOf);
    e.topic = stmt.columnText(ColTopic);
    e.kafkaState = *parsedState;
    e.partition = stmt.columnInt(ColPartition);
    e.offset = stmt.columnInt64(ColOffset);
    e.producedAtMs = stmt.columnInt64(ColProducedAt);
    e.derivedFrom = stmt.columnInt64(ColDerivedFrom);
    e.kafkaError = stmt.columnText(ColKafkaError);
    return e;
}

QByteArray JournalTable::insertSql()
{
    return QByteArrayLiteral(
        "INSERT INTO journal(received_at_ms, source, method, target, headers, body, remote_address, "
        "remote_port, verdict, http_status, reason, verification, idempotency_key, idempotency_origin, "
        "entity_key, event_type, duplicate_of, topic, kafka_state, kafka_partition, kafka_offset, "
        "produced_at_ms, derived_from) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
        "?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23)");
}

void JournalTable::bindInsert(Statement &stmt, const JournalEntry &e)
{
    stmt.bindInt64(1, e.receivedAtMs);
    stmt.bindText(2, e.source);
    stmt.bindBlob(3, e.method);
    stmt.bindBlob(4, e.target);
    stmt.bindBlob(5, encodeHeaders(e.headers));
    stmt.bindBlob(6, e.body);
    stmt.bindText(7, e.remoteAddress);
    stmt.bindInt(8, e.remotePort);
    stmt.bindText(9, verdictName(e.verdict));
    stmt.bindInt(10, e.httpStatus);
    stmt.bindText(11, e.reason);
    stmt.bindBlobOrNull(12, e.verification);
    stmt.bindBlobOrNull(13, e.idempotencyKey);
    stmt.bindTextOrNull(14, e.idempotencyOrigin);
    stmt.bindBlobOrNull(15, e.entityKey);
    stmt.bindTextOrNull(16, e.eventType);
    if (e.duplicateOf > 0)
        stmt.bindInt64(17, e.duplicateOf);
    else
        stmt.bindNull(17);
    stmt.bindTextOrNull(18, e.topic);
    stmt.bindText(19, kafkaStateName(e.kafkaState));
    stmt.bindInt(20, e.partition);
    stmt.bindInt64(21, e.offset);
    stmt.bindInt64(22, e.producedAtMs);
    if (e.derivedFrom > 0)
        stmt.bindInt64(23, e.derivedFrom);
    else
        stmt.bindNull(23);
}

} // namespace hookbench::store
