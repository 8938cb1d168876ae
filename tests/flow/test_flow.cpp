// The consumer side end to end, the way a user drives it: a real IngestPipeline on 127.0.0.1:0
// with the embedded cluster and SQLite in a temporary directory, configured and inspected only
// through real HTTP (the webhook receiver, the admin API under /api/ and /metrics). The target
// is a scripted HTTP server on loopback; a separate librdkafka consumer reads topics back.
//
// The test functions run in order and share the pipeline: each case builds on the state the
// previous ones left (the subscription of case 2 routes every later event).

#include <sys/stat.h>

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include "core/config/config_loader.h"
#include "core/pipeline/ingest_pipeline.h"
#include "tests/pipeline/test_client.h"
#include "tests/processing/scripted_http_server.h"

using namespace Qt::StringLiterals;
using namespace hookbench;

namespace {

const QByteArray kSecret = "whsec_flow_test_secret";
constexpr int kDeadlineMs = 20'000;

QByteArray stripeEvent(const QByteArray &eventId, const QByteArray &customer)
{
    QFile file(QStringLiteral(HOOKBENCH_TEST_DATA_DIR "/fixtures/stripe/invoice.paid.json"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QByteArray body = file.readAll();
    body.replace(QByteArray("\"evt_000000000000000000000000\""), QByteArray("\"" + eventId + "\""));
    body.replace(QByteArray("\"cus_00000000000000\""), QByteArray("\"" + customer + "\""));
    return body;
}

QJsonObject jsonOf(const RawResponse &response)
{
    return QJsonDocument::fromJson(response.body).object();
}

QByteArray headerOf(const ConsumedRecord &record, const QByteArray &name)
{
    for (const auto &[key, value] : record.headers) {
        if (key == name)
            return value;
    }
    return {};
}

QList<QByteArray> headerNames(const ConsumedRecord &record)
{
    QList<QByteArray> names;
    for (const auto &header : record.headers)
        names.append(header.first);
    return names;
}

} // namespace

class TestFlow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void adminApiNeedsTheToken();
    void configureThroughTheApi();
    void transientFailureEndsInTheDlq();
    void topicReplayOfAnEditedDeadLetter();
    void receiverReplayWithANewKey();
    void permanentFailureIsDeadLetteredAtOnce();
    void consumersRebalanceAndDeliverOnce();
    void metricsCarryTheLabels();

private:
    RawResponse api(const QByteArray &method, const QByteArray &path, const QByteArray &body = {},
                    const QByteArray &token = "<default>");
    RawResponse sendStripe(const QByteArray &body);
    QJsonArray deadLetters(const QByteArray &query = {});
    QJsonObject deadLetterOf(qint64 journalId);
    QJsonObject event(qint64 id);
    QJsonObject consumers();
    int requestsWithKey(const QByteArray &idempotencyKey) const;

    QTemporaryDir m_dir;
    std::unique_ptr<pipeline::IngestPipeline> m_pipeline;
    ScriptedHttpServer m_target;
    quint16 m_port = 0;
    QByteArray m_token;
    qint64 m_deadJournalId = 0;    // case 3: the event that exhausted its retries
    qint64 m_deadLetterId = 0;     // its dead letter
    QByteArray m_deadBody;         // its body
    int m_dlqRecords = 0;          // records in webhooks.dlq so far
    int m_stripeRecordsBefore = 0; // records in webhooks.stripe before the topic replay
};

void TestFlow::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(m_target.listen());
    const QByteArray json = R"({
        "sources": [{"name": "stripe", "provider": "stripe", "secrets": ["whsec_flow_test_secret"]}],
        "kafka": {"mode": "embedded", "brokers": 1, "partitions": 4, "produce_wait_ms": 5000},
        "consumers": {"count": 1},
        "retry": {"strategy": "blocking", "base_ms": 200, "cap_ms": 1000, "max_attempts": 3, "time_scale": 10},
        "listen": "127.0.0.1:0"
    })";
    auto config = config::ConfigLoader::parse(json, u"<flow test>"_s);
    QVERIFY2(config.ok(), config ? "" : qPrintable(config.error().message));

    pipeline::PipelineOptions options;
    options.config = *config;
    options.dataDir = m_dir.filePath(u"data"_s);
    auto started = pipeline::IngestPipeline::start(options);
    QVERIFY2(started.ok(), started ? "" : qPrintable(started.error().message));
    m_pipeline = std::move(started.value());
    m_port = m_pipeline->port();
    QVERIFY(m_port != 0);

    // The token as a user reads it: from the file in the data directory.
    QFile tokenFile(QDir(options.dataDir).filePath(u"admin-token"_s));
    QVERIFY(tokenFile.open(QIODevice::ReadOnly));
    m_token = tokenFile.readAll().trimmed();
    QCOMPARE(m_token.size(), 64);
}

