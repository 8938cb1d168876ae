#include "core/store/journal_entry.h"

using namespace Qt::StringLiterals;

namespace hookbench::store {

QString verdictName(Verdict verdict)
{
    switch (verdict) {
    case Verdict::Accepted: return u"accepted"_s;
    case Verdict::Duplicate: return u"duplicate"_s;
    case Verdict::Queued: return u"queued"_s;
    case Verdict::Rejected: return u"rejected"_s;
    }
    return u"rejected"_s;
}

QString kafkaStateName(KafkaState state)
{
    switch (state) {
    case KafkaState::None: return u"none"_s;
    case KafkaState::Pending: return u"pending"_s;
    case KafkaState::Produced: return u"produced"_s;
    }
    return u"none"_s;
}

std::optional<Verdict> parseVerdict(QStringView name)
{
    for (Verdict v : {Verdict::Accepted, Verdict::Duplicate, Verdict::Queued, Verdict::Rejected}) {
        if (name == verdictName(v))
            return v;
    }
    return std::nullopt;
}

std::optional<KafkaState> parseKafkaState(QStringView name)
{
    for (KafkaState s : {KafkaState::None, KafkaState::Pending, KafkaState::Produced}) {
        if (name == kafkaStateName(s))
            return s;
    }
    return std::nullopt;
}

} // namespace hookbench::store
