#pragma once

// Helpers shared by the store tests: where the database goes, entries with controllable content,
// and a collector that receives JournalWriter outcomes on the test thread.

#include <QList>
#include <QObject>
#include <QString>
#include <QTemporaryDir>

#include "core/store/database.h"
#include "core/store/journal_entry.h"
#include "core/store/journal_writer.h"

namespace hookbench::store::testing {

// Where a test puts its database: in a folder of `dir` that opening the store must create.
inline QString databasePath(const QTemporaryDir &dir)
{
    return dir.filePath(QStringLiteral("data/hookbench.db"));
}

inline JournalEntry makeEntry(const QString &source, const QByteArray &key, qint64 receivedAtMs)
{
    JournalEntry e;
    e.receivedAtMs = receivedAtMs;
    e.source = source;
    e.method = "POST";
    e.target = "/webhooks/" + source.toUtf8();
    e.headers = {{"Content-Type", "application/json"}, {"X-Delivery", key}};
    e.body = R"({"id":")" + key + R"("})";
    e.remoteAddress = QStringLiteral("127.0.0.1");
    e.remotePort = 40000;
    e.verdict = Verdict::Queued;
    e.httpStatus = 202;
    e.idempotencyKey = key;
    e.idempotencyOrigin = QStringLiteral("header:X-Delivery");
    e.entityKey = "entity-" + key;
    e.eventType = QStringLiteral("test.event");
    e.topic = QStringLiteral("webhooks.") + source;
    return e;
}

// Receives outcomes on the thread it lives on; outcomes[i] belongs to the i-th submit().
class OutcomeCollector final : public QObject
{
public:
    explicit OutcomeCollector(JournalWriter &writer) : m_writer(writer) {}

    int submit(JournalEntry entry, bool claim = true, qint64 ttlMs = 72LL * 3600 * 1000)
    {
        const int index = int(outcomes.size());
        outcomes.append(IngestOutcome{});
        m_writer.ingest(std::move(entry), claim, ttlMs, this, [this, index](const IngestOutcome &outcome) {
            outcomes[index] = outcome;
            ++delivered;
        });
        return index;
    }

    QList<IngestOutcome> outcomes;
    int delivered = 0;

private:
    JournalWriter &m_writer;
};

// A second connection to count rows, edit the schema (triggers) or hold the write lock.
inline qint64 countRows(Database &db, const char *sql)
{
    Result<Statement> stmt = db.prepare(sql);
    if (!stmt)
        return -1;
    Result<bool> row = stmt->step();
    return row && *row ? stmt->columnInt64(0) : -1;
}

} // namespace hookbench::store::testing
