#include "core/capture/session_file.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include "core/capture/credential_redactor.h"

using namespace Qt::StringLiterals;

namespace hookbench::capture {

namespace {

QString b64(const QByteArray &bytes)
{
    return QString::fromLatin1(bytes.toBase64());
}

bool isUtf8(const QByteArray &bytes)
{
    return QString::fromUtf8(bytes).toUtf8() == bytes;
}

QJsonObject headersJson(const http::HeaderList &headers)
{
    QJsonArray text;
    QJsonArray raw;
    bool allText = true;
    for (const auto &[name, value] : headers) {
        allText = allText && isUtf8(name) && isUtf8(value);
        text.append(QJsonArray{QString::fromUtf8(name), QString::fromUtf8(value)});
        raw.append(QJsonArray{b64(name), b64(value)});
    }
    return allText ? QJsonObject{{u"headers"_s, text}} : QJsonObject{{u"headers_base64"_s, raw}};
}

Result<http::HeaderList> headersFrom(const QJsonObject &object)
{
    http::HeaderList headers;
    const bool raw = object.contains(u"headers_base64"_s);
    for (const auto &pairValue : object.value(raw ? u"headers_base64"_s : u"headers"_s).toArray()) {
        const QJsonArray pair = pairValue.toArray();
        if (pair.size() != 2 || !pair.at(0).isString() || !pair.at(1).isString())
            return Error{u"session_invalid"_s, u"a header is not [name, value]"_s};
        QByteArray name = pair.at(0).toString().toUtf8();
        QByteArray value = pair.at(1).toString().toUtf8();
        if (raw) {
            name = QByteArray::fromBase64(name);
            value = QByteArray::fromBase64(value);
        }
        headers.append({name, value});
    }
    return headers;
}

qint64 integer(const QJsonObject &o, const QString &key, qint64 fallback = 0)
{
    return o.value(key).toInteger(fallback);
}

QJsonObject entryJson(const store::JournalEntry &e)
{
    QJsonObject o{{u"id"_s, e.id},
                  {u"received_at_ms"_s, e.receivedAtMs},
                  {u"source"_s, e.source},
                  {u"method"_s, QString::fromUtf8(e.method)},
                  {u"target"_s, QString::fromUtf8(e.target)},
                  {u"body_base64"_s, b64(e.body)},
                  {u"remote_address"_s, e.remoteAddress},
                  {u"remote_port"_s, e.remotePort},
                  {u"verdict"_s, store::verdictName(e.verdict)},
                  {u"http_status"_s, e.httpStatus},
                  {u"reason"_s, e.reason},
                  {u"verification"_s, QString::fromUtf8(e.verification)},
                  {u"idempotency_key_base64"_s, b64(e.idempotencyKey)},
                  {u"idempotency_origin"_s, e.idempotencyOrigin},
                  {u"entity_key_base64"_s, b64(e.entityKey)},
                  {u"event_type"_s, e.eventType},
                  {u"duplicate_of"_s, e.duplicateOf},
                  {u"topic"_s, e.topic},
                  {u"kafka_state"_s, store::kafkaStateName(e.kafkaState)},
                  {u"partition"_s, e.partition},
                  {u"offset"_s, e.offset},
                  {u"produced_at_ms"_s, e.producedAtMs},
                  {u"derived_from"_s, e.derivedFrom}};
    const QJsonObject headers = headersJson(CredentialRedactor::redact(e.headers));
    for (auto it = headers.begin(); it != headers.end(); ++it)
        o.insert(it.key(), it.value());
    return o;
}

Result<store::JournalEntry> entryFrom(const QJsonObject &o)
{
    store::JournalEntry e;
    e.id = integer(o, u"id"_s);
    if (e.id <= 0)
        return Error{u"session_invalid"_s, u"journal.id is missing"_s};
    e.receivedAtMs = integer(o, u"received_at_ms"_s);
    e.source = o.value(u"source"_s).toString();
    e.method = o.value(u"method"_s).toString().toUtf8();
    e.target = o.value(u"target"_s).toString().toUtf8();
    auto headers = headersFrom(o);
    if (!headers)
        return headers.error();
    e.headers = *headers;
    auto body = QByteArray::fromBase64Encoding(o.value(u"body_base64"_s).toString().toLatin1(),
                                               QByteArray::AbortOnBase64DecodingErrors);
    if (!body)
        return Error{u"session_invalid"_s, u"journal.body_base64 is not base64"_s};
    e.body = *body;
    e.bodySize = e.body.size();
    e.remoteAddress = o.value(u"remote_address"_s).toString();
    e.remotePort = static_cast<quint16>(integer(o, u"remote_port"_s));
    const auto verdict = store::parseVerdict(o.value(u"verdict"_s).toString());
    if (!verdict)
        return Error{u"session_invalid"_s,
                     u"journal.verdict \"%1\" is not a verdict"_s.arg(o.value(u"verdict"_s).toString())};
    e.verdict = *verdict;
    e.httpStatus = static_cast<int>(integer(o, u"http_status"_s));
    e.reason = o.value(u"reason"_s).toString();
    e.verification = o.value(u"verification"_s).toString().toUtf8();
    e.idempotencyKey = QByteArray::fromBase64(o.value(u"idempotency_key_base64"_s).toString().toLatin1());
    e.idempotencyOrigin = o.value(u"idempotency_origin"_s).toString();
    e.entityKey = QByteArray::fromBase64(o.value(u"entity_key_base64"_s).toString().toLatin1());
    e.eventType = o.value(u"event_type"_s).toString();
    e.duplicateOf = integer(o, u"duplicate_of"_s);
    e.topic = o.value(u"topic"_s).toString();
    const auto state = store::parseKafkaState(o.value(u"kafka_state"_s).toString());
    if (!state)
        return Error{u"session_invalid"_s,
                     u"journal.kafka_state \"%1\" is not a Kafka state"_s.arg(o.value(u"kafka_state"_s).toString())};
    e.kafkaState = *state;
    e.partition = static_cast<int>(integer(o, u"partition"_s, -1));
    e.offset = integer(o, u"offset"_s, -1);
    e.producedAtMs = integer(o, u"produced_at_ms"_s);
    e.derivedFrom = integer(o, u"derived_from"_s);
    return e;
}

QJsonObject attemptJson(const store::AttemptRow &a)
{
    return QJsonObject{{u"journal_id"_s, a.journalId},
                       {u"source"_s, a.source},
                       {u"idempotency_key_base64"_s, b64(a.idempotencyKey)},
                       {u"topic"_s, a.topic},
                       {u"partition"_s, a.partition},
                       {u"offset"_s, a.offset},
                       {u"attempt"_s, a.attempt},
                       {u"consumer"_s, a.consumer},
                       {u"started_at_ms"_s, a.startedAtMs},
                       {u"finished_at_ms"_s, a.finishedAtMs},
                       {u"outcome"_s, store::attemptOutcomeName(a.outcome)},
                       {u"http_status"_s, a.httpStatus},
                       {u"error"_s, a.error},
                       {u"next_due_at_ms"_s, a.nextDueAtMs}};
}

Result<store::AttemptRow> attemptFrom(const QJsonObject &o)
{
    store::AttemptRow a;
    a.journalId = integer(o, u"journal_id"_s);
    a.source = o.value(u"source"_s).toString();
    a.idempotencyKey = QByteArray::fromBase64(o.value(u"idempotency_key_base64"_s).toString().toLatin1());
    a.topic = o.value(u"topic"_s).toString();
    a.partition = static_cast<int>(integer(o, u"partition"_s, -1));
    a.offset = integer(o, u"offset"_s, -1);
    a.attempt = static_cast<int>(integer(o, u"attempt"_s, 1));
    a.consumer = o.value(u"consumer"_s).toString();
    a.startedAtMs = integer(o, u"started_at_ms"_s);
    a.finishedAtMs = integer(o, u"finished_at_ms"_s);
    const auto outcome = store::parseAttemptOutcome(o.value(u"outcome"_s).toString());
    if (!outcome)
        return Error{u"session_invalid"_s,
                     u"attempt outcome \"%1\" is unknown"_s.arg(o.value(u"outcome"_s).toString())};
    a.outcome = *outcome;
    a.httpStatus = static_cast<int>(integer(o, u"http_status"_s));
    a.error = o.value(u"error"_s).toString();
    a.nextDueAtMs = integer(o, u"next_due_at_ms"_s);
    return a;
}

QJsonObject letterJson(const store::DeadLetterRow &l)
{
    QJsonObject o{{u"journal_id"_s, l.journalId},
                  {u"source"_s, l.source},
                  {u"topic"_s, l.topic},
                  {u"partition"_s, l.partition},
                  {u"offset"_s, l.offset},
                  {u"key_base64"_s, l.key.isNull() ? QJsonValue() : QJsonValue(b64(l.key))},
                  {u"value_base64"_s, l.value.isNull() ? QJsonValue() : QJsonValue(b64(l.value))},
                  {u"error"_s, l.error},
                  {u"error_class"_s, l.errorClass},
                  {u"attempts"_s, l.attempts},
                  {u"first_failure_at_ms"_s, l.firstFailureAtMs},
                  {u"last_failure_at_ms"_s, l.lastFailureAtMs},
                  {u"consumer"_s, l.consumer},
                  {u"status"_s, store::deadLetterStatusName(l.status)},
                  {u"status_changed_at_ms"_s, l.statusChangedAtMs},
                  {u"replayed_as_journal_id"_s, l.replayedAsJournalId}};
    const QJsonObject headers = headersJson(CredentialRedactor::redact(l.headers));
    for (auto it = headers.begin(); it != headers.end(); ++it)
        o.insert(it.key(), it.value());
    return o;
}

Result<store::DeadLetterRow> letterFrom(const QJsonObject &o)
{
    store::DeadLetterRow l;
    l.journalId = integer(o, u"journal_id"_s);
    l.source = o.value(u"source"_s).toString();
    l.topic = o.value(u"topic"_s).toString();
    l.partition = static_cast<int>(integer(o, u"partition"_s, -1));
    l.offset = integer(o, u"offset"_s, -1);
    if (!o.value(u"key_base64"_s).isNull())
        l.key = QByteArray::fromBase64(o.value(u"key_base64"_s).toString().toLatin1());
    if (!o.value(u"value_base64"_s).isNull())
        l.value = QByteArray::fromBase64(o.value(u"value_base64"_s).toString().toLatin1());
    auto headers = headersFrom(o);
    if (!headers)
        return headers.error();
    l.headers = *headers;
    l.error = o.value(u"error"_s).toString();
    l.errorClass = o.value(u"error_class"_s).toString();
    l.attempts = static_cast<int>(integer(o, u"attempts"_s));
    l.firstFailureAtMs = integer(o, u"first_failure_at_ms"_s);
    l.lastFailureAtMs = integer(o, u"last_failure_at_ms"_s);
    l.consumer = o.value(u"consumer"_s).toString();
    const auto status = store::parseDeadLetterStatus(o.value(u"status"_s).toString());
    if (!status)
        return Error{u"session_invalid"_s,
                     u"dead letter status \"%1\" is unknown"_s.arg(o.value(u"status"_s).toString())};
    l.status = *status;
    l.statusChangedAtMs = integer(o, u"status_changed_at_ms"_s);
    l.replayedAsJournalId = integer(o, u"replayed_as_journal_id"_s);
    return l;
}

QByteArray line(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
}

} // namespace

QByteArray SessionFile::encode(const store::ImportedRows &rows)
{
    QByteArray out = line(QJsonObject{{u"format"_s, QString::fromLatin1(formatName)},
                                      {u"version"_s, version},
                                      {u"exported_at"_s, QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
                                      {u"hookbench"_s, QCoreApplication::applicationVersion()},
                                      {u"entries"_s, rows.entries.size()}});
    for (const store::JournalEntry &entry : rows.entries) {
        QJsonArray attempts;
        for (const store::AttemptRow &a : rows.attempts) {
            if (a.journalId == entry.id)
                attempts.append(attemptJson(a));
        }
        QJsonArray letters;
        for (const store::DeadLetterRow &l : rows.deadLetters) {
            if (l.journalId == entry.id)
                letters.append(letterJson(l));
        }
        out += line(QJsonObject{{u"type"_s, u"entry"_s},
                                {u"journal"_s, entryJson(entry)},
                                {u"attempts"_s, attempts},
                                {u"dead_letters"_s, letters}});
    }
    out += line(QJsonObject{{u"type"_s, u"end"_s}, {u"entries"_s, rows.entries.size()}});
    return out;
}

bool SessionFile::looksLikeSession(const QByteArray &head)
{
    const QByteArray firstLine = head.left(head.indexOf('\n'));
    return QJsonDocument::fromJson(firstLine).object().value(u"format"_s).toString() == QLatin1StringView(formatName);
}

Result<store::ImportedRows> SessionFile::decode(const QByteArray &bytes, const QString &origin)
{
    const QList<QByteArray> lines = bytes.split('\n');
    auto fail = [&](qsizetype lineIndex, const QString &why) {
        return Error{u"session_invalid"_s, u"%1: line %2: %3"_s.arg(origin).arg(lineIndex + 1).arg(why)};
    };
    QJsonParseError parseError{};
    const QJsonObject header = QJsonDocument::fromJson(lines.value(0), &parseError).object();
    if (header.value(u"format"_s).toString() != QLatin1StringView(formatName))
        return fail(0, u"not a Hookbench session (the first line must be {\"format\":\"hookbench-session\",…})"_s);
    if (header.value(u"version"_s).toInt() != version)
        return fail(0, u"session version %1 is not supported (this Hookbench reads version %2)"_s
                           .arg(header.value(u"version"_s).toInt())
                           .arg(version));
    store::ImportedRows rows;
    bool ended = false;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray &text = lines.at(i);
        if (text.trimmed().isEmpty())
            continue;
        if (ended)
            return fail(i, u"content after the end line"_s);
        const QJsonDocument doc = QJsonDocument::fromJson(text, &parseError);
        if (!doc.isObject())
            return fail(
                i, u"not a JSON object (%1 at column %2)"_s.arg(parseError.errorString()).arg(parseError.offset + 1));
        const QJsonObject object = doc.object();
        const QString type = object.value(u"type"_s).toString();
        if (type == u"end"_s) {
            if (object.value(u"entries"_s).toInteger() != rows.entries.size())
                return fail(
                    i, u"the end line counts %1 entries, the file has %2"_s.arg(object.value(u"entries"_s).toInteger())
                           .arg(rows.entries.size()));
            ended = true;
            continue;
        }
        if (type != u"entry"_s)
            return fail(i, u"unknown line type \"%1\""_s.arg(type));
        auto entry = entryFrom(object.value(u"journal"_s).toObject());
        if (!entry)
            return fail(i, entry.error().message);
        for (const auto &value : object.value(u"attempts"_s).toArray()) {
            auto attempt = attemptFrom(value.toObject());
            if (!attempt)
                return fail(i, attempt.error().message);
            attempt->journalId = entry->id;
            rows.attempts.append(*attempt);
        }
        for (const auto &value : object.value(u"dead_letters"_s).toArray()) {
            auto letter = letterFrom(value.toObject());
            if (!letter)
                return fail(i, letter.error().message);
            letter->journalId = entry->id;
            rows.deadLetters.append(*letter);
        }
        rows.entries.append(*entry);
    }
    if (!ended)
        return fail(lines.size() - 1, u"the end line is missing: the file is truncated"_s);
    return rows;
}

Result<void> SessionFile::write(const store::ImportedRows &rows, const QString &path)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error{u"export_failed"_s, u"%1: cannot write: %2"_s.arg(path, file.errorString())};
    file.write(encode(rows));
    if (!file.commit())
        return Error{u"export_failed"_s, u"%1: cannot write: %2"_s.arg(path, file.errorString())};
    return {};
}

Result<store::ImportedRows> SessionFile::read(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{u"file_unreadable"_s, u"%1: cannot read the session: %2"_s.arg(path, file.errorString())};
    return decode(file.readAll(), path);
}

} // namespace hookbench::capture
