#include "ui/main_window.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDockWidget>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSettings>
#include <QStatusBar>
#include <QStyle>
#include <QTableView>
#include <QToolBar>
#include <QToolButton>

#include "core/faults/fault_injector.h"
#include "core/kafka/embedded_cluster.h"
#include "core/metrics/metrics_registry.h"
#include "core/pipeline/ingest_pipeline.h"
#include "core/samples/sample_event_factory.h"
#include "ui/dialogs/about_dialog.h"
#include "ui/dialogs/payload_editor_dialog.h"
#include "ui/dialogs/scenario_dialog.h"
#include "ui/dialogs/settings_dialog.h"
#include "ui/format/state_style.h"
#include "ui/models/journal_feed_model.h"
#include "ui/panes/charts_pane.h"
#include "ui/panes/collections_pane.h"
#include "ui/panes/consumer_group_pane.h"
#include "ui/panes/dlq_pane.h"
#include "ui/panes/faults_pane.h"
#include "ui/panes/feed_pane.h"
#include "ui/panes/inspector_pane.h"
#include "ui/panes/key_explorer_pane.h"
#include "ui/panes/partitions_pane.h"
#include "ui/panes/retries_pane.h"
#include "ui/widgets/stall_probe.h"

using namespace Qt::StringLiterals;

