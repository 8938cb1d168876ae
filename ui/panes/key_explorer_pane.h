#pragma once

// KeyExplorerPane: key to partition explorer (murmur2 as Java and librdkafka compute it, for the
// topic's current partition count and for another count, to show where a key would move) and
// the hot-key table (busiest keys per partition over the recent records).

#include <QHash>
#include <QPointer>
#include <QTimer>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QStackedWidget;
class QTableView;

namespace hookbench::pipeline {
class IngestPipeline;
} // namespace hookbench::pipeline
namespace hookbench::processing {
class EventProcessor;
} // namespace hookbench::processing

namespace hookbench::ui {

class HotKeyModel;
class RecentRecordsFeed;

class KeyExplorerPane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KeyExplorerPane)

public:
    static constexpr int kHotKeysPerPartition = 3;

    explicit KeyExplorerPane(pipeline::IngestPipeline &pipeline, QWidget *parent = nullptr);
    ~KeyExplorerPane() override;

    void setKey(const QString &key);
    void setOtherPartitionCount(int count);
    // The partition shown for the current key and count, and for the other count (-1: no key).
    int currentPartition() const { return m_currentPartition; }
    int otherPartition() const { return m_otherPartition; }
    int currentPartitionCount() const;
    HotKeyModel *hotKeyModel() const { return m_hotKeys; }

private:
    void attachProcessor();
    void refreshTopics();
    void recompute();
    void refreshHotKeys();

    pipeline::IngestPipeline &m_pipeline;
    QPointer<processing::EventProcessor> m_processor;
    QHash<QString, int> m_partitionCounts; // from the consumer group's snapshot
    RecentRecordsFeed *m_feed = nullptr;
    HotKeyModel *m_hotKeys = nullptr;
    QLineEdit *m_key = nullptr;
    QComboBox *m_topic = nullptr;
    QSpinBox *m_otherCount = nullptr;
    QLabel *m_current = nullptr;
    QLabel *m_other = nullptr;
    QLabel *m_hash = nullptr;
    QStackedWidget *m_hotStack = nullptr;
    QTableView *m_hotTable = nullptr;
    QTimer m_attach;
    int m_currentPartition = -1;
    int m_otherPartition = -1;
};

} // namespace hookbench::ui
