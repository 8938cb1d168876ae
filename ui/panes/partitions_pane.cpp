#include "ui/panes/partitions_pane.h"

#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QResizeEvent>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

#include "core/pipeline/ingest_pipeline.h"
#include "core/processing/event_processor.h"
#include "ui/widgets/lane_view.h"
#include "ui/models/partition_table_model.h"
#include "ui/models/recent_records_feed.h"

using namespace Qt::StringLiterals;

namespace hookbench::ui {

PartitionsPane::PartitionsPane(pipeline::IngestPipeline &pipeline, QWidget *parent)
    : QWidget(parent)
    , m_pipeline(pipeline)
{
    setObjectName(u"partitionsPane"_s);
    setAccessibleName(tr("Partitions"));

    m_model = new PartitionTableModel(this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterKeyColumn(PartitionTableModel::Topic);
    m_proxy->setSortRole(PartitionTableModel::SortRole);

    auto *layout = new QVBoxLayout(this);
    auto *top = new QHBoxLayout;
    auto *topicLabel = new QLabel(tr("&Topic:"), this);
    m_topic = new QComboBox(this);
    m_topic->setAccessibleName(tr("Topic"));
    m_topic->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_topic->setMinimumContentsLength(18);
    topicLabel->setBuddy(m_topic);
    m_status = new QLabel(this);
    m_status->setAccessibleName(tr("Partitions status"));
    m_status->setForegroundRole(QPalette::PlaceholderText);
    top->addWidget(topicLabel);
    top->addWidget(m_topic);
    top->addSpacing(12);
    top->addWidget(m_status, 1);
    layout->addLayout(top);

    m_splitter = new QSplitter(Qt::Vertical, this);
    auto *splitter = m_splitter;
    m_tableStack = new QStackedWidget(splitter);
    auto *empty = new QLabel(m_tableStack);
    empty->setObjectName(u"emptyPartitions"_s);
    empty->setWordWrap(true);
    empty->setAlignment(Qt::AlignCenter);
    empty->setForegroundRole(QPalette::PlaceholderText);
    empty->setAccessibleName(tr("No partitions yet"));
    m_table = new QTableView(m_tableStack);
    m_table->setModel(m_proxy);
    m_table->setAccessibleName(tr("Partition table"));
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(PartitionTableModel::Partition, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->setColumnHidden(PartitionTableModel::Topic, true); // the combo box says it
    m_tableStack->addWidget(empty);
    m_tableStack->addWidget(m_table);

    auto *laneBox = new QWidget(splitter);
    auto *laneLayout = new QVBoxLayout(laneBox);
    laneLayout->setContentsMargins(0, 0, 0, 0);
    auto *keyRow = new QHBoxLayout;
    auto *keyLabel = new QLabel(tr("Highlight &key:"), laneBox);
    m_key = new QLineEdit(laneBox);
    m_key->setPlaceholderText(tr("entity key, e.g. cus_123 — or click a mark"));
    m_key->setClearButtonEnabled(true);
    m_key->setAccessibleName(tr("Key to highlight"));
    keyLabel->setBuddy(m_key);
    auto *legend = new QLabel(tr("one lane per partition · oldest ← → newest · colour = entity key"), laneBox);
    legend->setForegroundRole(QPalette::PlaceholderText);
    keyRow->addWidget(keyLabel);
    keyRow->addWidget(m_key, 1);
    keyRow->addWidget(legend);
    laneLayout->addLayout(keyRow);
    m_lanes = new LaneView(laneBox);
    laneLayout->addWidget(m_lanes, 1);
    splitter->addWidget(m_tableStack);
    splitter->addWidget(laneBox);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    splitter->setSizes({200, 300});
    layout->addWidget(splitter, 1);

    connect(m_topic, &QComboBox::activated, this, [this] { m_topicChosen = true; });
    connect(m_topic, &QComboBox::currentTextChanged, this, [this](const QString &topic) {
        m_proxy->setFilterRegularExpression(
            QRegularExpression(QRegularExpression::anchoredPattern(QRegularExpression::escape(topic))));
        refreshLanes();
    });
    connect(m_key, &QLineEdit::textChanged, this,
            [this](const QString &text) { m_lanes->setSelectedKey(text.toUtf8()); });
    connect(m_lanes, &LaneView::keyClicked, this, [this](const QByteArray &key) {
        const QSignalBlocker blocker(m_key);
        m_key->setText(QString::fromUtf8(key));
    });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        m_tableStack->setCurrentWidget(m_model->rowCount() > 0 ? static_cast<QWidget *>(m_table)
                                                               : m_tableStack->widget(0));
        refreshTopics();
    });

    m_feed = new RecentRecordsFeed(pipeline.databasePath(), 2000, 1000, this);
    connect(m_feed, &RecentRecordsFeed::recordsChanged, this, [this] {
        refreshTopics();
        refreshLanes();
    });
    connect(m_feed, &RecentRecordsFeed::errorChanged, this, &PartitionsPane::updateStatus);

    m_attach.setInterval(1000);
    connect(&m_attach, &QTimer::timeout, this, &PartitionsPane::attachProcessor);
    attachProcessor();
    if (!m_processor)
        m_attach.start();
    updateStatus();
}

PartitionsPane::~PartitionsPane() = default;

QString PartitionsPane::currentTopic() const
{
    return m_topic->currentText();
}

void PartitionsPane::selectKey(const QByteArray &key)
{
    m_key->setText(QString::fromUtf8(key));
}

void PartitionsPane::attachProcessor()
{
    processing::EventProcessor *processor = m_pipeline.processor();
    if (!processor)
        return;
    m_attach.stop();
    m_processor = processor;
    // The processor lives on the processing thread: queued, and snapshot() is thread-safe.
    connect(processor, &processing::EventProcessor::stateChanged, this, &PartitionsPane::refreshState,
            Qt::QueuedConnection);
    refreshState();
    updateStatus();
}

void PartitionsPane::refreshState()
{
    if (!m_processor)
        return;
    m_model->setState(m_processor->snapshot());
    if (m_model->rowCount() > 0)
        m_tableStack->setCurrentWidget(m_table);
}

void PartitionsPane::refreshTopics()
{
    QStringList topics = m_model->topics();
    for (const RecentRecord &r : m_feed->records()) {
        if (!r.topic.isEmpty() && !topics.contains(r.topic))
            topics.append(r.topic);
    }
    topics.sort();
    QStringList present;
    for (int i = 0; i < m_topic->count(); ++i)
        present.append(m_topic->itemText(i));
    const QString current = m_topic->currentText();
    if (present == topics) {
        if (!m_topicChosen && !m_feed->records().isEmpty() && m_feed->records().constLast().topic != current) {
            const int index = m_topic->findText(m_feed->records().constLast().topic);
            if (index >= 0)
                m_topic->setCurrentIndex(index); // emits currentTextChanged: lanes follow
        }
        return;
    }
    {
        const QSignalBlocker blocker(m_topic);
        m_topic->clear();
        m_topic->addItems(topics);
        int index = m_topic->findText(current);
        if (!m_topicChosen && !m_feed->records().isEmpty()) {
            // Until someone picks a topic, follow the traffic: the newest record's topic, not
            // whichever name sorts first and may have nothing in it.
            index = m_topic->findText(m_feed->records().constLast().topic);
        }
        m_topic->setCurrentIndex(index >= 0 ? index : 0);
    }
    if (m_topic->currentText() != current)
        emit m_topic->currentTextChanged(m_topic->currentText());
}

void PartitionsPane::refreshLanes()
{
    const QString topic = m_topic->currentText();
    QList<RecentRecord> records;
    for (const RecentRecord &r : m_feed->records()) {
        if (r.topic == topic)
            records.append(r);
    }
    int partitions = m_model->partitionCount(topic);
    if (partitions == 0 && !topic.isEmpty())
        partitions = m_pipeline.config().kafka.partitions;
    m_lanes->setRecords(partitions, records);
}

void PartitionsPane::updateStatus()
{
    if (auto *empty = m_tableStack->findChild<QLabel *>(u"emptyPartitions"_s)) {
        empty->setText(m_processor ? tr("No partitions yet — send a webhook")
                                   : tr("Consumers not running: partition offsets, lag and owners appear when they "
                                        "start. The lanes below show where recent webhooks landed."));
    }
    QString text;
    if (!m_processor)
        text = tr("Consumers not running — offsets, lag and owners appear when they start");
    if (!m_feed->lastError().isEmpty())
        text = (text.isEmpty() ? QString() : text + u" · "_s) + tr("Journal: %1").arg(m_feed->lastError());
    m_status->setText(text);
}

void PartitionsPane::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    // The default place is a wide, short dock under the feed: stacked there, the table showed two
    // of six partitions. Side by side, each gets the full height; a tall pane stacks them again.
    const Qt::Orientation wanted = width() >= 2 * height() ? Qt::Horizontal : Qt::Vertical;
    if (m_splitter->orientation() == wanted)
        return;
    m_splitter->setOrientation(wanted);
    const int length = wanted == Qt::Horizontal ? m_splitter->width() : m_splitter->height();
    m_splitter->setSizes({length * 2 / 5, length - length * 2 / 5});
}

void PartitionsPane::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        m_lanes->update();
    QWidget::changeEvent(event);
}

} // namespace hookbench::ui
