#include "core/capture/replay_collection.h"

#include <algorithm>
#include <random>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include "core/capture/json_position.h"

using namespace Qt::StringLiterals;

namespace hookbench::capture {

QString replayPaceName(ReplayPace pace)
{
    switch (pace) {
    case ReplayPace::AsCaptured: return u"as-captured"_s;
    case ReplayPace::FixedRate: return u"fixed-rate"_s;
    case ReplayPace::AsFastAsPossible: return u"asap"_s;
    }
    return {};
}

QString replayOrderName(ReplayOrder order)
{
    switch (order) {
    case ReplayOrder::AsCaptured: return u"as-captured"_s;
    case ReplayOrder::Shuffled: return u"shuffled"_s;
    case ReplayOrder::Reversed: return u"reversed"_s;
    }
    return {};
}

std::optional<ReplayPace> parseReplayPace(QStringView name)
{
    for (auto pace : {ReplayPace::AsCaptured, ReplayPace::FixedRate, ReplayPace::AsFastAsPossible}) {
        if (name == replayPaceName(pace))
            return pace;
    }
    return std::nullopt;
}

std::optional<ReplayOrder> parseReplayOrder(QStringView name)
{
    for (auto order : {ReplayOrder::AsCaptured, ReplayOrder::Shuffled, ReplayOrder::Reversed}) {
        if (name == replayOrderName(order))
            return order;
    }
    return std::nullopt;
}

QList<PlannedSend> ReplayCollection::plan() const
{
    QList<int> selected;
    for (int i = 0; i < captures.size(); ++i) {
        if (captures.at(i).selected)
            selected.append(i);
    }
    // As captured = by capture time, then by position (entries without a time keep their place).
    std::stable_sort(selected.begin(), selected.end(),
                     [this](int a, int b) { return captures.at(a).timeMs < captures.at(b).timeMs; });
    // Gaps between consecutive captures in capture order, reused in send order (as-captured pace).
    QList<qint64> gaps;
    for (qsizetype k = 0; k < selected.size(); ++k) {
        const qint64 previous = k > 0 ? captures.at(selected.at(k - 1)).timeMs : captures.at(selected.at(k)).timeMs;
        const qint64 gap = std::max<qint64>(0, captures.at(selected.at(k)).timeMs - previous);
        gaps.append(previous > 0 ? gap : 0);
    }

    // One generator for shuffling and duplicate injection: std::mt19937_64 is specified exactly,
    // so a seed gives the same plan on every machine.
    std::mt19937_64 random(options.seed);
    std::uniform_real_distribution<double> chance(0.0, 1.0);
    QList<PlannedSend> sends;
    const int rounds = std::max(1, options.repeat);
    for (int round = 0; round < rounds; ++round) {
        QList<int> order = selected;
        if (options.order == ReplayOrder::Reversed)
            std::reverse(order.begin(), order.end());
        else if (options.order == ReplayOrder::Shuffled)
            std::shuffle(order.begin(), order.end(), random);
        for (qsizetype k = 0; k < order.size(); ++k) {
            PlannedSend send;
            send.capture = order.at(k);
            send.round = round;
            switch (options.pace) {
            case ReplayPace::AsCaptured:
                send.delayMs = static_cast<qint64>(static_cast<double>(gaps.value(k)) / std::max(0.001, options.speed));
                break;
            case ReplayPace::FixedRate:
                send.delayMs =
                    sends.isEmpty() ? 0 : static_cast<qint64>(1000.0 / std::max(0.001, options.ratePerSecond));
                break;
            case ReplayPace::AsFastAsPossible: break;
            }
            sends.append(send);
            if (options.duplicateRate > 0 && chance(random) < options.duplicateRate) {
                PlannedSend copy = send;
                copy.duplicate = true;
                copy.delayMs = options.pace == ReplayPace::FixedRate ? send.delayMs : 0;
                sends.append(copy);
            }
        }
    }
    return sends;
}

QByteArray ReplayCollection::toJson() const
{
    QJsonArray items;
    for (const Capture &c : captures) {
        QJsonArray headers;
        for (const auto &[header, value] : c.headers)
            headers.append(QJsonArray{QString::fromUtf8(header), QString::fromUtf8(value)});
        items.append(QJsonObject{{u"method"_s, QString::fromUtf8(c.method)},
                                 {u"url"_s, QString::fromUtf8(c.url)},
                                 {u"headers"_s, headers},
                                 {u"body_base64"_s, QString::fromLatin1(c.body.toBase64())},
                                 {u"time_ms"_s, c.timeMs},
                                 {u"origin"_s, c.origin},
                                 {u"entry_index"_s, c.entryIndex},
                                 {u"source"_s, c.source},
                                 {u"notes"_s, c.notes},
                                 {u"selected"_s, c.selected}});
    }
    const ReplayOptions &o = options;
    const QJsonObject opts{{u"mode"_s, replay::replayModeName(o.mode)},
                           {u"target_source"_s, o.targetSource},
                           {u"resign"_s, o.resign},
                           {u"mint_idempotency_keys"_s, o.mintIdempotencyKeys},
                           {u"pace"_s, replayPaceName(o.pace)},
                           {u"rate_per_second"_s, o.ratePerSecond},
                           {u"speed"_s, o.speed},
                           {u"order"_s, replayOrderName(o.order)},
                           {u"seed"_s, QString::number(o.seed)},
                           {u"repeat"_s, o.repeat},
                           {u"duplicate_rate"_s, o.duplicateRate},
                           {u"concurrency"_s, o.concurrency}};
    // The format and version go first, ahead of the captures (QJsonObject sorts its keys), so
    // that detection, which reads a file's head, recognises a collection of any size.
    const QByteArray rest = QJsonDocument(QJsonObject{{u"name"_s, name}, {u"options"_s, opts}, {u"captures"_s, items}})
                                .toJson(QJsonDocument::Indented);
    return "{\n    \"format\": \"" + QByteArray(formatName) + "\",\n    \"version\": 1," + rest.mid(1);
}

Result<ReplayCollection> ReplayCollection::fromJson(const QByteArray &json, const QString &origin)
{
    auto fail = [&origin](const QString &where, const QString &why) {
        return Error{u"collection_invalid"_s, u"%1: %2: %3"_s.arg(origin, where, why)};
    };
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fail(JsonPosition::describe(json, parseError.offset), u"not JSON (%1)"_s.arg(parseError.errorString()));
    const QJsonObject root = doc.object();
    if (root.value(u"format"_s).toString() != QLatin1StringView(formatName))
        return fail(u"format"_s, u"not a Hookbench replay collection"_s);
    if (root.value(u"version"_s).toInt() != 1)
        return fail(u"version"_s, u"version %1 is not supported"_s.arg(root.value(u"version"_s).toInt()));
    ReplayCollection collection;
    collection.name = root.value(u"name"_s).toString();
    const QJsonObject o = root.value(u"options"_s).toObject();
    ReplayOptions &opt = collection.options;
    if (o.contains(u"mode"_s)) {
        const auto mode = replay::parseReplayMode(o.value(u"mode"_s).toString());
        if (!mode)
            return fail(u"options.mode"_s, u"\"%1\" is not receiver or topic"_s.arg(o.value(u"mode"_s).toString()));
        opt.mode = *mode;
    }
    opt.targetSource = o.value(u"target_source"_s).toString();
    opt.resign = o.value(u"resign"_s).toBool();
    opt.mintIdempotencyKeys = o.value(u"mint_idempotency_keys"_s).toBool();
    if (o.contains(u"pace"_s)) {
        const auto pace = parseReplayPace(o.value(u"pace"_s).toString());
        if (!pace)
            return fail(u"options.pace"_s,
                        u"\"%1\" is not as-captured, fixed-rate or asap"_s.arg(o.value(u"pace"_s).toString()));
        opt.pace = *pace;
    }
    opt.ratePerSecond = o.value(u"rate_per_second"_s).toDouble(opt.ratePerSecond);
    opt.speed = o.value(u"speed"_s).toDouble(opt.speed);
    if (o.contains(u"order"_s)) {
        const auto order = parseReplayOrder(o.value(u"order"_s).toString());
        if (!order)
            return fail(u"options.order"_s,
                        u"\"%1\" is not as-captured, shuffled or reversed"_s.arg(o.value(u"order"_s).toString()));
        opt.order = *order;
    }
    opt.seed = o.value(u"seed"_s).toString(u"1"_s).toULongLong();
    opt.repeat = o.value(u"repeat"_s).toInt(1);
    opt.duplicateRate = o.value(u"duplicate_rate"_s).toDouble(0.0);
    opt.concurrency = o.value(u"concurrency"_s).toInt(opt.concurrency);
    if (opt.repeat < 1 || opt.duplicateRate < 0 || opt.duplicateRate > 1 || opt.ratePerSecond <= 0 || opt.speed <= 0
        || opt.concurrency < 1)
        return fail(u"options"_s, u"repeat and concurrency must be >= 1, duplicate_rate in 0..1, rate and speed > 0"_s);

    const QJsonArray items = root.value(u"captures"_s).toArray();
    for (int i = 0; i < items.size(); ++i) {
        const QJsonObject c = items.at(i).toObject();
        const QString where = u"captures[%1]"_s.arg(i);
        Capture capture;
        capture.method = c.value(u"method"_s).toString(u"POST"_s).toUtf8();
        capture.url = c.value(u"url"_s).toString().toUtf8();
        if (capture.url.isEmpty())
            return fail(where, u"url is missing"_s);
        for (const auto &pairValue : c.value(u"headers"_s).toArray()) {
            const QJsonArray pair = pairValue.toArray();
            if (pair.size() != 2)
                return fail(where, u"a header is not [name, value]"_s);
            capture.headers.append({pair.at(0).toString().toUtf8(), pair.at(1).toString().toUtf8()});
        }
        auto body = QByteArray::fromBase64Encoding(c.value(u"body_base64"_s).toString().toLatin1(),
                                                   QByteArray::AbortOnBase64DecodingErrors);
        if (!body)
            return fail(where, u"body_base64 is not base64"_s);
        capture.body = *body;
        capture.timeMs = c.value(u"time_ms"_s).toInteger();
        capture.origin = c.value(u"origin"_s).toString();
        capture.entryIndex = c.value(u"entry_index"_s).toInt(i);
        capture.source = c.value(u"source"_s).toString();
        capture.notes = c.value(u"notes"_s).toString();
        capture.selected = c.value(u"selected"_s).toBool(true);
        collection.captures.append(capture);
    }
    return collection;
}

Result<void> ReplayCollection::save(const QString &path) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error{u"export_failed"_s, u"%1: cannot write: %2"_s.arg(path, file.errorString())};
    file.write(toJson());
    if (!file.commit())
        return Error{u"export_failed"_s, u"%1: cannot write: %2"_s.arg(path, file.errorString())};
    return {};
}

Result<ReplayCollection> ReplayCollection::load(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{u"file_unreadable"_s, u"%1: cannot read the collection: %2"_s.arg(path, file.errorString())};
    return fromJson(file.readAll(), path);
}

bool ReplayCollection::looksLikeCollection(const QByteArray &head)
{
    return head.contains("\"hookbench-collection\"");
}

} // namespace hookbench::capture
