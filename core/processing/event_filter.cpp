#include "core/processing/event_filter.h"

#include <QJsonArray>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace hookbench::processing {

Result<EventFilter> EventFilter::fromJson(const QJsonValue &value, const QString &fieldPath)
{
    if (value.isUndefined() || value.isNull())
        return EventFilter();
    if (!value.isArray())
        return Error{u"config_invalid"_s, fieldPath % u": must be an array of event type patterns"_s};
    QStringList patterns;
    const QJsonArray array = value.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        if (!array.at(i).isString() || array.at(i).toString().isEmpty())
            return Error{u"config_invalid"_s,
                         fieldPath % u"[%1]: must be a non-empty string (an event type, '*' as wildcard)"_s.arg(i)};
        patterns.append(array.at(i).toString());
    }
    return EventFilter(std::move(patterns));
}

QString EventFilter::patternProblem(QStringView pattern)
{
    static const QRegularExpression bad(u"[\\s\\x00-\\x1f\\x7f]"_s);
    if (pattern.isEmpty() || pattern.size() > 200 || bad.match(pattern).hasMatch())
        return u"at most 200 characters, no spaces or control characters ('*' is the wildcard)"_s;
    return {};
}

bool EventFilter::matches(QStringView eventType) const
{
    if (m_patterns.isEmpty())
        return true;
    for (const auto &p : m_patterns) {
        if (matchPattern(p, eventType))
            return true;
    }
    return false;
}

bool EventFilter::matchPattern(QStringView pattern, QStringView text)
{
    // Iterative glob with one backtrack point (the last '*'): linear in practice, no recursion
    // to blow up on patterns like "*a*a*a*".
    qsizetype p = 0, t = 0;
    qsizetype star = -1, mark = 0;
    while (t < text.size()) {
        if (p < pattern.size() && pattern[p] == u'*') {
            star = p++;
            mark = t;
        } else if (p < pattern.size() && pattern[p] == text[t]) {
            ++p;
            ++t;
        } else if (star >= 0) {
            p = star + 1;
            t = ++mark;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == u'*')
        ++p;
    return p == pattern.size();
}

} // namespace hookbench::processing
