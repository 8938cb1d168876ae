#include "ui/panes/key_explorer_pane.h"

#include <algorithm>

#include <QComboBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

#include "core/kafka/murmur2.h"
#include "core/pipeline/ingest_pipeline.h"
#include "core/processing/event_processor.h"
#include "ui/models/hot_key_model.h"
#include "ui/models/recent_records_feed.h"

using namespace Qt::StringLiterals;

namespace hookbench::ui {

KeyExplorerPane::KeyExplorerPane(pipeline::IngestPipeline &pipeline, QWidget *parent)
    : QWidget(parent)
    , m_pipeline(pipeline)
{
    setObjectName(u"keyExplorerPane"_s);
    setAccessibleName(tr("Key explorer"));

    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    m_key = new QLineEdit(this);
    m_key->setPlaceholderText(tr("entity key, e.g. cus_123 or octo/hello-world"));
    m_key->setClearButtonEnabled(true);
    m_key->setAccessibleName(tr("Entity key"));
    form->addRow(tr("&Key:"), m_key);
    m_topic = new QComboBox(this);
    m_topic->setAccessibleName(tr("Topic"));
    m_topic->setToolTip(tr("The topic whose partition count is used"));
    form->addRow(tr("&Topic:"), m_topic);
    m_current = new QLabel(this);
    m_current->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_current->setAccessibleName(tr("Partition for the current count"));
    form->addRow(tr("Partition:"), m_current);
    m_hash = new QLabel(this);
    m_hash->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_hash->setForegroundRole(QPalette::PlaceholderText);
    m_hash->setAccessibleName(tr("murmur2 hash"));
    form->addRow(tr("murmur2:"), m_hash);
    m_otherCount = new QSpinBox(this);
    m_otherCount->setRange(1, 1000);
    m_otherCount->setValue(pipeline.config().kafka.partitions * 2);
    m_otherCount->setAccessibleName(tr("Other partition count"));
    m_otherCount->setToolTip(tr("Where would this key go if the topic had this many partitions?"));
    m_other = new QLabel(this);
    m_other->setAccessibleName(tr("Partition for the other count"));
    auto *otherRow = new QHBoxLayout;
    otherRow->addWidget(m_otherCount);
    otherRow->addWidget(m_other, 1);
    auto *otherLabel = new QLabel(tr("With &N partitions:"), this);
    otherLabel->setBuddy(m_otherCount);
    form->addRow(otherLabel, otherRow);
    layout->addLayout(form);

    auto *hotTitle = new QLabel(tr("<b>Hot keys</b> — busiest keys per partition in the recent records"), this);
    layout->addWidget(hotTitle);
    m_hotKeys = new HotKeyModel(this);
    m_hotStack = new QStackedWidget(this);
    auto *empty = new QLabel(tr("No records yet — send a webhook"), m_hotStack);
    empty->setAlignment(Qt::AlignCenter);
    empty->setForegroundRole(QPalette::PlaceholderText);
    m_hotTable = new QTableView(m_hotStack);
    m_hotTable->setModel(m_hotKeys);
    m_hotTable->setAccessibleName(tr("Hot keys"));
    m_hotTable->setToolTip(tr("Double-click a key to explore it"));
    m_hotTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_hotTable->setAlternatingRowColors(true);
    m_hotTable->verticalHeader()->hide();
    m_hotTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_hotTable->horizontalHeader()->setSectionResizeMode(HotKeyModel::Key, QHeaderView::Stretch);
    m_hotStack->addWidget(empty);
    m_hotStack->addWidget(m_hotTable);
    layout->addWidget(m_hotStack, 1);

    connect(m_key, &QLineEdit::textChanged, this, &KeyExplorerPane::recompute);
    connect(m_topic, &QComboBox::currentTextChanged, this, &KeyExplorerPane::recompute);
    connect(m_otherCount, &QSpinBox::valueChanged, this, &KeyExplorerPane::recompute);
    connect(m_hotTable, &QTableView::doubleClicked, this, [this](const QModelIndex &index) {
        setKey(QString::fromUtf8(index.data(HotKeyModel::KeyRole).toByteArray()));
    });

    m_feed = new RecentRecordsFeed(pipeline.databasePath(), 5000, 2000, this);
    connect(m_feed, &RecentRecordsFeed::recordsChanged, this, [this] {
        refreshTopics();
        refreshHotKeys();
    });

    m_attach.setInterval(1000);
    connect(&m_attach, &QTimer::timeout, this, &KeyExplorerPane::attachProcessor);
    attachProcessor();
    if (!m_processor)
        m_attach.start();
    refreshTopics();
    recompute();
}

KeyExplorerPane::~KeyExplorerPane() = default;

void KeyExplorerPane::setKey(const QString &key)
{
    m_key->setText(key);
}

void KeyExplorerPane::setOtherPartitionCount(int count)
{
    m_otherCount->setValue(count);
}

int KeyExplorerPane::currentPartitionCount() const
{
    const int known = m_partitionCounts.value(m_topic->currentText());
    return known > 0 ? known : m_pipeline.config().kafka.partitions;
}

void KeyExplorerPane::attachProcessor()
{
    processing::EventProcessor *processor = m_pipeline.processor();
    if (!processor)
        return;
    m_attach.stop();
    m_processor = processor;
    auto refresh = [this] {
        if (!m_processor)
            return;
        QHash<QString, int> counts;
        for (const kafka::PartitionState &p : m_processor->snapshot().partitions)
            ++counts[p.topic];
        if (counts == m_partitionCounts)
            return;
        m_partitionCounts = counts;
        refreshTopics();
        recompute();
    };
    connect(processor, &processing::EventProcessor::stateChanged, this, refresh, Qt::QueuedConnection);
    refresh();
}

void KeyExplorerPane::refreshTopics()
{
    QStringList topics;
    for (const config::SourceConfig &source : m_pipeline.config().sources)
        topics.append(u"webhooks."_s + source.name);
    for (auto it = m_partitionCounts.cbegin(); it != m_partitionCounts.cend(); ++it)
        topics.append(it.key());
    for (const RecentRecord &r : m_feed->records())
        topics.append(r.topic);
    topics.removeAll(QString());
    topics.removeDuplicates();
    topics.sort();
    QStringList present;
    for (int i = 0; i < m_topic->count(); ++i)
        present.append(m_topic->itemText(i));
    if (present == topics)
        return;
    const QString current = m_topic->currentText();
    m_topic->clear();
    m_topic->addItems(topics);
    m_topic->setCurrentIndex(std::max(0, int(m_topic->findText(current))));
}

void KeyExplorerPane::recompute()
{
    const QByteArray key = m_key->text().toUtf8();
    const int count = currentPartitionCount();
    const int other = m_otherCount->value();
    if (key.isEmpty()) {
        m_currentPartition = -1;
        m_otherPartition = -1;
        m_current->setText(tr("Type a key to see its partition (%n partition(s))", nullptr, count));
        m_hash->clear();
        m_other->clear();
        return;
    }
    const qint32 hash = kafka::murmur2(key);
    m_currentPartition = kafka::murmur2Partition(key, count);
    m_otherPartition = kafka::murmur2Partition(key, other);
    m_current->setText(tr("<b>%1</b> of %2").arg(m_currentPartition).arg(count));
    m_hash->setText(tr("%1 (0x%2) → toPositive %3 mod %4")
                        .arg(hash)
                        .arg(QString::number(quint32(hash), 16).rightJustified(8, u'0'))
                        .arg(hash & 0x7fffffff)
                        .arg(count));
    if (other == count)
        m_other->setText(tr("partition %1 — the same count").arg(m_otherPartition));
    else if (m_otherPartition == m_currentPartition)
        m_other->setText(tr("partition %1 — stays").arg(m_otherPartition));
    else
        m_other->setText(tr("partition %1 — moves from %2: its order with older events breaks across the change")
                             .arg(m_otherPartition)
                             .arg(m_currentPartition));
}

void KeyExplorerPane::refreshHotKeys()
{
    m_hotKeys->setHotKeys(HotKeyModel::compute(m_feed->records(), kHotKeysPerPartition));
    m_hotStack->setCurrentIndex(m_hotKeys->rowCount() > 0 ? 1 : 0);
}

} // namespace hookbench::ui
