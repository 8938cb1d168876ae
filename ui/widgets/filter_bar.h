#pragma once

// FilterBar: the live feed's filter (source, verdict, Kafka state, processing state, event type,
// key substring, time range). It only builds a store::JournalFilter; the journal runs it in SQLite.

#include <QStringList>
#include <QTimer>
#include <QWidget>

#include "core/store/journal_query.h"

class QComboBox;
class QLineEdit;

namespace hookbench::ui {

class FilterBar final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FilterBar)

public:
    explicit FilterBar(const QStringList &sources, QWidget *parent = nullptr);

    // The filter as set now; time ranges are relative to the moment of the call.
    store::JournalFilter filter() const;
    void focusSearch();
    void clear();

signals:
    void filterChanged();

private:
    QComboBox *m_source = nullptr;
    QComboBox *m_verdict = nullptr;
    QComboBox *m_kafkaState = nullptr;
    QComboBox *m_processingState = nullptr;
    QComboBox *m_range = nullptr;
    QLineEdit *m_eventType = nullptr;
    QLineEdit *m_key = nullptr;
    QTimer m_debounce;
};

} // namespace hookbench::ui
