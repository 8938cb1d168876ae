#pragma once

// LagTableModel: per-partition lag with its recent history (a sparkline) and an estimated time
// to drain: lag divided by the recent consumption rate (committed offsets per second over the
// last kRateWindowMs). Fed with snapshots; keeps at most one sample per partition a second.

#include <deque>

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

#include "core/kafka/consumer_group_state.h"

namespace hookbench::ui {

class LagTableModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LagTableModel)

public:
    enum Column { Partition, Lag, Trend, Rate, Drain, ColumnCount };
    static constexpr int HistoryRole = Qt::UserRole + 1; // QList<qreal>: lag samples, oldest first
    static constexpr int kHistorySize = 120;
    static constexpr qint64 kRateWindowMs = 30'000;

    explicit LagTableModel(QObject *parent = nullptr);

    void addSnapshot(const kafka::ConsumerGroupState &state, qint64 nowMs);

    // Seconds until `lag` records are consumed at `perSecond`; -1 when it will not drain
    // (no consumption), 0 when there is no lag.
    static double drainSeconds(qint64 lag, double perSecond);
    // "12 s", "3 min 20 s", "1 h 5 min"
    static QString formatDuration(double seconds);

    double consumptionRate(int row) const; // records per second, over kRateWindowMs

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Sample
    {
        qint64 timeMs = 0;
        qint64 lag = 0;
        qint64 committed = -1;
    };
    struct Row
    {
        QString topic;
        int partition = -1;
        qint64 lag = -1;
        std::deque<Sample> history;
    };
    QList<Row> m_rows;
};

} // namespace hookbench::ui
