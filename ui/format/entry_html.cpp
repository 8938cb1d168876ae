#include "ui/format/entry_html.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

#include "core/config/config.h"
#include "core/kafka/murmur2.h"

using namespace Qt::StringLiterals;

namespace hookbench::ui {

namespace {

QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}

QString esc(const QByteArray &bytes)
{
    return QString::fromUtf8(bytes).toHtmlEscaped();
}

QString link(qint64 id)
{
    return u"<a href=\"journal:%1\">#%1</a>"_s.arg(id);
}

QString when(qint64 ms)
{
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms).toString(u"yyyy-MM-dd HH:mm:ss.zzz"_s) : u"—"_s;
}

QString row(const QString &label, const QString &valueHtml)
{
    return u"<tr><td><b>%1</b></td><td>%2</td></tr>"_s.arg(esc(label), valueHtml);
}

} // namespace

QString EntryHtml::sizeText(qint64 bytes)
{
    return bytes >= 1024 ? u"%1 bytes (%2 KiB)"_s.arg(bytes).arg(double(bytes) / 1024.0, 0, 'f', 1)
                         : u"%1 bytes"_s.arg(bytes);
}

QString EntryHtml::summary(const store::JournalEntry &entry)
{
    return u"<b>#%1</b> &nbsp; <tt>%2 %3</tt> &nbsp; from %4:%5 &nbsp; at %6<br>Body: %7 &nbsp; Answer: %8 %9"_s
        .arg(entry.id)
        .arg(esc(entry.method), esc(entry.target), esc(entry.remoteAddress))
        .arg(entry.remotePort)
        .arg(when(entry.receivedAtMs), sizeText(entry.bodySize))
        .arg(entry.httpStatus)
        .arg(esc(store::verdictName(entry.verdict))
             + (entry.reason.isEmpty() ? QString() : u" "_s + esc(entry.reason)));
}

QString EntryHtml::verification(const store::JournalEntry &entry, const config::Config &config)
{
    const QJsonObject v = QJsonDocument::fromJson(entry.verification).object();
    const config::SourceConfig *source = config.source(entry.source);
    QString html = u"<table cellspacing=4>"_s;
    html += row(tr("Source"),
                esc(entry.source) + (source ? u" (provider %1)"_s.arg(esc(source->provider)) : u" (not configured)"_s));
    if (v.isEmpty()) {
        html += row(tr("Result"), esc(entry.reason.isEmpty() ? tr("not verified") : entry.reason));
    } else {
        const bool ok = v.value(u"ok"_s).toBool();
        html += row(tr("Result"),
                    ok ? tr("✔ signature valid") : tr("✘ rejected: %1").arg(esc(v.value(u"reason"_s).toString())));
        if (v.contains(u"detail"_s))
            html += row(tr("Why"), esc(v.value(u"detail"_s).toString()));
        const int matched = v.value(u"matched_secret"_s).toInt(-1);
        html +=
            row(tr("Matched secret"),
                matched >= 0 ? tr("#%1 of %2 (newest first)").arg(matched + 1).arg(source ? source->secrets.size() : 0)
                             : tr("none"));
        if (v.contains(u"skew_seconds"_s))
            html += row(tr("Clock skew"), tr("%1 s (now − signed timestamp; tolerance %2 s)")
                                              .arg(v.value(u"skew_seconds"_s).toInteger())
                                              .arg(source ? source->toleranceSeconds : 0));
        if (!ok && matched < 0 && v.contains(u"secrets_tried"_s)) {
            const qint64 tried = v.value(u"secrets_tried"_s).toInteger();
            html += row(tr("Secrets tried"),
                        tried == 0 ? tr("none configured")
                                   : tr("the received signature matches none of the %n configured secret(s) over the "
                                        "signed content below",
                                        nullptr, int(tried)));
        }
        // The expected signature is not stored: over the rejected bytes it would be a valid one.
        if (v.contains(u"expected_fingerprint"_s))
            html +=
                row(tr("Expected"), tr("not shown (it would sign these bytes); SHA-256 of it starts with <tt>%1</tt>")
                                        .arg(esc(v.value(u"expected_fingerprint"_s).toString())));
        if (v.contains(u"received"_s))
            html += row(tr("Received"), u"<tt>%1</tt>"_s.arg(esc(v.value(u"received"_s).toString())));
        if (v.contains(u"signed_content"_s)) {
            html += row(tr("Signed content"),
                        u"<pre>%1</pre>%2"_s.arg(esc(v.value(u"signed_content"_s).toString()),
                                                 v.value(u"signed_content_truncated"_s).toBool() ? tr("(first 4 KiB)")
                                                                                                 : QString()));
            if (v.contains(u"signed_content_sha256"_s))
                html += row(tr("Signed content digest"), tr("%1 bytes, SHA-256 <tt>%2</tt>")
                                                             .arg(v.value(u"signed_content_length"_s).toInteger())
                                                             .arg(esc(v.value(u"signed_content_sha256"_s).toString())));
        } else if (ok) {
            html += row(tr("Signed content"), tr("the raw body as journaled (see Request)"));
        }
    }
    return html + u"</table>"_s;
}

