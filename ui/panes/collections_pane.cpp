#include "ui/panes/collections_pane.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QLabel>
#include <QListWidget>
#include <QMainWindow>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QTableWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include "core/capture/replay_runner.h"
#include "core/pipeline/ingest_pipeline.h"
#include "ui/dialogs/import_dialog.h"
#include "ui/models/journal_feed_model.h"
#include "ui/panes/feed_pane.h"
#include "ui/widgets/empty_view_hint.h"
#include "ui/workers/capture_worker.h"

using namespace Qt::StringLiterals;

namespace hookbench::ui {

namespace {

enum Column { Method, Target, Source, Bytes, Notes, ColumnCount };

// Drops of files and folders onto a window go to the pane; the window keeps its own events.
class DropFilter final : public QObject
{
public:
    DropFilter(QWidget *window, CollectionsPane *pane) : QObject(window), m_pane(pane) { window->setAcceptDrops(true); }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::DragEnter || event->type() == QEvent::DragMove) {
            auto *drag = static_cast<QDropEvent *>(event);
            if (drag->mimeData()->hasUrls()) {
                drag->acceptProposedAction();
                return true;
            }
        } else if (event->type() == QEvent::Drop) {
            auto *drop = static_cast<QDropEvent *>(event);
            for (const QUrl &url : drop->mimeData()->urls()) {
                // After the drop returns: opening may ask a question, which must not hold the drag.
                if (url.isLocalFile())
                    QTimer::singleShot(0, m_pane,
                                       [pane = m_pane, path = url.toLocalFile()] { pane->openPath(path, true); });
            }
            drop->acceptProposedAction();
            return true;
        }
        return QObject::eventFilter(watched, event);
    }

private:
    CollectionsPane *m_pane;
};

QList<qint64> selectedIds(FeedPane *feed)
{
    QList<qint64> ids;
    const QModelIndexList rows = feed->view()->selectionModel()->selectedRows();
    for (const QModelIndex &row : rows) {
        const qint64 id = feed->model()->idAt(row.row());
        if (id > 0)
            ids.append(id);
    }
    std::sort(ids.begin(), ids.end());
    return ids;
}

// A save dialog does not add the filter's extension by itself (the Qt one does not).
QString withSuffix(const QString &path, const QString &suffix)
{
    return path.isEmpty() || !QFileInfo(path).suffix().isEmpty() ? path : path + u'.' + suffix;
}

} // namespace

CollectionsPane::CollectionsPane(pipeline::IngestPipeline &pipeline, QWidget *parent)
    : QWidget(parent)
    , m_pipeline(pipeline)
{
    setObjectName(u"collectionsPane"_s);
    m_worker = new CaptureWorker(pipeline.config(), pipeline.databasePath(), &pipeline.journalWriter());
    m_thread.adopt(m_worker);
    m_thread.start();
    buildUi();
}

CollectionsPane::~CollectionsPane()
{
    if (m_runner)
        QMetaObject::invokeMethod(
            m_runner, [runner = m_runner] { runner->cancel(); }, Qt::QueuedConnection);
}