namespace hookbench::ui {

namespace {

constexpr int kHealthIntervalMs = 5000;
// Wide enough for "Kafka degraded: 2 of 3 brokers up"; longer readings are elided (tooltip: all).
constexpr int kHealthLabelMaxWidth = 300;
constexpr int kHealthTimeoutMs = 2000;

} // namespace

MainWindow::MainWindow(pipeline::IngestPipeline &pipeline, QWidget *parent) : QMainWindow(parent), m_pipeline(pipeline)
{
    setWindowTitle(u"Hookbench — %1"_s.arg(pipeline.listenAddress()));
    setObjectName(u"hookbenchMainWindow"_s);
    resize(1500, 900);
    setDockNestingEnabled(true);
    m_network = new QNetworkAccessManager(this);
    if (StallProbe::enabledByEnvironment())
        m_stallProbe = new StallProbe(this);

    m_feed = new FeedPane(pipeline, this);
    m_inspector = new InspectorPane(pipeline, this);
    connect(m_feed, &FeedPane::entrySelected, m_inspector, &InspectorPane::showEntry);
    connect(m_inspector, &InspectorPane::entryLinkActivated, m_feed, &FeedPane::selectEntry);
    // The feed re-reads the states of its rows; when the shown entry's row changes (a DLQ discard
    // or replay, which neither commits to the journal nor shows as processing activity), the
    // inspector re-reads it too.
    connect(m_feed->model(), &QAbstractItemModel::dataChanged, m_inspector,
            [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
                const qint64 shown = m_inspector->entryId();
                const int row = m_feed->model()->rowOf(shown);
                if (row >= topLeft.row() && row <= bottomRight.row())
                    m_inspector->entryMayHaveChanged(shown);
            });
    connect(m_feed->model(), &JournalFeedModel::loadFailed, this,
            [this](const QString &message) { statusBar()->showMessage(message, 10'000); });

    // The feed is the centre of the work; every other pane is a dock around it.
    // Feed left, inspector right, the four panes tabbed along the bottom (which spans the width).
    auto *feedDock = addDock(m_feed, tr("Live feed"), u"feedDock"_s, Qt::LeftDockWidgetArea);
    auto *inspectorDock = addDock(m_inspector, tr("Inspector"), u"inspectorDock"_s, Qt::LeftDockWidgetArea);
    splitDockWidget(feedDock, inspectorDock, Qt::Horizontal); // one area: resizeDocks can share its width
    auto *partitions =
        addDock(new PartitionsPane(pipeline, this), tr("Partitions"), u"partitionsDock"_s, Qt::BottomDockWidgetArea);
    auto *keys = addDock(new KeyExplorerPane(pipeline, this), tr("Key explorer"), u"keyExplorerDock"_s,
                         Qt::BottomDockWidgetArea);
    auto *consumers = addDock(new ConsumerGroupPane(pipeline, this), tr("Consumer group"), u"consumerGroupDock"_s,
                              Qt::BottomDockWidgetArea);
    auto *chartsPane = new ChartsPane(pipeline, this);
    auto *charts = addDock(chartsPane, tr("Charts"), u"chartsDock"_s, Qt::BottomDockWidgetArea);
    tabifyDockWidget(partitions, keys);
    tabifyDockWidget(keys, consumers);
    tabifyDockWidget(consumers, charts);
    auto *collections = m_collections = new CollectionsPane(pipeline, this);
    tabifyDockWidget(charts, addDock(collections, tr("Collections"), u"collectionsDock"_s, Qt::BottomDockWidgetArea));
    collections->attach(this, m_feed); // drops onto the window, the feed's selection
    connect(collections, &CollectionsPane::message, this,
            [this](const QString &text) { statusBar()->showMessage(text, 10'000); });
    addRedriveDocks(charts);
    auto *faultsPane = new FaultsPane(pipeline, this);
    tabifyDockWidget(charts, addDock(faultsPane, tr("Faults"), u"faultsDock"_s, Qt::BottomDockWidgetArea));
    // Every fault, from its button or a preset, is marked on the charts too.
    connect(
        faultsPane->injector(), &faults::FaultInjector::recorded, chartsPane,
        [chartsPane](const faults::FaultEvent &event) {
            if (event.ok)
                chartsPane->addFault(event.atMs, event.description);
        },
        Qt::QueuedConnection);
    partitions->raise();

    buildActions();
    addRedriveMenu();

    m_counters = new QLabel(this);
    m_counters->setObjectName(u"statusCounters"_s);
    statusBar()->addPermanentWidget(m_counters);

    QSettings settings;
    restoreGeometry(settings.value(u"window/geometry"_s).toByteArray());
    if (!restoreState(settings.value(u"window/state"_s).toByteArray())) {
        // First start: sizes apply once the window has its size, so after the first layout.
        QTimer::singleShot(0, this, [this, feedDock, inspectorDock, partitions] {
            resizeDocks({feedDock, inspectorDock}, {width() * 2 / 3, width() / 3}, Qt::Horizontal);
            resizeDocks({feedDock, partitions}, {height() * 3 / 4, height() / 4}, Qt::Vertical);
        });
    }

    m_rateClock.start();
    m_refresh.setInterval(500);
    connect(&m_refresh, &QTimer::timeout, this, &MainWindow::refreshCounters);
    m_refresh.start();
    refreshCounters();

    // Re-checked on a timer, so the indicator recovers by itself (after a laptop sleeps, say).
    m_healthTimer.setInterval(kHealthIntervalMs);
    connect(&m_healthTimer, &QTimer::timeout, this, &MainWindow::checkHealth);
    m_healthTimer.start();
    connect(&m_pipeline, &pipeline::IngestPipeline::kafkaHealthChanged, this, &MainWindow::checkHealth);
    checkHealth();
}

MainWindow::~MainWindow() = default;

void MainWindow::openFiles(const QStringList &paths)
{
    for (const QString &path : paths)
        m_collections->openPath(path);
}

QDockWidget *MainWindow::addDock(QWidget *widget, const QString &title, const QString &objectName,
                                 Qt::DockWidgetArea area)
{
    auto *dock = new QDockWidget(title, this);
    dock->setObjectName(objectName); // saveState() keys on it
    dock->setWidget(widget);
    dock->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable
                      | QDockWidget::DockWidgetFloatable);
    addDockWidget(area, dock);
    m_docks.append(dock);
    return dock;
}

void MainWindow::buildActions()
{
    const auto &sources = m_pipeline.config().sources;
    auto *fileMenu = menuBar()->addMenu(tr("&File"));
    m_collections->addFileActions(fileMenu);
    auto *liveMenu = menuBar()->addMenu(tr("&Live"));
    m_viewMenu = menuBar()->addMenu(tr("&View"));
    auto *toolbar = addToolBar(tr("Main"));
    toolbar->setObjectName(u"mainToolbar"_s);
    toolbar->setMovable(false);

    // Receiver URLs: one entry per source, click copies.
    auto *urlMenu = new QMenu(tr("Copy receiver URL"), this);
    int index = 0;
    for (const auto &source : sources) {
        auto *action = urlMenu->addAction(u"%1 — %2"_s.arg(source.name, receiverUrl(source.name)));
        if (index < 9)
            action->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key(Qt::Key_1 + index)));
        connect(action, &QAction::triggered, this, [this, name = source.name] { copyUrl(name); });
        ++index;
    }
    fileMenu->addMenu(urlMenu);
    auto *settingsAction = fileMenu->addAction(tr("&Settings…"));
    settingsAction->setObjectName(u"settingsAction"_s);
    settingsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    connect(settingsAction, &QAction::triggered, this, [this] {
        auto *dialog = findChild<SettingsDialog *>(); // one at a time
        if (!dialog) {
            dialog = new SettingsDialog(m_pipeline, this);
            dialog->setAttribute(Qt::WA_DeleteOnClose);
        }
        dialog->show();
        dialog->raise();
    });
    m_urlButton = new QToolButton(toolbar);
    m_urlButton->setObjectName(u"receiverUrlButton"_s);
    m_urlButton->setPopupMode(QToolButton::MenuButtonPopup);
    m_urlButton->setMenu(urlMenu);
    m_urlButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    const QString firstSource = sources.isEmpty() ? QString() : sources.constFirst().name;
    m_urlButton->setText(sources.isEmpty() ? tr("No sources configured") : receiverUrl(firstSource));
    m_urlButton->setToolTip(tr("Click to copy; the arrow lists every source's URL"));
    connect(m_urlButton, &QToolButton::clicked, this, [this, firstSource] {
        if (!firstSource.isEmpty())
            copyUrl(firstSource);
    });
    toolbar->addWidget(new QLabel(tr(" Receiver "), toolbar));
    toolbar->addWidget(m_urlButton);
    toolbar->addSeparator();

    m_kafkaLabel = new QLabel(toolbar);
    m_kafkaLabel->setObjectName(u"kafkaLabel"_s);
    m_kafkaLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    toolbar->addWidget(m_kafkaLabel);
    toolbar->addSeparator();
    m_healthLabel = new QLabel(tr("checking…"), toolbar);
    m_healthLabel->setObjectName(u"healthLabel"_s);
    toolbar->addWidget(m_healthLabel);
    auto *recheck = new QAction(tr("Re-check health"), this);
    recheck->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    connect(recheck, &QAction::triggered, this, &MainWindow::checkHealth);
    liveMenu->addAction(recheck);
    toolbar->addSeparator();

    m_pauseAction = new QAction(style()->standardIcon(QStyle::SP_MediaPause), tr("Pause live view"), this);
    m_pauseAction->setObjectName(u"pauseAction"_s);
    m_pauseAction->setCheckable(true);
    m_pauseAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
    m_pauseAction->setToolTip(tr("Freeze the feed (the pipeline keeps receiving) — Ctrl+P"));
    connect(m_pauseAction, &QAction::toggled, this, [this](bool paused) {
        m_feed->model()->setPaused(paused);
        m_pauseAction->setText(paused ? tr("Resume live view") : tr("Pause live view"));
        m_pauseAction->setIcon(style()->standardIcon(paused ? QStyle::SP_MediaPlay : QStyle::SP_MediaPause));
        statusBar()->showMessage(paused ? tr("Live view paused; the pipeline keeps running") : tr("Live view resumed"),
                                 3000);
    });
    liveMenu->addAction(m_pauseAction);
    toolbar->addAction(m_pauseAction);

    // Send test event: one entry per source; Ctrl+T repeats the last one.
    auto *sendMenu = new QMenu(tr("Send test event"), this);
    for (const auto &source : sources) {
        auto *action = sendMenu->addAction(u"%1 (%2)"_s.arg(source.name, source.provider));
        connect(action, &QAction::triggered, this, [this, name = source.name] { sendTestEvent(name); });
    }
    m_lastTestSource = firstSource;
    auto *sendAgain = new QAction(style()->standardIcon(QStyle::SP_ArrowForward), tr("Send test event"), this);
    sendAgain->setObjectName(u"sendTestEventAction"_s);
    sendAgain->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    sendAgain->setEnabled(!sources.isEmpty());
    connect(sendAgain, &QAction::triggered, this, [this] {
        if (!m_lastTestSource.isEmpty())
            sendTestEvent(m_lastTestSource);
    });
    liveMenu->addAction(sendAgain);
    liveMenu->addMenu(sendMenu);
    auto *scenarios =
        liveMenu->addAction(tr("S&cenarios…"), QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_S), this, [this] {
            auto *dialog = findChild<ScenarioDialog *>();
            if (!dialog)
                dialog = new ScenarioDialog(m_pipeline, this);
            dialog->show();
            dialog->raise();
        });
    scenarios->setObjectName(u"scenariosAction"_s);
    m_sendButton = new QToolButton(toolbar);
    m_sendButton->setDefaultAction(sendAgain);
    m_sendButton->setMenu(sendMenu);
    m_sendButton->setPopupMode(QToolButton::MenuButtonPopup);
    m_sendButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->addWidget(m_sendButton);

    auto *findAction = new QAction(tr("Filter the feed"), this);
    findAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_F));
    connect(findAction, &QAction::triggered, this, [this] {
        m_docks.constFirst()->show();
        m_feed->focusFilter();
    });
    liveMenu->addSeparator();
    liveMenu->addAction(findAction);
    auto *followAction = new QAction(tr("Jump to newest"), this);
    followAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_End));
    connect(followAction, &QAction::triggered, this, [this] {
        m_feed->model()->setFollowTail(true);
        if (!m_feed->model()->atNewest())
            m_feed->model()->setFilter(m_feed->model()->filter());
        m_feed->view()->scrollToBottom();
    });
    liveMenu->addAction(followAction);

    auto *quit = new QAction(tr("&Quit"), this);
    quit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q)); // QKeySequence::Quit is empty on some platforms
    connect(quit, &QAction::triggered, this, &QWidget::close);
    fileMenu->addSeparator();
    fileMenu->addAction(quit);

    // View: one toggle per dock, Alt+1…
    for (int i = 0; i < m_docks.size(); ++i) {
        QAction *toggle = m_docks.at(i)->toggleViewAction();
        toggle->setShortcut(QKeySequence(Qt::ALT | Qt::Key(Qt::Key_1 + i)));
        m_viewMenu->addAction(toggle);
    }
    m_viewMenu->addSeparator();
    auto *resetLayout = new QAction(tr("Reset layout"), this);
    resetLayout->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    connect(resetLayout, &QAction::triggered, this, [this] {
        for (QDockWidget *dock : std::as_const(m_docks)) {
            dock->setFloating(false);
            dock->show();
        }
        QSettings().remove(u"window/state"_s);
        statusBar()->showMessage(tr("Every pane is shown again; the saved layout was cleared"), 3000);
    });
    m_viewMenu->addAction(resetLayout);

    auto *about = new QAction(tr("&About Hookbench"), this);
    about->setObjectName(u"aboutAction"_s);
    about->setMenuRole(QAction::AboutRole);
    about->setShortcut(QKeySequence(Qt::Key_F1)); // the one entry of Help
    connect(about, &QAction::triggered, this, [this] {
        auto *dialog = new AboutDialog(this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
    });
    menuBar()->addMenu(tr("&Help"))->addAction(about);
}

