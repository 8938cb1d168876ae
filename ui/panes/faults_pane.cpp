#include "ui/panes/faults_pane.h"

#include <QComboBox>
#include <QDateTime>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "core/faults/fault_injector.h"
#include "core/kafka/consumer_group_state.h"
#include "core/pipeline/ingest_pipeline.h"
#include "core/processing/event_processor.h"
#include "ui/widgets/empty_view_hint.h"

using namespace Qt::StringLiterals;

namespace hookbench::ui {

namespace {

QPushButton *button(const QString &text, const QString &name, const QString &tip, QWidget *parent)
{
    auto *b = new QPushButton(text, parent);
    b->setObjectName(name);
    b->setToolTip(tip);
    b->setAutoDefault(false);
    return b;
}

} // namespace

FaultsPane::FaultsPane(pipeline::IngestPipeline &pipeline, QWidget *parent) : QWidget(parent), m_pipeline(pipeline)
{
    setObjectName(u"faultsPane"_s);
    setAccessibleName(tr("Faults"));
    QStringList sources;
    for (const config::SourceConfig &source : pipeline.config().sources)
        sources << source.name;
    m_injector = new faults::FaultInjector(pipeline.embeddedCluster(), pipeline.processor(), sources,
                                           SystemClock::instance(), this);
    connect(m_injector, &faults::FaultInjector::recorded, this, &FaultsPane::addToTimeline, Qt::QueuedConnection);

    auto *controls = new QWidget(this);
    auto *controlsLayout = new QHBoxLayout(controls);
    controlsLayout->setContentsMargins(0, 0, 0, 0);
    controlsLayout->addWidget(buildKafka());
    controlsLayout->addWidget(buildConsumer());
    controlsLayout->addStretch(1);
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(controls);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);

    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    auto *presets = new QHBoxLayout;
    auto *chaos = button(tr("Chaos"), u"chaos"_s,
                         tr("Broker 1 +250 ms, 5 failed produce requests, 20 % simulated failures with 50 ms "
                            "latency on every source, a leader move, and the last broker down for 10 s"),
                         right);
    auto *calm = button(tr("Calm"), u"calm"_s,
                        tr("Every broker up, no extra round trip, the simulate settings from before"), right);
    presets->addWidget(new QLabel(tr("Presets:"), right));
    presets->addWidget(chaos);
    presets->addWidget(calm);
    presets->addStretch(1);
    rightLayout->addLayout(presets);
    m_timeline = new QTreeWidget(right);
    m_timeline->setObjectName(u"faultTimeline"_s);
    m_timeline->setAccessibleName(tr("Fault timeline"));
    new EmptyViewHint(m_timeline, tr("No faults yet.\nEach fault you provoke on the left, or by a preset, is "
                                     "listed here with its time and whether it applied."));
    m_timeline->setHeaderLabels({tr("Time"), tr("Fault"), tr("Result")});
    m_timeline->setRootIsDecorated(false);
    m_timeline->setUniformRowHeights(true);
    m_timeline->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_timeline->header()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_timeline->header()->setStretchLastSection(false);
    m_timeline->header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    rightLayout->addWidget(m_timeline, 1);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(scroll);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    // The controls' size hint would take nearly all the width; the timeline needs room for its
    // descriptions. Proportions, scaled to the real width on the first layout.
    splitter->setSizes({800, 400});
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(splitter);

    connect(chaos, &QPushButton::clicked, this, [this] {
        const auto &configured = m_pipeline.config().sources;
        m_injector->applyChaos(configured.isEmpty() ? QString() : configured.first().effectiveTopic());
    });
    connect(calm, &QPushButton::clicked, this, [this] { m_injector->calm(); });

    m_refresh.setInterval(500);
    connect(&m_refresh, &QTimer::timeout, this, &FaultsPane::refreshBrokers);
    m_refresh.start();
    if (processing::EventProcessor *processor = m_pipeline.processor()) {
        connect(processor, &processing::EventProcessor::stateChanged, this, &FaultsPane::refreshBrokers,
                Qt::QueuedConnection);
        connect(
            processor, &processing::EventProcessor::settingsChanged, this,
            [this](const QString &source) {
                if (source == m_simSource->currentText())
                    loadSimulate();
            },
            Qt::QueuedConnection);
    }
    loadSimulate();
    refreshBrokers();
}

FaultsPane::~FaultsPane() = default;