void TestFlow::cleanupTestCase()
{
    if (m_pipeline)
        m_pipeline->stop(5000);
    m_pipeline.reset();
}

RawResponse TestFlow::api(const QByteArray &method, const QByteArray &path, const QByteArray &body,
                          const QByteArray &token)
{
    QByteArray request = method + ' ' + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(m_port) + "\r\n";
    const QByteArray bearer = token == "<default>" ? m_token : token;
    if (!bearer.isEmpty())
        request += "Authorization: Bearer " + bearer + "\r\n";
    if (!body.isEmpty())
        request += "Content-Type: application/json\r\n";
    request += "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    return sendRaw(m_port, request);
}

RawResponse TestFlow::sendStripe(const QByteArray &body)
{
    return post(m_port, "/webhooks/stripe", body,
                {{"Content-Type", "application/json"},
                 {"Stripe-Signature", stripeSignature(kSecret, QDateTime::currentSecsSinceEpoch(), body)}});
}

QJsonArray TestFlow::deadLetters(const QByteArray &query)
{
    return jsonOf(api("GET", "/api/dlq" + query)).value(u"items"_s).toArray();
}

QJsonObject TestFlow::deadLetterOf(qint64 journalId)
{
    const QJsonArray letters = deadLetters();
    for (const QJsonValue &letter : letters) {
        if (letter.toObject().value(u"journal_id"_s).toInteger() == journalId)
            return letter.toObject();
    }
    return {};
}

QJsonObject TestFlow::event(qint64 id)
{
    return jsonOf(api("GET", "/api/events/" + QByteArray::number(id)));
}

QJsonObject TestFlow::consumers()
{
    return jsonOf(api("GET", "/api/consumers"));
}

int TestFlow::requestsWithKey(const QByteArray &idempotencyKey) const
{
    int n = 0;
    for (const RecordedRequest &request : m_target.requests)
        n += request.header("hookbench-idempotency-key") == idempotencyKey ? 1 : 0;
    return n;
}

void TestFlow::adminApiNeedsTheToken()
{
    const RawResponse missing = api("GET", "/api/targets", {}, {});
    QCOMPARE(missing.status, 401);
    QVERIFY(!missing.header("WWW-Authenticate").isEmpty());
    QCOMPARE(api("GET", "/api/targets", {}, QByteArray(64, 'a')).status, 401);
    QCOMPARE(api("GET", "/api/targets").status, 200);

    struct stat info = {};
    const QByteArray path = QFile::encodeName(QDir(m_pipeline->dataDir()).filePath(u"admin-token"_s));
    QCOMPARE(::stat(path.constData(), &info), 0);
    QCOMPARE(info.st_mode & 0777, 0600u);
}

void TestFlow::configureThroughTheApi()
{
    const QByteArray url = "http://127.0.0.1:" + QByteArray::number(m_target.port()) + "/hooks";
    const RawResponse target = api("POST", "/api/targets", R"({"url": ")" + url + R"("})");
    QCOMPARE(target.status, 201);
    const qint64 targetId = jsonOf(target).value(u"id"_s).toInteger();
    QVERIFY(targetId > 0);
    QCOMPARE(jsonOf(target).value(u"url"_s).toString(), QString::fromUtf8(url));

    const RawResponse filter = api("POST", "/api/filters", R"({"events": ["invoice.*"]})");
    QCOMPARE(filter.status, 201);
    const qint64 filterId = jsonOf(filter).value(u"id"_s).toInteger();
    QVERIFY(filterId > 0);

    const RawResponse subscription =
        api("POST", "/api/subscriptions",
            QJsonDocument(QJsonObject{{u"target_id"_s, targetId}, {u"filter_id"_s, filterId}, {u"active"_s, true}})
                .toJson(QJsonDocument::Compact));
    QCOMPARE(subscription.status, 201);
    QVERIFY(jsonOf(subscription).value(u"id"_s).toInteger() > 0);
    QCOMPARE(jsonOf(subscription).value(u"active"_s).toBool(), true);

    const QJsonArray listed = jsonOf(api("GET", "/api/subscriptions")).value(u"items"_s).toArray();
    QCOMPARE(listed.size(), 1);
    QCOMPARE(listed.at(0).toObject().value(u"target_id"_s).toInteger(), targetId);
}

