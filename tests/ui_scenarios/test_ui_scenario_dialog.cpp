// The Scenario dialog on a real pipeline: the form runs what it shows, and the result panel
// shows what the runner read back from the journal.

#include <memory>

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>

#include "core/processing/event_processor.h"
#include "ui/dialogs/scenario_dialog.h"
#include "ui_test_support.h"

using namespace Qt::StringLiterals;
using namespace hookbench;

namespace {

constexpr int kRunTimeoutMs = 180'000;

const QByteArray kConfig = R"({
    "sources": [
        {"name": "stripe", "provider": "stripe", "secrets": ["whsec_ui_test_secret"]},
        {"name": "sw", "provider": "standard-webhooks", "secrets": ["whsec_c2NlbmFyaW8tdGVzdC1zZWNyZXQtMTIzNA=="]}
    ],
    "kafka": {"mode": "embedded", "brokers": 1, "partitions": 3},
    "consumers": {"count": 2},
    "listen": "127.0.0.1:0"
})";

void saveShot(QWidget &widget, const QString &name)
{
    const QString dir = qEnvironmentVariable("HOOKBENCH_SCREENSHOT_DIR");
    if (!dir.isEmpty())
        widget.grab().save(dir % u'/' % name);
}

} // namespace

class TestUiScenarioDialog final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();

    void blockingRunShowsOrderPreserved();
    void retryTopicsRunShowsViolations();
    void dedupRaceShowsTheWinner();
    void providerRetryShowsTheSchedule();
    void saveAndLoad();

private:
    QJsonObject run(QPushButton *button);
    void fillOrderForm(int strategyIndex);
    template <typename T>
    T *child(const QString &name)
    {
        return m_dialog->findChild<T *>(name);
    }

    QTemporaryDir m_dir;
    std::unique_ptr<pipeline::IngestPipeline> m_pipeline;
    std::unique_ptr<ui::ScenarioDialog> m_dialog;
};

void TestUiScenarioDialog::initTestCase()
{
    m_pipeline = uitest::startPipeline(m_dir.path(), kConfig);
    QVERIFY(m_pipeline);
}

void TestUiScenarioDialog::cleanupTestCase()
{
    if (m_pipeline)
        m_pipeline->stop(5000);
}

void TestUiScenarioDialog::init()
{
    m_dialog = std::make_unique<ui::ScenarioDialog>(*m_pipeline);
    m_dialog->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_dialog.get()));
}

void TestUiScenarioDialog::cleanup()
{
    m_dialog.reset();
}

QJsonObject TestUiScenarioDialog::run(QPushButton *button)
{
    QSignalSpy ready(m_dialog.get(), &ui::ScenarioDialog::reportReady);
    if (!button || !button->isEnabled())
        return {};
    button->click();
    if (!m_dialog->isRunning())
        return {};
    if (!ready.wait(kRunTimeoutMs))
        return {};
    return ready.first().first().toJsonObject();
}

void TestUiScenarioDialog::fillOrderForm(int strategyIndex)
{
    auto *providers = child<QListWidget>(u"scenarioProviders"_s);
    for (int i = 0; i < providers->count(); ++i)
        providers->item(i)->setCheckState(
            providers->item(i)->data(Qt::UserRole).toString() == u"stripe"_s ? Qt::Checked : Qt::Unchecked);
    child<QSpinBox>(u"scenarioEvents"_s)->setValue(80);
    child<QSpinBox>(u"scenarioEntities"_s)->setValue(4);
    child<QDoubleSpinBox>(u"scenarioDuplicateRate"_s)->setValue(0.15);
    child<QComboBox>(u"scenarioStrategy"_s)->setCurrentIndex(strategyIndex);
    child<QSpinBox>(u"scenarioBaseMs"_s)->setValue(10);
    child<QSpinBox>(u"scenarioMaxAttempts"_s)->setValue(30);
    child<QCheckBox>(u"scenarioInjectFailures"_s)->setChecked(true);
    child<QDoubleSpinBox>(u"scenarioFailureRate"_s)->setValue(0.3);
}

void TestUiScenarioDialog::blockingRunShowsOrderPreserved()
{
    fillOrderForm(1);
    const QJsonObject report = run(child<QPushButton>(u"runScenario"_s));
    QVERIFY2(report.value(u"ok"_s).toBool(), QJsonDocument(report).toJson().constData());
    QCOMPARE(report.value(u"strategy"_s).toString(), u"blocking"_s);
    QCOMPARE(report.value(u"planned"_s).toInt(), 80);
    QVERIFY(report.value(u"duplicates_injected"_s).toInt() > 0);
    QCOMPARE(report.value(u"duplicates_caught"_s).toInt(), report.value(u"duplicates_injected"_s).toInt());
    QCOMPARE(report.value(u"order"_s).toObject().value(u"violated"_s).toInt(), 0);
    QVERIFY(report.value(u"outcomes"_s).toObject().value(u"attempts"_s).toInteger() > 80);
    // The processor runs the strategy the form chose.
    auto live = m_pipeline->processor()->sourceSettings(u"stripe"_s);
    QVERIFY(live);
    QCOMPARE(live->first.strategy, processing::RetrySettings::Strategy::Blocking);
    QVERIFY(live->second && qFuzzyCompare(live->second->failureRate, 0.3));

    const QString text = child<QTextBrowser>(u"scenarioResult"_s)->toPlainText();
    QVERIFY2(text.contains(u"as expected"_s), qPrintable(text));
    QVERIFY(text.contains(u"Per-entity order preserved"_s));
    QVERIFY(text.contains(u"4 of 4"_s));
    QVERIFY(!text.contains(u"First order violations"_s));
    QCOMPARE(child<QProgressBar>(u"scenarioProgress"_s)->value(),
             child<QProgressBar>(u"scenarioProgress"_s)->maximum());
    QVERIFY(child<QPushButton>(u"runScenario"_s)->isEnabled());
    saveShot(*m_dialog, u"scenario-dialog-blocking.png"_s);
}