QString MainWindow::receiverUrl(const QString &sourceName) const
{
    return u"http://"_s % m_pipeline.listenAddress() % u"/webhooks/"_s % sourceName;
}

void MainWindow::copyUrl(const QString &sourceName)
{
    const QString url = receiverUrl(sourceName);
    QApplication::clipboard()->setText(url);
    statusBar()->showMessage(tr("Copied %1").arg(url), 3000);
}

void MainWindow::refreshCounters()
{
    const metrics::MetricsRegistry &metrics = m_pipeline.metrics();
    double received = 0;
    double duplicates = 0;
    double rejected = 0;
    double produced = 0;
    double accepted = 0;
    double queued = 0;
    for (const auto &source : m_pipeline.config().sources) {
        const metrics::Labels labels{{u"source"_s, source.name}};
        received += metrics.counterValue(u"webhook_received_total"_s, labels);
        duplicates += metrics.counterValue(u"webhook_duplicates_total"_s, labels);
        rejected += metrics.rejectedTotal(source.name);
        produced += metrics.counterValue(u"webhook_produced_total"_s, labels);
        accepted += metrics.counterValue(u"webhook_accepted_total"_s, labels);
        queued += metrics.counterValue(u"webhook_queued_total"_s, labels);
    }
    const qint64 nowMs = m_rateClock.elapsed();
    if (nowMs > m_lastRateMs) {
        const double instant = (received - m_lastReceived) * 1000.0 / double(nowMs - m_lastRateMs);
        // A light smoothing so the number can be read while it changes every 500 ms.
        m_rate = m_lastRateMs == 0 ? instant : 0.5 * m_rate + 0.5 * instant;
    }
    m_lastReceived = received;
    m_lastRateMs = nowMs;
    // Counted where the answers are sent (200 accepted, 202 queued), not derived.
    m_counters->setText(tr("Received %1 (%2/s) · accepted %3 · queued %7 · duplicates %4 · rejected %5 · produced %6")
                            .arg(received, 0, 'f', 0)
                            .arg(m_rate, 0, 'f', 1)
                            .arg(accepted, 0, 'f', 0)
                            .arg(duplicates, 0, 'f', 0)
                            .arg(rejected, 0, 'f', 0)
                            .arg(produced, 0, 'f', 0)
                            .arg(queued, 0, 'f', 0));

    if (kafka::EmbeddedCluster *cluster = m_pipeline.embeddedCluster()) {
        int up = 0;
        const QList<int> ids = cluster->brokerIds();
        for (int id : ids)
            up += cluster->isBrokerUp(id) ? 1 : 0;
        m_kafkaLabel->setText(
            tr(" Kafka embedded: %1 of %2 brokers up · %3 ").arg(up).arg(ids.size()).arg(m_pipeline.bootstrap()));
    } else {
        m_kafkaLabel->setText(tr(" Kafka external: %1 ").arg(m_pipeline.bootstrap()));
    }
}

