#include "ui/panes/inspector_pane.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTableWidget>
#include <QTextBrowser>
#include <QTextCursor>
#include <QTextDocument>
#include <QTreeView>
#include <QUrl>
#include <QVBoxLayout>

#include "core/pipeline/ingest_pipeline.h"
#include "core/processing/event_processor.h"
#include "core/store/journal_writer.h"
#include "ui/format/byte_format.h"
#include "ui/format/entry_html.h"
#include "ui/workers/worker_thread.h"

using namespace Qt::StringLiterals;

namespace hookbench::ui {

namespace {

QTextBrowser *makeBrowser(QWidget *parent, const QString &name)
{
    auto *browser = new QTextBrowser(parent);
    browser->setObjectName(name);
    browser->setOpenLinks(false);
    // Shown while nothing is selected, so no tab is a blank page to a first-time user.
    browser->setPlaceholderText(InspectorPane::tr("Select an entry in the feed."));
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
    qRegisterMetaType<hookbench::ui::BodyViews>();
    connect(m_loader, &DetailLoader::loaded, this, &InspectorPane::applyDetail, Qt::QueuedConnection);
    connect(
        m_loader, &DetailLoader::formatted, this,
        [this](quint64 generation, const BodyViews &views) {
            if (generation != m_generation)
                return;
            showBody(views);
            m_bodyStack->setCurrentIndex(0);
            m_showAnyway->setEnabled(true);
        },
        Qt::QueuedConnection);
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
    m_editButton = new QPushButton(tr("Edit && replay…"), top);
    m_editButton->setObjectName(u"inspectorEdit"_s);
    m_editButton->setToolTip(tr("Open this request in the payload editor, to change, re-sign and send it again"));
    m_editButton->setEnabled(false);
    connect(m_editButton, &QPushButton::clicked, this, [this] {
        if (m_id > 0)
            emit editRequested(m_id);
    });
    auto *summaryRow = new QHBoxLayout;
    summaryRow->addWidget(m_requestSummary, 1);
    summaryRow->addWidget(m_editButton, 0, Qt::AlignTop);
    topLayout->addLayout(summaryRow);
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
    connect(m_bodyTabs, &QTabWidget::currentChanged, this, &InspectorPane::fillBodyTab);
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
        // Formatted on the loader's thread; the window stays responsive meanwhile.
        m_showAnyway->setEnabled(false);
        m_largeBodyLabel->setText(tr("Formatting %1…").arg(EntryHtml::sizeText(m_body.size())));
        QMetaObject::invokeMethod(
            m_loader,
            [loader = m_loader, generation = m_generation, body = m_body] { loader->format(generation, body); },
            Qt::QueuedConnection);
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
    // Processing: the state and lineage as text, the attempts as a table whose rows can be
    // selected (and stay selected while new attempts are added).
    auto *processingTab = new QSplitter(Qt::Vertical, m_tabs);
    m_processing = makeBrowser(processingTab, u"processingText"_s);
    m_timeline = new QTableWidget(0, int(EntryHtml::timelineHeader().size()), processingTab);
    m_timeline->setObjectName(u"processingTimeline"_s);
    m_timeline->setHorizontalHeaderLabels(EntryHtml::timelineHeader());
    m_timeline->verticalHeader()->hide();
    m_timeline->horizontalHeader()->setStretchLastSection(true);
    m_timeline->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_timeline->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_timeline->setSelectionMode(QAbstractItemView::SingleSelection);
    m_timeline->setWordWrap(false);
    processingTab->addWidget(m_processing);
    processingTab->addWidget(m_timeline);
    processingTab->setStretchFactor(1, 2);
    m_tabs->addTab(processingTab, tr("Processing"));
    for (QTextBrowser *browser : {m_verification, m_dedup, m_kafka, m_processing})
        connect(browser, &QTextBrowser::anchorClicked, this, &InspectorPane::onLink);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tabs);

    // Following the shown entry. Commits (placement, duplicates, replays) and processing activity
    // only raise a flag; the timer turns any number of them into one re-read.
    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setInterval(kRefreshMs);
    connect(&m_refreshTimer, &QTimer::timeout, this, &InspectorPane::sendRefresh);
    connect(
        &pipeline.journalWriter(), &store::JournalWriter::committed, this, [this] { entryMayHaveChanged(m_id); },
        Qt::QueuedConnection);
    if (processing::EventProcessor *processor = pipeline.processor()) {
        connect(
            processor, &processing::EventProcessor::activity, this,
            [this](const QList<processing::ProcessingActivity> &batch) {
                for (const auto &activity : batch) {
                    if (activity.journalId == m_id) {
                        entryMayHaveChanged(m_id);
                        return;
                    }
                }
            },
            Qt::QueuedConnection);
    }
}

InspectorPane::~InspectorPane() = default;

void InspectorPane::showEntry(qint64 id)
{
    if (id <= 0)
        return;
    const quint64 generation = ++m_generation; // a newer selection wins
    m_loaded = false;
    m_refreshWanted = false;
    m_refreshInFlight = false; // an answer to it carries the old generation and is dropped
    m_refreshTimer.stop();
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
    case ProcessingTab: {
        QString text = m_processing->toPlainText();
        for (int r = 0; r < m_timeline->rowCount(); ++r) {
            QStringList cells;
            for (int c = 0; c < m_timeline->columnCount(); ++c)
                cells.append(m_timeline->item(r, c) ? m_timeline->item(r, c)->text() : QString());
            text += u'\n' + cells.join(u'\t');
        }
        return text;
    }
    }
    return {};
}

