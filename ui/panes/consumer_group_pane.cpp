#include "ui/panes/consumer_group_pane.h"

#include <algorithm>

#include <QAction>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include "core/kafka/consumer_group.h"
#include "core/pipeline/ingest_pipeline.h"
#include "core/processing/event_processor.h"
#include "ui/widgets/assignment_diagram.h"
#include "ui/models/lag_table_model.h"
#include "ui/models/rebalance_table_model.h"
#include "ui/widgets/sparkline_delegate.h"

using namespace Qt::StringLiterals;

namespace hookbench::ui {

namespace {

QTableView *makeTable(QAbstractItemModel *model, const QString &name, QWidget *parent)
{
    auto *table = new QTableView(parent);
    table->setModel(model);
    table->setAccessibleName(name);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setAlternatingRowColors(true);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table->horizontalHeader()->setStretchLastSection(true);
    return table;
}

QLabel *titleLabel(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(u"<b>"_s + text.toHtmlEscaped() + u"</b>"_s, parent);
    label->setTextFormat(Qt::RichText);
    return label;
}

} // namespace

ConsumerGroupPane::ConsumerGroupPane(pipeline::IngestPipeline &pipeline, QWidget *parent)
    : QWidget(parent)
    , m_pipeline(pipeline)
{
    setObjectName(u"consumerGroupPane"_s);
    setAccessibleName(tr("Consumer group"));

    m_add = new QAction(tr("&Add Consumer"), this);
    m_add->setObjectName(u"addConsumerAction"_s);
    m_add->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_Equal));
    m_add->setToolTip(tr("Add a consumer to the group (Ctrl+Alt+=): the group rebalances and partitions move"));
    m_add->setStatusTip(m_add->toolTip());
    m_remove = new QAction(tr("&Remove Consumer"), this);
    m_remove->setObjectName(u"removeConsumerAction"_s);
    m_remove->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_Minus));
    m_remove->setToolTip(
        tr("Remove the newest consumer (Ctrl+Alt+-): it commits what it finished and its partitions move"));
    m_remove->setStatusTip(m_remove->toolTip());
    addAction(m_add);
    addAction(m_remove);
    connect(m_add, &QAction::triggered, this, [this] { changeConsumerCount(+1); });
    connect(m_remove, &QAction::triggered, this, [this] { changeConsumerCount(-1); });

    auto *layout = new QVBoxLayout(this);
    auto *top = new QHBoxLayout;
    for (QAction *action : {m_add, m_remove}) {
        auto *button = new QToolButton(this);
        button->setDefaultAction(action);
        button->setToolButtonStyle(Qt::ToolButtonTextOnly);
        top->addWidget(button);
    }
    m_status = new QLabel(this);
    m_status->setAccessibleName(tr("Consumer group status"));
    m_status->setWordWrap(true);
    top->addSpacing(12);
    top->addWidget(m_status, 1);
    layout->addLayout(top);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    m_diagram = new AssignmentDiagram(splitter);
    m_diagram->setEmptyText(tr("Consumers not running"));
    splitter->addWidget(m_diagram);

    auto *bottom = new QSplitter(Qt::Horizontal, splitter);
    auto *lagBox = new QWidget(bottom);
    auto *lagLayout = new QVBoxLayout(lagBox);
    lagLayout->setContentsMargins(0, 0, 0, 0);
    lagLayout->addWidget(titleLabel(tr("Lag per partition"), lagBox));
    m_lag = new LagTableModel(this);
    m_lagTable = makeTable(m_lag, tr("Lag per partition"), lagBox);
    m_lagTable->setItemDelegateForColumn(LagTableModel::Trend,
                                         new SparklineDelegate(LagTableModel::HistoryRole, m_lagTable));
    m_lagTable->horizontalHeader()->setSectionResizeMode(LagTableModel::Trend, QHeaderView::Interactive);
    m_lagTable->setColumnWidth(LagTableModel::Trend, 140);
    lagLayout->addWidget(m_lagTable);
    auto *rebalanceBox = new QWidget(bottom);
    auto *rebalanceLayout = new QVBoxLayout(rebalanceBox);
    rebalanceLayout->setContentsMargins(0, 0, 0, 0);
    rebalanceLayout->addWidget(titleLabel(tr("Rebalances"), rebalanceBox));
    m_rebalances = new RebalanceTableModel(this);
    m_rebalanceTable = makeTable(m_rebalances, tr("Rebalance timeline"), rebalanceBox);
    rebalanceLayout->addWidget(m_rebalanceTable);
    bottom->addWidget(lagBox);
    bottom->addWidget(rebalanceBox);
    splitter->addWidget(bottom);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    layout->addWidget(splitter, 1);

    m_attach.setInterval(1000);
    connect(&m_attach, &QTimer::timeout, this, &ConsumerGroupPane::attachProcessor);
    attachProcessor();
    if (!m_processor) {
        m_attach.start();
        m_status->setText(tr("Consumers not running — the group appears here when the consumer side starts"));
    }
    updateActions();
}

ConsumerGroupPane::~ConsumerGroupPane() = default;

void ConsumerGroupPane::attachProcessor()
{
    processing::EventProcessor *processor = m_pipeline.processor();
    if (!processor)
        return;
    m_attach.stop();
    m_processor = processor;
    m_diagram->setEmptyText(tr("No consumers — Add Consumer to start one"));
    // The processor lives on the processing thread: queued, and snapshot() is thread-safe.
    connect(processor, &processing::EventProcessor::stateChanged, this, &ConsumerGroupPane::refreshState,
            Qt::QueuedConnection);
    refreshState();
}

void ConsumerGroupPane::refreshState()
{
    if (!m_processor)
        return;
    const kafka::ConsumerGroupState state = m_processor->snapshot();
    m_memberCount = int(state.members.size());
    m_diagram->setState(state);
    m_rebalances->setEvents(state.rebalances);
    m_lag->addSnapshot(state, QDateTime::currentMSecsSinceEpoch());
    qint64 lag = 0;
    for (const kafka::PartitionState &p : state.partitions)
        lag += std::max<qint64>(0, p.lag);
    QString text = tr("Group %1 · %n consumer(s)", nullptr, m_memberCount).arg(state.groupId);
    text += tr(" · %1 handled · total lag %2").arg(state.handled).arg(lag);
    if (state.partitions.isEmpty())
        text += tr(" · No partitions yet — send a webhook");
    if (!state.lastError.isEmpty())
        text += u" · "_s + tr("last error: %1").arg(state.lastError);
    m_status->setText(text);
    updateActions();
}

void ConsumerGroupPane::changeConsumerCount(int delta)
{
    if (!m_processor)
        return;
    const int target = m_memberCount + delta;
    if (Result<void> changed = m_processor->setConsumerCount(target); !changed) {
        m_status->setText(tr("Could not change the consumer count to %1: %2").arg(target).arg(changed.error().message));
        return;
    }
    // The snapshot catches up after the rebalance; count ahead so quick clicks add up.
    m_memberCount = target;
    updateActions();
}

void ConsumerGroupPane::updateActions()
{
    const bool running = m_processor != nullptr;
    m_add->setEnabled(running && m_memberCount < kafka::ConsumerGroup::kMaxMembers);
    m_remove->setEnabled(running && m_memberCount > 0);
}

} // namespace hookbench::ui