void MainWindow::checkHealth()
{
    if (m_healthInFlight)
        return;
    m_healthInFlight = true;
    QNetworkRequest request(QUrl(u"http://"_s % m_pipeline.listenAddress() % u"/healthz"_s));
    request.setTransferTimeout(kHealthTimeoutMs);
    QNetworkReply *reply = m_network->get(request);
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        m_healthInFlight = false;
        if (reply->error() != QNetworkReply::NoError) {
            setHealth(false, reply->errorString());
            return;
        }
        const QJsonObject health = QJsonDocument::fromJson(reply->readAll()).object();
        const QString status = health.value(u"status"_s).toString();
        // "degraded" is an answering receiver with Kafka trouble; setHealth reads that itself.
        setHealth(status == u"ok"_s || status == u"degraded"_s, status);
    });
}

void MainWindow::setHealth(bool receiverOk, const QString &detail)
{
    // Kafka as the pipeline saw it since the last check: the embedded cluster's brokers, and
    // whether the producer failed or answered 202 queued (no delivery report within the wait).
    const pipeline::KafkaReading kafka = m_pipeline.readKafka();
    const double newErrors = kafka.produceErrors - m_lastProduceErrors;
    const double newQueued = kafka.queuedAnswers - m_lastQueued;
    m_lastProduceErrors = kafka.produceErrors;
    m_lastQueued = kafka.queuedAnswers;
    QStringList kafkaProblems;
    if (kafka.embedded && kafka.brokersUp == 0)
        kafkaProblems.append(tr("no broker up"));
    else if (kafka.embedded && kafka.brokersUp < kafka.brokers)
        kafkaProblems.append(tr("%1 of %2 brokers up").arg(kafka.brokersUp).arg(kafka.brokers));
    if (newErrors > 0)
        kafkaProblems.append(tr("%1 produce errors").arg(newErrors, 0, 'f', 0));
    if (newQueued > 0)
        kafkaProblems.append(tr("%1 answered 202 queued").arg(newQueued, 0, 'f', 0));
    // What the producer itself reports: all brokers down, a fatal error being recovered from, a
    // full queue (external clusters included, where no broker flags exist).
    const pipeline::KafkaHealth producer = m_pipeline.kafkaHealth();
    // "no broker up" already says what librdkafka's "_ALL_BROKERS_DOWN: 1/1 brokers are down" does.
    const bool brokersReported = kafka.embedded && kafka.brokersUp < kafka.brokers;
    if (!producer.ok() && !(brokersReported && producer.state == pipeline::KafkaHealth::State::Unreachable))
        kafkaProblems.append(producer.reason);
    const bool kafkaDown = (kafka.embedded && kafka.brokersUp == 0) || newErrors > 0 || newQueued > 0 || !producer.ok();
    const bool ok = receiverOk && kafkaProblems.isEmpty();
    const auto tone =
        ok ? StateStyle::Tone::Good : (receiverOk && !kafkaDown ? StateStyle::Tone::Warning : StateStyle::Tone::Bad);
    QString text = tr("Healthy");
    if (!receiverOk)
        text = tr("Receiver not answering");
    else if (!kafkaProblems.isEmpty())
        text = (kafkaDown ? tr("Kafka unavailable: %1") : tr("Kafka degraded: %1")).arg(kafkaProblems.join(u", "_s));
    // The toolbar shows the start of a long reading and the tooltip all of it: at full length
    // ("Kafka unavailable: no broker up, 1 answered 202 queued, _ALL_BROKERS_DOWN: …") the label
    // pushed itself, Pause and Send test event into the toolbar's overflow menu just when it
    // mattered most.
    m_healthText = text;
    m_healthLabel->setText(
        u" %1 "_s.arg(m_healthLabel->fontMetrics().elidedText(text, Qt::ElideRight, kHealthLabelMaxWidth)));
    m_healthLabel->setToolTip(text % u"\n\n"_s
                              % tr("Receiver /healthz: %1; Kafka: produce errors and 202 answers since the last check, "
                                   "brokers up — re-checked every %2 s")
                                    .arg(detail)
                                    .arg(kHealthIntervalMs / 1000));
    QPalette palette = m_healthLabel->palette();
    palette.setColor(QPalette::WindowText, StateStyle::colour(tone, this->palette()));
    m_healthLabel->setPalette(palette);
}

