#include "core/processing/event_processor.h"

namespace hookbench::processing {

struct EventProcessor::Private
{};

EventProcessor::EventProcessor(QObject *parent) : QObject(parent), d(std::make_unique<Private>()) {}
EventProcessor::~EventProcessor() = default;

Result<std::unique_ptr<EventProcessor>> EventProcessor::create(ProcessorEnvironment env)
{
    Q_UNUSED(env)
    return Error{QStringLiteral("not_implemented"), QStringLiteral("the event processor is not built yet")};
}

Result<void> EventProcessor::setConsumerCount(int count)
{
    Q_UNUSED(count)
    return Error{QStringLiteral("not_implemented"), QStringLiteral("the event processor is not built yet")};
}

kafka::ConsumerGroupState EventProcessor::snapshot() const
{
    return {};
}

ProcessorStats EventProcessor::stats() const
{
    return {};
}

void EventProcessor::stop(int timeoutMs)
{
    Q_UNUSED(timeoutMs)
}

} // namespace hookbench::processing
