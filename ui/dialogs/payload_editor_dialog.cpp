#include "ui/dialogs/payload_editor_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QFile>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QTextBlock>
#include <QUuid>
#include <QVBoxLayout>

#include "core/pipeline/ingest_pipeline.h"
#include "core/providers/body_parser.h"
#include "core/providers/provider_registry.h"
#include "core/replay/loopback_client.h"
#include "core/replay/replay_service.h"
#include "core/samples/sample_event_factory.h"
#include "ui/widgets/json_highlighter.h"
#include "ui/workers/detail_loader.h"
#include "ui/workers/worker_thread.h"

using namespace Qt::StringLiterals;

namespace hookbench::ui {

namespace {

constexpr int kModeJson = 0;
constexpr int kModeRaw = 1;

QStringList headerLines(const http::HeaderList &headers)
{
    QStringList lines;
    for (const auto &[name, value] : headers)
        lines.append(QString::fromLatin1(name) % u": "_s % QString::fromUtf8(value));
    return lines;
}

bool looksLikeJson(const QByteArray &body)
{
    const QByteArray trimmed = body.trimmed();
    return trimmed.startsWith('{') || trimmed.startsWith('[');
}

} // namespace

PayloadEditorDialog::PayloadEditorDialog(pipeline::IngestPipeline &pipeline, qint64 journalId, qint64 deadLetterId,
                                         QWidget *parent)
    : QDialog(parent)
    , m_pipeline(pipeline)
    , m_journalId(journalId)
    , m_deadLetterId(deadLetterId)
{
    build();
    setWindowTitle(deadLetterId > 0 ? tr("Edit & replay dead letter %1 (entry #%2)").arg(deadLetterId).arg(journalId)
                                    : tr("Edit & replay entry #%1").arg(journalId));
    m_origin->setText(tr("Reading entry #%1…").arg(journalId));
    // The entry with its body is read on a thread of its own, like the inspector's.
    qRegisterMetaType<hookbench::ui::EntryDetail>();
    m_thread = std::make_unique<WorkerThread>(u"hookbench-editor-loader"_s);
    auto *loader = new DetailLoader(pipeline.databasePath());
    connect(loader, &DetailLoader::loaded, this, &PayloadEditorDialog::applyDetail, Qt::QueuedConnection);
    m_thread->adopt(loader);
    m_thread->start();
    QMetaObject::invokeMethod(
        loader, [loader, journalId] { loader->load(1, journalId); }, Qt::QueuedConnection);
}

PayloadEditorDialog::PayloadEditorDialog(pipeline::IngestPipeline &pipeline, const QString &sourceName, QWidget *parent)
    : QDialog(parent)
    , m_pipeline(pipeline)
{
    build();
    setWindowTitle(tr("New request from a template — %1").arg(sourceName));
    const config::SourceConfig *source = pipeline.config().source(sourceName);
    if (!source) {
        m_origin->setText(tr("There is no source \"%1\" in the config.").arg(sourceName));
        return;
    }
    samples::SampleEventFactory factory;
    auto event = factory.build(*source);
    if (!event) {
        m_origin->setText(tr("No template for %1: %2").arg(sourceName, event.error().message));
        return;
    }
    setOriginal(sourceName, event->request.headers, event->request.body, QString::fromLatin1(event->request.target));
    m_origin->setText(tr("Template of provider %1 for source %2 (%3), not sent yet")
                          .arg(source->provider, sourceName, QString::fromLatin1(event->request.target)));
}

PayloadEditorDialog::~PayloadEditorDialog() = default;

void PayloadEditorDialog::build()
{
    setObjectName(u"payloadEditor"_s);
    resize(1000, 760);
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    auto *layout = new QVBoxLayout(this);
    m_origin = new QLabel(this);
    m_origin->setObjectName(u"editorOrigin"_s);
    m_origin->setWordWrap(true);
    m_origin->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_origin);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    auto *tabs = new QTabWidget(splitter);
    tabs->setDocumentMode(true);

