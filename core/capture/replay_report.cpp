#include "core/capture/replay_report.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace hookbench::capture {

double ReplayReport::capturesPerSecond() const
{
    return elapsedMs > 0 ? sent * 1000.0 / static_cast<double>(elapsedMs) : 0.0;
}

bool ReplayReport::allAsExpected() const
{
    return failed == 0 && duplicatesMissed == 0 && sent == planned;
}

QJsonObject ReplayReport::toJson() const
{
    QJsonObject statuses;
    for (auto it = statusCounts.cbegin(); it != statusCounts.cend(); ++it)
        statuses.insert(it.key(), it.value());
    QJsonObject violations;
    int violationTotal = 0;
    for (auto it = orderViolations.cbegin(); it != orderViolations.cend(); ++it) {
        violations.insert(QString::fromUtf8(it.key()), it.value());
        violationTotal += it.value();
    }
    QJsonArray ids;
    for (qint64 id : journalIds)
        ids.append(id);
    return QJsonObject{{u"mode"_s, mode},
                       {u"planned"_s, planned},
                       {u"sent"_s, sent},
                       {u"failed"_s, failed},
                       {u"statuses"_s, statuses},
                       {u"duplicates_injected"_s, duplicatesInjected},
                       {u"dedup_catches"_s, dedupCatches},
                       {u"duplicates_missed"_s, duplicatesMissed},
                       {u"order_violations"_s, violationTotal},
                       {u"order_violations_per_entity"_s, violations},
                       {u"failures"_s, QJsonArray::fromStringList(failures)},
                       {u"journal_ids"_s, ids},
                       {u"elapsed_ms"_s, elapsedMs},
                       {u"captures_per_second"_s, capturesPerSecond()},
                       {u"as_expected"_s, allAsExpected()}};
}

QString ReplayReport::toText() const
{
    QString out = u"replay (%1): %2 of %3 sent in %4 ms (%5 captures/s), %6 failed\n"_s.arg(mode)
                      .arg(sent)
                      .arg(planned)
                      .arg(elapsedMs)
                      .arg(capturesPerSecond(), 0, 'f', 0)
                      .arg(failed);
    QStringList statuses;
    for (auto it = statusCounts.cbegin(); it != statusCounts.cend(); ++it)
        statuses.append(u"%1: %2"_s.arg(it.key()).arg(it.value()));
    out += u"answers: "_s % statuses.join(u", "_s) % u'\n';
    out += u"duplicates: %1 injected, %2 caught by dedup, %3 missed\n"_s.arg(duplicatesInjected)
               .arg(dedupCatches)
               .arg(duplicatesMissed);
    int violationTotal = 0;
    for (int v : orderViolations)
        violationTotal += v;
    out += u"order: %1 out-of-order sends over %2 entities\n"_s.arg(violationTotal).arg(orderViolations.size());
    if (!journalIds.isEmpty())
        out += u"journal ids: %1 … %2\n"_s.arg(journalIds.constFirst()).arg(journalIds.constLast());
    for (qsizetype i = 0; i < failures.size() && i < 20; ++i)
        out += u"  failed: "_s % failures.at(i) % u'\n';
    if (failures.size() > 20)
        out += u"  … and %1 more failures\n"_s.arg(failures.size() - 20);
    return out;
}

} // namespace hookbench::capture
