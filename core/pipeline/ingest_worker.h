#pragma once

// IngestWorker: the receive → verify → dedup/journal → produce path, living on the ingest thread.
// It owns the HTTP server and the Kafka producer (both event-driven on this thread), hands
// journal writes to the JournalWriter thread and answers each webhook once its fate is known:
// 200 after the delivery report, 202 when the produce wait runs out (the entry stays pending in
// the journal and the OutboxRelay produces it later), 200 duplicate, or a 4xx with a reason.
//
// Kafka trouble never holds this thread: produce() never waits (QUEUE_FULL answers 202 at once),
// the relay produces in slices and backs off, and after a fatal producer error the producer is
// recreated the way librdkafka documents it (stop producing, purge and flush with a bound,
// destroy, create anew) while the journal keeps every event. kafkaHealth() says what is wrong.

#include <functional>
#include <memory>

#include <QObject>
#include <QSet>
#include <QTimer>

#include "core/config/config.h"
#include "core/http/http_server.h"
#include "core/kafka/delivery_report.h"
#include "core/kafka/producer.h"
#include "core/pipeline/in_flight_table.h"
#include "core/pipeline/kafka_health.h"
#include "core/store/journal_entry.h"
#include "core/util/clock.h"
#include "core/util/result.h"

namespace hookbench::store {
class JournalWriter;
} // namespace hookbench::store
namespace hookbench::metrics {
class MetricsRegistry;
} // namespace hookbench::metrics
namespace hookbench::replay {
class ReplayLineage;
} // namespace hookbench::replay

namespace hookbench::pipeline {

class OutboxRelay;

struct WorkerEnvironment
{
    config::Config config;
    store::JournalWriter *writer = nullptr;
    metrics::MetricsRegistry *metrics = nullptr;
    const Clock *clock = nullptr;
    QString bootstrap; // where the producer connects
    QString kafkaMode; // "embedded" | "external"
    bool logRequests = false;
    // Replays sent through the receiver carry a nonce registered here (see ReplayLineage); null:
    // no lineage is recorded.
    replay::ReplayLineage *lineage = nullptr;
    // Answers /api/ requests (the admin API on the service thread; it hops there itself).
    // Empty: /api/ is 404 like any unknown path.
    std::function<void(const http::HttpRequest &, const http::Responder &)> api;
};

class IngestWorker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IngestWorker)

public:
    explicit IngestWorker(WorkerEnvironment env, QObject *parent = nullptr);
    ~IngestWorker() override;

    // Runs on the ingest thread: creates the producer, starts the relay and listens.
    Result<void> start();
    // Runs on the ingest thread: stops accepting, waits up to drainMs for outstanding delivery
    // reports, answers whoever still waits (202 queued: their events are in the journal).
    void drain(int drainMs);

    QString listenAddress() const; // "127.0.0.1:PORT"
    quint16 port() const;
    int inFlightCount() const { return static_cast<int>(m_inFlight.size()); }
    KafkaHealth kafkaHealth() const { return m_health; }

    // Produce a journal entry (used by the relay for pending entries; no HTTP client waits).
    void produceEntry(const store::JournalEntry &entry, http::Responder responder);

signals:
    // The Kafka health changed (state as KafkaHealth::stateName, reason empty when ok).
    void kafkaHealthChanged(const QString &state, const QString &reason);

private:
    enum class ProduceStatus {
        Produced,
        Retry,   // no room or no usable producer: try again later (the entry stays pending)
        Refused, // Kafka refuses this event for good (kafka_error recorded)
        Failed,  // any other error; the relay tries again on its next sweep
    };
    ProduceStatus produce(const store::JournalEntry &entry, http::Responder responder, bool relayed);
    Result<void> createProducer();
    void onProducerFatal(const QString &message);
    // Tears the producer down (if any) and creates a new one; retries the creation on a timer.
    void recreateProducer();
    void updateHealth();
    // External clusters: warn at start-up about topics that take smaller records than the
    // receiver accepts (their events would be refused with MSG_SIZE_TOO_LARGE).
    void checkTopicLimits();
    // 202 with status "failed": durable in the journal, but Kafka refuses the event for good.
    void refuse(qint64 id, const QByteArray &idempotencyKey, const QString &topic, const QString &code,
                const QString &detail, const http::Responder &responder);
    void handleRequest(const http::HttpRequest &request, const http::Responder &responder);
    void handleWebhook(const QString &sourceName, const http::HttpRequest &request, const http::Responder &responder);
    void handleServerRejection(const http::HttpRequest &partial, int status, const QString &reason);
    void reject(const QString &sourceName, const http::HttpRequest &request, const http::Responder &responder,
                int status, const QString &reason, const QByteArray &verification = {},
                const http::HeaderList &extraHeaders = {}, qint64 derivedFrom = 0);
    // Counts, journals and logs a rejected request (the caller answers it, or the server did).
    void recordRejection(const QString &sourceName, const http::HttpRequest &request, int status, const QString &reason,
                         const QByteArray &verification, qint64 derivedFrom = 0);
    // The original journal id when the request is a replay this Hookbench sent (its nonce is
    // spent here), else 0.
    qint64 takeReplayLineage(const http::HttpRequest &request) const;
    void onDelivered(const QList<kafka::DeliveryReport> &reports);
    // 202 queued: the event is durable in the journal as pending; the relay produces it later.
    void answerQueued(const QString &source, qint64 id, const QByteArray &idempotencyKey, const QString &topic,
                      const http::Responder &responder);
    void onAnswerDeadline();
    void armDeadlineTimer();
    QByteArray healthJson() const;
    void logLine(const char *event, const QString &source, qint64 id, const QString &detail) const;

    WorkerEnvironment m_env;
    http::HttpServer *m_server = nullptr;
    std::unique_ptr<kafka::Producer> m_producer;
    OutboxRelay *m_relay = nullptr;
    InFlightTable m_inFlight;
    kafka::ProducerSettings m_producerSettings;
    int m_relayInFlight = 0;              // relayed entries without a report (bounded by the relay window)
    QSet<qint64> m_acknowledgedSinceLoad; // see OutboxRelay::setLoadStartedFunction
    // Why Kafka is not healthy, one reason per kind; the most severe one is m_health.
    QString m_fatalReason;
    QString m_unreachableReason;
    QString m_queueFullReason;
    KafkaHealth m_health;
    QStringList m_kafkaWarnings; // from checkTopicLimits(), shown in /healthz
    QTimer m_deadlineTimer;
    QTimer m_purgeTimer;
    QTimer m_retentionTimer;
    bool m_draining = false;
};

} // namespace hookbench::pipeline