    // Body: mode, formatting, validation, the text.
    auto *bodyPage = new QWidget(tabs);
    auto *bodyLayout = new QVBoxLayout(bodyPage);
    bodyLayout->setContentsMargins(4, 4, 4, 4);
    auto *bodyBar = new QHBoxLayout;
    m_mode = new QComboBox(bodyPage);
    m_mode->setObjectName(u"editorMode"_s);
    m_mode->addItem(tr("JSON"));
    m_mode->addItem(tr("Raw text"));
    m_mode->setToolTip(tr("Raw text sends the body as typed (form bodies, or JSON that is invalid on purpose)"));
    m_pretty = new QPushButton(tr("Pretty"), bodyPage);
    m_compact = new QPushButton(tr("Compact"), bodyPage);
    m_validation = new QLabel(bodyPage);
    m_validation->setObjectName(u"editorValidation"_s);
    bodyBar->addWidget(new QLabel(tr("Body as"), bodyPage));
    bodyBar->addWidget(m_mode);
    bodyBar->addWidget(m_pretty);
    bodyBar->addWidget(m_compact);
    bodyBar->addSpacing(12);
    bodyBar->addWidget(m_validation, 1);
    bodyLayout->addLayout(bodyBar);
    m_body = new QPlainTextEdit(bodyPage);
    m_body->setObjectName(u"editorBody"_s);
    m_body->setFont(mono);
    m_body->setLineWrapMode(QPlainTextEdit::NoWrap);
    bodyLayout->addWidget(m_body, 1);
    tabs->addTab(bodyPage, tr("Body"));

    // Headers: an editable list.
    auto *headersPage = new QWidget(tabs);
    auto *headersLayout = new QVBoxLayout(headersPage);
    headersLayout->setContentsMargins(4, 4, 4, 4);
    m_headers = new QTableWidget(0, 2, headersPage);
    m_headers->setObjectName(u"editorHeaders"_s);
    m_headers->setHorizontalHeaderLabels({tr("Header"), tr("Value")});
    m_headers->horizontalHeader()->setStretchLastSection(true);
    m_headers->verticalHeader()->hide();
    auto *headerButtons = new QHBoxLayout;
    auto *addHeader = new QPushButton(tr("Add header"), headersPage);
    auto *removeHeader = new QPushButton(tr("Remove selected"), headersPage);
    headerButtons->addWidget(addHeader);
    headerButtons->addWidget(removeHeader);
    headerButtons->addStretch();
    headersLayout->addWidget(m_headers, 1);
    headersLayout->addLayout(headerButtons);
    tabs->addTab(headersPage, tr("Headers"));

    // The diff, always in view below the editor.
    auto *diffPage = new QWidget(splitter);
    auto *diffLayout = new QVBoxLayout(diffPage);
    diffLayout->setContentsMargins(4, 0, 4, 0);
    diffLayout->addWidget(new QLabel(tr("Changes against the original (what will be sent)"), diffPage));
    m_diff = new QPlainTextEdit(diffPage);
    m_diff->setObjectName(u"editorDiff"_s);
    m_diff->setReadOnly(true);
    m_diff->setFont(mono);
    m_diff->setLineWrapMode(QPlainTextEdit::NoWrap);
    diffLayout->addWidget(m_diff, 1);
    splitter->addWidget(tabs);
    splitter->addWidget(diffPage);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    layout->addWidget(splitter, 1);

