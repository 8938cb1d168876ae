#include "ui/inspector_pane.h"

#include <QDateTime>
#include <QFontDatabase>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTableWidget>
#include <QTextBrowser>
#include <QTreeView>
#include <QUrl>
#include <QVBoxLayout>

#include "core/kafka/murmur2.h"
#include "core/pipeline/ingest_pipeline.h"
#include "ui/byte_format.h"
#include "ui/worker_thread.h"

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

QString sizeText(qint64 bytes)
{
    return bytes >= 1024 ? u"%1 bytes (%2 KiB)"_s.arg(bytes).arg(double(bytes) / 1024.0, 0, 'f', 1)
                         : u"%1 bytes"_s.arg(bytes);
}

QTextBrowser *makeBrowser(QWidget *parent, const QString &name)
{
    auto *browser = new QTextBrowser(parent);
    browser->setObjectName(name);
    browser->setOpenLinks(false);
    return browser;
}

} // namespace

InspectorPane::InspectorPane(pipeline::IngestPipeline &pipeline, QWidget *parent)
    : QWidget(parent)
    , m_pipeline(pipeline)
    , m_thread(std::make_unique<WorkerThread>(u"hookbench-inspector"_s))
{
    qRegisterMetaType<hookbench::ui::EntryDetail>();
    m_loader = new DetailLoader(pipeline.databasePath());
    m_thread->adopt(m_loader);
    connect(m_loader, &DetailLoader::loaded, this, &InspectorPane::applyDetail, Qt::QueuedConnection);
    m_thread->start();

    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(u"inspectorTabs"_s);
    m_tabs->setDocumentMode(true);

    // Request: summary, headers, body views.
    auto *request = new QSplitter(Qt::Vertical, m_tabs);
    auto *top = new QWidget(request);
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(4, 4, 4, 4);
    m_requestSummary = new QLabel(tr("Select an entry in the feed."), top);
    m_requestSummary->setObjectName(u"requestSummary"_s);
    m_requestSummary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // A long target must not make the whole dock wide; the label is elided by its width instead.
    m_requestSummary->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_requestSummary->setMinimumHeight(2 * m_requestSummary->fontMetrics().lineSpacing() + 4);
    m_headers = new QTableWidget(0, 2, top);
    m_headers->setObjectName(u"requestHeaders"_s);
    m_headers->setHorizontalHeaderLabels({tr("Header"), tr("Value")});
    m_headers->verticalHeader()->hide();
    m_headers->horizontalHeader()->setStretchLastSection(true);
    m_headers->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_headers->setWordWrap(false);
    m_headers->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_headers->verticalHeader()->setDefaultSectionSize(m_headers->fontMetrics().height() + 6);
    topLayout->addWidget(m_requestSummary);
    topLayout->addWidget(m_headers, 1);

    m_bodyStack = new QStackedWidget(request);
    m_bodyTabs = new QTabWidget(m_bodyStack);
    m_bodyTabs->setObjectName(u"bodyTabs"_s);
    m_bodyText = new QPlainTextEdit(m_bodyTabs);
    m_bodyText->setObjectName(u"bodyText"_s);
    m_bodyHex = new QPlainTextEdit(m_bodyTabs);
    m_bodyHex->setObjectName(u"bodyHex"_s);
    for (QPlainTextEdit *edit : {m_bodyText, m_bodyHex}) {
        edit->setReadOnly(true);
        edit->setFont(mono);
        edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    }
    m_jsonModel = new QStandardItemModel(this);
    m_jsonTree = new QTreeView(m_bodyTabs);
    m_jsonTree->setObjectName(u"bodyJson"_s);
    m_jsonTree->setModel(m_jsonModel);
    m_jsonTree->setUniformRowHeights(true);
    m_jsonTree->header()->setStretchLastSection(false);
    m_bodyTabs->addTab(m_jsonTree, tr("JSON"));
    m_bodyTabs->addTab(m_bodyText, tr("Raw"));
    m_bodyTabs->addTab(m_bodyHex, tr("Hex"));
    auto *large = new QWidget(m_bodyStack);
    auto *largeLayout = new QVBoxLayout(large);
    m_largeBodyLabel = new QLabel(large);
    m_largeBodyLabel->setWordWrap(true);
    m_showAnyway = new QPushButton(tr("Show anyway"), large);
    largeLayout->addStretch();
    largeLayout->addWidget(m_largeBodyLabel, 0, Qt::AlignHCenter);
    largeLayout->addWidget(m_showAnyway, 0, Qt::AlignHCenter);
    largeLayout->addStretch();
    m_bodyStack->addWidget(m_bodyTabs);
    m_bodyStack->addWidget(large);
    connect(m_showAnyway, &QPushButton::clicked, this, [this] {
        showBody(m_body, {});
        m_bodyStack->setCurrentIndex(0);
    });
    request->addWidget(top);
    request->addWidget(m_bodyStack);
    request->setStretchFactor(1, 2);
    m_tabs->addTab(request, tr("Request"));

    // Verification: what the verifier found, and a box to compare the original body.
    auto *verification = new QSplitter(Qt::Vertical, m_tabs);
    m_verification = makeBrowser(verification, u"verificationText"_s);
    auto *compare = new QWidget(verification);
    auto *compareLayout = new QVBoxLayout(compare);
    compareLayout->setContentsMargins(4, 4, 4, 4);
    compareLayout->addWidget(new QLabel(
        tr("Paste the body as the provider sent it (e.g. from its dashboard) to find the first byte that differs:"),
        compare));
    m_pasteBox = new QPlainTextEdit(compare);
    m_pasteBox->setObjectName(u"pasteBody"_s);
    m_pasteBox->setFont(mono);
    m_compareResult = new QPlainTextEdit(compare);
    m_compareResult->setObjectName(u"compareResult"_s);
    m_compareResult->setReadOnly(true);
    m_compareResult->setFont(mono);
    compareLayout->addWidget(m_pasteBox, 1);
    compareLayout->addWidget(m_compareResult, 1);
    connect(m_pasteBox, &QPlainTextEdit::textChanged, this, &InspectorPane::comparePastedBody);
    m_tabs->addTab(verification, tr("Verification"));

    m_dedup = makeBrowser(m_tabs, u"dedupText"_s);
    m_tabs->addTab(m_dedup, tr("Dedup"));
    m_kafka = makeBrowser(m_tabs, u"kafkaText"_s);
    m_tabs->addTab(m_kafka, tr("Kafka"));
    m_processing = makeBrowser(m_tabs, u"processingText"_s);
    m_tabs->addTab(m_processing, tr("Processing"));
    for (QTextBrowser *browser : {m_verification, m_dedup, m_kafka, m_processing})
        connect(browser, &QTextBrowser::anchorClicked, this, &InspectorPane::onLink);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tabs);
}

