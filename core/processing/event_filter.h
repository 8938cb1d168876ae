#pragma once

// EventFilter: which event types a consumer hands to its handler. Patterns are exact names or
// contain '*' wildcards matching any run of characters, including none: "invoice.*",
// "*.created", "customer.*.updated", "*". Matching is case-sensitive, as providers' event types are.
//
// An empty filter matches every event type: no filter configured means "no filtering", the same
// as `stripe listen` without --events. Records whose type should all be skipped belong to a
// consumer that is stopped, not to a filter that matches nothing.

#include <QJsonValue>
#include <QString>
#include <QStringList>

#include "core/util/result.h"

namespace hookbench::processing {

class EventFilter
{
public:
    EventFilter() = default;
    explicit EventFilter(QStringList patterns) : m_patterns(std::move(patterns)) {}

    // From a JSON array of non-empty strings (null/absent = empty filter); errors name fieldPath.
    static Result<EventFilter> fromJson(const QJsonValue &value, const QString &fieldPath);
    // Why a pattern cannot be a provider's event type ("at most 200 characters, no spaces …"),
    // or empty when it can. fromJson() accepts any non-empty string (a config file may hold
    // what it likes); what people type in the admin API and the settings dialog is checked too.
    static QString patternProblem(QStringView pattern);

    bool matches(QStringView eventType) const;
    bool isEmpty() const { return m_patterns.isEmpty(); }
    const QStringList &patterns() const { return m_patterns; }

    // One glob: '*' matches any run of characters; everything else matches itself.
    static bool matchPattern(QStringView pattern, QStringView text);

private:
    QStringList m_patterns;
};

} // namespace hookbench::processing
