#pragma once

// test_api: the read-only processing query over rows written by ProcessingStore
// (test_processing_query.cpp) and the local admin API over a real HttpServer and a real HTTP
// client (test_admin_*.cpp).

#include <memory>

#include <QObject>
#include <QTemporaryDir>

#include "core/store/journal_entry.h"
#include "core/store/journal_writer.h"

namespace hookbench::tests {

class TestApi final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    // test_processing_query.cpp
    void queryOpenFailsWithoutDatabase();
    void statusOfEveryState();
    void statusSeesLaterWrites();
    void attemptsAndDeadLetters();
    void replaysAndProcessedOrder();

private:
    QString dbPath() const;
    // Journals the entries through a real JournalWriter (m_writer) and returns their ids.
    QList<qint64> journal(const QList<store::JournalEntry> &entries);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<store::JournalWriter> m_writer;
};

} // namespace hookbench::tests