void CollectionsPane::buildUi()
{
    auto *importButton = new QToolButton(this);
    importButton->setText(tr("Import…"));
    importButton->setPopupMode(QToolButton::MenuButtonPopup);
    auto *importMenu = new QMenu(importButton);
    importMenu->addAction(tr("HAR, session, collection or curl file…"), this, [this] { chooseImport(false); });
    importMenu->addAction(tr("Fixture folder…"), this, [this] { chooseImport(true); });
    importButton->setMenu(importMenu);
    connect(importButton, &QToolButton::clicked, this, [this] { chooseImport(false); });
    auto *openButton = new QPushButton(tr("Open…"), this);
    auto *saveButton = new QPushButton(tr("Save…"), this);
    auto *clearButton = new QPushButton(tr("Clear"), this);
    connect(openButton, &QPushButton::clicked, this, &CollectionsPane::openCollection);
    connect(saveButton, &QPushButton::clicked, this, &CollectionsPane::saveCollection);
    connect(clearButton, &QPushButton::clicked, this, [this] {
        m_captures.clear();
        refreshTable();
    });
    m_status = new QLabel(tr("Drop a HAR, a session or a fixture folder onto the window, or use File → Import"), this);
    // Messages name files and errors of any length: they wrap within the pane instead of widening it.
    m_status->setWordWrap(true);
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    auto *tools = new QHBoxLayout;
    tools->addWidget(importButton);
    tools->addWidget(openButton);
    tools->addWidget(saveButton);
    tools->addWidget(clearButton);
    tools->addWidget(m_status, 1);

    m_table = new QTableWidget(0, ColumnCount, this);
    m_table->setObjectName(u"collectionCaptures"_s);
    m_table->setHorizontalHeaderLabels({tr("Method"), tr("Path"), tr("Source"), tr("Bytes"), tr("Notes")});
    m_table->horizontalHeader()->setSectionResizeMode(Target, QHeaderView::Stretch);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    connect(m_table, &QTableWidget::itemChanged, this, [this](QTableWidgetItem *item) {
        if (item->column() == Method && item->row() < m_captures.size())
            m_captures[item->row()].selected = item->checkState() == Qt::Checked;
    });

    m_mode = new QComboBox(this);
    m_mode->addItem(tr("Through the receiver"), u"receiver"_s);
    m_mode->addItem(tr("Direct to the topic"), u"topic"_s);
    m_target = new QComboBox(this);
    m_target->addItem(tr("Original path"), QString());
    for (const auto &source : m_pipeline.config().sources)
        m_target->addItem(source.name, source.name);
    m_resign = new QCheckBox(tr("Re-sign with the source's secret"), this);
    m_mint = new QCheckBox(tr("Mint idempotency keys"), this);
    m_pace = new QComboBox(this);
    m_pace->addItem(tr("As fast as possible"), u"asap"_s);
    m_pace->addItem(tr("As captured"), u"as-captured"_s);
    m_pace->addItem(tr("Fixed rate"), u"fixed-rate"_s);
    m_rate = new QDoubleSpinBox(this);
    m_rate->setRange(0.1, 100000);
    m_rate->setValue(10);
    m_rate->setSuffix(tr(" /s"));
    m_order = new QComboBox(this);
    m_order->addItem(tr("As captured"), u"as-captured"_s);
    m_order->addItem(tr("Shuffled"), u"shuffled"_s);
    m_order->addItem(tr("Reversed"), u"reversed"_s);
    m_seed = new QSpinBox(this);
    m_seed->setRange(0, 1'000'000);
    m_seed->setValue(1);
    m_seed->setPrefix(tr("seed "));
    m_repeat = new QSpinBox(this);
    m_repeat->setRange(1, 100'000);
    m_duplicates = new QDoubleSpinBox(this);
    m_duplicates->setRange(0, 100);
    m_duplicates->setSuffix(tr(" %"));

    // The rate applies to a fixed pace, the seed to a shuffle.
    auto syncEnabled = [this] {
        m_rate->setEnabled(m_pace->currentData().toString() == u"fixed-rate"_s);
        m_seed->setEnabled(m_order->currentData().toString() == u"shuffled"_s);
    };
    connect(m_pace, &QComboBox::currentIndexChanged, this, syncEnabled);
    connect(m_order, &QComboBox::currentIndexChanged, this, syncEnabled);
    syncEnabled();
    auto *paceRow = new QHBoxLayout;
    paceRow->addWidget(m_pace, 1);
    paceRow->addWidget(m_rate);
    auto *orderRow = new QHBoxLayout;
    orderRow->addWidget(m_order, 1);
    orderRow->addWidget(m_seed);
    auto *form = new QFormLayout;
    form->addRow(tr("Send"), m_mode);
    form->addRow(tr("As source"), m_target);
    form->addRow(QString(), m_resign);
    form->addRow(QString(), m_mint);
    form->addRow(tr("Pace"), paceRow);
    form->addRow(tr("Order"), orderRow);
    form->addRow(tr("Repeat"), m_repeat);
    form->addRow(tr("Duplicates"), m_duplicates);

    m_runButton = new QPushButton(tr("Run"), this);
    m_runButton->setObjectName(u"collectionRun"_s);
    m_cancelButton = new QPushButton(tr("Cancel"), this);
    m_cancelButton->setEnabled(false);
    connect(m_runButton, &QPushButton::clicked, this, &CollectionsPane::run);
    connect(m_cancelButton, &QPushButton::clicked, this, [this] {
        if (m_runner)
            QMetaObject::invokeMethod(
                m_runner, [runner = m_runner] { runner->cancel(); }, Qt::QueuedConnection);
    });
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(u"collectionProgress"_s);
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    auto *runRow = new QHBoxLayout;
    runRow->addWidget(m_runButton);
    runRow->addWidget(m_cancelButton);
    runRow->addWidget(m_progress, 1);

    m_report = new QPlainTextEdit(this);
    m_report->setObjectName(u"collectionReport"_s);
    m_report->setReadOnly(true);
    m_report->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_report->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_report->setPlaceholderText(tr("The report of the last run appears here."));
    m_journalLinks = new QListWidget(this);
    m_journalLinks->setObjectName(u"collectionJournalLinks"_s);
    m_journalLinks->setToolTip(tr("Journal entries the run made; double-click to show one in the feed"));
    connect(m_journalLinks, &QListWidget::itemActivated, this,
            [this](QListWidgetItem *item) { emit journalEntryActivated(item->data(Qt::UserRole).toLongLong()); });

    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addLayout(form);
    rightLayout->addLayout(runRow);
    // Each of the two result views says what it holds, also before the first run.
    new EmptyViewHint(m_journalLinks, tr("The journal entries of a run appear here"));
    auto *reportRow = new QGridLayout;
    reportRow->addWidget(new QLabel(tr("Report"), right), 0, 0);
    reportRow->addWidget(new QLabel(tr("Journal entries"), right), 0, 1);
    reportRow->addWidget(m_report, 1, 0);
    reportRow->addWidget(m_journalLinks, 1, 1);
    reportRow->setColumnStretch(0, 3);
    reportRow->setColumnStretch(1, 1);
    reportRow->setRowStretch(1, 1);
    rightLayout->addLayout(reportRow, 1);

    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addLayout(tools);
    leftLayout->addWidget(m_table, 1);

    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(split);
}

void CollectionsPane::attach(QMainWindow *window, FeedPane *feed)
{
    m_feed = feed;
    window->installEventFilter(new DropFilter(window, this));
    connect(this, &CollectionsPane::journalEntryActivated, feed, &FeedPane::selectEntry);
}

void CollectionsPane::addFeedActions(QMenu *menu)
{
    const QList<qint64> ids = m_feed ? selectedIds(m_feed) : QList<qint64>{};
    if (ids.isEmpty())
        return;
    addEntryActions(menu, ids);
    menu->addSeparator();
    menu->addAction(tr("Add to collection"), this, [this, ids] {
        m_worker->captures(ids, this, [this](const Result<QList<capture::Capture>> &captures) {
            if (!captures) {
                emit message(captures.error().message);
                return;
            }
            addCaptures(*captures);
        });
    });
}

void CollectionsPane::addEntryActions(QMenu *menu, const QList<qint64> &ids)
{
    const QByteArray base = "http://" + m_pipeline.listenAddress().toUtf8();
    auto copyCurl = [this, ids, base](bool resign) {
        m_worker->curl(ids, resign, base, this, [this](const Result<QString> &text) {
            if (!text) {
                emit message(text.error().message);
                return;
            }
            QApplication::clipboard()->setText(*text);
            emit message(tr("Copied as curl"));
        });
    };
    menu->addAction(tr("Copy as curl (signature headers as sent)"), this, [copyCurl] { copyCurl(false); });
    menu->addAction(tr("Copy as curl (signed again)"), this, [copyCurl] { copyCurl(true); });
    menu->addSeparator();
    menu->addAction(tr("Export as session…"), this, [this, ids] { exportEntries(ids, u"session"_s); });
    menu->addAction(tr("Export as HAR…"), this, [this, ids] { exportEntries(ids, u"har"_s); });
    menu->addAction(tr("Export as fixture folder…"), this, [this, ids] { exportEntries(ids, u"fixtures"_s); });
}

void CollectionsPane::exportEntries(const QList<qint64> &ids, const QString &format)
{
    QString path;
    if (format == u"fixtures"_s)
        path = QFileDialog::getExistingDirectory(this, tr("Export fixture folder"));
    else if (format == u"har"_s)
        path = withSuffix(QFileDialog::getSaveFileName(this, tr("Export HAR"), QString(), tr("HAR (*.har)")), u"har"_s);
    else
        path = withSuffix(
            QFileDialog::getSaveFileName(this, tr("Export session"), QString(), tr("Hookbench session (*.hbsession)")),
            u"hbsession"_s);
    if (path.isEmpty())
        return;
    const QByteArray base = "http://" + m_pipeline.listenAddress().toUtf8();
    m_worker->exportEntries(ids, format, path, base, this,
                            [this](const Result<QString> &done) { emit message(done ? *done : done.error().message); });
}

void CollectionsPane::addFileActions(QMenu *menu)
{
    menu->addAction(tr("&Open session…"), QKeySequence(Qt::CTRL | Qt::Key_O), this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open session"), QString(),
                                                          tr("Hookbench sessions (*.hbsession);;All files (*)"));
        if (!path.isEmpty())
            openSession(path);
    });
    menu->addAction(tr("Open co&llection…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O), this,
                    &CollectionsPane::openCollection);
    menu->addAction(tr("&Import captures…"), QKeySequence(Qt::CTRL | Qt::Key_I), this, [this] { chooseImport(false); });
    menu->addAction(tr("Import &fixture folder…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I), this,
                    [this] { chooseImport(true); });
    auto *exportMenu = menu->addMenu(tr("&Export selected entries"));
    // Built when opened: it acts on the feed's selection of that moment.
    connect(exportMenu, &QMenu::aboutToShow, this, [this, exportMenu] {
        exportMenu->clear();
        const QList<qint64> ids = m_feed ? selectedIds(m_feed) : QList<qint64>{};
        if (ids.isEmpty())
            exportMenu->addAction(tr("Select entries in the live feed first"))->setEnabled(false);
        else
            addEntryActions(exportMenu, ids);
    });
    menu->addSeparator();
}

void CollectionsPane::openPath(const QString &path, bool askForSessions)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == u"hbcollection"_s) {
        openCollectionFile(path);
        return;
    }
    if (suffix != u"hbsession"_s) {
        importPath(path);
        return;
    }
    if (askForSessions) {
        QMessageBox box(QMessageBox::Question, tr("Hookbench session"),
                        tr("Open %1 as journal entries, or add its requests to the collection to replay them?")
                            .arg(QFileInfo(path).fileName()),
                        QMessageBox::Cancel, this);
        auto *open = box.addButton(tr("Open as journal entries"), QMessageBox::AcceptRole);
        auto *add = box.addButton(tr("Add to collection"), QMessageBox::ActionRole);
        box.setDefaultButton(open);
        box.exec();
        if (box.clickedButton() == add)
            importPath(path);
        if (box.clickedButton() != open)
            return;
    }
    openSession(path);
}

