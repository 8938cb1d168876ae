#include "ui/models/dead_letter_row.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace hookbench::ui {

QString DeadLetterItem::errorGroup() const
{
    // The processor's wording (EventProcessor): "attempts exhausted after N: …" and
    // "given up by the user after N attempts: …".
    static const QRegularExpression counted(u"^(attempts exhausted|given up by the user) after \\d+( attempts)?: "_s);
    QString rest = error;
    QString prefix;
    if (const QRegularExpressionMatch match = counted.match(error); match.hasMatch()) {
        prefix = match.captured(1) % u": "_s;
        rest = error.mid(match.capturedLength());
    }
    return errorClass % u" · "_s % prefix % rest;
}

DeadLetterItem DeadLetterItem::from(const store::DeadLetterRow &row, int replayCount)
{
    DeadLetterItem item;
    item.id = row.id;
    item.journalId = row.journalId;
    item.lastFailureAtMs = row.lastFailureAtMs;
    item.source = row.source;
    for (const auto &[name, value] : row.headers) {
        if (name == "event-type") {
            item.eventType = QString::fromUtf8(value);
            break;
        }
    }
    item.key = row.key;
    item.error = row.error;
    item.errorClass = row.errorClass;
    item.attempts = row.attempts;
    item.topic = row.topic;
    item.partition = row.partition;
    item.offset = row.offset;
    item.status = row.status;
    item.replayedAsJournalId = row.replayedAsJournalId;
    item.replayCount = replayCount;
    return item;
}

} // namespace hookbench::ui
