// LineDiff (core/util): the shortest edit script, in reading order, with line numbers; large
// inputs with a small edit stay fast; the fallback beyond maxEdits is still a correct script.

#include <algorithm>

#include <QElapsedTimer>
#include <QTest>

#include "core/util/line_diff.h"

using namespace Qt::StringLiterals;
using hookbench::DiffLine;
using hookbench::LineDiff;

namespace {

// Applying the script to `before` must give `after`; and every Same/Removed line is the line of
// `before` it names.
bool reproduces(const QStringList &before, const QStringList &after, const QList<DiffLine> &script)
{
    QStringList rebuilt;
    int expectOld = 0;
    for (const DiffLine &line : script) {
        if (line.kind != DiffLine::Kind::Added) {
            if (line.oldLine != expectOld || before.value(line.oldLine) != line.text)
                return false;
            ++expectOld;
        }
        if (line.kind != DiffLine::Kind::Removed) {
            if (line.newLine != rebuilt.size() || after.value(line.newLine) != line.text)
                return false;
            rebuilt.append(line.text);
        }
    }
    return expectOld == before.size() && rebuilt == after;
}

int changes(const QList<DiffLine> &script)
{
    return int(std::count_if(script.cbegin(), script.cend(),
                             [](const DiffLine &l) { return l.kind != DiffLine::Kind::Same; }));
}

} // namespace

class TestLineDiff final : public QObject
{
    Q_OBJECT

private slots:
    void shortestScript_data();
    void shortestScript();
    void renderedText();
    void splitLines();
    void largeBodySmallEdit();
    void fallbackBeyondMaxEdits();
    void context();
};

void TestLineDiff::shortestScript_data()
{
    QTest::addColumn<QString>("before");
    QTest::addColumn<QString>("after");
    QTest::addColumn<int>("edits");
    QTest::newRow("equal") << u"a\nb\nc"_s << u"a\nb\nc"_s << 0;
    QTest::newRow("both empty") << QString() << QString() << 0;
    QTest::newRow("from empty") << QString() << u"a\nb"_s << 2;
    QTest::newRow("to empty") << u"a\nb"_s << QString() << 2;
    QTest::newRow("one changed") << u"a\nb\nc"_s << u"a\nB\nc"_s << 2;
    QTest::newRow("inserted") << u"a\nc"_s << u"a\nb\nc"_s << 1;
    QTest::newRow("deleted") << u"a\nb\nc"_s << u"a\nc"_s << 1;
    // Myers' paper example: ABCABBA -> CBABAC has an edit distance of 5.
    QTest::newRow("myers") << u"A\nB\nC\nA\nB\nB\nA"_s << u"C\nB\nA\nB\nA\nC"_s << 5;
    QTest::newRow("moved block") << u"1\n2\n3\n4\n5"_s << u"4\n5\n1\n2\n3"_s << 4;
}

void TestLineDiff::shortestScript()
{
    QFETCH(QString, before);
    QFETCH(QString, after);
    QFETCH(int, edits);
    const QList<DiffLine> script = LineDiff::diffText(before, after);
    QVERIFY(reproduces(LineDiff::splitLines(before), LineDiff::splitLines(after), script));
    QCOMPARE(changes(script), edits);
    QCOMPARE(LineDiff::hasChanges(script), edits > 0);
}

void TestLineDiff::renderedText()
{
    const QString before = u"{\n    \"amount\": 100,\n    \"currency\": \"usd\"\n}\n"_s;
    const QString after = u"{\n    \"amount\": 250,\n    \"currency\": \"usd\"\n}\n"_s;
    QCOMPARE(LineDiff::render(LineDiff::diffText(before, after)),
             u"  {\n-     \"amount\": 100,\n+     \"amount\": 250,\n      \"currency\": \"usd\"\n  }\n"_s);
    const QList<DiffLine> script = LineDiff::diffText(before, after);
    QCOMPARE(script.at(1), (DiffLine{DiffLine::Kind::Removed, u"    \"amount\": 100,"_s, 1, -1}));
    QCOMPARE(script.at(2), (DiffLine{DiffLine::Kind::Added, u"    \"amount\": 250,"_s, -1, 1}));
}

void TestLineDiff::splitLines()
{
    QCOMPARE(LineDiff::splitLines(QString()), QStringList());
    QCOMPARE(LineDiff::splitLines(u"a"_s), QStringList{u"a"_s});
    QCOMPARE(LineDiff::splitLines(u"a\r\nb\n"_s), (QStringList{u"a"_s, u"b"_s}));
    QCOMPARE(LineDiff::splitLines(u"a\n\n"_s), (QStringList{u"a"_s, QString()}));
}

void TestLineDiff::largeBodySmallEdit()
{
    QStringList before;
    for (int i = 0; i < 200'000; ++i)
        before.append(u"    \"field_%1\": %1,"_s.arg(i));
    QStringList after = before;
    after[100'000] = u"    \"field_100000\": \"changed\","_s;
    after.insert(150'000, u"    \"added\": true,"_s);
    QElapsedTimer timer;
    timer.start();
    const QList<DiffLine> script = LineDiff::diff(before, after);
    const qint64 elapsed = timer.elapsed();
    qInfo("diff of 200,000 lines with 3 changed lines: %lld ms", elapsed);
    QVERIFY2(elapsed < 2000, qPrintable(QString::number(elapsed)));
    QCOMPARE(changes(script), 3);
    QVERIFY(reproduces(before, after, script));
}

void TestLineDiff::fallbackBeyondMaxEdits()
{
    const QStringList before{u"a"_s, u"b"_s, u"c"_s, u"d"_s};
    const QStringList after{u"w"_s, u"x"_s, u"y"_s, u"z"_s};
    const QList<DiffLine> script = LineDiff::diff(before, after, 3);
    QVERIFY(reproduces(before, after, script));
    QCOMPARE(changes(script), 8);
    QCOMPARE(script.at(0).kind, DiffLine::Kind::Removed);
    QCOMPARE(script.at(4).kind, DiffLine::Kind::Added);
}

void TestLineDiff::context()
{
    QStringList before;
    for (int i = 0; i < 20; ++i)
        before.append(QString::number(i));
    QStringList after = before;
    after[10] = u"ten"_s;
    const QList<DiffLine> cut = LineDiff::withContext(LineDiff::diff(before, after), 2);
    QCOMPARE(LineDiff::render(cut),
             u"  … 8 unchanged lines\n  8\n  9\n- 10\n+ ten\n  11\n  12\n  … 7 unchanged lines\n"_s);
    // No change: one line says so.
    QCOMPARE(LineDiff::render(LineDiff::withContext(LineDiff::diff(before, before), 2)), u"  … 20 unchanged lines\n"_s);
    // A short run between two changes is kept whole.
    after[13] = u"thirteen"_s;
    const QList<DiffLine> two = LineDiff::withContext(LineDiff::diff(before, after), 2);
    QCOMPARE(
        std::count_if(two.cbegin(), two.cend(), [](const DiffLine &l) { return l.kind == DiffLine::Kind::Skipped; }),
        2);
    QVERIFY(LineDiff::hasChanges(two));
}

QTEST_APPLESS_MAIN(TestLineDiff)
#include "test_line_diff.moc"
