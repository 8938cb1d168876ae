// Store tests on real SQLite files: opening and migrating, the header codec, and the dedup
// claim (also from racing connections). The journal writer and query: test_journal_writer.cpp.

#include <latch>
#include <thread>
#include <vector>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include "core/store/database.h"
#include "core/store/dedup_store.h"
#include "core/store/header_codec.h"
#include "core/store/journal_query.h"
#include "core/util/clock.h"
#include "store_test_support.h"

using namespace Qt::StringLiterals;
using namespace hookbench;
using namespace hookbench::store;
using namespace hookbench::store::testing;

class TestStore final : public QObject
{
    Q_OBJECT

private slots:
    void init();

    // Database
    void openCreatesAndMigrates();
    void corruptFileIsRejected();
    void unwritableDirectoryIsRejected();
    void readOnlyDirectoryIsRejected();
    void newerSchemaIsRejected();
    void readOnlyOpenNeedsExistingFile();
    void headerCodecRoundTrip_data();
    void headerCodecRoundTrip();

    // DedupStore
    void claimDuplicateAndExpiry();
    void purgeDeletesInChunks();
    void concurrentClaimsFromSeparateConnections();

private:
    QString dbPath() const { return databasePath(*m_dir); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestStore::openCreatesAndMigrates()
{
    {
        auto db = Database::open(dbPath()); // data/ does not exist yet
        QVERIFY2(db, qPrintable(db ? QString() : db.error().message));
        QCOMPARE((*db)->userVersion().value(), Database::latestSchemaVersion());
        QCOMPARE((*db)->pragmaText("journal_mode").value(), u"wal"_s);
        QCOMPARE((*db)->pragmaText("synchronous").value(), u"2"_s); // FULL
        QCOMPARE((*db)->pragmaText("foreign_keys").value(), u"1"_s);
        QCOMPARE(countRows(**db, "SELECT count(*) FROM sqlite_schema WHERE name IN ('journal', 'dedup')"), 2);
        QCOMPARE(countRows(**db, "SELECT count(*) FROM sqlite_schema WHERE name = 'journal_pending'"), 1);
        QVERIFY((*db)->exec("INSERT INTO dedup VALUES('s', X'01', 7, 1, 2)").ok());
    }
    // Reopening keeps the data and does not migrate again.
    auto again = Database::open(dbPath());
    QVERIFY2(again, qPrintable(again ? QString() : again.error().message));
    QCOMPARE((*again)->userVersion().value(), Database::latestSchemaVersion());
    QCOMPARE(countRows(**again, "SELECT journal_id FROM dedup"), 7);

    auto readOnly = Database::open(dbPath(), OpenMode::ReadOnly);
    QVERIFY2(readOnly, qPrintable(readOnly ? QString() : readOnly.error().message));
    QCOMPARE((*readOnly)->pragmaText("journal_mode").value(), u"wal"_s);
    QVERIFY(!(*readOnly)->exec("DELETE FROM dedup").ok());
}

void TestStore::corruptFileIsRejected()
{
    QVERIFY(QDir().mkpath(QFileInfo(dbPath()).absolutePath()));
    QByteArray garbage(64 * 1024, Qt::Uninitialized);
    QRandomGenerator random(42);
    random.fillRange(reinterpret_cast<quint32 *>(garbage.data()), garbage.size() / 4);
    QFile file(dbPath());
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(garbage), garbage.size());
    file.close();

    auto db = Database::open(dbPath());
    QVERIFY(!db);
    QCOMPARE(db.error().code, u"store_corrupt"_s);
    QVERIFY2(db.error().message.contains(QFileInfo(dbPath()).absoluteFilePath()), qPrintable(db.error().message));
    QVERIFY2(db.error().message.contains(u"not a database"_s), qPrintable(db.error().message));
    // Nothing was written over the user's file.
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), garbage);
}

void TestStore::unwritableDirectoryIsRejected()
{
    // A regular file where the data directory should be: no directory can be made there
    // (this holds even for root, unlike permission bits).
    QFile blocker(m_dir->filePath(u"blocker"_s));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    const QString path = m_dir->filePath(u"blocker/sub/hookbench.db"_s);
    auto db = Database::open(path);
    QVERIFY(!db);
    QCOMPARE(db.error().code, u"store_unwritable"_s);
    QVERIFY2(db.error().message.contains(path), qPrintable(db.error().message));
    QVERIFY(!QFileInfo::exists(path));
}