    // How to send.
    auto *options = new QHBoxLayout;
    m_sendTo = new QComboBox(this);
    m_sendTo->setObjectName(u"editorSendTo"_s);
    m_sendTo->addItem(tr("the receiver (verify, dedup, journal, produce)"));
    m_sendTo->addItem(tr("the original topic directly"));
    m_resign = new QCheckBox(tr("Re-sign with the source's secret and the current time"), this);
    m_resign->setObjectName(u"editorResign"_s);
    m_resign->setChecked(true);
    m_resign->setToolTip(tr("Unchecked: the old signature is kept, and an edited body is rejected (a demo)"));
    m_newKey = new QCheckBox(tr("Mint a new idempotency key"), this);
    m_newKey->setObjectName(u"editorNewKey"_s);
    m_newKey->setToolTip(tr("Unchecked: the original key is kept, and the receiver answers \"duplicate\""));
    options->addWidget(new QLabel(tr("Send to"), this));
    options->addWidget(m_sendTo);
    options->addWidget(m_resign);
    options->addWidget(m_newKey);
    options->addStretch();
    layout->addLayout(options);

    auto *buttons = new QHBoxLayout;
    auto *saveTemplateButton = new QPushButton(tr("Save as template…"), this);
    auto *saveFixtureButton = new QPushButton(tr("Save body as fixture…"), this);
    m_status = new QLabel(this);
    m_status->setObjectName(u"editorStatus"_s);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_send = new QPushButton(tr("Send"), this);
    m_send->setObjectName(u"editorSend"_s);
    m_send->setDefault(true);
    auto *close = new QPushButton(tr("Close"), this);
    buttons->addWidget(saveTemplateButton);
    buttons->addWidget(saveFixtureButton);
    buttons->addWidget(m_status, 1);
    buttons->addWidget(m_send);
    buttons->addWidget(close);
    layout->addLayout(buttons);

    connect(m_mode, &QComboBox::currentIndexChanged, this, [this](int index) { setRawMode(index == kModeRaw); });
    connect(m_pretty, &QPushButton::clicked, this,
            [this] { m_body->setPlainText(JsonText::pretty(m_body->toPlainText())); });
    connect(m_compact, &QPushButton::clicked, this,
            [this] { m_body->setPlainText(JsonText::compact(m_body->toPlainText())); });
    connect(m_body, &QPlainTextEdit::textChanged, this, [this] {
        updateValidation();
        updateDiff();
    });
    connect(m_headers, &QTableWidget::itemChanged, this, &PayloadEditorDialog::updateDiff);
    connect(addHeader, &QPushButton::clicked, this, [this] {
        const int row = m_headers->rowCount();
        m_headers->insertRow(row);
        m_headers->setItem(row, 0, new QTableWidgetItem);
        m_headers->setItem(row, 1, new QTableWidgetItem);
        m_headers->editItem(m_headers->item(row, 0));
    });
    connect(removeHeader, &QPushButton::clicked, this, [this] {
        QList<int> rows;
        for (const QModelIndex &index : m_headers->selectionModel()->selectedIndexes())
            if (!rows.contains(index.row()))
                rows.append(index.row());
        std::sort(rows.begin(), rows.end(), std::greater<>());
        for (int row : rows)
            m_headers->removeRow(row);
        updateDiff();
    });
    for (QWidget *option :
         {static_cast<QWidget *>(m_sendTo), static_cast<QWidget *>(m_resign), static_cast<QWidget *>(m_newKey)}) {
        if (auto *box = qobject_cast<QCheckBox *>(option))
            connect(box, &QCheckBox::toggled, this, [this] {
                updateDiff();
                updateControls();
            });
    }
    connect(m_sendTo, &QComboBox::currentIndexChanged, this, [this] {
        updateDiff();
        updateControls();
    });
    connect(m_send, &QPushButton::clicked, this, &PayloadEditorDialog::send);
    connect(close, &QPushButton::clicked, this, &QDialog::reject);
    connect(saveTemplateButton, &QPushButton::clicked, this, [this] {
        const QString path =
            QFileDialog::getSaveFileName(this, tr("Save as template"), m_source % u".json"_s, tr("Templates (*.json)"));
        if (path.isEmpty())
            return;
        const Result<void> saved = saveTemplate(path);
        m_status->setText(saved ? tr("Saved the template to %1").arg(path) : saved.error().message);
    });
    connect(saveFixtureButton, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Save body as fixture"), QString(),
                                                          tr("Fixtures (*.json *.txt);;All files (*)"));
        if (path.isEmpty())
            return;
        const Result<void> saved = saveFixture(path);
        m_status->setText(saved ? tr("Saved the body to %1").arg(path) : saved.error().message);
    });
    updateControls();
}