void InspectorPane::entryMayHaveChanged(qint64 id)
{
    if (id <= 0 || id != m_id || !m_loaded)
        return;
    m_refreshWanted = true;
    if (!m_refreshInFlight && !m_refreshTimer.isActive())
        m_refreshTimer.start();
}

void InspectorPane::sendRefresh()
{
    if (!m_refreshWanted || m_refreshInFlight || !m_loaded)
        return;
    m_refreshWanted = false;
    m_refreshInFlight = true;
    ++m_refreshReads;
    QMetaObject::invokeMethod(
        m_loader, [loader = m_loader, generation = m_generation, id = m_id] { loader->load(generation, id, true); },
        Qt::QueuedConnection);
}

void InspectorPane::applyDetail(const EntryDetail &detail)
{
    if (detail.generation != m_generation)
        return; // m_refreshInFlight was reset by showEntry() then
    if (detail.refresh) {
        m_refreshInFlight = false;
        applyRefresh(detail);
        if (m_refreshWanted && !m_refreshTimer.isActive())
            m_refreshTimer.start();
        return;
    }
    m_id = detail.id;
    m_loaded = true;
    m_html.clear();
    m_timeline->setRowCount(0);
    if (!detail.entry) {
        m_requestSummary->setText(detail.error.isEmpty() ? tr("Journal entry #%1 does not exist.").arg(detail.id)
                                                         : detail.error);
        m_headers->setRowCount(0);
        m_editButton->setEnabled(false);
        m_body.clear();
        showBody(BodyViews{});
        for (QTextBrowser *browser : {m_verification, m_dedup, m_kafka, m_processing})
            browser->clear();
        emit entryLoaded(detail.id);
        return;
    }
    const store::JournalEntry &entry = *detail.entry;
    m_editButton->setEnabled(true);
    showRequest(entry, detail.views);
    setHtml(m_verification, EntryHtml::verification(entry, m_pipeline.config()), false);
    setHtml(m_dedup, EntryHtml::dedup(detail), false);
    setHtml(m_kafka, EntryHtml::kafka(entry, m_pipeline.config().kafka.partitions), false);
    setHtml(m_processing, EntryHtml::processing(detail, m_pipeline.processor() != nullptr), false);
    showTimeline(detail.attempts, false);
    comparePastedBody();
    emit entryLoaded(detail.id);
}

void InspectorPane::applyRefresh(const EntryDetail &detail)
{
    // A failed or empty re-read changes nothing: what is shown was true when it was read.
    if (!detail.entry || detail.id != m_id)
        return;
    const store::JournalEntry &entry = *detail.entry;
    // The request itself (headers, body) is journaled once and never changes: its views, the JSON
    // tree's expansion and the paste comparison are left alone.
    bool changed = false;
    const QString summary = EntryHtml::summary(entry);
    if (m_requestSummary->text() != summary) {
        m_requestSummary->setText(summary);
        changed = true;
    }
    changed |= setHtml(m_verification, EntryHtml::verification(entry, m_pipeline.config()), true);
    changed |= setHtml(m_dedup, EntryHtml::dedup(detail), true);
    changed |= setHtml(m_kafka, EntryHtml::kafka(entry, m_pipeline.config().kafka.partitions), true);
    changed |= setHtml(m_processing, EntryHtml::processing(detail, m_pipeline.processor() != nullptr), true);
    changed |= showTimeline(detail.attempts, true);
    if (changed)
        emit entryRefreshed(detail.id);
}

bool InspectorPane::setHtml(QTextBrowser *browser, const QString &html, bool keepPlace)
{
    auto shown = m_html.find(browser);
    if (shown != m_html.end() && *shown == html)
        return false;
    m_html.insert(browser, html);
    if (!keepPlace) {
        browser->setHtml(html);
        return true;
    }
    const int vertical = browser->verticalScrollBar()->value();
    const int horizontal = browser->horizontalScrollBar()->value();
    const QTextCursor before = browser->textCursor();
    const int anchor = before.anchor();
    const int position = before.position();
    browser->setHtml(html);
    // The same selection by character position, clamped to the new text: the texts are re-renders
    // of the same template, so the positions mostly name the same words.
    const int end = qMax(0, browser->document()->characterCount() - 1);
    QTextCursor after(browser->document());
    after.setPosition(qMin(anchor, end));
    after.setPosition(qMin(position, end), QTextCursor::KeepAnchor);
    browser->setTextCursor(after);
    browser->verticalScrollBar()->setValue(vertical);
    browser->horizontalScrollBar()->setValue(horizontal);
    return true;
}