void TestStore::readOnlyDirectoryIsRejected()
{
    const QString dir = m_dir->filePath(u"locked"_s);
    QVERIFY(QDir().mkpath(dir));
    QVERIFY(QFile::setPermissions(dir, QFile::ReadOwner | QFile::ExeOwner));
    auto restore =
        qScopeGuard([&] { QFile::setPermissions(dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner); });
    if (QFileInfo(dir).isWritable())
        QSKIP("running with privileges that ignore directory permissions");
    const QString path = dir + u"/hookbench.db"_s;
    auto db = Database::open(path);
    QVERIFY(!db);
    QCOMPARE(db.error().code, u"store_unwritable"_s);
    QVERIFY2(db.error().message.contains(path), qPrintable(db.error().message));
}

void TestStore::newerSchemaIsRejected()
{
    {
        auto db = Database::open(dbPath());
        QVERIFY(db);
        QVERIFY((*db)->exec("PRAGMA user_version = 99").ok());
    }
    auto db = Database::open(dbPath());
    QVERIFY(!db);
    QCOMPARE(db.error().code, u"store_schema_too_new"_s);
    QVERIFY2(db.error().message.contains(u"99"_s), qPrintable(db.error().message));
    QVERIFY2(db.error().message.contains(QFileInfo(dbPath()).absoluteFilePath()), qPrintable(db.error().message));
    auto readOnly = Database::open(dbPath(), OpenMode::ReadOnly);
    QVERIFY(!readOnly);
    QCOMPARE(readOnly.error().code, u"store_schema_too_new"_s);
}

void TestStore::readOnlyOpenNeedsExistingFile()
{
    auto query = JournalQuery::open(dbPath());
    QVERIFY(!query);
    QVERIFY2(query.error().message.contains(QFileInfo(dbPath()).absoluteFilePath()), qPrintable(query.error().message));
    QVERIFY(!QFileInfo::exists(dbPath()));
}

void TestStore::headerCodecRoundTrip_data()
{
    QTest::addColumn<http::HeaderList>("headers");
    QTest::addColumn<bool>("readable"); // stored as plain JSON strings
    QTest::newRow("empty") << http::HeaderList{} << true;
    QTest::newRow("repeats and case") << http::HeaderList{{"X-Dup", "a"}, {"x-dup", "b"}, {"X-DUP", "a"}, {"Empty", ""}}
                                      << true;
    QTest::newRow("utf-8") << http::HeaderList{{"X-Name", "Zoë ✓"}} << true;
    QTest::newRow("plain ascii") << http::HeaderList{{"Content-Type", "application/json; charset=utf-8"},
                                                     {"Stripe-Signature", "t=1700000000,v1=5257a869e7ec"},
                                                     {"Accept", "*/*; q=0.5"}}
                                 << true;
    QTest::newRow("escaped") << http::HeaderList{{"X-Quote", "say \"hi\""},
                                                 {"X-Path", "C:\\dir"},
                                                 {"X-Tab", "a\tb"},
                                                 {"X-Del", "\x7f"}}
                             << true;
    QTest::newRow("binary value") << http::HeaderList{{"X-Bin", QByteArray("\x00\xff\xfe", 3)}} << false;
    QTest::newRow("invalid utf-8 name") << http::HeaderList{{QByteArray("X-\xc3\x28"), "v"}} << false;
    // QString::fromUtf8 drops a leading BOM, so the exact round trip check keeps it as base64.
    QTest::newRow("bom") << http::HeaderList{{"X-Bom", "\xef\xbb\xbfhi"}} << false;
}

void TestStore::headerCodecRoundTrip()
{
    QFETCH(http::HeaderList, headers);
    QFETCH(bool, readable);
    const QByteArray encoded = encodeHeaders(headers);
    QCOMPARE(encoded.contains("base64"), !readable);
    if (readable) {
        // The stored form is exactly what QJsonDocument writes, fast path or not.
        QJsonArray reference;
        for (const auto &[name, value] : headers)
            reference.append(QJsonArray{QString::fromUtf8(name), QString::fromUtf8(value)});
        QCOMPARE(encoded, QJsonDocument(reference).toJson(QJsonDocument::Compact));
    }
    auto decoded = decodeHeaders(encoded);
    QVERIFY(decoded);
    QCOMPARE(*decoded, headers);
    QVERIFY(!decodeHeaders("{\"not\":\"an array\"}"));
    QVERIFY(!decodeHeaders("[[\"a\",{\"base64\":\"!!\"}]]"));
}

