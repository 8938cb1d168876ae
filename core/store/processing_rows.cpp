#include "core/store/processing_rows.h"

using namespace Qt::StringLiterals;

namespace hookbench::store {

QString attemptOutcomeName(AttemptOutcome outcome)
{
    switch (outcome) {
    case AttemptOutcome::Success: return u"success"_s;
    case AttemptOutcome::Transient: return u"transient"_s;
    case AttemptOutcome::Permanent: return u"permanent"_s;
    }
    return u"transient"_s;
}

std::optional<AttemptOutcome> parseAttemptOutcome(QStringView name)
{
    for (AttemptOutcome o : {AttemptOutcome::Success, AttemptOutcome::Transient, AttemptOutcome::Permanent}) {
        if (name == attemptOutcomeName(o))
            return o;
    }
    return std::nullopt;
}

QString deadLetterStatusName(DeadLetterStatus status)
{
    switch (status) {
    case DeadLetterStatus::Dead: return u"dead"_s;
    case DeadLetterStatus::Replayed: return u"replayed"_s;
    case DeadLetterStatus::Discarded: return u"discarded"_s;
    }
    return u"dead"_s;
}

std::optional<DeadLetterStatus> parseDeadLetterStatus(QStringView name)
{
    for (DeadLetterStatus s : {DeadLetterStatus::Dead, DeadLetterStatus::Replayed, DeadLetterStatus::Discarded}) {
        if (name == deadLetterStatusName(s))
            return s;
    }
    return std::nullopt;
}

} // namespace hookbench::store
