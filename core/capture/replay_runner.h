#pragma once

// ReplayRunner: runs a ReplayCollection. Receiver mode POSTs each planned send over loopback
// HTTP (replay::LoopbackClient: exactly the bytes prepared, no extra headers) to a receiver —
// this process's pipeline or another running Hookbench. Topic mode journals each send as an
// accepted entry and produces it through the pipeline like an ingested event
// (IngestPipeline::produceJournaled), skipping verification and dedup, the way a replay to a
// topic does. Requests are prepared once before the first send: target path, minted
// idempotency keys (Verifier::setIdempotencyKey), re-signing (Verifier::signRequest with the
// target source's first secret); an injected duplicate is the same bytes as its original and
// is sent after the original was answered, so the receiver's dedup must catch it.
//
// A QObject living on one thread (move it to a worker thread for the GUI); start() and cancel()
// are called on that thread (or through a queued call). progress() is emitted at most every
// 100 ms and once at the end; finished() once with the report.

#include <memory>

#include <QObject>
#include <QString>

#include "core/capture/replay_collection.h"
#include "core/capture/replay_report.h"
#include "core/config/config.h"
#include "core/util/clock.h"

namespace hookbench::pipeline {
class IngestPipeline;
} // namespace hookbench::pipeline

namespace hookbench::capture {

struct ReplayRunnerEnvironment
{
    config::Config config;                        // sources: secrets to re-sign, topics, entity keys
    QString receiverAddress;                      // receiver mode: "127.0.0.1:PORT"
    pipeline::IngestPipeline *pipeline = nullptr; // topic mode
    const Clock *clock = &SystemClock::instance();
    int timeoutMs = 30'000; // per request
};

class ReplayRunner final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReplayRunner)

public:
    ReplayRunner(ReplayCollection collection, ReplayRunnerEnvironment env, QObject *parent = nullptr);
    ~ReplayRunner() override;

    void start();
    void cancel(); // stops sending; the report says what was sent
    bool isRunning() const;

signals:
    void progress(int done, int total);
    void finished(const hookbench::capture::ReplayReport &report);

private:
    struct Private;
    struct Prepared;
    void prepare();
    void pump();
    void sendOne(int sequence);
    void answered(int sequence, ReplaySendResult result);
    void finish();
    std::unique_ptr<Private> d;
};

} // namespace hookbench::capture

Q_DECLARE_METATYPE(hookbench::capture::ReplayReport)