void TestFlow::transientFailureEndsInTheDlq()
{
    m_target.script(503);
    m_deadBody = stripeEvent("evt_flow_transient_1", "cus_flow_dead");
    const RawResponse accepted = sendStripe(m_deadBody);
    QCOMPARE(accepted.status, 200);
    m_deadJournalId = jsonOf(accepted).value(u"id"_s).toInteger();
    QVERIFY(m_deadJournalId > 0);

    QTRY_VERIFY_WITH_TIMEOUT(!deadLetterOf(m_deadJournalId).isEmpty(), kDeadlineMs);
    const QJsonObject letter = deadLetterOf(m_deadJournalId);
    m_deadLetterId = letter.value(u"id"_s).toInteger();
    QVERIFY(m_deadLetterId > 0);
    QCOMPARE(letter.value(u"status"_s).toString(), u"dead"_s);
    QCOMPARE(letter.value(u"attempts"_s).toInt(), 3);
    QCOMPARE(letter.value(u"error_class"_s).toString(), u"transient"_s);
    QCOMPARE(letter.value(u"topic"_s).toString(), u"webhooks.stripe"_s);
    QCOMPARE(letter.value(u"value"_s).toString().toUtf8(), m_deadBody);
    QCOMPARE(letter.value(u"key"_s).toString(), u"cus_flow_dead"_s);
    QVERIFY(!letter.value(u"first_failure_at"_s).toString().isEmpty());
    QVERIFY(letter.value(u"last_failure_at"_s).toString() >= letter.value(u"first_failure_at"_s).toString());
    QVERIFY(letter.value(u"error"_s).toString().contains(u"503"_s));

    const QJsonObject entry = event(m_deadJournalId);
    QCOMPARE(entry.value(u"entity_key"_s).toString(), u"cus_flow_dead"_s);
    QCOMPARE(entry.value(u"processing"_s).toObject().value(u"state"_s).toString(), u"dead_lettered"_s);
    QCOMPARE(entry.value(u"processing"_s).toObject().value(u"dead_letter_id"_s).toInteger(), m_deadLetterId);
    const QJsonArray attempts = entry.value(u"attempts"_s).toArray();
    QCOMPARE(attempts.size(), 3);
    for (qsizetype i = 0; i < attempts.size(); ++i) {
        const QJsonObject a = attempts.at(i).toObject();
        QCOMPARE(a.value(u"attempt"_s).toInt(), int(i + 1));
        QCOMPARE(a.value(u"outcome"_s).toString(), u"transient"_s);
        QCOMPARE(a.value(u"http_status"_s).toInt(), 503);
    }

    // The dead letter in Kafka: same key and value bytes, the envelope in headers.
    const QList<ConsumedRecord> dlq = consumeTopic(m_pipeline->bootstrap(), u"webhooks.dlq"_s, 1);
    QCOMPARE(dlq.size(), 1);
    m_dlqRecords = 1;
    const ConsumedRecord &record = dlq.first();
    QCOMPARE(record.value, m_deadBody);
    QCOMPARE(record.key, QByteArray("cus_flow_dead"));
    QCOMPARE(headerOf(record, "hookbench-dlq-original-topic"), QByteArray("webhooks.stripe"));
    QCOMPARE(headerOf(record, "hookbench-dlq-error-class"), QByteArray("transient"));
    QCOMPARE(headerOf(record, "hookbench-dlq-attempts"), QByteArray("3"));
    QCOMPARE(headerOf(record, "hookbench-dlq-original-offset"),
             QByteArray::number(entry.value(u"offset"_s).toInteger()));
    QCOMPARE(headerOf(record, "hookbench-dlq-original-partition"),
             QByteArray::number(entry.value(u"partition"_s).toInt()));
    for (const QByteArray &name : {QByteArray("hookbench-dlq-error"), QByteArray("hookbench-dlq-first-failure-at"),
                                   QByteArray("hookbench-dlq-last-failure-at"), QByteArray("hookbench-dlq-consumer"),
                                   QByteArray("idempotency-key"), QByteArray("hookbench-source")}) {
        const QByteArray why = name + " missing; headers: " + headerNames(record).join(", ");
        QVERIFY2(!headerOf(record, name).isEmpty(), why.constData());
    }
    QCOMPARE(headerOf(record, "idempotency-key"), QByteArray("evt_flow_transient_1"));

    // The target saw three deliveries of the exact bytes, numbered.
    QCOMPARE(m_target.requests.size(), 3);
    for (qsizetype i = 0; i < m_target.requests.size(); ++i) {
        const RecordedRequest &request = m_target.requests.at(i);
        QCOMPARE(request.method, QByteArray("POST"));
        QCOMPARE(request.target, QByteArray("/hooks"));
        QCOMPARE(request.body, m_deadBody);
        QCOMPARE(request.header("hookbench-attempt"), QByteArray::number(i + 1));
        QCOMPARE(request.header("hookbench-idempotency-key"), QByteArray("evt_flow_transient_1"));
    }
}

