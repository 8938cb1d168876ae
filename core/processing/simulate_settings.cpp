#include "core/processing/simulate_settings.h"

#include <QJsonArray>

#include "core/processing/settings_reader.h"
#include "core/util/json_pointer.h"

using namespace Qt::StringLiterals;

namespace hookbench::processing {

Result<SimulateSettings> SimulateSettings::fromJson(const QJsonObject &object, const QString &fieldPath)
{
    SettingsReader r(object, fieldPath);
    r.rejectUnknown({u"latency_ms"_s, u"failure_rate"_s, u"failure"_s, u"failing_keys"_s, u"poison"_s});
    SimulateSettings s;
    s.latencyMs = static_cast<int>(r.integer(u"latency_ms"_s, 0, 0, 600'000));
    s.failureRate = r.number(u"failure_rate"_s, 0.0, 0.0, 1.0);
    s.failure = *FailureClassifier::fromName(r.choice(u"failure"_s, u"transient"_s, {u"transient"_s, u"permanent"_s}));
    s.failingKeys = r.stringList(u"failing_keys"_s);

    if (r.has(u"poison"_s)) {
        const QJsonObject poison = r.object(u"poison"_s);
        SettingsReader p(poison, r.fieldPath(u"poison"_s));
        p.rejectUnknown({u"pointer"_s, u"value"_s});
        Poison out;
        out.pointer = p.string(u"pointer"_s, {});
        if (!p.failed()) {
            if (out.pointer.isEmpty()) {
                p.fail(u"pointer"_s, u"is required (a JSON Pointer such as /data/object/id)"_s);
            } else if (const auto parsed = util::JsonPointer::parse(out.pointer); !parsed.ok()) {
                p.fail(u"pointer"_s, u"\"%1\" is not a JSON Pointer: %2"_s.arg(out.pointer, parsed.error().message));
            }
        }
        out.value = p.value(u"value"_s);
        if (!p.failed() && !out.value.isString() && !out.value.isDouble() && !out.value.isBool())
            p.fail(u"value"_s, u"is required: a string, number or boolean to compare with"_s);
        if (!r.failed() && p.failed())
            r.failWith(p.error());
        s.poison = out;
    }
    if (r.failed())
        return r.error();
    return s;
}

QJsonObject SimulateSettings::toJson() const
{
    QJsonObject o{
        {u"latency_ms"_s, latencyMs},
        {u"failure_rate"_s, failureRate},
        {u"failure"_s, FailureClassifier::name(failure)},
        {u"failing_keys"_s, QJsonArray::fromStringList(failingKeys)},
    };
    if (poison)
        o.insert(u"poison"_s, QJsonObject{{u"pointer"_s, poison->pointer}, {u"value"_s, poison->value}});
    return o;
}

} // namespace hookbench::processing