bool InspectorPane::showTimeline(const QList<store::AttemptRow> &attempts, bool keepPlace)
{
    // Attempts only ever get added (and the last one finished), so rows are updated in place:
    // the selected row and the scroll position stay where they are.
    const int vertical = m_timeline->verticalScrollBar()->value();
    bool changed = false;
    if (m_timeline->rowCount() > attempts.size()) {
        m_timeline->setRowCount(int(attempts.size()));
        changed = true;
    }
    for (int r = 0; r < attempts.size(); ++r) {
        const QStringList cells = EntryHtml::timelineRow(attempts.at(r));
        if (r >= m_timeline->rowCount()) {
            m_timeline->insertRow(r);
            changed = true;
        }
        for (int c = 0; c < cells.size(); ++c) {
            QTableWidgetItem *item = m_timeline->item(r, c);
            if (!item) {
                item = new QTableWidgetItem(cells.at(c));
                m_timeline->setItem(r, c, item);
                changed = true;
            } else if (item->text() != cells.at(c)) {
                item->setText(cells.at(c));
                changed = true;
            }
            if (c == cells.size() - 1)
                item->setToolTip(cells.at(c));
        }
    }
    if (changed && !keepPlace)
        m_timeline->resizeColumnsToContents();
    if (keepPlace)
        m_timeline->verticalScrollBar()->setValue(vertical);
    return changed;
}

void InspectorPane::showRequest(const store::JournalEntry &entry, const std::optional<BodyViews> &views)
{
    m_requestSummary->setText(EntryHtml::summary(entry));

    m_headers->setRowCount(int(entry.headers.size()));
    for (int r = 0; r < entry.headers.size(); ++r) {
        const auto &[name, value] = entry.headers.at(r);
        m_headers->setItem(r, 0, new QTableWidgetItem(QString::fromLatin1(name)));
        auto *valueItem = new QTableWidgetItem(QString::fromUtf8(value));
        valueItem->setToolTip(QString::fromUtf8(value));
        m_headers->setItem(r, 1, valueItem);
    }
    m_headers->resizeColumnToContents(0);

    m_body = entry.body;
    if (!views) {
        // Over the loader's limit: formatted only when asked (and then off the GUI thread too).
        m_largeBodyLabel->setText(
            tr("The body is %1. Showing it may take a moment.").arg(EntryHtml::sizeText(entry.body.size())));
        m_showAnyway->setEnabled(true);
        m_bodyStack->setCurrentIndex(1);
        m_bodyText->clear();
        m_bodyHex->clear();
        m_jsonModel->clear();
        return;
    }
    m_bodyStack->setCurrentIndex(0);
    showBody(*views);
}

void InspectorPane::showBody(const BodyViews &views)
{
    // The text views of a large body are filled when their tab is first shown: QPlainTextEdit
    // lays a block out whole on the GUI thread, and a 2 MiB body on one line takes it over 1.5 s
    // (measured in test_ui_actions), so only the tab the user looks at pays for it.
    m_views = views;
    m_textShown = false;
    m_hexShown = false;
    m_bodyText->clear();
    m_bodyHex->clear();
    views.adoptJsonInto(*m_jsonModel);
    if (views.isJson) {
        // A big tree is opened one level only, and not measured row by row.
        const bool big = views.size > kEagerViews;
        m_jsonTree->expandToDepth(big ? 0 : 1);
        if (!big) {
            m_jsonTree->resizeColumnToContents(0);
            m_jsonTree->resizeColumnToContents(2);
        }
        m_jsonTree->header()->setSectionResizeMode(1, QHeaderView::Stretch);
    }
    m_bodyTabs->setTabEnabled(0, views.isJson);
    m_bodyTabs->setCurrentIndex(views.isJson ? 0 : (views.isText ? 1 : 2));
    if (views.size <= kEagerViews) {
        fillBodyTab(1);
        fillBodyTab(2);
    } else {
        fillBodyTab(m_bodyTabs->currentIndex());
    }
}

void InspectorPane::fillBodyTab(int index)
{
    if (index == 1 && !m_textShown) {
        m_textShown = true;
        m_bodyText->setPlainText(m_views.text);
    } else if (index == 2 && !m_hexShown) {
        m_hexShown = true;
        m_bodyHex->setPlainText(m_views.hex);
    }
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