void CollectionsPane::openSession(const QString &path)
{
    const QString name = QFileInfo(path).fileName();
    emit message(tr("Opening %1…").arg(name));
    m_worker->importSession(path, this, [this, name](const Result<capture::SessionImportResult> &imported) {
        if (!imported) {
            emit message(imported.error().message);
            QMessageBox::warning(this, tr("Open session"), imported.error().message);
            return;
        }
        QList<qint64> ids = imported->ids.values();
        std::sort(ids.begin(), ids.end());
        emit message(ids.isEmpty() ? tr("%1 holds no entries").arg(name)
                                   : tr("Opened %1: %2 entries as journal #%3–#%4, %5 attempts, %6 dead letters")
                                         .arg(name)
                                         .arg(imported->entries)
                                         .arg(ids.first())
                                         .arg(ids.last())
                                         .arg(imported->attempts)
                                         .arg(imported->deadLetters));
        if (!ids.isEmpty())
            emit journalEntryActivated(ids.first());
        emit sessionOpened(imported->ids);
    });
}

void CollectionsPane::chooseImport(bool folder)
{
    if (folder) {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Import a fixture folder"));
        if (!dir.isEmpty())
            importPath(dir);
        return;
    }
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Import captures"), QString(),
        tr("Captures (*.har *.hbsession *.hbcollection *.json *.sh *.txt *.curl);;All files (*)"));
    if (!path.isEmpty())
        importPath(path);
}