void PayloadEditorDialog::applyDetail(const EntryDetail &detail)
{
    if (!detail.entry) {
        m_origin->setText(detail.error.isEmpty() ? tr("There is no journal entry #%1.").arg(m_journalId)
                                                 : detail.error);
        return;
    }
    const store::JournalEntry &entry = *detail.entry;
    setOriginal(entry.source, entry.headers, entry.body, QString::fromLatin1(entry.target));
    const config::SourceConfig *source = m_pipeline.config().source(entry.source);
    m_origin->setText(tr("Entry #%1 from source %2 (provider %3) · %4 · verdict %5%6")
                          .arg(entry.id)
                          .arg(entry.source, source ? source->provider : tr("not in the config"),
                               QString::fromLatin1(entry.target), store::verdictName(entry.verdict),
                               entry.reason.isEmpty() ? QString() : u" ("_s % entry.reason % u')'));
}

void PayloadEditorDialog::setOriginal(const QString &source, const http::HeaderList &headers, const QByteArray &body,
                                      const QString &target)
{
    m_source = source;
    m_target = target;
    m_originalHeaders = headers;
    m_originalBody = body;
    {
        const QSignalBlocker block(m_headers);
        m_headers->setRowCount(int(headers.size()));
        for (int r = 0; r < headers.size(); ++r) {
            m_headers->setItem(r, 0, new QTableWidgetItem(QString::fromLatin1(headers.at(r).first)));
            m_headers->setItem(r, 1, new QTableWidgetItem(QString::fromUtf8(headers.at(r).second)));
        }
        m_headers->resizeColumnToContents(0);
    }
    // JSON mode for JSON bodies; raw text for the rest (Twilio's form bodies).
    const bool json = looksLikeJson(body) && JsonText::check(QString::fromUtf8(body)).ok;
    {
        const QSignalBlocker block(m_mode);
        m_mode->setCurrentIndex(json ? kModeJson : kModeRaw);
    }
    setRawMode(!json);
    m_body->setPlainText(QString::fromUtf8(body));
    m_loaded = true;
    updateValidation();
    updateDiff();
    updateControls();
    emit loaded();
}

void PayloadEditorDialog::setRawMode(bool raw)
{
    if (m_mode->currentIndex() != (raw ? kModeRaw : kModeJson)) {
        const QSignalBlocker block(m_mode);
        m_mode->setCurrentIndex(raw ? kModeRaw : kModeJson);
    }
    if (raw && m_highlighter) {
        delete m_highlighter;
        m_highlighter = nullptr;
    } else if (!raw && !m_highlighter) {
        m_highlighter = new JsonHighlighter(m_body->document());
    }
    m_pretty->setEnabled(!raw);
    m_compact->setEnabled(!raw);
    updateValidation();
    updateControls();
}

bool PayloadEditorDialog::rawMode() const
{
    return m_mode->currentIndex() == kModeRaw;
}

void PayloadEditorDialog::updateValidation()
{
    if (rawMode()) {
        m_check = JsonCheck{true, 0, 0, {}};
        m_validation->setText(tr("Raw text: sent as typed (UTF-8)"));
        return;
    }
    m_check = JsonText::check(m_body->toPlainText());
    m_validation->setText(validationText());
    QPalette palette = m_validation->palette();
    palette.setColor(QPalette::WindowText, m_check.ok ? QColor(0x2e, 0x7d, 0x32) : QColor(0xc6, 0x28, 0x28));
    m_validation->setPalette(palette);
    updateControls();
}

QString PayloadEditorDialog::validationText() const
{
    if (rawMode())
        return tr("Raw text: sent as typed (UTF-8)");
    if (m_check.ok)
        return tr("Valid JSON");
    return tr("Line %1, column %2: %3").arg(m_check.line).arg(m_check.column).arg(m_check.message);
}

