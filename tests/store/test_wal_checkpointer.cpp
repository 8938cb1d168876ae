// WalCheckpointer: read-write connections never checkpoint inside their own commits, the
// attached writer's commits wake the checkpoint thread once the WAL has grown by the threshold,
// the copied pages are in the database file, and the WAL starts over instead of growing.

#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include "core/store/database.h"
#include "core/store/wal_checkpointer.h"

using namespace Qt::StringLiterals;
using hookbench::store::Database;
using hookbench::store::OpenMode;
using hookbench::store::WalCheckpointer;

namespace {

// One transaction of `rows` dedup rows with ~1 KiB keys (row plus key index: about half a WAL
// page per row).
void writeRows(Database &db, int first, int rows)
{
    QVERIFY(db.beginImmediate().ok());
    for (int i = first; i < first + rows; ++i) {
        const QByteArray sql = "INSERT INTO dedup VALUES('s', X'" + QByteArray::number(i, 16).rightJustified(8, '0')
                               + "' || zeroblob(1000), " + QByteArray::number(i) + ", 1, 2)";
        QVERIFY2(db.exec(sql).ok(), sql.constData());
    }
    QVERIFY(db.commit().ok());
}

qint64 walBytes(const QString &databasePath)
{
    return QFileInfo(databasePath + u"-wal"_s).size();
}

} // namespace

