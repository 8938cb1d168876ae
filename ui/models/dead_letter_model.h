#pragma once

// DeadLetterModel: the DLQ as a table — one row per dead letter, oldest first, over compact
// DeadLetterItem records. Reads run on a DeadLetterLoader thread; reload() is coalesced (one read
// per kReloadMs however often it is asked), and the model asks by itself when the processor
// reports a dead letter and every kPollMs (replays and discards through the admin API change
// statuses too). Letters are never deleted, so a read appends rows and updates changed ones:
// one beginInsertRows for the new tail, dataChanged for the changed range.

#include <memory>

#include <QAbstractTableModel>
#include <QTimer>

#include "ui/models/dead_letter_row.h"

namespace hookbench::pipeline {
class IngestPipeline;
} // namespace hookbench::pipeline

namespace hookbench::ui {

class DeadLetterLoader;
class WorkerThread;

class DeadLetterModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeadLetterModel)

public:
    enum Column {
        Time,
        Source,
        EventType,
        EntityKey,
        Status,
        Replays,
        Attempts,
        ErrorClass,
        Error,
        Original,
        ColumnCount
    };
    enum Role {
        IdRole = Qt::UserRole + 1, // qint64 dead letter id
        JournalIdRole,             // qint64
        ErrorGroupRole,            // QString, DeadLetterItem::errorGroup()
        DeadRole,                  // bool: status is still "dead" (replayable)
        ReplayCountRole,           // int
    };
    static constexpr int kReloadMs = 250;
    static constexpr int kPollMs = 3000;

    explicit DeadLetterModel(pipeline::IngestPipeline &pipeline, QObject *parent = nullptr);
    ~DeadLetterModel() override;

    void reload();
    const DeadLetterItem &item(int row) const { return m_items.at(row); }
    int rowOfId(qint64 id) const;
    int loads() const { return m_loads; } // reads applied (tests wait on it)

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Applies a read (public for tests of the update signals).
    void apply(const DeadLetterItems &items);

signals:
    void reloaded();
    void loadFailed(const QString &message);

private:
    void startLoad();

    DeadLetterItems m_items;
    std::unique_ptr<WorkerThread> m_thread;
    DeadLetterLoader *m_loader = nullptr;
    QTimer m_coalesce;
    QTimer m_poll;
    quint64 m_generation = 0;
    bool m_inFlight = false;
    bool m_again = false;
    int m_loads = 0;
};

} // namespace hookbench::ui