void MainWindow::addRedriveDocks(QDockWidget *beside)
{
    m_dlq = new DlqPane(m_pipeline, this);
    m_retries = new RetriesPane(m_pipeline, this);
    auto *dlqDock = addDock(m_dlq, tr("DLQ"), u"dlqDock"_s, Qt::BottomDockWidgetArea);
    auto *retriesDock = addDock(m_retries, tr("Retries"), u"retriesDock"_s, Qt::BottomDockWidgetArea);
    tabifyDockWidget(beside, dlqDock);
    tabifyDockWidget(dlqDock, retriesDock);
    connect(m_dlq, &DlqPane::entryActivated, m_feed, &FeedPane::selectEntry);
    connect(m_dlq, &DlqPane::contextMenuAboutToShow, m_collections, &CollectionsPane::addEntryActions);
    connect(m_retries, &RetriesPane::entryActivated, m_feed, &FeedPane::selectEntry);
    connect(m_inspector, &InspectorPane::editRequested, this, [this](qint64 id) { openEditor(id); });
    m_feed->view()->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_feed->view(), &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        const QModelIndex index = m_feed->view()->indexAt(pos);
        const qint64 id = index.isValid() ? m_feed->model()->idAt(index.row()) : 0;
        if (id <= 0)
            return;
        QMenu menu(this);
        menu.addAction(tr("Edit && replay entry #%1…").arg(id), this, [this, id] { openEditor(id); });
        menu.addSeparator();
        m_collections->addFeedActions(&menu);
        menu.exec(m_feed->view()->viewport()->mapToGlobal(pos));
    });
}