void TestFlow::topicReplayOfAnEditedDeadLetter()
{
    QVERIFY(m_deadLetterId > 0);
    m_target.script(200);
    m_stripeRecordsBefore = int(consumeTopic(m_pipeline->bootstrap(), u"webhooks.stripe"_s, 1, 5000).size());
    QByteArray edited = m_deadBody;
    edited.replace("\"amount_paid\": 2000", "\"amount_paid\": 2500");
    QVERIFY(edited != m_deadBody);

    const qsizetype before = m_target.requests.size();
    const RawResponse replayed =
        api("POST", "/api/dlq/" + QByteArray::number(m_deadLetterId) + "/replay",
            QJsonDocument(QJsonObject{{u"mode"_s, u"topic"_s}, {u"body"_s, QString::fromUtf8(edited)}})
                .toJson(QJsonDocument::Compact));
    QCOMPARE(replayed.status, 200);
    const QJsonObject result = jsonOf(replayed);
    const qint64 newId = result.value(u"new_journal_id"_s).toInteger();
    QVERIFY2(newId > 0, replayed.body.constData());
    QVERIFY(newId != m_deadJournalId);
    QCOMPARE(result.value(u"original_journal_id"_s).toInteger(), m_deadJournalId);
    QCOMPARE(result.value(u"topic"_s).toString(), u"webhooks.stripe"_s);

    QTRY_COMPARE_WITH_TIMEOUT(m_target.requests.size(), before + 1, kDeadlineMs);
    QCOMPARE(m_target.requests.last().body, edited);

    QTRY_COMPARE_WITH_TIMEOUT(event(newId).value(u"processing"_s).toObject().value(u"state"_s).toString(), u"done"_s,
                              kDeadlineMs);
    const QJsonObject entry = event(newId);
    QCOMPARE(entry.value(u"derived_from"_s).toInteger(), m_deadJournalId);
    QCOMPARE(entry.value(u"body"_s).toString().toUtf8(), edited);
    const QJsonArray replays = event(m_deadJournalId).value(u"replays"_s).toArray();
    QVERIFY(replays.contains(QJsonValue(newId)));

    const QJsonObject letter = deadLetterOf(m_deadJournalId);
    QCOMPARE(letter.value(u"status"_s).toString(), u"replayed"_s);
    QCOMPARE(letter.value(u"replayed_as_journal_id"_s).toInteger(), newId);
    QCOMPARE(event(m_deadJournalId).value(u"processing"_s).toObject().value(u"state"_s).toString(), u"replayed"_s);
    QCOMPARE(deadLetters("?status=dead").size(), 0);
    QCOMPARE(deadLetters("?status=replayed").size(), 1);

    const QList<ConsumedRecord> stripe =
        consumeTopic(m_pipeline->bootstrap(), u"webhooks.stripe"_s, m_stripeRecordsBefore + 1);
    QCOMPARE(stripe.size(), m_stripeRecordsBefore + 1);
    int editedRecords = 0;
    for (const ConsumedRecord &record : stripe) {
        if (record.value != edited)
            continue;
        ++editedRecords;
        QCOMPARE(record.key, QByteArray("cus_flow_dead"));
        QCOMPARE(headerOf(record, "hookbench-journal-id"), QByteArray::number(newId));
        QCOMPARE(headerOf(record, "idempotency-key"), QByteArray("evt_flow_transient_1"));
    }
    QCOMPARE(editedRecords, 1);
}

