#pragma once

// test_processing: the consumer-side building blocks — retry backoff, failure classes,
// Retry-After, event filters (test_retry.cpp), the HTTP forwarder against a real socket and the
// simulate handler (test_handlers.cpp), and settings validation (test_settings.cpp).

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QObject>

#include "core/processing/failure_classifier.h"
#include "core/processing/processing_record.h"
#include "core/processing/retry_policy.h"
#include "core/processing/retry_settings.h"

Q_DECLARE_METATYPE(hookbench::processing::ErrorClass)

namespace hookbench::tests {

using namespace Qt::StringLiterals;
using namespace hookbench::processing;

inline RetrySettings retrySettings(qint64 base, qint64 cap, int maxAttempts, double timeScale)
{
    RetrySettings s;
    s.baseMs = base;
    s.capMs = cap;
    s.maxAttempts = maxAttempts;
    s.timeScale = timeScale;
    return s;
}

inline RetryPolicy::RandomSource constant(double u)
{
    return [u] { return u; };
}

inline QJsonObject json(const char *text)
{
    return QJsonDocument::fromJson(QByteArray(text)).object();
}

inline qint64 utcMs(int y, int mo, int d, int h, int mi, int s)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi, s), Qt::UTC).toMSecsSinceEpoch();
}

inline ProcessingRecord record(const QByteArray &entityKey, const QByteArray &body)
{
    ProcessingRecord r;
    r.source = u"stripe"_s;
    r.idempotencyKey = "evt_1";
    r.entityKey = entityKey;
    r.eventType = u"invoice.paid"_s;
    r.contentType = "application/json; charset=utf-8";
    r.body = body;
    return r;
}

class TestProcessing : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void backoffBounds_data();
    void backoffBounds();
    void backoffCapWithoutOverflow();
    void backoffTimeScale();
    void backoffExhausted();
    void retryAfterHonouredAndCapped_data();
    void retryAfterHonouredAndCapped();
    void schedulePreviewIsDeterministic();

    void classifyStatus_data();
    void classifyStatus();
    void classifyNetworkError_data();
    void classifyNetworkError();
    void retryAfterParsing_data();
    void retryAfterParsing();

    void filter_data();
    void filter();

    void forwardDeliversExactBytesAndHeaders();
    void forwardOutcomes_data();
    void forwardOutcomes();
    void forwardTimeout();
    void forwardConnectionRefused();
    void forwardDropsOutcomeWhenContextDies();

    void simulateRates();
    void simulateFailingKeyAndPoison();
    void simulateIsAsynchronous();

    void settingsFromJson_data();
    void settingsFromJson();
};

} // namespace hookbench::tests
