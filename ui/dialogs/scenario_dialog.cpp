#include "ui/dialogs/scenario_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

#include "core/pipeline/ingest_pipeline.h"
#include "core/providers/provider_registry.h"
#include "core/scenario/provider_schedule.h"
#include "core/scenario/scenario_runner.h"

using namespace Qt::StringLiterals;

namespace hookbench::ui {

namespace {

QSpinBox *spin(int min, int max, int value, const QString &name, QWidget *parent)
{
    auto *s = new QSpinBox(parent);
    s->setRange(min, max);
    s->setValue(value);
    s->setObjectName(name);
    return s;
}

QDoubleSpinBox *dspin(double min, double max, double value, double step, const QString &name, QWidget *parent)
{
    auto *s = new QDoubleSpinBox(parent);
    s->setRange(min, max);
    s->setSingleStep(step);
    s->setDecimals(step < 0.1 ? 2 : 1);
    s->setValue(value);
    s->setObjectName(name);
    return s;
}

QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}

QString row(const QString &label, const QString &value, const QString &style = {})
{
    return u"<tr><td>"_s % esc(label) % u"</td><td align='right'"_s
           % (style.isEmpty() ? QString() : u" style='"_s % style % u'\'') % u"><b>"_s % value % u"</b></td></tr>"_s;
}

const QString kGood = u"color:#1a7f37"_s;
const QString kBad = u"color:#b02020"_s;

} // namespace

ScenarioDialog::ScenarioDialog(pipeline::IngestPipeline &pipeline, QWidget *parent)
    : QDialog(parent)
    , m_pipeline(pipeline)
    , m_thread(u"scenario"_s)
{
    setObjectName(u"scenarioDialog"_s);
    setWindowTitle(tr("Scenarios — ordering and deduplication"));
    resize(1100, 700);

    scenario::ScenarioTarget target;
    target.listenAddress = pipeline.listenAddress();
    target.config = pipeline.config();
    target.databasePath = pipeline.databasePath();
    target.processor = pipeline.processor();
    m_runner = new scenario::ScenarioRunner(target);
    m_thread.adopt(m_runner);
    m_thread.start();
    connect(m_runner, &scenario::ScenarioRunner::progress, this, &ScenarioDialog::onProgress, Qt::QueuedConnection);
    connect(
        m_runner, &scenario::ScenarioRunner::finished, this,
        [this](const scenario::ScenarioReport &report) { onFinished(report.toJson()); }, Qt::QueuedConnection);
    connect(m_runner, &scenario::ScenarioRunner::demoFinished, this, &ScenarioDialog::onFinished, Qt::QueuedConnection);

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(u"scenarioTabs"_s);
    m_tabs->addTab(buildScenarioTab(), tr("Scenario"));
    m_tabs->addTab(buildRaceTab(), tr("Dedup race"));
    m_tabs->addTab(buildRetryTab(), tr("Provider retries"));

    auto *resultBox = new QWidget(this);
    auto *resultLayout = new QVBoxLayout(resultBox);
    resultLayout->setContentsMargins(0, 0, 0, 0);
    auto *progressRow = new QHBoxLayout;
    m_phase = new QLabel(tr("Ready"), resultBox);
    m_phase->setObjectName(u"scenarioPhase"_s);
    m_progress = new QProgressBar(resultBox);
    m_progress->setObjectName(u"scenarioProgress"_s);
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_cancel = new QPushButton(tr("Cancel"), resultBox);
    m_cancel->setObjectName(u"scenarioCancel"_s);
    m_cancel->setEnabled(false);
    m_cancel->setAutoDefault(false);
    progressRow->addWidget(m_progress, 1);
    progressRow->addWidget(m_cancel);
    resultLayout->addLayout(progressRow);
    resultLayout->addWidget(m_phase);
    m_result = new QTextBrowser(resultBox);
    m_result->setObjectName(u"scenarioResult"_s);
    m_result->setAccessibleName(tr("Scenario result"));
    m_result->setPlaceholderText(tr("Run a scenario or a demo: the result appears here."));
    resultLayout->addWidget(m_result, 1);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_tabs);
    splitter->addWidget(resultBox);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto *save = buttons->addButton(tr("Save…"), QDialogButtonBox::ActionRole);
    auto *load = buttons->addButton(tr("Load…"), QDialogButtonBox::ActionRole);
    save->setObjectName(u"scenarioSave"_s);
    load->setObjectName(u"scenarioLoad"_s);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(save, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getSaveFileName(this, tr("Save scenario"), {}, tr("Scenarios (*.json)"));
        if (file.isEmpty())
            return;
        if (Result<void> r = saveTo(file); !r)
            m_phase->setText(r.error().message);
    });
    connect(load, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("Load scenario"), {}, tr("Scenarios (*.json)"));
        if (file.isEmpty())
            return;
        if (Result<void> r = loadFrom(file); !r)
            m_phase->setText(r.error().message);
    });
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        QMetaObject::invokeMethod(
            m_runner, [runner = m_runner] { runner->cancel(); }, Qt::QueuedConnection);
    });

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter, 1);
    layout->addWidget(buttons);
}