InspectorPane::~InspectorPane() = default;

void InspectorPane::showEntry(qint64 id)
{
    if (id <= 0)
        return;
    const quint64 generation = ++m_generation; // a newer selection wins
    QMetaObject::invokeMethod(
        m_loader, [loader = m_loader, generation, id] { loader->load(generation, id); }, Qt::QueuedConnection);
}

QString InspectorPane::tabText(Tab tab) const
{
    switch (tab) {
    case RequestTab: {
        QString text = m_requestSummary->text() + u'\n';
        for (int r = 0; r < m_headers->rowCount(); ++r)
            text += m_headers->item(r, 0)->text() + u": "_s + m_headers->item(r, 1)->text() + u'\n';
        return text;
    }
    case VerificationTab: return m_verification->toPlainText();
    case DedupTab: return m_dedup->toPlainText();
    case KafkaTab: return m_kafka->toPlainText();
    case ProcessingTab: return m_processing->toPlainText();
    }
    return {};
}

void InspectorPane::applyDetail(const EntryDetail &detail)
{
    if (detail.generation != m_generation)
        return;
    m_id = detail.id;
    if (!detail.entry) {
        m_requestSummary->setText(detail.error.isEmpty() ? tr("Journal entry #%1 does not exist.").arg(detail.id)
                                                         : detail.error);
        m_headers->setRowCount(0);
        m_body.clear();
        showBody({}, {});
        for (QTextBrowser *browser : {m_verification, m_dedup, m_kafka, m_processing})
            browser->clear();
        emit entryLoaded(detail.id);
        return;
    }
    const store::JournalEntry &entry = *detail.entry;
    showRequest(entry);
    showVerification(entry);
    showDedup(detail);
    showKafka(entry);
    showProcessing(detail);
    comparePastedBody();
    emit entryLoaded(detail.id);
}