void MainWindow::addRedriveMenu()
{
    auto *menu = menuBar()->addMenu(tr("&Redrive"));
    auto *edit = menu->addAction(tr("Edit && replay the inspected entry…"), this, [this] {
        if (m_inspector->entryId() > 0)
            openEditor(m_inspector->entryId());
        else
            statusBar()->showMessage(tr("Select an entry in the feed first"), 3000);
    });
    edit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    auto *templates = menu->addMenu(tr("New request from a template"));
    for (const auto &source : m_pipeline.config().sources)
        templates->addAction(u"%1 (%2)"_s.arg(source.name, source.provider), this,
                             [this, name = source.name] { openTemplateEditor(name); });
}

PayloadEditorDialog *MainWindow::openEditor(qint64 journalId, qint64 deadLetterId)
{
    auto *dialog = new PayloadEditorDialog(m_pipeline, journalId, deadLetterId, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &PayloadEditorDialog::sent, this, [this](int, const QString &, const QString &, qint64 newId) {
        if (newId > 0)
            m_feed->selectEntry(newId);
    });
    dialog->show();
    return dialog;
}

PayloadEditorDialog *MainWindow::openTemplateEditor(const QString &sourceName)
{
    auto *dialog = new PayloadEditorDialog(m_pipeline, sourceName, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}

QString MainWindow::healthText() const
{
    return m_healthText.isEmpty() ? m_healthLabel->text().trimmed() : m_healthText;
}

QString MainWindow::statusText() const
{
    return m_counters->text();
}

void MainWindow::sendTestEvent(const QString &sourceName)
{
    const config::SourceConfig *source = m_pipeline.config().source(sourceName);
    if (!source)
        return;
    m_lastTestSource = sourceName;
    samples::SampleEventFactory factory;
    auto event = factory.buildSigned(*source);
    if (!event) {
        statusBar()->showMessage(tr("Test event not sent: %1").arg(event.error().message), 10'000);
        return;
    }
    QNetworkRequest request(QUrl(receiverUrl(sourceName)));
    for (const auto &[name, value] : event->request.headers)
        request.setRawHeader(name, value);
    QNetworkReply *reply = m_network->post(request, event->request.body);
    connect(reply, &QNetworkReply::finished, this, [this, reply, sourceName] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QJsonObject answer = QJsonDocument::fromJson(reply->readAll()).object();
        const qint64 id = answer.value(u"id"_s).toInteger();
        if (status == 0) {
            statusBar()->showMessage(tr("Test event to %1 failed: %2").arg(sourceName, reply->errorString()), 10'000);
        } else {
            statusBar()->showMessage(tr("Test event to %1: HTTP %2 %3")
                                         .arg(sourceName)
                                         .arg(status)
                                         .arg(answer.value(u"status"_s).toString()),
                                     5000);
        }
        if (id > 0)
            m_feed->selectEntry(id);
        emit testEventAnswered(status, id);
    });
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings settings;
    settings.setValue(u"window/geometry"_s, saveGeometry());
    settings.setValue(u"window/state"_s, saveState());
    QMainWindow::closeEvent(event);
}

} // namespace hookbench::ui