void TestStore::claimDuplicateAndExpiry()
{
    auto db = Database::open(dbPath());
    QVERIFY(db);
    DedupStore dedup(**db);
    ManualClock clock;
    const qint64 t0 = clock.nowMs();

    auto first = dedup.claim(u"stripe"_s, "evt_1", 1, t0, 1000);
    QVERIFY(first);
    QVERIFY(first->claimed);
    QCOMPARE(first->firstJournalId, 1);

    clock.advanceMs(999);
    auto dup = dedup.claim(u"stripe"_s, "evt_1", 2, clock.nowMs(), 1000);
    QVERIFY(dup);
    QVERIFY(!dup->claimed);
    QCOMPARE(dup->firstJournalId, 1);
    QCOMPARE(dup->firstSeenMs, t0);

    // Same key under another source is another key.
    auto otherSource = dedup.claim(u"github"_s, "evt_1", 3, clock.nowMs(), 1000);
    QVERIFY(otherSource && otherSource->claimed);

    // At expires_at the claim is free again and the new holder is recorded.
    clock.advanceMs(1);
    auto again = dedup.claim(u"stripe"_s, "evt_1", 4, clock.nowMs(), 1000);
    QVERIFY(again);
    QVERIFY(again->claimed);
    auto dupOfNew = dedup.claim(u"stripe"_s, "evt_1", 5, clock.nowMs(), 1000);
    QVERIFY(dupOfNew && !dupOfNew->claimed);
    QCOMPARE(dupOfNew->firstJournalId, 4);
    QCOMPARE(dupOfNew->firstSeenMs, t0 + 1000);

    QVERIFY(!dedup.claim(u"stripe"_s, QByteArray(), 6, clock.nowMs(), 1000));
}

void TestStore::purgeDeletesInChunks()
{
    auto db = Database::open(dbPath());
    QVERIFY(db);
    DedupStore dedup(**db);
    ManualClock clock;
    for (int i = 0; i < 25; ++i)
        QVERIFY(dedup.claim(u"s"_s, "old-" + QByteArray::number(i), i + 1, clock.nowMs(), 10).ok());
    for (int i = 0; i < 5; ++i)
        QVERIFY(dedup.claim(u"s"_s, "live-" + QByteArray::number(i), 100 + i, clock.nowMs(), 1'000'000).ok());
    clock.advanceMs(100);

    QList<int> chunks;
    for (;;) {
        auto purged = dedup.purgeExpired(clock.nowMs(), 10);
        QVERIFY(purged);
        chunks.append(*purged);
        if (*purged < 10)
            break;
    }
    QCOMPARE(chunks, (QList<int>{10, 10, 5}));
    QCOMPARE(countRows(**db, "SELECT count(*) FROM dedup"), 5);
    QCOMPARE(countRows(**db, "SELECT count(*) FROM dedup WHERE CAST(key AS TEXT) LIKE 'live-%'"), 5);
}

void TestStore::concurrentClaimsFromSeparateConnections()
{
    QVERIFY(Database::open(dbPath()).ok()); // create the schema once
    constexpr int kThreads = 4;
    constexpr int kKeys = 50;
    struct Seen
    {
        bool ok = false;
        bool claimed = false;
        qint64 firstId = 0;
        QString error;
    };
    std::vector<std::vector<Seen>> seen(kThreads, std::vector<Seen>(kKeys));
    std::latch start(kThreads);
    std::vector<std::thread> threads;
    const QString path = dbPath();
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            auto db = Database::open(path);
            start.arrive_and_wait(); // every connection is open; now race
            if (!db) {
                seen[size_t(t)][0].error = db.error().message;
                return;
            }
            DedupStore dedup(**db);
            for (int k = 0; k < kKeys; ++k) {
                const qint64 journalId = (t + 1) * 1000 + k;
                auto r = dedup.claim(u"race"_s, "key-" + QByteArray::number(k), journalId, 1000, 60'000);
                Seen &s = seen[size_t(t)][size_t(k)];
                s.ok = r.ok();
                if (r) {
                    s.claimed = r->claimed;
                    s.firstId = r->firstJournalId;
                } else {
                    s.error = r.error().message;
                }
            }
        });
    }
    for (auto &thread : threads)
        thread.join();

    for (int k = 0; k < kKeys; ++k) {
        int claimedBy = -1;
        for (int t = 0; t < kThreads; ++t) {
            const Seen &s = seen[size_t(t)][size_t(k)];
            QVERIFY2(s.ok, qPrintable(s.error));
            if (s.claimed) {
                QVERIFY2(claimedBy < 0, qPrintable(u"key %1 claimed twice"_s.arg(k)));
                claimedBy = t;
            }
        }
        QVERIFY2(claimedBy >= 0, qPrintable(u"key %1 never claimed"_s.arg(k)));
        const qint64 holder = (claimedBy + 1) * 1000 + k;
        for (int t = 0; t < kThreads; ++t)
            QCOMPARE(seen[size_t(t)][size_t(k)].firstId, holder);
    }
}

QTEST_GUILESS_MAIN(TestStore)
#include "test_store.moc"
