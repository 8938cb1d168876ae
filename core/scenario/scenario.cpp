#include "core/scenario/scenario.h"

#include <cmath>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

#include "core/processing/settings_reader.h"

using namespace Qt::StringLiterals;

namespace hookbench::scenario {

namespace {

const QStringList kKinds{u"scenario"_s, u"dedup_race"_s, u"provider_retry"_s};
const QStringList kExpect{u"any"_s, u"preserved"_s, u"violated"_s};

} // namespace

int Scenario::totalEvents() const
{
    if (events > 0)
        return events;
    return int(std::lround(rate * durationS));
}

QString Scenario::kindName(Kind kind)
{
    return kKinds.at(int(kind));
}

QString Scenario::expectOrderName(ExpectOrder expect)
{
    return kExpect.at(int(expect));
}

Result<Scenario> Scenario::fromJson(const QJsonObject &object, const QString &path)
{
    processing::SettingsReader r(object, path);
    r.rejectUnknown({u"kind"_s,       u"name"_s,           u"providers"_s,         u"events"_s,
                     u"entities"_s,   u"duplicate_rate"_s, u"out_of_order_rate"_s, u"out_of_order_window"_s,
                     u"rate"_s,       u"duration_s"_s,     u"concurrency"_s,       u"seed"_s,
                     u"retry"_s,      u"simulate"_s,       u"settle_timeout_s"_s,  u"expect_order"_s,
                     u"deliveries"_s, u"schedule"_s,       u"compression"_s,       u"late_arrival_s"_s});
    Scenario s;
    s.kind = Kind(kKinds.indexOf(r.choice(u"kind"_s, u"scenario"_s, kKinds)));
    s.name = r.string(u"name"_s, s.name);
    if (r.has(u"providers"_s))
        s.providers = r.stringList(u"providers"_s);
    if (!r.failed() && s.providers.isEmpty())
        r.fail(u"providers"_s, u"must name at least one provider template"_s);
    s.events = int(r.integer(u"events"_s, s.events, 0, 1'000'000));
    s.entities = int(r.integer(u"entities"_s, s.entities, 1, 100'000));
    s.duplicateRate = r.number(u"duplicate_rate"_s, 0.0, 0.0, 1.0);
    s.outOfOrderRate = r.number(u"out_of_order_rate"_s, 0.0, 0.0, 1.0);
    s.outOfOrderWindow = int(r.integer(u"out_of_order_window"_s, s.outOfOrderWindow, 1, 1000));
    s.rate = r.number(u"rate"_s, 0.0, 0.0, 100'000.0);
    s.durationS = r.number(u"duration_s"_s, 0.0, 0.0, 86'400.0);
    s.concurrency = int(r.integer(u"concurrency"_s, s.concurrency, 1, 256));
    s.seed = quint32(r.integer(u"seed"_s, s.seed, 0, 0xffffffffLL));
    if (r.has(u"retry"_s)) {
        auto retry = processing::RetrySettings::fromJson(r.object(u"retry"_s), r.fieldPath(u"retry"_s));
        if (retry)
            s.retry = *retry;
        else
            r.failWith(retry.error());
    }
    if (r.has(u"simulate"_s)) {
        auto simulate = processing::SimulateSettings::fromJson(r.object(u"simulate"_s), r.fieldPath(u"simulate"_s));
        if (simulate)
            s.simulate = *simulate;
        else
            r.failWith(simulate.error());
    }
    s.settleTimeoutS = int(r.integer(u"settle_timeout_s"_s, s.settleTimeoutS, 1, 86'400));
    s.expectOrder = ExpectOrder(kExpect.indexOf(r.choice(u"expect_order"_s, u"any"_s, kExpect)));
    s.deliveries = int(r.integer(u"deliveries"_s, s.deliveries, 2, 256));
    s.schedule = r.choice(u"schedule"_s, s.schedule, {u"stripe"_s, u"standard-webhooks"_s});
    s.compression = r.number(u"compression"_s, s.compression, 1.0, 1e9);
    s.lateArrivalS = r.number(u"late_arrival_s"_s, 0.0, 0.0, 365.0 * 86'400);
    if (!r.failed() && s.kind == Kind::Events && s.totalEvents() < 1)
        r.fail(u"events"_s, u"must be at least 1 (or give rate and duration_s)"_s);
    if (r.failed())
        return r.error();
    return s;
}

QJsonObject Scenario::toJson() const
{
    QJsonObject o{{u"kind"_s, kindName(kind)},
                  {u"name"_s, name},
                  {u"providers"_s, QJsonArray::fromStringList(providers)},
                  {u"events"_s, events},
                  {u"entities"_s, entities},
                  {u"duplicate_rate"_s, duplicateRate},
                  {u"out_of_order_rate"_s, outOfOrderRate},
                  {u"out_of_order_window"_s, outOfOrderWindow},
                  {u"rate"_s, rate},
                  {u"duration_s"_s, durationS},
                  {u"concurrency"_s, concurrency},
                  {u"seed"_s, qint64(seed)},
                  {u"settle_timeout_s"_s, settleTimeoutS},
                  {u"expect_order"_s, expectOrderName(expectOrder)},
                  {u"deliveries"_s, deliveries},
                  {u"schedule"_s, schedule},
                  {u"compression"_s, compression},
                  {u"late_arrival_s"_s, lateArrivalS}};
    if (retry)
        o.insert(u"retry"_s, retry->toJson());
    if (simulate)
        o.insert(u"simulate"_s, simulate->toJson());
    return o;
}

Result<Scenario> Scenario::load(const QString &file)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return Error{u"file_unreadable"_s, file % u": "_s % f.errorString()};
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(f.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Error{u"config_invalid"_s, file % u": not JSON at offset "_s % QString::number(parseError.offset)
                                              % u": "_s % parseError.errorString()};
    if (!document.isObject())
        return Error{u"config_invalid"_s, file % u": a scenario is a JSON object"_s};
    auto scenario = fromJson(document.object());
    if (!scenario)
        return Error{scenario.error().code, file % u": "_s % scenario.error().message};
    return scenario;
}

Result<void> Scenario::save(const QString &file) const
{
    QSaveFile f(file);
    if (!f.open(QIODevice::WriteOnly))
        return Error{u"file_unwritable"_s, file % u": "_s % f.errorString()};
    f.write(QJsonDocument(toJson()).toJson(QJsonDocument::Indented));
    if (!f.commit())
        return Error{u"file_unwritable"_s, file % u": "_s % f.errorString()};
    return {};
}

} // namespace hookbench::scenario
