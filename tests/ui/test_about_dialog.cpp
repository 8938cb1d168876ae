// AboutDialog: it names this build (the version and commit BuildInfo has, which --version prints
// too) and the libraries in use, and "Copy details" puts the same text on the clipboard.

#include <QApplication>
#include <QClipboard>
#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QTest>

#include "core/util/build_info.h"
#include "ui/dialogs/about_dialog.h"

using namespace Qt::StringLiterals;
using namespace hookbench;

class TestAboutDialog final : public QObject
{
    Q_OBJECT

private slots:
    void namesVersionCommitAndLibraries();
    void copiesDetails();
};

namespace {

QString labelText(const QWidget &dialog, const QString &objectName)
{
    const auto *label = dialog.findChild<QLabel *>(objectName);
    return label ? label->text() : u"<no label "_s + objectName + u'>';
}

} // namespace

void TestAboutDialog::namesVersionCommitAndLibraries()
{
    ui::AboutDialog dialog;
    QCOMPARE(labelText(dialog, u"aboutVersion"_s), QStringLiteral(HOOKBENCH_VERSION));
    const QString commit = labelText(dialog, u"aboutCommit"_s);
    if (BuildInfo::commit().isEmpty())
        QCOMPARE(commit, u"not built from a git checkout"_s);
    else
        QVERIFY2(commit.startsWith(BuildInfo::commit()), qPrintable(commit));

    // Run-time versions, each a dotted number.
    const QRegularExpression dotted(u"^\\d+\\.\\d+\\.\\d+"_s);
    for (const QString &name : {u"aboutQt"_s, u"aboutLibrdkafka"_s, u"aboutSqlite"_s, u"aboutOpenssl"_s}) {
        const QString text = labelText(dialog, name);
        QVERIFY2(dotted.match(text).hasMatch(), qPrintable(name + u": "_s + text));
    }
    QCOMPARE(labelText(dialog, u"aboutQt"_s), QString::fromLatin1(qVersion()));
}

void TestAboutDialog::copiesDetails()
{
    ui::AboutDialog dialog;
    const QString details = dialog.detailsText();
    QVERIFY(details.startsWith(u"Hookbench "_s % BuildInfo::versionString() % u'\n'));
    QVERIFY(details.contains(u"\nlibrdkafka "_s % BuildInfo::librdkafkaVersion() % u'\n'));

    QApplication::clipboard()->clear();
    auto *copy = dialog.findChild<QPushButton *>(u"aboutCopy"_s);
    QVERIFY(copy);
    copy->click();
    QCOMPARE(QApplication::clipboard()->text(), details);
}

QTEST_MAIN(TestAboutDialog)
#include "test_about_dialog.moc"
