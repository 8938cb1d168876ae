#include "core/pipeline/ingest_worker.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include "core/metrics/metrics_registry.h"
#include "core/pipeline/outbox_relay.h"
#include "core/providers/body_parser.h"
#include "core/providers/provider_registry.h"
#include "core/replay/replay_lineage.h"
#include "core/store/journal_writer.h"
#include "core/util/crypto.h"

using namespace Qt::StringLiterals;

namespace hookbench::pipeline {

namespace {

QJsonObject verificationJson(const providers::VerifyResult &r, qsizetype secretCount)
{
    QJsonObject o{{u"ok"_s, r.ok}};
    if (r.ok) {
        // Accepted: which secret matched and the skew are what is not derivable later; the
        // signed content follows from the journaled body and headers. Keeping this small keeps
        // the hot path cheap (no copy and escaping of the body per request).
        o.insert(u"matched_secret"_s, r.matchedSecret);
        if (r.hasTimestamp)
            o.insert(u"skew_seconds"_s, r.skewSeconds);
        return o;
    }
    if (!r.reason.isEmpty())
        o.insert(u"reason"_s, r.reason);
    if (!r.detail.isEmpty())
        o.insert(u"detail"_s, r.detail);
    o.insert(u"matched_secret"_s, r.matchedSecret);
    o.insert(u"secrets_tried"_s, qint64(secretCount));
    // The signed content can be as large as the body; the inspector shows a prefix and the
    // body itself is in the journal, so cap what is stored here. Length and hash of the whole
    // let the user compare it with the string their own code signs.
    constexpr qsizetype signedCap = 4096;
    o.insert(u"signed_content"_s, QString::fromUtf8(r.signedContent.left(signedCap)));
    if (r.signedContent.size() > signedCap)
        o.insert(u"signed_content_truncated"_s, true);
    o.insert(u"signed_content_length"_s, qint64(r.signedContent.size()));
    o.insert(u"signed_content_sha256"_s, QString::fromLatin1(util::Crypto::sha256Hex(r.signedContent)));
    // Never the expected signature itself: over an attacker's bytes it would be a valid signature
    // (a forgery handed out by the journal, the API and the window). A short fingerprint of it lets
    // the user check that their code computes the same signature, and nothing more.
    if (!r.expected.isEmpty())
        o.insert(u"expected_fingerprint"_s, QString::fromLatin1(util::Crypto::sha256Hex(r.expected).left(8)));
    o.insert(u"received"_s, QString::fromLatin1(r.received));
    if (r.hasTimestamp)
        o.insert(u"skew_seconds"_s, r.skewSeconds);
    return o;
}

// Relayed entries in flight at most: the relay stops there and goes on as reports come back,
// so an outage leaves a bounded backlog in librdkafka, not the whole journal, and a live
// webhook's record queues behind at most this many relayed ones on its way to a partition.
constexpr int kRelayWindow = 256;
// A producer that cannot be created (e.g. its configuration became invalid) is tried again.
constexpr int kRecreateRetryMs = 2000;

// The `reason` label of webhook_produce_errors_total: a fixed set, never free text.
QString produceErrorReason(const QString &code)
{
    if (code == u"kafka_queue_full"_s || code == u"_QUEUE_FULL"_s)
        return u"queue_full"_s;
    if (code == u"kafka_message_too_large"_s || code == u"MSG_SIZE_TOO_LARGE"_s || code == u"RECORD_LIST_TOO_LARGE"_s)
        return u"message_too_large"_s;
    if (code == u"kafka_fatal"_s || code == u"_FATAL"_s)
        return u"fatal"_s;
    if (code == u"_MSG_TIMED_OUT"_s || code == u"_TIMED_OUT"_s)
        return u"timed_out"_s;
    if (code == u"_PURGE_QUEUE"_s || code == u"_PURGE_INFLIGHT"_s)
        return u"purged"_s;
    if (code == u"TOPIC_AUTHORIZATION_FAILED"_s || code == u"CLUSTER_AUTHORIZATION_FAILED"_s)
        return u"not_authorized"_s;
    return u"other"_s;
}

// Delivery report codes after which producing the same record again cannot succeed.
bool isPermanent(const QString &code)
{
    return code == u"MSG_SIZE_TOO_LARGE"_s || code == u"RECORD_LIST_TOO_LARGE"_s || code == u"INVALID_RECORD"_s;
}

QByteArray rfc3339(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs).toLatin1();
}

store::JournalEntry entryFor(const QString &sourceName, const http::HttpRequest &request)
{
    store::JournalEntry e;
    e.receivedAtMs = request.receivedAtMs;
    e.source = sourceName;
    e.method = request.method;
    e.target = request.target;
    e.headers = request.headers;
    e.body = request.body;
    e.remoteAddress = request.remoteAddress.toString();
    e.remotePort = request.remotePort;
    return e;
}

} // namespace