void CollectionsPane::importPath(const QString &path)
{
    QString source = m_target->currentData().toString();
    if (QFileInfo(path).isDir() && source.isEmpty()) {
        // A fixture folder is signed for a source: ask which (the "As source" choice otherwise).
        QStringList names;
        for (const auto &s : m_pipeline.config().sources)
            names.append(s.name);
        bool ok = false;
        source =
            QInputDialog::getItem(this, tr("Fixture folder"), tr("Sign the payloads for source"), names, 0, false, &ok);
        if (!ok)
            return;
    }
    m_status->setText(tr("Reading %1…").arg(path));
    m_worker->load(path, source, this, [this, path](const Result<capture::LoadedInput> &input) {
        if (!input) {
            m_status->setText(input.error().message);
            emit message(input.error().message);
            return;
        }
        ImportDialog dialog(input->report, this);
        if (dialog.exec() != QDialog::Accepted) {
            m_status->setText(tr("Import of %1 cancelled").arg(path));
            return;
        }
        addCaptures(dialog.captures());
        m_status->setText(tr("%1 captures from %2").arg(dialog.checkedCount()).arg(QFileInfo(path).fileName()));
    });
}

void CollectionsPane::addCaptures(const QList<capture::Capture> &captures)
{
    m_captures.append(captures);
    refreshTable();
}

