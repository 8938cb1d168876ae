#include "core/processing/simulate_handler.h"

#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTimer>

#include "core/processing/retry_policy.h"
#include "core/util/json_pointer.h"

using namespace Qt::StringLiterals;

namespace hookbench::processing {

SimulateHandler::SimulateHandler(SimulateSettings settings, RandomSource random)
    : m_settings(std::move(settings))
    , m_random(std::move(random))
{
    if (!m_random)
        m_random = RetryPolicy::seededRandom(QRandomGenerator::system()->generate64());
}

ForwardOutcome SimulateHandler::evaluate(const ProcessingRecord &record) const
{
    ForwardOutcome out;
    out.durationMs = m_settings.latencyMs;

    if (m_settings.poison) {
        // A payload that is not JSON, or has nothing at the pointer, is not poison.
        const QJsonDocument doc = QJsonDocument::fromJson(record.body);
        const QJsonValue found = util::JsonPointer::resolve(doc, m_settings.poison->pointer);
        const QString expected = util::JsonPointer::scalarText(m_settings.poison->value);
        if (!found.isUndefined() && !found.isObject() && !found.isArray() && !found.isNull()
            && util::JsonPointer::scalarText(found) == expected) {
            out.cls = ErrorClass::Permanent;
            out.error = u"poison payload: %1 == %2"_s.arg(m_settings.poison->pointer, expected);
            return out;
        }
    }

    const QString key = QString::fromUtf8(record.entityKey);
    if (!key.isEmpty() && m_settings.failingKeys.contains(key)) {
        out.cls = m_settings.failure;
        out.error = u"entity key %1 is configured to fail"_s.arg(key);
        return out;
    }

    // Rates 0 and 1 draw nothing, so they are exact whatever the random source returns.
    const double rate = m_settings.failureRate;
    const bool fail = rate >= 1.0 || (rate > 0.0 && m_random() < rate);
    if (fail) {
        out.cls = m_settings.failure;
        out.error = u"simulated %1 failure"_s.arg(FailureClassifier::name(m_settings.failure));
        return out;
    }
    out.ok = true;
    return out;
}

void SimulateHandler::handle(const ProcessingRecord &record, QObject *context,
                             std::function<void(const ForwardOutcome &)> done) const
{
    const ForwardOutcome outcome = evaluate(record);
    auto deliver = [outcome, done = std::move(done)] { done(outcome); };
    if (context)
        QTimer::singleShot(m_settings.latencyMs, context, std::move(deliver));
    else
        QTimer::singleShot(m_settings.latencyMs, std::move(deliver)); // the current thread's loop
}

} // namespace hookbench::processing