IngestWorker::IngestWorker(WorkerEnvironment env, QObject *parent)
    : QObject(parent)
    , m_env(std::move(env))
    , m_deadlineTimer(this)
    , m_purgeTimer(this)
    , m_retentionTimer(this) // parented: they move to the ingest thread with us
{
    m_deadlineTimer.setSingleShot(true);
    m_deadlineTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_deadlineTimer, &QTimer::timeout, this, &IngestWorker::onAnswerDeadline);
}

IngestWorker::~IngestWorker() = default;

Result<void> IngestWorker::start()
{
    m_producerSettings.bootstrap = m_env.bootstrap;
    m_producerSettings.properties = m_env.config.kafka.properties;
    // Every body the receiver accepts must fit in a record (librdkafka's default is ~1 MB).
    m_producerSettings.maxMessageBytes = m_env.config.maxRecordBytes();
    for (const config::SourceConfig &source : m_env.config.sources)
        m_producerSettings.topics.append(source.effectiveTopic());
    if (auto created = createProducer(); !created)
        return created;
    if (m_env.kafkaMode == u"external"_s)
        checkTopicLimits();

    m_server = new http::HttpServer(m_env.config.limits, *m_env.clock, this);
    m_server->setRequestHandler([this](const http::HttpRequest &request, const http::Responder &responder) {
        handleRequest(request, responder);
    });
    m_server->setRejectionHandler([this](const http::HttpRequest &partial, int status, const QString &reason) {
        handleServerRejection(partial, status, reason);
    });
    if (auto listening = m_server->listen(m_env.config.listenAddress, m_env.config.listenPort); !listening)
        return listening.error();

    m_relay = new OutboxRelay(m_env.writer, this);
    m_relay->setLoadStartedFunction([this] { m_acknowledgedSinceLoad.clear(); });
    m_relay->setProduceFunction([this](const store::JournalEntry &entry) {
        using Outcome = OutboxRelay::Outcome;
        if (m_draining || m_inFlight.contains(entry.id) || m_acknowledgedSinceLoad.contains(entry.id))
            return Outcome::Skipped;
        // A fresh entry may be journaled but not yet handed to the producer by its own request;
        // that request produces it, so the relay leaves young entries alone.
        if (m_env.clock->nowMs() - entry.receivedAtMs < m_env.config.kafka.produceWaitMs + 1000)
            return Outcome::Skipped;
        if (!m_producer || m_relayInFlight >= kRelayWindow)
            return Outcome::Backoff;
        switch (produce(entry, {}, true)) {
        case ProduceStatus::Produced: return Outcome::Produced;
        case ProduceStatus::Retry: return Outcome::Backoff;
        case ProduceStatus::Refused:
        case ProduceStatus::Failed: break;
        }
        return Outcome::Skipped;
    });
    m_relay->start();

    // Expired dedup claims are deleted in small chunks between other writer jobs, so a large
    // purge never holds ingest up. Once a minute is plenty for a TTL measured in hours.
    m_purgeTimer.setInterval(60'000);
    connect(&m_purgeTimer, &QTimer::timeout, this, [this] { m_env.writer->purgeExpiredClaims(m_env.clock->nowMs()); });
    m_purgeTimer.start();

    // The data retention (JournalWriter::setRetention, changeable live) runs at start and hourly:
    // it is measured in days, and each run deletes in bounded steps between the other writes.
    m_retentionTimer.setInterval(3'600'000);
    connect(&m_retentionTimer, &QTimer::timeout, this, [this] { m_env.writer->purgeRetained(m_env.clock->nowMs()); });
    m_retentionTimer.start();
    m_env.writer->purgeRetained(m_env.clock->nowMs());
    return {};
}

QString IngestWorker::listenAddress() const
{
    if (!m_server)
        return {};
    const QHostAddress address = m_server->serverAddress();
    const QString host =
        address.protocol() == QAbstractSocket::IPv6Protocol ? u'[' % address.toString() % u']' : address.toString();
    return host % u':' % QString::number(m_server->serverPort());
}

quint16 IngestWorker::port() const
{
    return m_server ? m_server->serverPort() : 0;
}

void IngestWorker::handleRequest(const http::HttpRequest &request, const http::Responder &responder)
{
    const QByteArray path = request.path();
    if (path.startsWith("/webhooks/")) {
        handleWebhook(QString::fromUtf8(path.mid(10)), request, responder);
        return;
    }
    if ((path == "/api" || path.startsWith("/api/")) && m_env.api) {
        // Not journaled: the journal records webhooks, and these requests carry the admin token.
        m_env.api(request, responder);
        return;
    }
    if (path == "/healthz" && (request.method == "GET" || request.method == "HEAD")) {
        http::HttpResponse response;
        response.body = healthJson();
        responder.send(response);
        return;
    }
    if (path == "/metrics" && request.method == "GET") {
        http::HttpResponse response;
        response.contentType = "text/plain; version=0.0.4; charset=utf-8";
        // The writer keeps its own running totals (its thread does not touch the registry).
        const store::WriterStats writer = m_env.writer->stats();
        m_env.metrics->setCounter(u"journal_transactions_total"_s, double(writer.transactions));
        m_env.metrics->setCounter(u"journal_writes_total"_s, double(writer.jobs));
        m_env.metrics->setCounter(u"journal_purged_total"_s, double(writer.journalPurged));
        m_env.metrics->setCounter(u"journal_wal_checkpoints_total"_s, double(writer.wal.checkpoints));
        m_env.metrics->setCounter(u"journal_wal_frames_checkpointed_total"_s, double(writer.wal.framesCopied));
        m_env.metrics->setCounter(u"journal_wal_checkpoint_failures_total"_s, double(writer.wal.failures));
        m_env.metrics->setCounter(u"journal_wal_writer_waits_total"_s, double(writer.wal.writerWaits));
        response.body = m_env.metrics->renderPrometheus();
        responder.send(response);
        return;
    }
    if (path == "/healthz" || path == "/metrics") {
        auto response = http::HttpResponse::json(
            405, QJsonObject{{u"status"_s, u"rejected"_s}, {u"reason"_s, u"method_not_allowed"_s}});
        response.headers.append(qMakePair(QByteArray("Allow"), QByteArray("GET")));
        responder.send(response);
        return;
    }
    reject({}, request, responder, 404, u"not_found"_s);
}

void IngestWorker::handleWebhook(const QString &sourceName, const http::HttpRequest &request,
                                 const http::Responder &responder)
{
    // Taken first, so a rejected replay is linked to its original too.
    const qint64 derivedFrom = takeReplayLineage(request);
    const config::SourceConfig *source = m_env.config.source(sourceName);
    if (!source) {
        reject(sourceName, request, responder, 404, u"unknown_source"_s, {}, {}, derivedFrom);
        return;
    }
    m_env.metrics->increment(u"webhook_received_total"_s, {{u"source"_s, sourceName}});
    if (request.method != "POST") {
        reject(sourceName, request, responder, 405, u"method_not_allowed"_s, {}, {{"Allow", "POST"}}, derivedFrom);
        return;
    }
    const providers::Verifier *verifier = providers::ProviderRegistry::find(source->provider);
    if (!verifier) { // the config loader checks provider names; this guards a registry/loader mismatch
        reject(sourceName, request, responder, 500, u"provider_unavailable"_s, {}, {}, derivedFrom);
        return;
    }

    const providers::VerifyResult verdict =
        verifier->verify(providers::VerifyInput{request, *source, m_env.clock->nowSecs()});
    const QByteArray verification =
        QJsonDocument(verificationJson(verdict, source->secrets.size())).toJson(QJsonDocument::Compact);
    if (!verdict.ok) {
        reject(sourceName, request, responder, 401, verdict.reason, verification, {}, derivedFrom);
        return;
    }

    const providers::ParsedBody body = providers::BodyParser::parse(request);
    if (verifier->bodyFormat(request) == providers::BodyFormat::Json && !body.isJson) {
        reject(sourceName, request, responder, 400, u"invalid_json"_s, verification, {}, derivedFrom);
        return;
    }

    store::JournalEntry entry = entryFor(sourceName, request);
    entry.verdict = store::Verdict::Accepted;
    entry.verification = verification;
    entry.derivedFrom = derivedFrom;
    const providers::IdempotencyKey key = verifier->idempotencyKey(request, body);
    if (key.key.isEmpty()) {
        entry.idempotencyKey = QCryptographicHash::hash(request.body, QCryptographicHash::Sha256).toHex();
        entry.idempotencyOrigin = u"sha256(body)"_s;
    } else {
        entry.idempotencyKey = key.key;
        entry.idempotencyOrigin = key.origin;
    }
    entry.entityKey = verifier->entityKey(request, body, *source);
    entry.eventType = verifier->eventType(request, body, *source);
    entry.topic = source->effectiveTopic();
    entry.kafkaState = store::KafkaState::Pending;

    const qint64 ttlMs = m_env.config.dedup.ttlSeconds * 1000;
    // The lambda keeps its own (implicitly shared, so cheap) copy to produce from once the
    // journal says the claim held.
    auto onJournaled = [this, responder, sourceName, entry](const store::IngestOutcome &outcome) mutable {
        if (outcome.failed) {
            // Not durable: the sender must retry, so this is the one 5xx we give.
            responder.send(http::HttpResponse::json(503, QJsonObject{{u"status"_s, u"error"_s},
                                                                     {u"reason"_s, u"journal_unavailable"_s},
                                                                     {u"detail"_s, outcome.error}}));
            logLine("journal_error", sourceName, 0, outcome.error);
            return;
        }
        if (outcome.duplicate) {
            m_env.metrics->increment(u"webhook_duplicates_total"_s, {{u"source"_s, sourceName}});
            responder.send(http::HttpResponse::json(
                200, QJsonObject{{u"status"_s, u"duplicate"_s},
                                 {u"id"_s, outcome.id},
                                 {u"idempotency_key"_s, QString::fromUtf8(entry.idempotencyKey)},
                                 {u"duplicate_of"_s, outcome.firstId}}));
            if (m_env.logRequests)
                logLine("duplicate", sourceName, outcome.id, {});
            return;
        }
        entry.id = outcome.id;
        produceEntry(entry, responder);
    };
    m_env.writer->ingest(std::move(entry), true, ttlMs, this, std::move(onJournaled));
}

Result<void> IngestWorker::createProducer()
{
    auto producer = kafka::Producer::create(m_producerSettings);
    if (!producer)
        return producer.error();
    m_producer = std::move(producer.value());
    m_producer->moveToThread(thread());
    connect(m_producer.get(), &kafka::Producer::delivered, this, &IngestWorker::onDelivered);
    connect(m_producer.get(), &kafka::Producer::fatalError, this, &IngestWorker::onProducerFatal);
    connect(m_producer.get(), &kafka::Producer::clusterReachableChanged, this,
            [this](bool reachable, const QString &reason) {
                m_unreachableReason = reachable ? QString() : reason;
                updateHealth();
            });
    return {};
}

void IngestWorker::checkTopicLimits()
{
    QStringList topics;
    for (const config::SourceConfig &source : m_env.config.sources)
        topics.append(source.effectiveTopic());
    connect(m_producer.get(), &kafka::Producer::topicLimits, this,
            [this](const QMap<QString, qint64> &limits, const QString &error) {
                if (!error.isEmpty()) {
                    logLine("kafka_limits_unknown", {}, 0,
                            u"cannot read the topics' max.message.bytes: "_s % error
                                % u"; bodies larger than a topic allows will be refused with MSG_SIZE_TOO_LARGE"_s);
                    return;
                }
                const qint64 needed = m_env.config.maxRecordBytes();
                for (auto it = limits.cbegin(); it != limits.cend(); ++it) {
                    if (it.value() >= needed)
                        continue;
                    const QString warning =
                        u"topic "_s % it.key() % u" takes records up to "_s % QString::number(it.value())
                        % u" bytes (max.message.bytes) but limits.max_body_bytes accepts bodies up to "_s
                        % QString::number(m_env.config.limits.maxBodyBytes)
                        % u" bytes: larger events are journaled with a kafka_error and answered 202 failed. "
                          "Raise the topic's max.message.bytes to at least "_s
                        % QString::number(needed) % u" or lower limits.max_body_bytes"_s;
                    m_kafkaWarnings.append(warning);
                    logLine("kafka_limit", {}, 0, warning);
                }
            });
    m_producer->requestTopicLimits(topics, 10'000);
}

void IngestWorker::onProducerFatal(const QString &message)
{
    m_env.metrics->increment(u"kafka_producer_fatal_errors_total"_s, {{u"producer"_s, u"receiver"_s}});
    logLine("producer_fatal", {}, 0, message % u"; recreating the producer, pending events stay in the journal"_s);
    m_fatalReason = message;
    updateHealth();
    // Not from inside the producer's own signal: recreating destroys it.
    QTimer::singleShot(0, this, &IngestWorker::recreateProducer);
}

void IngestWorker::recreateProducer()
{
    if (m_draining)
        return;
    if (std::unique_ptr<kafka::Producer> old = std::move(m_producer)) {
        // librdkafka's recipe after a fatal error: stop producing (m_producer is null, so new
        // webhooks are answered 202 queued), fail what is queued and in flight, flush with a
        // bound (the destructor), destroy. Their reports arrive through onDelivered as failures:
        // the entries stay pending and waiting clients get 202.
        old->purge();
        old.reset();
    }
    // Anything the old producer never reported on is no longer in flight: the relay takes it.
    for (const InFlight &inFlight : m_inFlight.takeAll())
        answerQueued(inFlight.source, inFlight.id, inFlight.idempotencyKey, inFlight.topic, inFlight.responder);
    m_relayInFlight = 0;

    if (auto created = createProducer(); !created) {
        logLine("producer_recreate_failed", {}, 0, created.error().message);
        QTimer::singleShot(kRecreateRetryMs, this, &IngestWorker::recreateProducer);
        return;
    }
    m_env.metrics->increment(u"kafka_producer_recreated_total"_s, {{u"producer"_s, u"receiver"_s}});
    logLine("producer_recreated", {}, 0, {});
    m_fatalReason.clear();
    m_unreachableReason.clear(); // the new producer reports on the cluster itself
    m_queueFullReason.clear();
    updateHealth();
    if (m_relay)
        m_relay->resume();
}

void IngestWorker::updateHealth()
{
    KafkaHealth health;
    if (!m_fatalReason.isEmpty())
        health = {KafkaHealth::State::ProducerFatal, m_fatalReason};
    else if (!m_unreachableReason.isEmpty())
        health = {KafkaHealth::State::Unreachable, m_unreachableReason};
    else if (!m_queueFullReason.isEmpty())
        health = {KafkaHealth::State::QueueFull, m_queueFullReason};
    if (health == m_health)
        return;
    m_health = health;
    const QString state = KafkaHealth::stateName(health.state);
    logLine("kafka_health", {}, 0, health.reason.isEmpty() ? state : state % u": "_s % health.reason);
    emit kafkaHealthChanged(state, health.reason);
}

void IngestWorker::produceEntry(const store::JournalEntry &entry, http::Responder responder)
{
    produce(entry, std::move(responder), false);
}

IngestWorker::ProduceStatus IngestWorker::produce(const store::JournalEntry &entry, http::Responder responder,
                                                  bool relayed)
{
    if (!m_producer) {
        // Draining, or recreating after a fatal error: the entry is durable as pending and the
        // relay produces it later.
        answerQueued(entry.source, entry.id, entry.idempotencyKey, entry.topic, responder);
        return ProduceStatus::Retry;
    }
    kafka::ProduceRequest request;
    request.topic = entry.topic;
    request.key = entry.entityKey;
    request.value = entry.body;
    request.opaque = entry.id;
    request.headers = {
        {"hookbench-source", entry.source.toUtf8()},
        {"idempotency-key", entry.idempotencyKey},
        {"received-at", rfc3339(entry.receivedAtMs)},
        {"content-type",
         [&entry] {
             for (const auto &[name, value] : entry.headers) {
                 if (name.compare("Content-Type", Qt::CaseInsensitive) == 0)
                     return value;
             }
             return QByteArray();
         }()},
        {"event-type", entry.eventType.toUtf8()},
        // Links every attempt, dead letter and replay back to the request the consumer side
        // acts on, without a lookup by key (a replay shares the key of its original).
        {"hookbench-journal-id", QByteArray::number(entry.id)},
    };

    const qint64 now = m_env.clock->nowMs();
    InFlight inFlight{entry.id,
                      entry.source,
                      entry.topic,
                      entry.idempotencyKey,
                      now,
                      std::move(responder),
                      now + m_env.config.kafka.produceWaitMs,
                      relayed};
    if (auto produced = m_producer->produce(request); !produced) {
        const Error &error = produced.error();
        m_env.metrics->increment(u"webhook_produce_errors_total"_s, {{u"reason"_s, produceErrorReason(error.code)}});
        if (error.code == u"kafka_message_too_large"_s) {
            refuse(entry.id, entry.idempotencyKey, entry.topic, error.code, error.message, inFlight.responder);
            return ProduceStatus::Refused;
        }
        // Back-pressure is reported once in the health, not once per request.
        if (error.code == u"kafka_queue_full"_s) {
            if (m_queueFullReason.isEmpty())
                logLine("produce_error", entry.source, entry.id, error.message);
            m_queueFullReason = error.message;
            updateHealth();
        } else {
            logLine("produce_error", entry.source, entry.id, error.message);
        }
        // Durable in the journal as pending: the relay produces it later, the sender gets 202.
        answerQueued(entry.source, entry.id, entry.idempotencyKey, entry.topic, inFlight.responder);
        const bool retry = error.code == u"kafka_queue_full"_s || error.code == u"kafka_fatal"_s;
        return retry ? ProduceStatus::Retry : ProduceStatus::Failed;
    }
    if (!m_queueFullReason.isEmpty()) {
        m_queueFullReason.clear();
        updateHealth();
    }
    if (relayed)
        ++m_relayInFlight;
    m_inFlight.add(std::move(inFlight));
    if (!m_deadlineTimer.isActive())
        armDeadlineTimer();
    return ProduceStatus::Produced;
}

void IngestWorker::refuse(qint64 id, const QByteArray &idempotencyKey, const QString &topic, const QString &code,
                          const QString &detail, const http::Responder &responder)
{
    // Not pending forever in silence: the journal, the API and the window show why; a replay
    // produces it again once the cluster allows it.
    m_env.writer->markProduceFailed(id, detail);
    logLine("produce_refused", {}, id, detail);
    if (!responder.isValid())
        return;
    m_env.writer->setVerdict(id, store::Verdict::Queued, 202);
    responder.send(http::HttpResponse::json(202, QJsonObject{{u"status"_s, u"failed"_s},
                                                             {u"reason"_s, code},
                                                             {u"detail"_s, detail},
                                                             {u"id"_s, id},
                                                             {u"idempotency_key"_s, QString::fromUtf8(idempotencyKey)},
                                                             {u"topic"_s, topic}}));
}

void IngestWorker::onDelivered(const QList<kafka::DeliveryReport> &reports)
{
    const qint64 now = m_env.clock->nowMs();
    for (const kafka::DeliveryReport &report : reports) {
        std::optional<InFlight> inFlight = m_inFlight.take(report.opaque);
        if (!inFlight)
            continue;
        if (inFlight->relayed)
            --m_relayInFlight;
        if (!report.ok) {
            m_env.metrics->increment(u"webhook_produce_errors_total"_s,
                                     {{u"reason"_s, produceErrorReason(report.errorCode)}});
            const QString detail = report.errorCode % u": "_s % report.error;
            if (isPermanent(report.errorCode)) {
                refuse(inFlight->id, inFlight->idempotencyKey, inFlight->topic,
                       u"kafka_"_s % report.errorCode.toLower(), detail, inFlight->responder);
                continue;
            }
            // librdkafka gave up (message.timeout.ms, purged): still pending in the journal, the
            // relay tries again. A waiting client gets 202: the event is durable.
            logLine("produce_failed", inFlight->source, inFlight->id, detail);
            answerQueued(inFlight->source, inFlight->id, inFlight->idempotencyKey, inFlight->topic,
                         inFlight->responder);
            continue;
        }
        m_env.metrics->observe(u"webhook_produce_latency_ms"_s, static_cast<double>(now - inFlight->producedAtMs));
        m_env.metrics->increment(u"webhook_produced_total"_s, {{u"source"_s, inFlight->source}});
        const bool answering = inFlight->responder.isValid();
        m_env.writer->markDelivered(inFlight->id, report.partition, report.offset, now,
                                    answering ? std::optional(store::Verdict::Accepted) : std::nullopt, 200);
        m_acknowledgedSinceLoad.insert(inFlight->id);
        if (answering) {
            m_env.metrics->increment(u"webhook_accepted_total"_s, {{u"source"_s, inFlight->source}});
            inFlight->responder.send(http::HttpResponse::json(
                200, QJsonObject{{u"status"_s, u"accepted"_s},
                                 {u"id"_s, inFlight->id},
                                 {u"idempotency_key"_s, QString::fromUtf8(inFlight->idempotencyKey)},
                                 {u"topic"_s, report.topic},
                                 {u"partition"_s, report.partition},
                                 {u"offset"_s, report.offset}}));
            if (m_env.logRequests)
                logLine("accepted", inFlight->source, inFlight->id,
                        report.topic % u'/' % QString::number(report.partition) % u'@'
                            % QString::number(report.offset));
        }
    }
    // Reports make room: a relay held back by the window or a full queue goes on.
    if (m_relay && m_relayInFlight < kRelayWindow)
        m_relay->resume();
}

void IngestWorker::answerQueued(const QString &source, qint64 id, const QByteArray &idempotencyKey,
                                const QString &topic, const http::Responder &responder)
{
    if (!responder.isValid())
        return;
    m_env.metrics->increment(u"webhook_queued_total"_s, {{u"source"_s, source}});
    m_env.writer->setVerdict(id, store::Verdict::Queued, 202);
    responder.send(http::HttpResponse::json(202, QJsonObject{{u"status"_s, u"queued"_s},
                                                             {u"id"_s, id},
                                                             {u"idempotency_key"_s, QString::fromUtf8(idempotencyKey)},
                                                             {u"topic"_s, topic}}));
}

void IngestWorker::onAnswerDeadline()
{
    const QList<InFlight> expired = m_inFlight.takeExpiredAnswers(m_env.clock->nowMs());
    for (const InFlight &inFlight : expired) {
        answerQueued(inFlight.source, inFlight.id, inFlight.idempotencyKey, inFlight.topic, inFlight.responder);
        if (m_env.logRequests)
            logLine("queued", inFlight.source, inFlight.id, u"no delivery report within the produce wait"_s);
    }
    armDeadlineTimer();
}

void IngestWorker::armDeadlineTimer()
{
    const std::optional<qint64> next = m_inFlight.nextDeadline();
    if (!next) {
        m_deadlineTimer.stop();
        return;
    }
    const qint64 wait = std::max<qint64>(0, *next - m_env.clock->nowMs());
    m_deadlineTimer.start(static_cast<int>(std::min<qint64>(wait, 60'000)));
}

void IngestWorker::reject(const QString &sourceName, const http::HttpRequest &request, const http::Responder &responder,
                          int status, const QString &reason, const QByteArray &verification,
                          const http::HeaderList &extraHeaders, qint64 derivedFrom)
{
    recordRejection(sourceName, request, status, reason, verification, derivedFrom);
    auto response = http::HttpResponse::json(status, QJsonObject{{u"status"_s, u"rejected"_s}, {u"reason"_s, reason}});
    response.headers.append(extraHeaders);
    responder.send(response);
}

void IngestWorker::handleServerRejection(const http::HttpRequest &partial, int status, const QString &reason)
{
    // The server has answered already; what is left is counting and journaling it.
    const QByteArray path = partial.path();
    const QString sourceName = path.startsWith("/webhooks/") ? QString::fromUtf8(path.mid(10)) : QString();
    recordRejection(sourceName, partial, status, reason, {});
}

void IngestWorker::recordRejection(const QString &sourceName, const http::HttpRequest &request, int status,
                                   const QString &reason, const QByteArray &verification, qint64 derivedFrom)
{
    // Label values come from configured names and fixed reason codes only: a name taken from the
    // request path would let any client add label sets without bound. The journal keeps the name.
    const QString sourceLabel = sourceName.isEmpty()              ? u"-"_s
                                : m_env.config.source(sourceName) ? sourceName
                                                                  : u"unknown"_s;
    m_env.metrics->increment(u"webhook_rejected_total"_s, {{u"source"_s, sourceLabel}, {u"reason"_s, reason}});
    store::JournalEntry entry = entryFor(sourceName, request);
    if (entry.receivedAtMs == 0) // a request cut short before its first byte was stamped
        entry.receivedAtMs = m_env.clock->nowMs();
    entry.verdict = store::Verdict::Rejected;
    entry.httpStatus = status;
    entry.reason = reason;
    entry.verification = verification;
    entry.derivedFrom = derivedFrom;
    m_env.writer->ingest(std::move(entry), false, 0, this, [](const store::IngestOutcome &) {});
    logLine("rejected", sourceName, 0, QString::number(status) % u' ' % reason);
}

qint64 IngestWorker::takeReplayLineage(const http::HttpRequest &request) const
{
    if (!m_env.lineage)
        return 0;
    const QByteArray nonce = request.header(replay::ReplayLineage::headerName);
    return nonce.isEmpty() ? 0 : m_env.lineage->take(nonce);
}

QByteArray IngestWorker::healthJson() const
{
    QJsonObject kafka{{u"mode"_s, m_env.kafkaMode},
                      {u"bootstrap"_s, m_env.bootstrap},
                      {u"state"_s, KafkaHealth::stateName(m_health.state)}};
    QJsonObject health{
        {u"status"_s, m_draining ? u"draining"_s : (m_health.ok() ? u"ok"_s : u"degraded"_s)},
        {u"listen"_s, listenAddress()},
        {u"in_flight"_s, static_cast<qint64>(m_inFlight.size())},
    };
    if (!m_health.ok()) {
        kafka.insert(u"reason"_s, m_health.reason);
        health.insert(u"reason"_s,
                      QString(u"kafka "_s % KafkaHealth::stateName(m_health.state) % u": "_s % m_health.reason));
    }
    if (!m_kafkaWarnings.isEmpty())
        kafka.insert(u"warnings"_s, QJsonArray::fromStringList(m_kafkaWarnings));
    health.insert(u"kafka"_s, kafka);
    return QJsonDocument(health).toJson(QJsonDocument::Compact) + '\n';
}

void IngestWorker::drain(int drainMs)
{
    m_draining = true;
    if (m_relay)
        m_relay->stop();
    if (m_server)
        m_server->close();
    if (m_producer) {
        // flush() serves delivery reports; they are emitted and answered through onDelivered.
        const int left = m_producer->flush(drainMs);
        if (left > 0)
            logLine("drain", {}, 0,
                    QString::number(left) % u" message(s) not acknowledged; they stay pending in the journal"_s);
    }
    for (const InFlight &inFlight : m_inFlight.takeAllAnswers())
        answerQueued(inFlight.source, inFlight.id, inFlight.idempotencyKey, inFlight.topic, inFlight.responder);
    m_producer.reset();
}

void IngestWorker::logLine(const char *event, const QString &source, qint64 id, const QString &detail) const
{
    QJsonObject line{{u"event"_s, QString::fromLatin1(event)}};
    if (!source.isEmpty())
        line.insert(u"source"_s, source);
    if (id > 0)
        line.insert(u"id"_s, id);
    if (!detail.isEmpty())
        line.insert(u"detail"_s, detail);
    qInfo().noquote() << QString::fromUtf8(QJsonDocument(line).toJson(QJsonDocument::Compact));
}

} // namespace hookbench::pipeline