void CollectionsPane::refreshTable()
{
    const QSignalBlocker block(m_table);
    m_table->setRowCount(static_cast<int>(m_captures.size()));
    for (int row = 0; row < m_captures.size(); ++row) {
        const capture::Capture &c = m_captures.at(row);
        auto *method = new QTableWidgetItem(QString::fromUtf8(c.method));
        method->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
        method->setCheckState(c.selected ? Qt::Checked : Qt::Unchecked);
        m_table->setItem(row, Method, method);
        m_table->setItem(row, Target, new QTableWidgetItem(QString::fromUtf8(c.target())));
        m_table->setItem(row, Source, new QTableWidgetItem(c.source));
        m_table->setItem(row, Bytes, new QTableWidgetItem(QString::number(c.body.size())));
        m_table->setItem(row, Notes, new QTableWidgetItem(c.notes));
    }
    m_table->resizeColumnToContents(Method);
}

capture::ReplayCollection CollectionsPane::collection() const
{
    capture::ReplayCollection collection;
    collection.captures = m_captures;
    capture::ReplayOptions &o = collection.options;
    o.mode = replay::parseReplayMode(m_mode->currentData().toString()).value_or(replay::ReplayMode::Receiver);
    o.targetSource = m_target->currentData().toString();
    o.resign = m_resign->isChecked();
    o.mintIdempotencyKeys = m_mint->isChecked();
    o.pace = capture::parseReplayPace(m_pace->currentData().toString()).value_or(capture::ReplayPace::AsFastAsPossible);
    o.ratePerSecond = m_rate->value();
    o.order = capture::parseReplayOrder(m_order->currentData().toString()).value_or(capture::ReplayOrder::AsCaptured);
    o.seed = static_cast<quint64>(m_seed->value());
    o.repeat = m_repeat->value();
    o.duplicateRate = m_duplicates->value() / 100.0;
    return collection;
}