void TestFlow::receiverReplayWithANewKey()
{
    m_target.script(200);
    const QByteArray body = stripeEvent("evt_flow_receiver_1", "cus_flow_receiver");
    const RawResponse accepted = sendStripe(body);
    QCOMPARE(accepted.status, 200);
    const qint64 id = jsonOf(accepted).value(u"id"_s).toInteger();
    QTRY_COMPARE_WITH_TIMEOUT(requestsWithKey("evt_flow_receiver_1"), 1, kDeadlineMs);
    QTRY_COMPARE_WITH_TIMEOUT(event(id).value(u"processing"_s).toObject().value(u"state"_s).toString(), u"done"_s,
                              kDeadlineMs);

    // Without a new key the receiver knows the event: a duplicate, not delivered again.
    const RawResponse again =
        api("POST", "/api/replay", R"({"ids": [)" + QByteArray::number(id) + R"(], "mode": "receiver"})");
    QCOMPARE(again.status, 200);
    const QJsonObject duplicate = jsonOf(again).value(u"items"_s).toArray().at(0).toObject();
    QVERIFY2(duplicate.value(u"status"_s).toString() == u"duplicate"_s, again.body.constData());

    const RawResponse replayed =
        api("POST", "/api/replay",
            QJsonDocument(
                QJsonObject{{u"ids"_s, QJsonArray{id}}, {u"mode"_s, u"receiver"_s}, {u"new_idempotency_key"_s, true}})
                .toJson(QJsonDocument::Compact));
    QCOMPARE(replayed.status, 200);
    const QJsonArray items = jsonOf(replayed).value(u"items"_s).toArray();
    QCOMPARE(items.size(), 1);
    const QJsonObject result = items.at(0).toObject();
    QVERIFY2(result.value(u"status"_s).toString() == u"accepted"_s, replayed.body.constData());
    const QByteArray newKey = result.value(u"idempotency_key"_s).toString().toUtf8();
    QVERIFY(!newKey.isEmpty());
    QVERIFY(newKey != "evt_flow_receiver_1");
    const qint64 newId = result.value(u"new_journal_id"_s).toInteger();
    QVERIFY(newId > id);

    QTRY_COMPARE_WITH_TIMEOUT(requestsWithKey(newKey), 1, kDeadlineMs);
    QCOMPARE(requestsWithKey("evt_flow_receiver_1"), 1);
    QTRY_COMPARE_WITH_TIMEOUT(event(newId).value(u"processing"_s).toObject().value(u"state"_s).toString(), u"done"_s,
                              kDeadlineMs);
    const QJsonObject entry = event(newId);
    QCOMPARE(entry.value(u"derived_from"_s).toInteger(), id);
    QCOMPARE(entry.value(u"verdict"_s).toString(), u"accepted"_s);
    QCOMPARE(entry.value(u"idempotency_key"_s).toString().toUtf8(), newKey);
}

