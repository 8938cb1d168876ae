#pragma once

// IngestWorker: the receive → verify → dedup/journal → produce path, living on the ingest thread.
// It owns the HTTP server and the Kafka producer (both event-driven on this thread), hands
// journal writes to the JournalWriter thread and answers each webhook once its fate is known:
// 200 after the delivery report, 202 when the produce wait runs out (the entry stays pending in
// the journal and the OutboxRelay produces it later), 200 duplicate, or a 4xx with a reason.

#include <functional>
#include <memory>

#include <QObject>
#include <QSet>
#include <QTimer>

#include "core/config/config.h"
#include "core/http/http_server.h"
#include "core/kafka/delivery_report.h"
#include "core/pipeline/in_flight_table.h"
#include "core/store/journal_entry.h"
#include "core/util/clock.h"
#include "core/util/result.h"

namespace hookbench::kafka {
class Producer;
} // namespace hookbench::kafka
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

    // Produce a journal entry (used by the relay for pending entries; no HTTP client waits).
    void produceEntry(const store::JournalEntry &entry, http::Responder responder);

private:
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
    void answerQueued(qint64 id, const QByteArray &idempotencyKey, const QString &topic,
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
    QSet<qint64> m_acknowledgedSinceLoad; // see OutboxRelay::setLoadStartedFunction
    QTimer m_deadlineTimer;
    QTimer m_purgeTimer;
    QTimer m_retentionTimer;
    bool m_draining = false;
};

} // namespace hookbench::pipeline