QWidget *FaultsPane::buildKafka()
{
    auto *box = new QGroupBox(tr("Kafka (embedded cluster)"), this);
    auto *rows = new QVBoxLayout(box);
    auto *grid = new QGridLayout;
    rows->addLayout(grid);
    int row = 0;
    if (!m_injector->hasCluster()) {
        auto *hint = new QLabel(tr("Kafka runs in external mode: broker faults need the embedded cluster."), box);
        hint->setWordWrap(true);
        rows->addWidget(hint);
        box->setEnabled(false);
    }
    for (int id : m_injector->brokerIds()) {
        auto *state = new QLabel(box);
        state->setObjectName(u"brokerState%1"_s.arg(id));
        state->setMinimumWidth(state->fontMetrics().horizontalAdvance(u"down +10000 ms"_s));
        m_brokerState.insert(id, state);
        auto *down = button(tr("Down"), u"brokerDown%1"_s.arg(id), tr("Take broker %1 down").arg(id), box);
        auto *up = button(tr("Up"), u"brokerUp%1"_s.arg(id), tr("Bring broker %1 back up").arg(id), box);
        auto *rtt = new QSpinBox(box);
        rtt->setObjectName(u"rttSpin%1"_s.arg(id));
        rtt->setRange(0, 30'000);
        rtt->setSingleStep(50);
        rtt->setSuffix(u" ms"_s);
        rtt->setAccessibleName(tr("Round trip of broker %1").arg(id));
        auto *setRtt =
            button(tr("Set delay"), u"rttSet%1"_s.arg(id), tr("Extra round-trip time for broker %1").arg(id), box);
        grid->addWidget(new QLabel(tr("Broker %1").arg(id), box), row, 0);
        grid->addWidget(state, row, 1);
        grid->addWidget(down, row, 2);
        grid->addWidget(up, row, 3);
        grid->addWidget(rtt, row, 4);
        grid->addWidget(setRtt, row, 5);
        connect(down, &QPushButton::clicked, this, [this, id] { m_injector->setBrokerDown(id); });
        connect(up, &QPushButton::clicked, this, [this, id] { m_injector->setBrokerUp(id); });
        connect(setRtt, &QPushButton::clicked, this, [this, id, rtt] { m_injector->setBrokerRtt(id, rtt->value()); });
        ++row;
    }

    m_errorCount = new QSpinBox(box);
    m_errorCount->setObjectName(u"errorCount"_s);
    m_errorCount->setRange(1, 1000);
    m_errorCount->setValue(5);
    m_errorCount->setPrefix(tr("next "));
    m_errorCode = new QComboBox(box);
    m_errorCode->setObjectName(u"errorCode"_s);
    for (int code : {faults::FaultInjector::kNotEnoughReplicas, faults::FaultInjector::kRequestTimedOut,
                     faults::FaultInjector::kNotLeader, faults::FaultInjector::kInvalidRecord})
        m_errorCode->addItem(faults::FaultInjector::errorName(code), code);
    m_errorCode->setItemData(3,
                             tr("Not retriable: the broker refuses the batch for good, as it would an invalid "
                                "record; its events are journaled as not produced with the reason (replay them "
                                "from the journal or the DLQ view)"),
                             Qt::ToolTipRole);
    auto *failProduce = button(tr("Fail produce"), u"failProduce"_s, tr("The next N produce requests fail"), box);
    auto *failFetch = button(tr("Fail fetch"), u"failFetch"_s, tr("The next N fetch requests fail"), box);
    // Own rows, so their wide combo boxes do not widen the broker grid's buttons.
    auto *requests = new QHBoxLayout;
    requests->addWidget(new QLabel(tr("Requests"), box));
    requests->addWidget(m_errorCount);
    requests->addWidget(m_errorCode);
    requests->addWidget(failProduce);
    requests->addWidget(failFetch);
    requests->addStretch(1);
    rows->addLayout(requests);
    connect(failProduce, &QPushButton::clicked, this,
            [this] { m_injector->failProduce(m_errorCount->value(), m_errorCode->currentData().toInt()); });
    connect(failFetch, &QPushButton::clicked, this,
            [this] { m_injector->failFetch(m_errorCount->value(), m_errorCode->currentData().toInt()); });

    m_leaderTopic = new QComboBox(box);
    m_leaderTopic->setObjectName(u"leaderTopic"_s);
    for (const config::SourceConfig &source : m_pipeline.config().sources)
        m_leaderTopic->addItem(source.effectiveTopic());
    m_leaderPartition = new QSpinBox(box);
    m_leaderPartition->setObjectName(u"leaderPartition"_s);
    m_leaderPartition->setRange(0, std::max(0, m_pipeline.config().kafka.partitions - 1));
    m_leaderPartition->setPrefix(tr("partition "));
    m_leaderBroker = new QSpinBox(box);
    m_leaderBroker->setObjectName(u"leaderBroker"_s);
    m_leaderBroker->setRange(1, std::max(1, int(m_injector->brokerIds().size())));
    m_leaderBroker->setPrefix(tr("to broker "));
    auto *move = button(tr("Move leader"), u"moveLeader"_s, tr("Make the broker the partition's leader"), box);
    m_leaderNow = new QLabel(box);
    m_leaderNow->setObjectName(u"leaderNow"_s);
    m_leaderNow->setToolTip(tr("As the consumers' last metadata read saw it (every few seconds)"));
    auto *leader = new QHBoxLayout;
    leader->addWidget(new QLabel(tr("Leader"), box));
    leader->addWidget(m_leaderTopic);
    leader->addWidget(m_leaderPartition);
    leader->addWidget(m_leaderBroker);
    leader->addWidget(move);
    leader->addStretch(1);
    rows->addLayout(leader);
    rows->addWidget(m_leaderNow);
    connect(move, &QPushButton::clicked, this, [this] {
        m_injector->moveLeader(m_leaderTopic->currentText(), m_leaderPartition->value(), m_leaderBroker->value());
    });
    connect(m_leaderTopic, &QComboBox::currentIndexChanged, this, &FaultsPane::refreshBrokers);
    connect(m_leaderPartition, &QSpinBox::valueChanged, this, &FaultsPane::refreshBrokers);
    grid->setColumnStretch(6, 1); // buttons at their size; the slack goes to the right
    rows->addStretch(1);
    return box;
}

QWidget *FaultsPane::buildConsumer()
{
    auto *box = new QGroupBox(tr("Consumer (simulate handler)"), this);
    auto *form = new QFormLayout(box);
    form->setFieldGrowthPolicy(QFormLayout::FieldsStayAtSizeHint);
    m_simSource = new QComboBox(box);
    m_simSource->setObjectName(u"simSource"_s);
    for (const config::SourceConfig &source : m_pipeline.config().sources)
        m_simSource->addItem(source.name);
    m_simLatency = new QSpinBox(box);
    m_simLatency->setObjectName(u"simLatency"_s);
    m_simLatency->setRange(0, 600'000);
    m_simLatency->setSuffix(u" ms"_s);
    m_simRate = new QDoubleSpinBox(box);
    m_simRate->setObjectName(u"simRate"_s);
    m_simRate->setRange(0.0, 1.0);
    m_simRate->setSingleStep(0.05);
    m_simRate->setDecimals(2);
    m_simClass = new QComboBox(box);
    m_simClass->setObjectName(u"simClass"_s);
    m_simClass->addItem(tr("transient"), u"transient"_s);
    m_simClass->addItem(tr("permanent"), u"permanent"_s);
    m_simClass->setToolTip(tr("Transient failures are retried; permanent ones go straight to the DLQ"));
    m_simKeys = new QLineEdit(box);
    m_simKeys->setObjectName(u"simKeys"_s);
    m_simKeys->setPlaceholderText(tr("cus_123, cus_456"));
    m_poisonPointer = new QLineEdit(box);
    m_poisonPointer->setObjectName(u"simPoisonPointer"_s);
    m_poisonPointer->setPlaceholderText(u"/data/object/id"_s);
    m_poisonValue = new QLineEdit(box);
    m_poisonValue->setObjectName(u"simPoisonValue"_s);
    m_poisonValue->setPlaceholderText(tr("value that fails permanently"));
    m_simState = new QLabel(box);
    m_simState->setObjectName(u"simState"_s);
    m_simState->setWordWrap(true);
    m_simState->setForegroundRole(QPalette::PlaceholderText);
    auto *apply = button(tr("Apply"), u"simApply"_s, tr("Use these settings from the next record on"), box);
    auto *off = button(tr("Turn off"), u"simOff"_s, tr("No simulate handler for this source"), box);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(apply);
    buttons->addWidget(off);
    buttons->addStretch(1);
    form->addRow(tr("Source"), m_simSource);
    form->addRow(tr("Latency"), m_simLatency);
    form->addRow(tr("Failure rate"), m_simRate);
    form->addRow(tr("Failures are"), m_simClass);
    form->addRow(tr("Failing keys"), m_simKeys);
    form->addRow(tr("Poison at"), m_poisonPointer);
    form->addRow(tr("Poison value"), m_poisonValue);
    form->addRow(buttons);
    form->addRow(m_simState);
    connect(m_simSource, &QComboBox::currentIndexChanged, this, &FaultsPane::loadSimulate);
    connect(apply, &QPushButton::clicked, this, &FaultsPane::applySimulate);
    connect(off, &QPushButton::clicked, this, [this] { m_injector->setSimulate(m_simSource->currentText(), {}); });
    return box;
}

void FaultsPane::loadSimulate()
{
    processing::EventProcessor *processor = m_pipeline.processor();
    if (!processor || m_simSource->currentText().isEmpty())
        return;
    auto settings = processor->sourceSettings(m_simSource->currentText());
    if (!settings)
        return;
    const processing::RetrySettings &retry = settings->first;
    const QString strategy = processing::RetrySettings::strategyName(retry.strategy);
    if (!settings->second) {
        m_simState->setText(tr("Now: no simulate handler; retries %1").arg(strategy));
        return;
    }
    const processing::SimulateSettings &s = *settings->second;
    m_simLatency->setValue(s.latencyMs);
    m_simRate->setValue(s.failureRate);
    m_simClass->setCurrentIndex(s.failure == processing::ErrorClass::Permanent ? 1 : 0);
    m_simKeys->setText(s.failingKeys.join(u", "_s));
    m_poisonPointer->setText(s.poison ? s.poison->pointer : QString());
    m_poisonValue->setText(s.poison ? s.poison->value.toVariant().toString() : QString());
    m_simState->setText(
        tr("Now: %1 ms, %2 % failures; retries %3").arg(s.latencyMs).arg(s.failureRate * 100.0).arg(strategy));
}

void FaultsPane::applySimulate()
{
    QJsonObject json{{u"latency_ms"_s, m_simLatency->value()},
                     {u"failure_rate"_s, m_simRate->value()},
                     {u"failure"_s, m_simClass->currentData().toString()}};
    QStringList keys;
    for (const QString &key : m_simKeys->text().split(u',', Qt::SkipEmptyParts))
        if (!key.trimmed().isEmpty())
            keys << key.trimmed();
    if (!keys.isEmpty())
        json.insert(u"failing_keys"_s, QJsonArray::fromStringList(keys));
    if (!m_poisonPointer->text().trimmed().isEmpty())
        json.insert(u"poison"_s, QJsonObject{{u"pointer"_s, m_poisonPointer->text().trimmed()},
                                             {u"value"_s, m_poisonValue->text()}});
    auto settings = processing::SimulateSettings::fromJson(json, u"simulate"_s);
    if (!settings) {
        m_simState->setText(settings.error().message);
        return;
    }
    m_injector->setSimulate(m_simSource->currentText(), *settings);
}

void FaultsPane::addToTimeline(const faults::FaultEvent &event)
{
    auto *item = new QTreeWidgetItem(m_timeline);
    item->setText(0, QDateTime::fromMSecsSinceEpoch(event.atMs).toString(u"HH:mm:ss.zzz"_s));
    item->setText(1, event.description);
    item->setToolTip(1, event.description);
    item->setText(2, event.ok ? tr("applied") : event.error);
    item->setData(0, Qt::UserRole, faults::FaultEvent::kindName(event.kind));
    if (!event.ok)
        item->setForeground(2, QColor(0xb0, 0x20, 0x20));
    m_timeline->scrollToItem(item);
    refreshBrokers();
}

void FaultsPane::refreshBrokers()
{
    for (auto it = m_brokerState.cbegin(); it != m_brokerState.cend(); ++it) {
        const bool up = m_injector->isBrokerUp(it.key());
        const int rtt = m_injector->brokerRttMs(it.key());
        QString text = up ? tr("up") : tr("down");
        if (rtt > 0)
            text += u" +%1 ms"_s.arg(rtt);
        if (it.value()->text() != text) {
            it.value()->setText(text);
            it.value()->setStyleSheet(up ? QString() : u"color: #b02020; font-weight: bold"_s);
        }
    }
    processing::EventProcessor *processor = m_pipeline.processor();
    if (!processor || !m_leaderNow)
        return;
    const kafka::ConsumerGroupState state = processor->snapshot();
    int leader = -1;
    for (const kafka::PartitionState &p : state.partitions) {
        if (p.topic == m_leaderTopic->currentText() && p.partition == m_leaderPartition->value())
            leader = p.leader;
    }
    const QString text = leader < 0 ? tr("Leader now: not known yet") : tr("Leader now: broker %1").arg(leader);
    if (m_leaderNow->text() != text)
        m_leaderNow->setText(text);
}

} // namespace hookbench::ui
