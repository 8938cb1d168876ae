#pragma once

// ScheduledRetryModel: the records waiting for their next attempt (EventProcessor::
// scheduledRetries(), a thread-safe copy without SQLite, so it is read on the GUI thread), one
// row each: due-time countdown, attempt, last error, where it waits. Refreshed every kRefreshMs:
// rows whose job left are removed, new ones inserted, and only the countdown column is updated
// for the rest (one dataChanged range).

#include <QAbstractTableModel>
#include <QTimer>

#include "core/processing/event_processor.h"
#include "core/util/clock.h"

namespace hookbench::ui {

class ScheduledRetryModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ScheduledRetryModel)

public:
    enum Column { DueIn, Attempt, Source, EventType, EntityKey, LastError, Strategy, Record, ColumnCount };
    enum Role { JobIdRole = Qt::UserRole + 1, JournalIdRole, DueAtRole };
    static constexpr int kRefreshMs = 500;

    explicit ScheduledRetryModel(processing::EventProcessor *processor, const Clock &clock = SystemClock::instance(),
                                 QObject *parent = nullptr);

    void refresh();
    // Applies a list (public for tests of the update signals): rows matched by job id.
    void apply(const QList<processing::ScheduledRetry> &retries);
    const processing::ScheduledRetry &retry(int row) const { return m_rows.at(row); }
    static QString countdown(qint64 ms); // "in 4.2 s", "in 3 min 5 s", "due now"

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    processing::EventProcessor *m_processor = nullptr;
    const Clock &m_clock;
    QList<processing::ScheduledRetry> m_rows;
    QTimer m_timer;
};

} // namespace hookbench::ui