ScenarioDialog::~ScenarioDialog()
{
    // The runner finishes its current step on its thread; WorkerThread then quits and waits.
    QMetaObject::invokeMethod(
        m_runner, [runner = m_runner] { runner->cancel(); }, Qt::QueuedConnection);
}

QWidget *ScenarioDialog::buildScenarioTab()
{
    auto *page = new QWidget(this);
    auto *form = new QFormLayout(page);
    m_providers = new QListWidget(page);
    m_providers->setObjectName(u"scenarioProviders"_s);
    QStringList seen;
    for (const config::SourceConfig &source : m_pipeline.config().sources) {
        if (source.provider == u"twilio"_s || seen.contains(source.provider))
            continue; // form bodies: no place for a sequence number
        const providers::Verifier *verifier = providers::ProviderRegistry::find(source.provider);
        if (source.entityKeyPointer.isEmpty() && (!verifier || verifier->defaultEntityPointers().isEmpty()))
            continue; // no entity key: nothing to order by
        seen << source.provider;
        auto *item = new QListWidgetItem(u"%1 (source %2)"_s.arg(source.provider, source.name), m_providers);
        item->setData(Qt::UserRole, source.provider);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(seen.size() == 1 ? Qt::Checked : Qt::Unchecked);
    }
    m_providers->setMaximumHeight(110);
    m_events = spin(1, 1'000'000, 200, u"scenarioEvents"_s, page);
    m_entities = spin(1, 100'000, 10, u"scenarioEntities"_s, page);
    m_duplicateRate = dspin(0, 1, 0.1, 0.05, u"scenarioDuplicateRate"_s, page);
    m_outOfOrderRate = dspin(0, 1, 0, 0.05, u"scenarioOutOfOrderRate"_s, page);
    m_window = spin(1, 1000, 5, u"scenarioWindow"_s, page);
    m_rate = dspin(0, 100'000, 0, 10, u"scenarioRate"_s, page);
    m_rate->setSpecialValueText(tr("as fast as possible"));
    m_rate->setSuffix(tr(" events/s"));
    m_duration = dspin(0, 86'400, 0, 1, u"scenarioDuration"_s, page);
    m_duration->setSpecialValueText(tr("by event count"));
    m_duration->setSuffix(u" s"_s);
    m_duration->setToolTip(tr("With a rate: send rate × duration events instead of the count"));
    m_concurrency = spin(1, 256, 8, u"scenarioConcurrency"_s, page);
    m_seed = spin(0, 1'000'000, 1, u"scenarioSeed"_s, page);

    m_strategy = new QComboBox(page);
    m_strategy->setObjectName(u"scenarioStrategy"_s);
    m_strategy->addItem(tr("as configured"), QString());
    m_strategy->addItem(tr("blocking — retry in place, keeps order"), u"blocking"_s);
    m_strategy->addItem(tr("retry topics — partition moves on, order breaks"), u"topics"_s);
    m_strategy->setCurrentIndex(1);
    m_strategy->setToolTip(tr("Applied live to the run's sources before it starts; it stays in effect afterwards"));
    m_baseMs = spin(1, 3'600'000, 20, u"scenarioBaseMs"_s, page);
    m_baseMs->setSuffix(u" ms"_s);
    m_maxAttempts = spin(1, 100, 20, u"scenarioMaxAttempts"_s, page);
    m_injectFailures = new QCheckBox(tr("Simulate handler fails records"), page);
    m_injectFailures->setObjectName(u"scenarioInjectFailures"_s);
    m_injectFailures->setChecked(true);
    m_failureRate = dspin(0, 1, 0.3, 0.05, u"scenarioFailureRate"_s, page);
    m_latency = spin(0, 60'000, 0, u"scenarioLatency"_s, page);
    m_latency->setSuffix(u" ms"_s);
    connect(m_injectFailures, &QCheckBox::toggled, m_failureRate, &QWidget::setEnabled);
    connect(m_injectFailures, &QCheckBox::toggled, m_latency, &QWidget::setEnabled);
    m_expect = new QComboBox(page);
    m_expect->setObjectName(u"scenarioExpect"_s);
    m_expect->addItem(tr("anything"), int(scenario::Scenario::ExpectOrder::Any));
    m_expect->addItem(tr("order preserved"), int(scenario::Scenario::ExpectOrder::Preserved));
    m_expect->addItem(tr("order violated"), int(scenario::Scenario::ExpectOrder::Violated));
    m_settle = spin(1, 86'400, 120, u"scenarioSettle"_s, page);
    m_settle->setSuffix(u" s"_s);

    form->addRow(tr("Providers"), m_providers);
    form->addRow(tr("Events"), m_events);
    form->addRow(tr("Entities"), m_entities);
    form->addRow(tr("Duplicate rate"), m_duplicateRate);
    form->addRow(tr("Out-of-order rate"), m_outOfOrderRate);
    form->addRow(tr("Shuffle window"), m_window);
    form->addRow(tr("Rate"), m_rate);
    form->addRow(tr("Duration"), m_duration);
    form->addRow(tr("Concurrency"), m_concurrency);
    form->addRow(tr("Seed"), m_seed);
    form->addRow(tr("Retry strategy"), m_strategy);
    form->addRow(tr("First retry after"), m_baseMs);
    form->addRow(tr("Max attempts"), m_maxAttempts);
    form->addRow(m_injectFailures);
    form->addRow(tr("Failure rate"), m_failureRate);
    form->addRow(tr("Handler latency"), m_latency);
    form->addRow(tr("Expect"), m_expect);
    form->addRow(tr("Wait for processing"), m_settle);
    auto *run = new QPushButton(tr("Run scenario"), page);
    run->setObjectName(u"runScenario"_s);
    run->setDefault(true);
    connect(run, &QPushButton::clicked, this, &ScenarioDialog::runScenario);
    m_runButtons << run;
    form->addRow(run);
    return page;
}

QWidget *ScenarioDialog::buildRaceTab()
{
    auto *page = new QWidget(this);
    auto *form = new QFormLayout(page);
    auto *intro = new QLabel(tr("N concurrent deliveries of one signed event. The dedup claim is one atomic SQLite "
                                "statement: exactly one wins, every other one is answered 200 duplicate."),
                             page);
    intro->setWordWrap(true);
    form->addRow(intro);
    m_raceProvider = new QComboBox(page);
    m_raceProvider->setObjectName(u"raceProvider"_s);
    for (int i = 0; i < m_providers->count(); ++i)
        m_raceProvider->addItem(m_providers->item(i)->text(), m_providers->item(i)->data(Qt::UserRole));
    m_deliveries = spin(2, 256, 16, u"raceDeliveries"_s, page);
    form->addRow(tr("Provider"), m_raceProvider);
    form->addRow(tr("Deliveries"), m_deliveries);
    auto *run = new QPushButton(tr("Run dedup race"), page);
    run->setObjectName(u"runDedupRace"_s);
    connect(run, &QPushButton::clicked, this, &ScenarioDialog::runDedupRace);
    m_runButtons << run;
    form->addRow(run);
    return page;
}

QWidget *ScenarioDialog::buildRetryTab()
{
    auto *page = new QWidget(this);
    auto *form = new QFormLayout(page);
    auto *intro = new QLabel(tr("Re-deliver one event the way its provider does when it never sees the 2xx: same "
                                "event id, signed anew each time, on the provider's schedule compressed in time. "
                                "Every re-delivery should be caught as a duplicate; one past the dedup TTL would "
                                "be accepted again in real time."),
                             page);
    intro->setWordWrap(true);
    form->addRow(intro);
    m_schedule = new QComboBox(page);
    m_schedule->setObjectName(u"retrySchedule"_s);
    for (const QString &name : scenario::ProviderSchedule::names()) {
        QStringList offsets;
        for (qint64 s : scenario::ProviderSchedule::offsetsS(name))
            offsets << scenario::ProviderSchedule::describe(s);
        m_schedule->addItem(name, name);
        m_schedule->setItemData(m_schedule->count() - 1, offsets.join(u", "_s), Qt::ToolTipRole);
    }
    m_compression = dspin(1, 1e7, 7200, 100, u"retryCompression"_s, page);
    m_compression->setDecimals(0);
    m_compression->setPrefix(u"× "_s);
    m_compression->setToolTip(tr("3600: an hour of the schedule passes in a second"));
    m_lateHours = dspin(0, 24 * 365, 0, 1, u"retryLateHours"_s, page);
    m_lateHours->setSuffix(u" h"_s);
    m_lateHours->setSpecialValueText(tr("none"));
    m_lateHours->setToolTip(tr("One more delivery this long after the first, e.g. 96 h: past the 72 h dedup TTL"));
    form->addRow(tr("Schedule"), m_schedule);
    form->addRow(tr("Compression"), m_compression);
    form->addRow(tr("Late arrival after"), m_lateHours);
    auto *run = new QPushButton(tr("Run provider retries"), page);
    run->setObjectName(u"runProviderRetry"_s);
    connect(run, &QPushButton::clicked, this, &ScenarioDialog::runProviderRetry);
    m_runButtons << run;
    form->addRow(run);
    return page;
}

scenario::Scenario ScenarioDialog::scenarioFromForm() const
{
    scenario::Scenario s;
    s.name = tr("scenario from the window");
    s.providers.clear();
    for (int i = 0; i < m_providers->count(); ++i) {
        if (m_providers->item(i)->checkState() == Qt::Checked)
            s.providers << m_providers->item(i)->data(Qt::UserRole).toString();
    }
    s.events = m_duration->value() > 0 && m_rate->value() > 0 ? 0 : m_events->value();
    s.entities = m_entities->value();
    s.duplicateRate = m_duplicateRate->value();
    s.outOfOrderRate = m_outOfOrderRate->value();
    s.outOfOrderWindow = m_window->value();
    s.rate = m_rate->value();
    s.durationS = m_duration->value();
    s.concurrency = m_concurrency->value();
    s.seed = quint32(m_seed->value());
    const QString strategy = m_strategy->currentData().toString();
    if (!strategy.isEmpty()) {
        processing::RetrySettings retry;
        retry.strategy = strategy == u"topics"_s ? processing::RetrySettings::Strategy::Topics
                                                 : processing::RetrySettings::Strategy::Blocking;
        retry.baseMs = m_baseMs->value();
        retry.capMs = std::max<qint64>(retry.baseMs, qint64(m_baseMs->value()) * 10);
        retry.maxAttempts = m_maxAttempts->value();
        s.retry = retry;
    }
    if (m_injectFailures->isChecked()) {
        processing::SimulateSettings simulate;
        simulate.failureRate = m_failureRate->value();
        simulate.latencyMs = m_latency->value();
        s.simulate = simulate;
    }
    s.expectOrder = scenario::Scenario::ExpectOrder(m_expect->currentData().toInt());
    s.settleTimeoutS = m_settle->value();
    s.deliveries = m_deliveries->value();
    s.schedule = m_schedule->currentData().toString();
    s.compression = m_compression->value();
    s.lateArrivalS = m_lateHours->value() * 3600.0;
    return s;
}

void ScenarioDialog::setScenario(const scenario::Scenario &s)
{
    for (int i = 0; i < m_providers->count(); ++i) {
        QListWidgetItem *item = m_providers->item(i);
        item->setCheckState(s.providers.contains(item->data(Qt::UserRole).toString()) ? Qt::Checked : Qt::Unchecked);
    }
    m_events->setValue(s.events > 0 ? s.events : m_events->value());
    m_entities->setValue(s.entities);
    m_duplicateRate->setValue(s.duplicateRate);
    m_outOfOrderRate->setValue(s.outOfOrderRate);
    m_window->setValue(s.outOfOrderWindow);
    m_rate->setValue(s.rate);
    m_duration->setValue(s.durationS);
    m_concurrency->setValue(s.concurrency);
    m_seed->setValue(int(s.seed));
    if (s.retry) {
        m_strategy->setCurrentIndex(s.retry->strategy == processing::RetrySettings::Strategy::Topics ? 2 : 1);
        m_baseMs->setValue(int(s.retry->baseMs));
        m_maxAttempts->setValue(s.retry->maxAttempts);
    } else {
        m_strategy->setCurrentIndex(0);
    }
    m_injectFailures->setChecked(s.simulate.has_value());
    if (s.simulate) {
        m_failureRate->setValue(s.simulate->failureRate);
        m_latency->setValue(s.simulate->latencyMs);
    }
    m_expect->setCurrentIndex(m_expect->findData(int(s.expectOrder)));
    m_settle->setValue(s.settleTimeoutS);
    m_deliveries->setValue(s.deliveries);
    m_schedule->setCurrentIndex(std::max(0, m_schedule->findData(s.schedule)));
    m_compression->setValue(s.compression);
    m_lateHours->setValue(s.lateArrivalS / 3600.0);
    const int raceIndex = m_raceProvider->findData(s.providers.value(0));
    if (raceIndex >= 0)
        m_raceProvider->setCurrentIndex(raceIndex);
    m_tabs->setCurrentIndex(int(s.kind));
}

Result<void> ScenarioDialog::saveTo(const QString &file) const
{
    scenario::Scenario s = scenarioFromForm();
    s.kind = scenario::Scenario::Kind(m_tabs->currentIndex());
    if (s.kind == scenario::Scenario::Kind::DedupRace)
        s.providers = {m_raceProvider->currentData().toString()};
    return s.save(file);
}

Result<void> ScenarioDialog::loadFrom(const QString &file)
{
    auto loaded = scenario::Scenario::load(file);
    if (!loaded)
        return loaded.error();
    setScenario(*loaded);
    m_phase->setText(tr("Loaded %1").arg(loaded->name));
    return {};
}

void ScenarioDialog::runScenario()
{
    scenario::Scenario s = scenarioFromForm();
    s.kind = scenario::Scenario::Kind::Events;
    if (s.providers.isEmpty()) {
        m_phase->setText(tr("Pick at least one provider"));
        return;
    }
    start(s);
}

void ScenarioDialog::runDedupRace()
{
    scenario::Scenario s = scenarioFromForm();
    s.kind = scenario::Scenario::Kind::DedupRace;
    s.name = tr("dedup race");
    s.providers = {m_raceProvider->currentData().toString()};
    start(s);
}

void ScenarioDialog::runProviderRetry()
{
    scenario::Scenario s = scenarioFromForm();
    s.kind = scenario::Scenario::Kind::ProviderRetry;
    s.name = tr("%1 retry schedule").arg(s.schedule);
    s.providers = {s.schedule};
    start(s);
}

void ScenarioDialog::start(const scenario::Scenario &s)
{
    if (m_running)
        return;
    setRunning(true);
    m_phase->setText(tr("Starting…"));
    m_progress->setRange(0, 0);
    QMetaObject::invokeMethod(
        m_runner, [runner = m_runner, s] { runner->start(s); }, Qt::QueuedConnection);
}

void ScenarioDialog::onProgress(const QString &phase, int done, int total)
{
    m_phase->setText(u"%1 %2/%3"_s.arg(phase).arg(done).arg(total));
    m_progress->setRange(0, std::max(1, total));
    m_progress->setValue(done);
}

void ScenarioDialog::onFinished(const QJsonObject &report)
{
    setRunning(false);
    m_lastReport = report;
    m_progress->setRange(0, 1);
    m_progress->setValue(1);
    m_phase->setText(report.value(u"ok"_s).toBool() ? tr("Done: as expected") : tr("Done: not as expected"));
    m_result->setHtml(reportHtml(report));
    Q_EMIT reportReady(report);
}

void ScenarioDialog::setRunning(bool running)
{
    m_running = running;
    for (QPushButton *b : std::as_const(m_runButtons))
        b->setEnabled(!running);
    m_cancel->setEnabled(running);
}

QString ScenarioDialog::reportHtml(const QJsonObject &r)
{
    const QString kind = r.value(u"kind"_s).toString();
    const bool ok = r.value(u"ok"_s).toBool();
    QString html = u"<h3>"_s % esc(r.value(u"name"_s).toString()) % u" <span style='"_s % (ok ? kGood : kBad) % u"'>"_s
                   % (ok ? tr("as expected") : tr("not as expected")) % u"</span></h3>"_s;
    if (r.contains(u"error"_s))
        html += u"<p style='"_s % kBad % u"'>"_s % esc(r.value(u"error"_s).toString()) % u"</p>"_s;
    if (kind == u"scenario"_s) {
        const QJsonObject answers = r.value(u"answers"_s).toObject();
        const QJsonObject outcomes = r.value(u"outcomes"_s).toObject();
        const QJsonObject order = r.value(u"order"_s).toObject();
        const int injected = r.value(u"duplicates_injected"_s).toInt();
        const int caught = r.value(u"duplicates_caught"_s).toInt();
        const int violated = order.value(u"violated"_s).toInt();
        html += u"<p>"_s
                % tr("Retry strategy: <b>%1</b> · run %2 · %3 ms")
                      .arg(esc(r.value(u"strategy"_s).toString()), esc(r.value(u"run_id"_s).toString()))
                      .arg(r.value(u"duration_ms"_s).toInteger())
                % u"</p><table cellspacing='0' cellpadding='3'>"_s;
        html += row(tr("Sent (requests)"), QString::number(r.value(u"sent"_s).toInt()));
        html += row(tr("Unique events"), QString::number(r.value(u"planned"_s).toInt()));
        html += row(tr("Accepted (200)"), QString::number(answers.value(u"accepted"_s).toInt()));
        html += row(tr("Queued (202)"), QString::number(answers.value(u"queued"_s).toInt()));
        html += row(tr("Rejected / unanswered"),
                    u"%1 / %2"_s.arg(answers.value(u"rejected"_s).toInt()).arg(answers.value(u"failed"_s).toInt()));
        html += row(tr("Duplicates caught / injected"), u"%1 / %2"_s.arg(caught).arg(injected),
                    caught == injected ? kGood : kBad);
        html += row(tr("Shuffled sends / arrived out of order"),
                    u"%1 / %2"_s.arg(r.value(u"reordered"_s).toInt()).arg(r.value(u"arrived_out_of_order"_s).toInt()));
        html += row(tr("Per-entity order preserved"),
                    u"%1 of %2"_s.arg(order.value(u"preserved"_s).toInt()).arg(order.value(u"entities"_s).toInt()),
                    violated == 0 ? kGood : kBad);
        html +=
            row(tr("Processed / dead-lettered"),
                u"%1 / %2"_s.arg(outcomes.value(u"done"_s).toInt()).arg(outcomes.value(u"dead_lettered"_s).toInt()));
        html += row(tr("Still retrying / pending"),
                    u"%1 / %2"_s.arg(outcomes.value(u"retrying"_s).toInt()).arg(outcomes.value(u"pending"_s).toInt()));
        html += row(tr("Handler attempts"), QString::number(outcomes.value(u"attempts"_s).toInteger()));
        html += u"</table>"_s;
        const QJsonArray violations = order.value(u"violations"_s).toArray();
        if (!violations.isEmpty()) {
            html += u"<p><b>"_s % tr("First order violations") % u"</b> "_s
                    % tr("(position in the entity's log: the event expected there, and the one processed instead)")
                    % u"</p><table border='1' cellspacing='0' cellpadding='3'><tr><th>"_s % tr("Entity")
                    % u"</th><th>"_s % tr("Position") % u"</th><th>"_s % tr("Expected seq") % u"</th><th>"_s
                    % tr("Processed seq") % u"</th></tr>"_s;
            for (const QJsonValue &v : violations) {
                const QJsonObject o = v.toObject();
                html +=
                    u"<tr><td>%1/%2</td><td align='right'>%3</td><td align='right'>%4</td><td align='right'>%5</td></tr>"_s
                        .arg(esc(o.value(u"source"_s).toString()), esc(o.value(u"entity"_s).toString()))
                        .arg(o.value(u"position"_s).toInt())
                        .arg(o.value(u"expected_seq"_s).toInteger())
                        .arg(o.value(u"got_seq"_s).toInteger());
            }
            html += u"</table>"_s;
        }
    } else if (kind == u"dedup_race"_s) {
        html += u"<p>"_s
                % tr("%1 concurrent deliveries to source <b>%2</b>: delivery <b>#%3</b> won the claim "
                     "(journal id %4); %5 were answered duplicate, %6 recorded as duplicates in the journal.")
                      .arg(r.value(u"deliveries"_s).toArray().size())
                      .arg(esc(r.value(u"source"_s).toString()))
                      .arg(r.value(u"winner_delivery"_s).toInt())
                      .arg(r.value(u"winner_journal_id"_s).toInteger())
                      .arg(r.value(u"duplicate_answers"_s).toInt())
                      .arg(r.value(u"duplicates_in_journal"_s).toInteger())
                % u"</p><table border='1' cellspacing='0' cellpadding='3'><tr><th>#</th><th>"_s % tr("Answer")
                % u"</th><th>"_s % tr("Journal id") % u"</th><th>"_s % tr("Duplicate of") % u"</th><th>"_s
                % tr("Answered after") % u"</th></tr>"_s;
        for (const QJsonValue &v : r.value(u"deliveries"_s).toArray()) {
            const QJsonObject o = v.toObject();
            const bool won = o.value(u"status"_s).toString() != u"duplicate"_s;
            html += u"<tr%1><td>%2</td><td>%3 %4</td><td>%5</td><td>%6</td><td align='right'>%7 ms</td></tr>"_s
                        .arg(won ? u" style='font-weight:bold'"_s : QString())
                        .arg(o.value(u"delivery"_s).toInt())
                        .arg(o.value(u"http_status"_s).toInt())
                        .arg(esc(o.value(u"status"_s).toString()))
                        .arg(o.value(u"journal_id"_s).toInteger())
                        .arg(o.contains(u"duplicate_of"_s) ? QString::number(o.value(u"duplicate_of"_s).toInteger())
                                                           : u"—"_s)
                        .arg(o.value(u"at_ms"_s).toInteger());
        }
        html += u"</table>"_s;
    } else if (kind == u"provider_retry"_s) {
        html += u"<p>"_s
                % tr("Schedule <b>%1</b> to source <b>%2</b>: %3 of provider time in %4 ms (× %5); "
                     "%6 accepted, %7 answered duplicate. Dedup TTL: %8.")
                      .arg(esc(r.value(u"schedule"_s).toString()), esc(r.value(u"source"_s).toString()),
                           esc(r.value(u"span"_s).toString()))
                      .arg(r.value(u"duration_ms"_s).toInteger())
                      .arg(r.value(u"compression"_s).toDouble())
                      .arg(r.value(u"accepted"_s).toInt())
                      .arg(r.value(u"duplicate_answers"_s).toInt())
                      .arg(scenario::ProviderSchedule::describe(r.value(u"dedup_ttl_s"_s).toInteger()))
                % u"</p><table border='1' cellspacing='0' cellpadding='3'><tr><th>"_s % tr("Attempt") % u"</th><th>"_s
                % tr("Provider time") % u"</th><th>"_s % tr("Answer") % u"</th><th>"_s % tr("Journal id")
                % u"</th><th>"_s % tr("Note") % u"</th></tr>"_s;
        for (const QJsonValue &v : r.value(u"attempts"_s).toArray()) {
            const QJsonObject o = v.toObject();
            html +=
                u"<tr><td>%1</td><td>%2</td><td>%3 %4</td><td>%5</td><td>%6</td></tr>"_s
                    .arg(o.value(u"attempt"_s).toInt())
                    .arg(esc(o.value(u"offset"_s).toString()))
                    .arg(o.value(u"http_status"_s).toInt())
                    .arg(esc(o.value(u"status"_s).toString()))
                    .arg(o.value(u"journal_id"_s).toInteger())
                    .arg(o.value(u"beyond_dedup_ttl"_s).toBool() ? tr("past the dedup TTL: accepted again in real time")
                                                                 : QString());
        }
        html += u"</table>"_s;
    }
    const QJsonArray problems = r.value(u"problems"_s).toArray();
    for (const QJsonValue &p : problems)
        html += u"<p style='"_s % kBad % u"'>"_s % esc(p.toString()) % u"</p>"_s;
    return html;
}

} // namespace hookbench::ui
