#pragma once

// ReplayCollection: an ordered list of captures plus how to replay them — where to (the
// receiver over HTTP, or straight to the source's topic), as which source, re-signed or not,
// with kept or freshly minted idempotency keys, at which pace, in which order, how many times,
// with exact duplicates injected at a rate. Saved as a JSON file ("hookbench-collection",
// version 1; captures with base64 bodies). plan() turns it into the exact, deterministic
// sequence of sends, so a shuffled run with a seed is reproducible from the file.

#include <QByteArray>
#include <QList>
#include <QString>

#include "core/capture/capture.h"
#include "core/replay/replay_request.h"
#include "core/util/result.h"

namespace hookbench::capture {

enum class ReplayPace { AsCaptured, FixedRate, AsFastAsPossible };
enum class ReplayOrder { AsCaptured, Shuffled, Reversed };

QString replayPaceName(ReplayPace pace);    // "as-captured", "fixed-rate", "asap"
QString replayOrderName(ReplayOrder order); // "as-captured", "shuffled", "reversed"
std::optional<ReplayPace> parseReplayPace(QStringView name);
std::optional<ReplayOrder> parseReplayOrder(QStringView name);

struct ReplayOptions
{
    replay::ReplayMode mode = replay::ReplayMode::Receiver;
    QString targetSource;             // send as this source (/webhooks/<name>); empty keeps each capture's path
    bool resign = false;              // sign again with the target source's first secret
    bool mintIdempotencyKeys = false; // a new provider delivery id per send (duplicates keep theirs); re-signs
    ReplayPace pace = ReplayPace::AsFastAsPossible;
    double ratePerSecond = 10.0; // FixedRate
    double speed = 1.0;          // AsCaptured: 2.0 = twice as fast as captured
    ReplayOrder order = ReplayOrder::AsCaptured;
    quint64 seed = 1;           // Shuffled (and duplicate injection)
    int repeat = 1;             // the whole sequence this many times
    double duplicateRate = 0.0; // 0..1: chance that a send is followed by an exact duplicate
    int concurrency = 16;       // AsFastAsPossible: requests in flight at once
};

struct PlannedSend
{
    int capture = 0;        // index into captures
    int round = 0;          // 0-based repeat
    bool duplicate = false; // an injected exact copy of the previous send
    qint64 delayMs = 0;     // wait before this send (after the previous one was sent)
};

class ReplayCollection
{
public:
    static constexpr char formatName[] = "hookbench-collection";

    QString name;
    QList<Capture> captures; // only selected ones are sent
    ReplayOptions options;

    // The sends in order (selected captures only).
    QList<PlannedSend> plan() const;

    QByteArray toJson() const;
    static Result<ReplayCollection> fromJson(const QByteArray &json, const QString &origin);
    Result<void> save(const QString &path) const;
    static Result<ReplayCollection> load(const QString &path);
    static bool looksLikeCollection(const QByteArray &head);
};

} // namespace hookbench::capture