void CollectionsPane::setCollection(const capture::ReplayCollection &collection)
{
    m_captures = collection.captures;
    const capture::ReplayOptions &o = collection.options;
    m_mode->setCurrentIndex(m_mode->findData(replay::replayModeName(o.mode)));
    m_target->setCurrentIndex(std::max(0, m_target->findData(o.targetSource)));
    m_resign->setChecked(o.resign);
    m_mint->setChecked(o.mintIdempotencyKeys);
    m_pace->setCurrentIndex(m_pace->findData(capture::replayPaceName(o.pace)));
    m_rate->setValue(o.ratePerSecond);
    m_order->setCurrentIndex(m_order->findData(capture::replayOrderName(o.order)));
    m_seed->setValue(static_cast<int>(o.seed));
    m_repeat->setValue(o.repeat);
    m_duplicates->setValue(o.duplicateRate * 100.0);
    refreshTable();
}

void CollectionsPane::openCollection()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open collection"), QString(),
                                                      tr("Collections (*.hbcollection *.json);;All files (*)"));
    if (!path.isEmpty())
        openCollectionFile(path);
}

void CollectionsPane::openCollectionFile(const QString &path)
{
    m_worker->load(path, {}, this, [this, path](const Result<capture::LoadedInput> &input) {
        if (!input || !input->options) {
            m_status->setText(input ? tr("%1 is not a collection").arg(path) : input.error().message);
            emit message(m_status->text());
            return;
        }
        capture::ReplayCollection collection;
        collection.captures = input->report.captures;
        collection.options = *input->options;
        setCollection(collection);
        m_status->setText(tr("Opened %1").arg(QFileInfo(path).fileName()));
        emit message(m_status->text());
    });
}

void CollectionsPane::saveCollection()
{
    const QString path = withSuffix(
        QFileDialog::getSaveFileName(this, tr("Save collection"), QString(), tr("Collections (*.hbcollection)")),
        u"hbcollection"_s);
    if (path.isEmpty())
        return;
    // A small JSON write; the collection is already in memory.
    const auto saved = collection().save(path);
    m_status->setText(saved ? tr("Saved %1").arg(QFileInfo(path).fileName()) : saved.error().message);
}

bool CollectionsPane::isRunning() const
{
    return m_runner != nullptr;
}

QString CollectionsPane::reportText() const
{
    return m_report->toPlainText();
}

void CollectionsPane::run()
{
    if (m_runner || m_captures.isEmpty())
        return;
    capture::ReplayRunnerEnvironment env;
    env.config = m_pipeline.config();
    env.receiverAddress = m_pipeline.listenAddress();
    env.pipeline = &m_pipeline;
    m_runner = new capture::ReplayRunner(collection(), env);
    m_thread.adopt(m_runner);
    m_progress->setRange(0, std::max<int>(1, static_cast<int>(collection().plan().size())));
    m_progress->setValue(0);
    m_report->clear();
    m_journalLinks->clear();
    m_runButton->setEnabled(false);
    m_cancelButton->setEnabled(true);
    connect(m_runner, &capture::ReplayRunner::progress, this, [this](int done, int total) {
        m_progress->setRange(0, std::max(1, total));
        m_progress->setValue(done);
    });
    connect(m_runner, &capture::ReplayRunner::finished, this, [this](const capture::ReplayReport &report) {
        m_runner->deleteLater();
        m_runner = nullptr;
        m_runButton->setEnabled(true);
        m_cancelButton->setEnabled(false);
        showReport(report);
        emit runFinished(report);
    });
    QMetaObject::invokeMethod(
        m_runner, [runner = m_runner] { runner->start(); }, Qt::QueuedConnection);
}

void CollectionsPane::showReport(const capture::ReplayReport &report)
{
    m_report->setPlainText(report.toText());
    for (qint64 id : report.journalIds) {
        auto *item = new QListWidgetItem(tr("journal %1").arg(id), m_journalLinks);
        item->setData(Qt::UserRole, id);
        if (m_journalLinks->count() >= 1000)
            break;
    }
}

} // namespace hookbench::ui