void TestFlow::permanentFailureIsDeadLetteredAtOnce()
{
    m_target.script(422);
    const QByteArray body = stripeEvent("evt_flow_permanent_1", "cus_flow_permanent");
    const qsizetype before = m_target.requests.size();
    const RawResponse accepted = sendStripe(body);
    QCOMPARE(accepted.status, 200);
    const qint64 id = jsonOf(accepted).value(u"id"_s).toInteger();

    QTRY_VERIFY_WITH_TIMEOUT(!deadLetterOf(id).isEmpty(), kDeadlineMs);
    const QJsonObject letter = deadLetterOf(id);
    QCOMPARE(letter.value(u"attempts"_s).toInt(), 1);
    QCOMPARE(letter.value(u"error_class"_s).toString(), u"permanent"_s);
    QCOMPARE(letter.value(u"status"_s).toString(), u"dead"_s);
    QCOMPARE(m_target.requests.size(), before + 1);
    const QJsonArray attempts = event(id).value(u"attempts"_s).toArray();
    QCOMPARE(attempts.size(), 1);
    QCOMPARE(attempts.at(0).toObject().value(u"outcome"_s).toString(), u"permanent"_s);
    QCOMPARE(attempts.at(0).toObject().value(u"http_status"_s).toInt(), 422);

    const qint64 letterId = letter.value(u"id"_s).toInteger();
    const RawResponse discarded = api("POST", "/api/dlq/" + QByteArray::number(letterId) + "/discard");
    QCOMPARE(discarded.status, 200);
    QCOMPARE(jsonOf(discarded).value(u"status"_s).toString(), u"discarded"_s);
    QCOMPARE(deadLetterOf(id).value(u"status"_s).toString(), u"discarded"_s);
    const QJsonArray listed = deadLetters("?status=discarded");
    QCOMPARE(listed.size(), 1);
    QCOMPARE(listed.at(0).toObject().value(u"id"_s).toInteger(), letterId);
    QCOMPARE(event(id).value(u"processing"_s).toObject().value(u"state"_s).toString(), u"discarded"_s);
    QCOMPARE(api("POST", "/api/dlq/" + QByteArray::number(letterId) + "/discard").status, 400);
    QCOMPARE(api("POST", "/api/dlq/" + QByteArray::number(letterId) + "/replay", R"({"mode": "topic"})").status, 400);
    QCOMPARE(api("POST", "/api/dlq/999999/discard").status, 404);

    const QList<ConsumedRecord> dlq = consumeTopic(m_pipeline->bootstrap(), u"webhooks.dlq"_s, m_dlqRecords + 1);
    QCOMPARE(dlq.size(), m_dlqRecords + 1);
    m_dlqRecords = int(dlq.size());
    QCOMPARE(headerOf(dlq.last(), "hookbench-dlq-error-class"), QByteArray("permanent"));
    QCOMPARE(headerOf(dlq.last(), "hookbench-dlq-attempts"), QByteArray("1"));
    QCOMPARE(dlq.last().value, body);
}

void TestFlow::consumersRebalanceAndDeliverOnce()
{
    m_target.script(200);
    const QJsonObject before = consumers();
    QCOMPARE(before.value(u"group_id"_s).toString(), u"hookbench-processors"_s);
    QCOMPARE(before.value(u"members"_s).toArray().size(), 1);
    const QJsonArray partitions = before.value(u"partitions"_s).toArray();
    int stripePartitions = 0;
    for (const QJsonValue &p : partitions) {
        const QJsonObject partition = p.toObject();
        QVERIFY(partition.contains(u"lag"_s));
        if (partition.value(u"topic"_s).toString() == u"webhooks.stripe"_s)
            ++stripePartitions;
    }
    QCOMPARE(stripePartitions, 4);
    const qsizetype rebalancesBefore = before.value(u"rebalances"_s).toArray().size();

    const RawResponse resized = api("PUT", "/api/consumers", R"({"count": 2})");
    QCOMPARE(resized.status, 200);
    QCOMPARE(jsonOf(resized).value(u"count"_s).toInt(), 2);

    // Both members own part of the topic and the group says it rebalanced.
    auto settled = [this, rebalancesBefore] {
        const QJsonObject state = consumers();
        const QJsonArray members = state.value(u"members"_s).toArray();
        if (members.size() != 2 || state.value(u"rebalances"_s).toArray().size() <= rebalancesBefore)
            return false;
        for (const QJsonValue &m : members) {
            if (m.toObject().value(u"assigned"_s).toArray().isEmpty())
                return false;
        }
        return true;
    };
    QTRY_VERIFY_WITH_TIMEOUT(settled(), kDeadlineMs);

    QList<QByteArray> keys;
    QHash<int, qint64> ends; // partition -> the offset after the last of the ten records
    for (int i = 0; i < 10; ++i) {
        const QByteArray key = "evt_flow_after_rebalance_" + QByteArray::number(i);
        keys.append(key);
        const RawResponse accepted = sendStripe(stripeEvent(key, "cus_flow_spread_" + QByteArray::number(i)));
        QCOMPARE(accepted.status, 200);
        const int partition = jsonOf(accepted).value(u"partition"_s).toInt(-1);
        QVERIFY(partition >= 0);
        ends[partition] = std::max(ends.value(partition), jsonOf(accepted).value(u"offset"_s).toInteger() + 1);
    }
    auto allDelivered = [this, &keys] {
        for (const QByteArray &key : std::as_const(keys)) {
            if (requestsWithKey(key) == 0)
                return false;
        }
        return true;
    };
    QTRY_VERIFY_WITH_TIMEOUT(allDelivered(), kDeadlineMs);

    // Committed past each of the ten records (lag alone could read a stale high watermark):
    // nothing is left that could come again.
    auto drained = [this, &ends] {
        const QJsonArray list = consumers().value(u"partitions"_s).toArray();
        int done = 0;
        for (const QJsonValue &p : list) {
            const QJsonObject partition = p.toObject();
            const int number = partition.value(u"partition"_s).toInt();
            if (partition.value(u"topic"_s).toString() == u"webhooks.stripe"_s && ends.contains(number)
                && partition.value(u"committed"_s).toInteger() >= ends.value(number))
                ++done;
        }
        return done == ends.size();
    };
    QTRY_VERIFY_WITH_TIMEOUT(drained(), kDeadlineMs);
    for (const QByteArray &key : std::as_const(keys))
        QVERIFY2(requestsWithKey(key) == 1, key.constData());

    // The ten keys spread over the partitions, so both members handled some of them.
    const QJsonArray memberList = consumers().value(u"members"_s).toArray();
    QCOMPARE(memberList.size(), 2);
    for (const QJsonValue &m : memberList)
        QVERIFY2(m.toObject().value(u"handled"_s).toInteger() > 0, QJsonDocument(m.toObject()).toJson().constData());
}