http::HeaderList PayloadEditorDialog::editedHeaders() const
{
    http::HeaderList headers;
    for (int r = 0; r < m_headers->rowCount(); ++r) {
        const QTableWidgetItem *name = m_headers->item(r, 0);
        const QTableWidgetItem *value = m_headers->item(r, 1);
        const QString nameText = name ? name->text().trimmed() : QString();
        if (nameText.isEmpty())
            continue;
        headers.append({nameText.toLatin1(), value ? value->text().toUtf8() : QByteArray()});
    }
    return headers;
}

QByteArray PayloadEditorDialog::editedBody() const
{
    return m_body->toPlainText().toUtf8();
}

http::HeaderList PayloadEditorDialog::previewHeaders(QString *note) const
{
    http::HeaderList headers = editedHeaders();
    const bool toReceiver = m_sendTo->currentIndex() == 0;
    const config::SourceConfig *source = m_pipeline.config().source(m_source);
    if (!toReceiver || !m_resign->isChecked() || !source || source->provider == u"none"_s)
        return headers;
    const providers::Verifier *verifier = providers::ProviderRegistry::find(source->provider);
    if (!verifier)
        return headers;
    http::HttpRequest request;
    request.method = "POST";
    request.target = m_target.toLatin1();
    request.headers = headers;
    request.body = editedBody();
    verifier->bindBody(request);
    const auto signedHeaders = verifier->signRequest(
        providers::SignInput{request, *source, source->secrets.value(0), QDateTime::currentSecsSinceEpoch()});
    if (!signedHeaders) {
        if (note)
            *note = tr("cannot re-sign: %1").arg(signedHeaders.error().message);
        return headers;
    }
    for (const auto &[name, value] : *signedHeaders)
        providers::Verifier::replaceHeader(request.headers, name, value);
    if (note)
        *note = tr("signature headers re-computed now; sending computes them again at its own time");
    return request.headers;
}

void PayloadEditorDialog::updateDiff()
{
    if (!m_loaded)
        return;
    m_bodyDiff = LineDiff::diffText(QString::fromUtf8(m_originalBody), m_body->toPlainText());
    QString note;
    m_headerDiff = LineDiff::diff(headerLines(m_originalHeaders), headerLines(previewHeaders(&note)));

    // One document, body then headers, each line coloured by its kind.
    QString text;
    QList<DiffLine::Kind> kinds;
    auto section = [&text, &kinds](const QString &title, const QList<DiffLine> &lines) {
        text += title % u'\n';
        kinds.append(DiffLine::Kind::Same);
        const QString rendered = LineDiff::render(lines);
        text += rendered;
        for (const DiffLine &line : lines)
            kinds.append(line.kind);
    };
    const bool bodyChanged = LineDiff::hasChanges(m_bodyDiff);
    const bool headersChanged = LineDiff::hasChanges(m_headerDiff);
    // The body with three lines of context around each change, so the changes are in view.
    section(bodyChanged ? tr("@@ body") : tr("@@ body (unchanged)"), LineDiff::withContext(m_bodyDiff, 3));
    section(headersChanged ? tr("@@ headers") : tr("@@ headers (unchanged)"), m_headerDiff);
    if (!note.isEmpty()) {
        text += u"@@ "_s % note % u'\n';
        kinds.append(DiffLine::Kind::Same);
    }
    if (m_newKey->isChecked()) {
        // Where the key lives: for Stripe it is the body's "id", which the sent body will not
        // have as the editor shows it.
        QString origin;
        const config::SourceConfig *source = m_pipeline.config().source(m_source);
        if (const providers::Verifier *verifier =
                source ? providers::ProviderRegistry::find(source->provider) : nullptr) {
            http::HttpRequest request;
            request.method = "POST";
            request.target = m_target.toLatin1();
            request.headers = editedHeaders();
            request.body = editedBody();
            origin = verifier->idempotencyKey(request, providers::BodyParser::parse(request)).origin;
        }
        text += (origin.isEmpty() ? tr("@@ a new idempotency key is minted when sending")
                                  : tr("@@ a new idempotency key is minted when sending (at %1)").arg(origin))
                % u'\n';
        kinds.append(DiffLine::Kind::Same);
    }
    m_diff->setPlainText(text);

    const QColor removed = QColor(0xc6, 0x28, 0x28, 60);
    const QColor added = QColor(0x2e, 0x7d, 0x32, 60);
    QList<QTextEdit::ExtraSelection> selections;
    QTextBlock block = m_diff->document()->firstBlock();
    for (qsizetype i = 0; i < kinds.size() && block.isValid(); ++i, block = block.next()) {
        if (kinds.at(i) != DiffLine::Kind::Added && kinds.at(i) != DiffLine::Kind::Removed)
            continue;
        QTextEdit::ExtraSelection selection;
        selection.format.setBackground(kinds.at(i) == DiffLine::Kind::Added ? added : removed);
        selection.format.setProperty(QTextFormat::FullWidthSelection, true);
        selection.cursor = QTextCursor(block);
        selections.append(selection);
    }
    m_diff->setExtraSelections(selections);
}

