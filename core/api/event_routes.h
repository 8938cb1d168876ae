#pragma once

// EventRoutes: the admin API's read side — GET /api/events (journal entries with their
// processing status, filtered by source, verdict, processing state and time, paged forward by
// id), GET /api/events/{id} (an entry with its body, verification, processing status, attempts,
// dead letter and replays) and GET /api/dlq. Both connections are read-only: reading never waits
// for the writers (WAL).

#include <memory>

#include <QString>

#include "core/http/http_request.h"
#include "core/http/http_response.h"
#include "core/store/journal_query.h"
#include "core/store/processing_query.h"
#include "core/util/result.h"

namespace hookbench::api {

class RequestReader;

class EventRoutes
{
public:
    static Result<std::unique_ptr<EventRoutes>> open(const QString &databasePath);

    http::HttpResponse events(const http::HttpRequest &request);
    http::HttpResponse event(qint64 id);
    http::HttpResponse deadLetters(const http::HttpRequest &request);
    // One dead letter as the API shows it (404 when unknown).
    http::HttpResponse deadLetter(qint64 id);

    // source, status (verdict name), since and until (RFC 3339 or ms since the epoch; until is
    // exclusive) from a query string or a JSON body.
    static void readJournalFilter(RequestReader &reader, store::JournalFilter &filter);

private:
    EventRoutes() = default;

    std::unique_ptr<store::JournalQuery> m_journal;
    std::unique_ptr<store::ProcessingQuery> m_processing;
};

} // namespace hookbench::api