QString EntryHtml::dedup(const EntryDetail &detail)
{
    const store::JournalEntry &entry = *detail.entry;
    QString html = u"<table cellspacing=4>"_s;
    html += row(tr("Idempotency key"), u"<tt>%1</tt>"_s.arg(esc(entry.idempotencyKey)));
    html += row(tr("Key from"), esc(entry.idempotencyOrigin));
    if (entry.verdict == store::Verdict::Duplicate) {
        html += detail.firstSeenPurged
                    ? row(tr("Verdict"),
                          tr("duplicate of #%1 (purged: older than the data retention)").arg(entry.duplicateOf))
                    : row(tr("Verdict"), tr("duplicate of %1").arg(link(entry.duplicateOf)));
        if (detail.firstSeen)
            html += row(tr("First seen"), tr("%1 at %2 (%3)")
                                              .arg(link(detail.firstSeen->id), when(detail.firstSeen->receivedAtMs),
                                                   esc(store::verdictName(detail.firstSeen->verdict))));
    } else if (entry.verdict == store::Verdict::Rejected) {
        html += row(tr("Verdict"), tr("rejected before the dedup claim: the key was not claimed"));
    } else {
        html += row(tr("First seen"), tr("this entry (%1) holds the claim").arg(when(entry.receivedAtMs)));
    }
    html += row(tr("Duplicates"), QString::number(detail.duplicates.size()));
    html += u"</table>"_s;
    if (!detail.duplicates.isEmpty()) {
        html += u"<ul>"_s;
        for (const auto &duplicate : detail.duplicates)
            html += u"<li>%1 at %2</li>"_s.arg(link(duplicate.id), when(duplicate.receivedAtMs));
        html += u"</ul>"_s;
    }
    return html;
}

QString EntryHtml::kafka(const store::JournalEntry &entry, int partitions)
{
    QString html = u"<table cellspacing=4>"_s;
    html += row(tr("State"), esc(store::kafkaStateName(entry.kafkaState)));
    if (entry.kafkaState == store::KafkaState::None) {
        html += row(tr("Why"), entry.verdict == store::Verdict::Duplicate ? tr("a duplicate is not produced again")
                                                                          : tr("rejected requests are not produced"));
        return html + u"</table>"_s;
    }
    if (!entry.kafkaError.isEmpty())
        html += row(tr("Not produced"), esc(entry.kafkaError));
    html += row(tr("Topic"), u"<tt>%1</tt>"_s.arg(esc(entry.topic)));
    html += row(tr("Partition"), entry.partition >= 0 ? QString::number(entry.partition) : tr("not yet"));
    html += row(tr("Offset"), entry.offset >= 0 ? QString::number(entry.offset) : tr("not yet"));
    html += row(tr("Produced at"), when(entry.producedAtMs));
    html += row(tr("Key"), entry.entityKey.isEmpty() ? tr("(none)") : u"<tt>%1</tt>"_s.arg(esc(entry.entityKey)));
    QByteArray contentType;
    for (const auto &[name, value] : entry.headers) {
        if (name.compare("Content-Type", Qt::CaseInsensitive) == 0) {
            contentType = value;
            break;
        }
    }
    // The headers the producer sets (see the pipeline's produce step); the value is the raw body.
    QString headers =
        u"<tt>hookbench-source: %1<br>idempotency-key: %2<br>received-at: %3<br>content-type: %4<br>"
        "event-type: %5<br>hookbench-journal-id: %6</tt>"_s
            .arg(esc(entry.source), esc(entry.idempotencyKey),
                 esc(QDateTime::fromMSecsSinceEpoch(entry.receivedAtMs, Qt::UTC).toString(Qt::ISODateWithMs)),
                 esc(contentType), esc(entry.eventType))
            .arg(entry.id);
    html += row(tr("Headers"), headers);

    QString why;
    if (entry.entityKey.isEmpty()) {
        why = tr("No key: the murmur2_random partitioner picks a random partition.");
    } else {
        const qint32 hash = kafka::murmur2(entry.entityKey);
        const int expected = kafka::murmur2Partition(entry.entityKey, partitions);
        why = tr("murmur2(key) = %1; (hash &amp; 0x7fffffff) mod %2 partitions = <b>%3</b>")
                  .arg(hash)
                  .arg(partitions)
                  .arg(expected);
        if (entry.partition >= 0 && entry.partition != expected)
            why += tr("<br>It landed on %1: the topic has a partition count other than %2.")
                       .arg(entry.partition)
                       .arg(partitions);
        else if (entry.partition >= 0)
            why += tr(" — the same partition as every other event with this key, so they stay in order.");
    }
    html += row(tr("Why this partition"), why);
    return html + u"</table>"_s;
}

