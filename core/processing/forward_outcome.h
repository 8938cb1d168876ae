#pragma once

// ForwardOutcome: how one handler attempt ended, the same shape for the forward and the simulate
// handler, so retry and DLQ code does not care which one ran.

#include <optional>

#include <QByteArray>
#include <QString>

#include "core/processing/failure_classifier.h"

namespace hookbench::processing {

struct ForwardOutcome
{
    bool ok = false;
    int httpStatus = 0;                     // 0 when there was no HTTP answer (network error, simulate)
    ErrorClass cls = ErrorClass::Transient; // meaningful when !ok
    QString error;                          // for people: what failed and why; empty when ok
    std::optional<qint64> retryAfterMs;     // the target's Retry-After, if it sent one
    qint64 durationMs = 0;                  // from sending to the outcome
    QByteArray responseBody;                // the start of the target's answer (at most 4 KiB)
};

} // namespace hookbench::processing