void TestFlow::metricsCarryTheLabels()
{
    const RawResponse metrics = get(m_port, "/metrics");
    QCOMPARE(metrics.status, 200);
    const QString text = QString::fromUtf8(metrics.body);
    auto hasSample = [&text](const QString &name, const QStringList &labels) {
        const QStringList lines = text.split(u'\n');
        for (const QString &line : lines) {
            if (!line.startsWith(name + u'{'))
                continue;
            bool all = true;
            for (const QString &label : labels)
                all = all && line.contains(label);
            if (all)
                return true;
        }
        return false;
    };
    QVERIFY2(hasSample(u"dlq_events_total"_s, {u"source=\"stripe\""_s, u"error=\"exhausted\""_s}), metrics.body);
    QVERIFY2(hasSample(u"dlq_events_total"_s, {u"source=\"stripe\""_s, u"error=\"permanent\""_s}), metrics.body);
    QVERIFY2(hasSample(u"consumer_lag"_s,
                       {u"topic=\"webhooks.stripe\""_s, u"partition=\"0\""_s, u"group=\"hookbench-processors\""_s}),
             metrics.body);
    QVERIFY2(hasSample(u"delivery_attempts_total"_s, {u"outcome=\"transient\""_s}), metrics.body);
    QVERIFY2(hasSample(u"delivery_attempts_total"_s, {u"outcome=\"permanent\""_s}), metrics.body);
    QVERIFY2(hasSample(u"delivery_attempts_total"_s, {u"outcome=\"success\""_s}), metrics.body);
    static const QRegularExpression stripeLag(u"^consumer_lag\\{[^}]*topic=\"webhooks\\.stripe\"[^}]*\\} (\\S+)$"_s,
                                              QRegularExpression::MultilineOption);
    for (auto it = stripeLag.globalMatch(text); it.hasNext();)
        QCOMPARE(it.next().captured(1), u"0"_s);
    // Three transient attempts of case 3, no more.
    static const QRegularExpression transient(
        u"^delivery_attempts_total\\{[^}]*outcome=\"transient\"[^}]*\\} (\\d+)$"_s,
        QRegularExpression::MultilineOption);
    QCOMPARE(transient.match(text).captured(1), u"3"_s);
}

QTEST_GUILESS_MAIN(TestFlow)
#include "test_flow.moc"