void InspectorPane::showRequest(const store::JournalEntry &entry)
{
    m_requestSummary->setText(
        u"<b>#%1</b> &nbsp; <tt>%2 %3</tt> &nbsp; from %4:%5 &nbsp; at %6<br>Body: %7 &nbsp; Answer: %8 %9"_s
            .arg(entry.id)
            .arg(esc(entry.method), esc(entry.target), esc(entry.remoteAddress))
            .arg(entry.remotePort)
            .arg(when(entry.receivedAtMs), sizeText(entry.bodySize))
            .arg(entry.httpStatus)
            .arg(esc(store::verdictName(entry.verdict))
                 + (entry.reason.isEmpty() ? QString() : u" "_s + esc(entry.reason))));

    m_headers->setRowCount(int(entry.headers.size()));
    QByteArray contentType;
    for (int r = 0; r < entry.headers.size(); ++r) {
        const auto &[name, value] = entry.headers.at(r);
        if (contentType.isEmpty() && name.compare("Content-Type", Qt::CaseInsensitive) == 0)
            contentType = value;
        m_headers->setItem(r, 0, new QTableWidgetItem(QString::fromLatin1(name)));
        auto *valueItem = new QTableWidgetItem(QString::fromUtf8(value));
        valueItem->setToolTip(QString::fromUtf8(value));
        m_headers->setItem(r, 1, valueItem);
    }
    m_headers->resizeColumnToContents(0);

    m_body = entry.body;
    if (entry.body.size() > kLargeBody) {
        m_largeBodyLabel->setText(tr("The body is %1. Showing it may take a moment.").arg(sizeText(entry.body.size())));
        m_bodyStack->setCurrentIndex(1);
        m_bodyText->clear();
        m_bodyHex->clear();
        m_jsonModel->clear();
        return;
    }
    m_bodyStack->setCurrentIndex(0);
    showBody(entry.body, contentType);
}

void InspectorPane::showBody(const QByteArray &body, const QByteArray &contentType)
{
    Q_UNUSED(contentType)
    const bool text = ByteFormat::isText(body);
    m_bodyText->setPlainText(text ? QString::fromUtf8(body)
                                  : tr("(binary body, %1: see the Hex tab)").arg(sizeText(body.size())));
    m_bodyHex->setPlainText(ByteFormat::hexDump(body, 0, body.size()));
    QJsonParseError error{};
    const QJsonDocument json = QJsonDocument::fromJson(body, &error);
    const bool isJson = error.error == QJsonParseError::NoError && !body.isEmpty();
    if (isJson) {
        ByteFormat::fillJsonModel(*m_jsonModel, json.isObject() ? QJsonValue(json.object()) : QJsonValue(json.array()));
        m_jsonTree->expandToDepth(1);
        m_jsonTree->resizeColumnToContents(0);
        m_jsonTree->resizeColumnToContents(2);
        m_jsonTree->header()->setSectionResizeMode(1, QHeaderView::Stretch);
    } else {
        m_jsonModel->clear();
    }
    m_bodyTabs->setTabEnabled(0, isJson);
    m_bodyTabs->setCurrentIndex(isJson ? 0 : (text ? 1 : 2));
}

void InspectorPane::showVerification(const store::JournalEntry &entry)
{
    const QJsonObject v = QJsonDocument::fromJson(entry.verification).object();
    const config::SourceConfig *source = m_pipeline.config().source(entry.source);
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
        if (v.contains(u"expected"_s))
            html += row(tr("Expected"), u"<tt>%1</tt>"_s.arg(esc(v.value(u"expected"_s).toString())));
        if (v.contains(u"received"_s))
            html += row(tr("Received"), u"<tt>%1</tt>"_s.arg(esc(v.value(u"received"_s).toString())));
        if (v.contains(u"signed_content"_s)) {
            html += row(tr("Signed content"),
                        u"<pre>%1</pre>%2"_s.arg(esc(v.value(u"signed_content"_s).toString()),
                                                 v.value(u"signed_content_truncated"_s).toBool() ? tr("(first 4 KiB)")
                                                                                                 : QString()));
        } else if (ok) {
            html += row(tr("Signed content"), tr("the raw body as journaled (see Request)"));
        }
    }
    html += u"</table>"_s;
    m_verification->setHtml(html);
}