QString PayloadEditorDialog::diffText() const
{
    return m_diff->toPlainText();
}

void PayloadEditorDialog::setSendTo(SendTo to)
{
    m_sendTo->setCurrentIndex(to == SendTo::Receiver ? 0 : 1);
}

void PayloadEditorDialog::setResign(bool resign)
{
    m_resign->setChecked(resign);
}

void PayloadEditorDialog::setNewIdempotencyKey(bool mint)
{
    m_newKey->setChecked(mint);
}

bool PayloadEditorDialog::canSend(QString *why) const
{
    QString reason;
    if (!m_loaded)
        reason = tr("the request is not loaded yet");
    else if (m_sending)
        reason = tr("sending…");
    else if (!m_check.ok)
        reason = tr("the body is not valid JSON (switch to Raw text to send it anyway)");
    else if (m_journalId <= 0 && m_sendTo->currentIndex() != 0)
        reason = tr("a template has no original topic: send it through the receiver");
    if (why)
        *why = reason;
    return reason.isEmpty();
}

void PayloadEditorDialog::updateControls()
{
    if (!m_send)
        return;
    QString why;
    const bool ok = canSend(&why);
    m_send->setEnabled(ok);
    m_send->setToolTip(why);
    m_resign->setEnabled(m_sendTo->currentIndex() == 0);
}

void PayloadEditorDialog::send()
{
    QString why;
    if (!canSend(&why)) {
        finishSend(0, u"error"_s, why, 0);
        return;
    }
    if (m_journalId <= 0) {
        sendTemplate();
        return;
    }
    replay::ReplayService *service = m_pipeline.replayService();
    if (!service) {
        finishSend(0, u"error"_s, tr("the replay service is not running"), 0);
        return;
    }
    replay::ReplayRequest request;
    request.journalId = m_deadLetterId > 0 ? 0 : m_journalId;
    request.deadLetterId = m_deadLetterId;
    request.mode = m_sendTo->currentIndex() == 0 ? replay::ReplayMode::Receiver : replay::ReplayMode::Topic;
    const QByteArray body = editedBody();
    if (body != m_originalBody)
        request.edits.body = body;
    const http::HeaderList headers = editedHeaders();
    if (headers != m_originalHeaders)
        request.edits.headerList = headers;
    request.edits.newIdempotencyKey = m_newKey->isChecked();
    request.edits.resign = m_resign->isChecked();
    m_sending = true;
    updateControls();
    m_status->setText(tr("Sending…"));
    service->replay(request, this, [this](const Result<replay::ReplayResult> &result) {
        if (!result) {
            finishSend(0, u"error"_s, result.error().message, 0);
            return;
        }
        finishSend(result->httpStatus, result->status, result->reason, result->newJournalId);
    });
}