class WalCheckpointerTest : public QObject
{
    Q_OBJECT

private slots:
    void readWriteConnectionsDoNotCheckpointThemselves()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"hookbench.db"_s);
        auto db = Database::open(path, OpenMode::ReadWrite);
        QVERIFY(db.ok());
        QCOMPARE(*(*db)->pragmaText("wal_autocheckpoint"), u"0"_s);

        // SQLite's default would have checkpointed at 1000 pages; without a checkpointer the
        // WAL only grows.
        qint64 previous = 0;
        for (int batch = 0; batch < 6; ++batch) {
            writeRows(**db, batch * 500, 500);
            const qint64 size = walBytes(path);
            QVERIFY2(size > previous, qPrintable(u"WAL %1 bytes after batch %2"_s.arg(size).arg(batch)));
            previous = size;
        }
        QVERIFY(previous > 4 * 1024 * 1024);
    }

    void commitsPastTheThresholdCheckpointOnTheThread()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"hookbench.db"_s);
        auto writer = Database::open(path, OpenMode::ReadWrite);
        QVERIFY(writer.ok());
        auto checkpointer = WalCheckpointer::open(path, 200);
        QVERIFY2(checkpointer.ok(), qPrintable(checkpointer.ok() ? QString() : checkpointer.error().message));
        (*checkpointer)->attach(**writer);

        writeRows(**writer, 0, 20); // ~10 pages: below the threshold
        QCOMPARE((*checkpointer)->stats().checkpoints, 0);

        writeRows(**writer, 20, 600); // ~300 pages
        QTRY_VERIFY_WITH_TIMEOUT((*checkpointer)->stats().checkpoints >= 1, 10000);
        QTRY_VERIFY_WITH_TIMEOUT((*checkpointer)->stats().framesCopied > 200, 10000);
        QCOMPARE((*checkpointer)->stats().failures, 0);

        // Many more commits: the WAL is reused from its start after each complete checkpoint
        // instead of holding every page ever written.
        qint64 largestWal = 0;
        qint64 firstWal = 0;
        for (int batch = 0; batch < 20; ++batch) {
            writeRows(**writer, 1000 + batch * 400, 400);
            largestWal = std::max(largestWal, walBytes(path));
            if (batch == 0)
                firstWal = walBytes(path);
            QTRY_VERIFY_WITH_TIMEOUT(!(*checkpointer)->stats().busy, 10000);
        }
        QVERIFY((*checkpointer)->stats().checkpoints >= 6);
        // The file keeps its high-water mark; without the restarts it would be 20 batches long.
        QVERIFY2(largestWal < 2 * firstWal,
                 qPrintable(u"WAL grew to %1 bytes, %2 after the first batch"_s.arg(largestWal).arg(firstWal)));

        // Everything is readable through a fresh connection.
        auto reader = Database::open(path, OpenMode::ReadOnly);
        QVERIFY(reader.ok());
        auto count = (*reader)->prepare("SELECT count(*) FROM dedup");
        QVERIFY(count.ok());
        QVERIFY(count->step().ok());
        QCOMPARE(count->columnInt64(0), 20 + 600 + 20 * 400);

        WalCheckpointer::detach(**writer);
    }

    void steadyCommitsKeepTheWalBounded()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"hookbench.db"_s);
        auto writer = Database::open(path, OpenMode::ReadWrite);
        QVERIFY(writer.ok());
        auto checkpointer = WalCheckpointer::open(path, 200);
        QVERIFY(checkpointer.ok());
        (*checkpointer)->attach(**writer);

        // Commits back to back, never waiting for the checkpoint thread: ~225 frames each,
        // ~18,000 in all (~74 MB of WAL if it never started over).
        qint64 largestWal = 0;
        for (int batch = 0; batch < 80; ++batch) {
            writeRows(**writer, batch * 100, 100);
            largestWal = std::max(largestWal, walBytes(path));
        }
        const auto stats = (*checkpointer)->stats();
        qInfo("largest WAL %lld bytes; %lld checkpoints, %lld commits waited for one", largestWal, stats.checkpoints,
              stats.writerWaits);
        // Bounded: four times the threshold (~3.3 MB) plus a commit, against ~74 MB if it never
        // started over (seen before the writer waited: 30-80 MB).
        QVERIFY2(largestWal < 8 * 1024 * 1024, qPrintable(u"WAL grew to %1 bytes"_s.arg(largestWal)));
        WalCheckpointer::detach(**writer);
    }

    void aReaderHoldingTheWalDoesNotStallEveryCommit()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"hookbench.db"_s);
        auto writer = Database::open(path, OpenMode::ReadWrite);
        QVERIFY(writer.ok());
        writeRows(**writer, 0, 10);
        auto checkpointer = WalCheckpointer::open(path, 200);
        QVERIFY(checkpointer.ok());
        (*checkpointer)->attach(**writer);

        // An open read transaction on an early snapshot: the WAL cannot start over under it.
        auto reader = Database::open(path, OpenMode::ReadOnly);
        QVERIFY(reader.ok());
        QVERIFY((*reader)->exec("BEGIN").ok());
        auto count = (*reader)->prepare("SELECT count(*) FROM dedup");
        QVERIFY(count.ok());
        QVERIFY(count->step().ok());

        // ~45 frames per commit, ~9,000 in all: past the hard limit (800) after ~18 commits.
        for (int batch = 0; batch < 200; ++batch)
            writeRows(**writer, 100 + batch * 20, 20);
        const auto stats = (*checkpointer)->stats();
        const qint64 frames = walBytes(path) / (4096 + 24); // the WAL never started over
        qInfo("%lld commits waited for a checkpoint, WAL %lld frames", stats.writerWaits, frames);
        // Once per threshold of growth, not at each of the ~180 commits past the hard limit.
        QVERIFY(stats.writerWaits >= 1);
        QVERIFY2(stats.writerWaits <= frames / 200 + 2,
                 qPrintable(u"%1 waits for %2 frames"_s.arg(stats.writerWaits).arg(frames)));

        count->reset();
        QVERIFY((*reader)->exec("COMMIT").ok());
        WalCheckpointer::detach(**writer);
    }

    void checkpointNowCopiesEverythingCommitted()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"hookbench.db"_s);
        auto writer = Database::open(path, OpenMode::ReadWrite);
        QVERIFY(writer.ok());
        auto checkpointer = WalCheckpointer::open(path);
        QVERIFY(checkpointer.ok());
        writeRows(**writer, 0, 100); // not attached: nothing asks for a checkpoint
        QCOMPARE((*checkpointer)->stats().checkpoints, 0);

        QVERIFY((*checkpointer)->checkpointNow());
        const auto stats = (*checkpointer)->stats();
        QCOMPARE(stats.checkpoints, 1);
        QVERIFY2(stats.framesCopied >= 50, qPrintable(QString::number(stats.framesCopied)));
    }
};

QTEST_GUILESS_MAIN(WalCheckpointerTest)
#include "test_wal_checkpointer.moc"