void InspectorPane::showDedup(const EntryDetail &detail)
{
    const store::JournalEntry &entry = *detail.entry;
    QString html = u"<table cellspacing=4>"_s;
    html += row(tr("Idempotency key"), u"<tt>%1</tt>"_s.arg(esc(entry.idempotencyKey)));
    html += row(tr("Key from"), esc(entry.idempotencyOrigin));
    if (entry.verdict == store::Verdict::Duplicate) {
        html += row(tr("Verdict"), tr("duplicate of %1").arg(link(entry.duplicateOf)));
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
    m_dedup->setHtml(html);
}

void InspectorPane::showKafka(const store::JournalEntry &entry)
{
    QString html = u"<table cellspacing=4>"_s;
    html += row(tr("State"), esc(store::kafkaStateName(entry.kafkaState)));
    if (entry.kafkaState == store::KafkaState::None) {
        html += row(tr("Why"), entry.verdict == store::Verdict::Duplicate ? tr("a duplicate is not produced again")
                                                                          : tr("rejected requests are not produced"));
        m_kafka->setHtml(html + u"</table>"_s);
        return;
    }
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

    const int partitions = m_pipeline.config().kafka.partitions;
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
    m_kafka->setHtml(html + u"</table>"_s);
}

void InspectorPane::showProcessing(const EntryDetail &detail)
{
    const store::JournalEntry &entry = *detail.entry;
    QString html;
    if (entry.derivedFrom > 0)
        html += tr("<p>Replayed from %1.</p>").arg(link(entry.derivedFrom));
    if (!detail.processingAvailable) {
        html += tr("<p>The consumer side's records are not available in this build.</p>");
        m_processing->setHtml(html);
        return;
    }
    if (entry.kafkaState == store::KafkaState::None) {
        html += tr("<p>Not produced, so not processed.</p>");
    } else if (detail.attempts.isEmpty()) {
        html += m_pipeline.processor() ? tr("<p>No attempt recorded yet (pending).</p>")
                                       : tr("<p>No attempt recorded: no consumers are running.</p>");
    } else {
        html +=
            u"<table cellspacing=4><tr><th>#</th><th>%1</th><th>%2</th><th>%3</th><th>%4</th><th>%5</th></tr>"_s.arg(
                tr("Started"), tr("Consumer"), tr("Outcome"), tr("HTTP"), tr("Error / next try"));
        for (const auto &attempt : detail.attempts) {
            QString error = esc(attempt.error);
            if (attempt.nextDueAtMs > 0)
                error += tr(" — next try at %1").arg(when(attempt.nextDueAtMs));
            html +=
                u"<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td><td>%5</td><td>%6</td></tr>"_s.arg(attempt.attempt)
                    .arg(when(attempt.startedAtMs), esc(attempt.consumer),
                         esc(store::attemptOutcomeName(attempt.outcome)),
                         attempt.httpStatus > 0 ? QString::number(attempt.httpStatus) : u"—"_s, error);
        }
        html += u"</table>"_s;
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
    m_processing->setHtml(html);
}

void InspectorPane::comparePastedBody()
{
    const QByteArray pasted = m_pasteBox->toPlainText().toUtf8();
    if (pasted.isEmpty()) {
        m_compareResult->setPlainText(tr("(nothing pasted)"));
        return;
    }
    const qsizetype at = ByteFormat::firstDifference(m_body, pasted);
    if (at < 0) {
        m_compareResult->setPlainText(tr("Identical: %1 bytes match the journaled body.").arg(pasted.size()));
        return;
    }
    const qsizetype from = qMax(qsizetype(0), at - 16);
    m_compareResult->setPlainText(
        tr("First difference at byte offset %1 (journaled %2 bytes, pasted %3 bytes).\n\n"
           "Journaled:\n%4\nPasted:\n%5")
            .arg(at)
            .arg(m_body.size())
            .arg(pasted.size())
            .arg(ByteFormat::hexDump(m_body, from, 48), ByteFormat::hexDump(pasted, from, 48)));
}

void InspectorPane::onLink(const QUrl &url)
{
    if (url.scheme() != u"journal"_s)
        return;
    bool ok = false;
    const qint64 id = url.path().toLongLong(&ok);
    if (ok && id > 0)
        emit entryLinkActivated(id);
}

} // namespace hookbench::ui