void TestUiScenarioDialog::retryTopicsRunShowsViolations()
{
    fillOrderForm(2);
    child<QComboBox>(u"scenarioExpect"_s)->setCurrentIndex(2); // order violated
    const QJsonObject report = run(child<QPushButton>(u"runScenario"_s));
    QVERIFY2(report.value(u"ok"_s).toBool(), QJsonDocument(report).toJson().constData());
    QCOMPARE(report.value(u"strategy"_s).toString(), u"topics"_s);
    const QJsonObject order = report.value(u"order"_s).toObject();
    QVERIFY(order.value(u"violated"_s).toInt() > 0);
    QCOMPARE(report.value(u"duplicates_caught"_s).toInt(), report.value(u"duplicates_injected"_s).toInt());
    const QString text = child<QTextBrowser>(u"scenarioResult"_s)->toPlainText();
    QVERIFY2(text.contains(u"First order violations"_s), qPrintable(text));
    const QJsonObject first = order.value(u"violations"_s).toArray().first().toObject();
    QVERIFY(text.contains(first.value(u"entity"_s).toString()));
    saveShot(*m_dialog, u"scenario-dialog-topics.png"_s);
    // Back to blocking for the other tests.
    auto live = m_pipeline->processor()->sourceSettings(u"stripe"_s);
    QVERIFY(live);
    processing::RetrySettings blocking = live->first;
    blocking.strategy = processing::RetrySettings::Strategy::Blocking;
    QVERIFY(m_pipeline->processor()->setRetrySettings(u"stripe"_s, blocking));
}

void TestUiScenarioDialog::dedupRaceShowsTheWinner()
{
    child<QTabWidget>(u"scenarioTabs"_s)->setCurrentIndex(1);
    child<QSpinBox>(u"raceDeliveries"_s)->setValue(10);
    const QJsonObject report = run(child<QPushButton>(u"runDedupRace"_s));
    QVERIFY2(report.value(u"ok"_s).toBool(), QJsonDocument(report).toJson().constData());
    QCOMPARE(report.value(u"winners"_s).toInt(), 1);
    QCOMPARE(report.value(u"duplicate_answers"_s).toInt(), 9);
    const QString text = child<QTextBrowser>(u"scenarioResult"_s)->toPlainText();
    QVERIFY2(text.contains(u"delivery #%1 won the claim"_s.arg(report.value(u"winner_delivery"_s).toInt())),
             qPrintable(text));
    QVERIFY(text.contains(u"9 were answered duplicate"_s));
    saveShot(*m_dialog, u"scenario-dialog-race.png"_s);
}

void TestUiScenarioDialog::providerRetryShowsTheSchedule()
{
    child<QTabWidget>(u"scenarioTabs"_s)->setCurrentIndex(2);
    auto *schedule = child<QComboBox>(u"retrySchedule"_s);
    schedule->setCurrentIndex(schedule->findData(u"standard-webhooks"_s));
    child<QDoubleSpinBox>(u"retryCompression"_s)->setValue(100'000);
    child<QDoubleSpinBox>(u"retryLateHours"_s)->setValue(96);
    const QJsonObject report = run(child<QPushButton>(u"runProviderRetry"_s));
    QVERIFY2(report.value(u"ok"_s).toBool(), QJsonDocument(report).toJson().constData());
    QCOMPARE(report.value(u"source"_s).toString(), u"sw"_s);
    QCOMPARE(report.value(u"attempts"_s).toArray().size(), 9);
    QCOMPARE(report.value(u"duplicate_answers"_s).toInt(), 8);
    const QString text = child<QTextBrowser>(u"scenarioResult"_s)->toPlainText();
    QVERIFY2(text.contains(u"2 h 35 min 5 s"_s), qPrintable(text));
    QVERIFY(text.contains(u"past the dedup TTL"_s));
    saveShot(*m_dialog, u"scenario-dialog-retries.png"_s);
}

void TestUiScenarioDialog::saveAndLoad()
{
    fillOrderForm(2);
    child<QDoubleSpinBox>(u"scenarioOutOfOrderRate"_s)->setValue(0.25);
    const QString file = m_dir.filePath(u"saved.json"_s);
    QVERIFY(m_dialog->saveTo(file));
    fillOrderForm(1);
    child<QSpinBox>(u"scenarioEvents"_s)->setValue(5);
    child<QDoubleSpinBox>(u"scenarioOutOfOrderRate"_s)->setValue(0);
    QVERIFY(m_dialog->loadFrom(file));
    QCOMPARE(child<QSpinBox>(u"scenarioEvents"_s)->value(), 80);
    QCOMPARE(child<QDoubleSpinBox>(u"scenarioOutOfOrderRate"_s)->value(), 0.25);
    QCOMPARE(child<QComboBox>(u"scenarioStrategy"_s)->currentIndex(), 2);
    QCOMPARE(m_dialog->scenarioFromForm().toJson().value(u"retry"_s).toObject().value(u"strategy"_s).toString(),
             u"topics"_s);
    const QString broken = m_dir.filePath(u"broken.json"_s);
    QFile f(broken);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"({"entities": 0})");
    f.close();
    const Result<void> failed = m_dialog->loadFrom(broken);
    QVERIFY(!failed);
    QVERIFY(failed.error().message.contains(u"scenario.entities"_s));
}

QTEST_MAIN(TestUiScenarioDialog)
#include "test_ui_scenario_dialog.moc"
