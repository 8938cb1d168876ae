#pragma once

// test_api: the read-only processing query, and the journal filtered by processing state, over
// rows written by ProcessingStore (test_processing_query.cpp), and the local admin API on a real
// HttpServer, called by a real HTTP client over loopback: authentication and the token file, CRUD and validation
// (test_admin_crud.cpp), events, dead letters, replay and consumers (test_admin_events.cpp).

#include <functional>
#include <memory>

#include <QObject>
#include <QTemporaryDir>

#include "core/api/admin_api.h"
#include "core/http/http_server.h"
#include "core/store/journal_entry.h"
#include "core/store/journal_writer.h"
#include "tests/api/api_client.h"

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
    void journalFilterByProcessingState_data();
    void journalFilterByProcessingState();

    // test_admin_crud.cpp
    void authorization_data();
    void authorization();
    void tokenFileIsPrivateAndStable();
    void tokenFileProblems();
    void targetRoundTrip();
    void filterRoundTrip();
    void subscriptionRoundTrip();
    void validation_data();
    void validation();
    void unknownIdsAndPaths_data();
    void unknownIdsAndPaths();
    void deleteInUseConflicts();
    void listPaging();
    void wrongMethod_data();
    void wrongMethod();

    // test_admin_events.cpp
    void eventsFilterAndPage();
    void eventsFilterByProcessing_data();
    void eventsFilterByProcessing();
    void eventsFilterByProcessingNamesTheStates();
    void eventsRejectBadQueries_data();
    void eventsRejectBadQueries();
    void eventDetail();
    void deadLetterList();
    void replayWithoutService();
    void consumersSnapshotAndCount();
    void consumersOff();
    void handleFromAnotherThread();

private:
    QString dbPath() const;
    // Journals the entries through a real JournalWriter (m_writer) and returns their ids.
    QList<qint64> journal(const QList<store::JournalEntry> &entries);
    // Starts an HttpServer on 127.0.0.1:0 whose handler is AdminApi::handle; adjust may change
    // the environment first. Returns false (after a failed QVERIFY) when it could not start.
    bool startApi(const std::function<void(api::AdminEnvironment &)> &adjust = {});

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<store::JournalWriter> m_writer;
    QByteArray m_token;
    std::unique_ptr<api::AdminApi> m_api;
    std::unique_ptr<http::HttpServer> m_server;
    std::unique_ptr<ApiClient> m_client;
};

} // namespace hookbench::tests
