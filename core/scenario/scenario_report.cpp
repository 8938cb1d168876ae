#include "core/scenario/scenario_report.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace hookbench::scenario {

QJsonObject ScenarioReport::toJson() const
{
    QJsonArray violationList;
    for (const OrderViolation &v : violations) {
        violationList.append(QJsonObject{{u"source"_s, v.source},
                                         {u"entity"_s, v.entity},
                                         {u"position"_s, v.position},
                                         {u"expected_seq"_s, v.expectedSeq},
                                         {u"got_seq"_s, v.gotSeq}});
    }
    return QJsonObject{
        {u"kind"_s, u"scenario"_s},
        {u"name"_s, name},
        {u"run_id"_s, runId},
        {u"strategy"_s, strategy},
        {u"duration_ms"_s, finishedAtMs - startedAtMs},
        {u"planned"_s, planned},
        {u"sent"_s, sent},
        {u"duplicates_injected"_s, duplicatesInjected},
        {u"reordered"_s, reordered},
        {u"answers"_s, QJsonObject{{u"accepted"_s, accepted},
                                   {u"queued"_s, queued},
                                   {u"duplicate"_s, duplicateAnswers},
                                   {u"rejected"_s, rejected},
                                   {u"failed"_s, failed}}},
        {u"duplicates_caught"_s, duplicatesCaught},
        {u"arrived_out_of_order"_s, arrivedOutOfOrder},
        {u"settled"_s, settled},
        {u"outcomes"_s, QJsonObject{{u"done"_s, done},
                                    {u"dead_lettered"_s, deadLettered},
                                    {u"retrying"_s, retrying},
                                    {u"pending"_s, pending},
                                    {u"attempts"_s, attempts}}},
        {u"order"_s, QJsonObject{{u"entities"_s, entitiesChecked},
                                 {u"preserved"_s, entitiesInOrder},
                                 {u"violated"_s, entitiesViolated},
                                 {u"violations"_s, violationList}}},
        {u"problems"_s, QJsonArray::fromStringList(problems)},
        {u"ok"_s, ok},
    };
}

} // namespace hookbench::scenario