QString EntryHtml::processing(const EntryDetail &detail, bool consumersRunning)
{
    const store::JournalEntry &entry = *detail.entry;
    QString html;
    if (entry.derivedFrom > 0 && detail.derivedFromPurged)
        html += tr("<p>Replayed from #%1 (purged: older than the data retention).</p>").arg(entry.derivedFrom);
    else if (entry.derivedFrom > 0)
        html += tr("<p>Replayed from %1.</p>").arg(link(entry.derivedFrom));
    if (!detail.processingAvailable)
        return html + tr("<p>The consumer side's records are not available in this build.</p>");
    if (entry.kafkaState == store::KafkaState::None)
        return html + tr("<p>Not produced, so not processed.</p>");
    if (detail.status) {
        const store::ProcessingStatus &status = *detail.status;
        // The feed's wording ("dead-lettered"), not the API's token ("dead_lettered").
        QString name = store::processingStateName(status.state);
        name.replace(u'_', u'-');
        QString state = tr("<p>State: <b>%1</b>").arg(esc(name));
        if (status.state == store::ProcessingState::Retrying && status.nextDueAtMs > 0)
            state += tr(" — next try at %1").arg(when(status.nextDueAtMs));
        else if (status.state == store::ProcessingState::Done && status.processedAtMs > 0)
            state += tr(" at %1").arg(when(status.processedAtMs));
        html += state + u"</p>"_s;
    }
    if (detail.attempts.isEmpty()) {
        html += consumersRunning ? tr("<p>No attempt recorded yet (pending).</p>")
                                 : tr("<p>No attempt recorded: no consumers are running.</p>");
    }
    if (detail.deadLetter) {
        const auto &dead = *detail.deadLetter;
        html += tr("<p><b>Dead-lettered</b> (DLQ #%1, %2): %3 after %4 attempts; first failure %5, last %6.</p>")
                    .arg(dead.id)
                    .arg(esc(store::deadLetterStatusName(dead.status)), esc(dead.error))
                    .arg(dead.attempts)
                    .arg(when(dead.firstFailureAtMs), when(dead.lastFailureAtMs));
        if (dead.replayedAsJournalId > 0)
            html += tr("<p>Replayed as %1.</p>").arg(link(dead.replayedAsJournalId));
    }
    if (!detail.replays.isEmpty()) {
        QStringList links;
        for (qint64 id : detail.replays)
            links.append(link(id));
        html += tr("<p>Replays of this entry: %1</p>").arg(links.join(u", "_s));
    }
    return html;
}

QStringList EntryHtml::timelineHeader()
{
    return {tr("#"), tr("Started"), tr("Consumer"), tr("Outcome"), tr("HTTP"), tr("Error / next try")};
}

QStringList EntryHtml::timelineRow(const store::AttemptRow &attempt)
{
    QString error = attempt.error;
    if (attempt.nextDueAtMs > 0)
        error += tr(" — next try at %1").arg(when(attempt.nextDueAtMs));
    // Time of day only: the column is narrow and the date is the entry's.
    const QString started = attempt.startedAtMs > 0
                                ? QDateTime::fromMSecsSinceEpoch(attempt.startedAtMs).toString(u"HH:mm:ss.zzz"_s)
                                : u"—"_s;
    return {QString::number(attempt.attempt),
            started,
            attempt.consumer,
            store::attemptOutcomeName(attempt.outcome),
            attempt.httpStatus > 0 ? QString::number(attempt.httpStatus) : u"—"_s,
            error};
}

} // namespace hookbench::ui
