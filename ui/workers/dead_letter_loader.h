#pragma once

// DeadLetterLoader: reads the DLQ for the DLQ view off the GUI thread — every letter (oldest
// first, payloads dropped), with the replay count of each letter's lineage for the loop guard —
// on its own read-only connection, and answers each load() with one batch through loaded().

#include <memory>

#include <QObject>
#include <QString>

#include "ui/models/dead_letter_row.h"

namespace hookbench::store {
class ProcessingQuery;
} // namespace hookbench::store

namespace hookbench::ui {

class DeadLetterLoader final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeadLetterLoader)

public:
    static constexpr int kMaxLetters = 20'000; // the newest; a DLQ this long is a problem of its own

    explicit DeadLetterLoader(QString databasePath);
    ~DeadLetterLoader() override;

    // Runs on the loader's thread (post it with QMetaObject::invokeMethod).
    void load(quint64 generation);

signals:
    void loaded(quint64 generation, const hookbench::ui::DeadLetterItems &items, const QString &error);

private:
    QString m_databasePath;
    std::shared_ptr<store::ProcessingQuery> m_query;
};

} // namespace hookbench::ui
