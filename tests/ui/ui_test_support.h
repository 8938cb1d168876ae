#pragma once

// Shared set-up for the UI tests: a real pipeline on 127.0.0.1:0 with the embedded cluster and
// its journal in a temporary directory, and Stripe / plain requests sent over real HTTP.

#include <memory>

#include <QByteArray>
#include <QString>

#include "core/pipeline/ingest_pipeline.h"
#include "test_client.h"

namespace uitest {

inline const QByteArray stripeSecret = "whsec_ui_test_secret";

std::unique_ptr<hookbench::pipeline::IngestPipeline> startPipeline(const QString &dataDir);
// The same with a configuration of the test's own (JSON as in a config file).
std::unique_ptr<hookbench::pipeline::IngestPipeline> startPipeline(const QString &dataDir,
                                                                   const QByteArray &configJson);
// A Stripe invoice.paid event with its own event id.
QByteArray stripeEvent(const QByteArray &eventId);
RawResponse postStripe(quint16 port, const QByteArray &body);
RawResponse postStripeBadSignature(quint16 port, const QByteArray &body);
// The "plain" source (provider none): the idempotency key is the body's SHA-256.
RawResponse postPlain(quint16 port, const QByteArray &body);
qint64 journalId(const RawResponse &response);

} // namespace uitest