void PayloadEditorDialog::sendTemplate()
{
    const config::SourceConfig *source = m_pipeline.config().source(m_source);
    if (!source) {
        finishSend(0, u"error"_s, tr("there is no source \"%1\" in the config").arg(m_source), 0);
        return;
    }
    http::HttpRequest request;
    request.method = "POST";
    request.target = m_target.toLatin1();
    request.headers = editedHeaders();
    request.body = editedBody();
    const providers::Verifier *verifier = providers::ProviderRegistry::find(source->provider);
    if (verifier && m_newKey->isChecked()) {
        const QByteArray key = "editor-" + QUuid::createUuid().toString(QUuid::WithoutBraces).toLatin1();
        if (auto rekeyed = verifier->setIdempotencyKey(request, key); !rekeyed) {
            finishSend(0, u"error"_s, rekeyed.error().message, 0);
            return;
        }
    }
    if (verifier && m_resign->isChecked() && source->provider != u"none"_s) {
        verifier->bindBody(request);
        const auto signedHeaders = verifier->signRequest(
            providers::SignInput{request, *source, source->secrets.value(0), QDateTime::currentSecsSinceEpoch()});
        if (!signedHeaders) {
            finishSend(0, u"error"_s, signedHeaders.error().message, 0);
            return;
        }
        for (const auto &[name, value] : *signedHeaders)
            providers::Verifier::replaceHeader(request.headers, name, value);
    }
    m_sending = true;
    updateControls();
    m_status->setText(tr("Sending…"));
    replay::LoopbackClient::send(m_pipeline.listenAddress(), request, m_pipeline.config().kafka.produceWaitMs + 15'000,
                                 this, [this](const Result<replay::ReceiverAnswer> &answer) {
                                     if (!answer) {
                                         finishSend(0, u"error"_s, answer.error().message, 0);
                                         return;
                                     }
                                     const QJsonObject json = QJsonDocument::fromJson(answer->body).object();
                                     finishSend(answer->status, json.value(u"status"_s).toString(),
                                                json.value(u"reason"_s).toString(), json.value(u"id"_s).toInteger());
                                 });
}

void PayloadEditorDialog::finishSend(int httpStatus, const QString &status, const QString &reason, qint64 newJournalId)
{
    m_sending = false;
    updateControls();
    if (httpStatus == 0)
        m_status->setText(tr("Not sent: %1").arg(reason));
    else
        m_status->setText(tr("HTTP %1 %2%3%4")
                              .arg(httpStatus)
                              .arg(status, reason.isEmpty() ? QString() : u" ("_s % reason % u')',
                                   newJournalId > 0 ? tr(" · new entry #%1").arg(newJournalId) : QString()));
    emit sent(httpStatus, status, reason, newJournalId);
}

QString PayloadEditorDialog::statusText() const
{
    return m_status->text();
}

Result<void> PayloadEditorDialog::saveTemplate(const QString &path) const
{
    const config::SourceConfig *source = m_pipeline.config().source(m_source);
    QJsonArray headers;
    for (const auto &[name, value] : editedHeaders())
        headers.append(QJsonArray{QString::fromLatin1(name), QString::fromUtf8(value)});
    const QJsonObject json{{u"provider"_s, source ? source->provider : u"none"_s},
                           {u"event_type"_s, QString()},
                           {u"headers"_s, headers},
                           {u"body_text"_s, m_body->toPlainText()}};
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(json).toJson(QJsonDocument::Indented)) < 0
        || !file.commit())
        return Error{u"save_failed"_s, tr("Saving the template to %1 failed: %2").arg(path, file.errorString())};
    return {};
}

Result<void> PayloadEditorDialog::saveFixture(const QString &path) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(editedBody()) < 0 || !file.commit())
        return Error{u"save_failed"_s, tr("Saving the fixture to %1 failed: %2").arg(path, file.errorString())};
    return {};
}

} // namespace hookbench::ui
