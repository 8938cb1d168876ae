// The settings dialog on real parts: a real IngestPipeline (embedded cluster, journal and config
// file in a temporary directory, consumers), a scripted HTTP target on 127.0.0.1, widgets on the
// offscreen platform. Each bad value is typed into its widget and must come back next to that
// widget with core's reason; a live change must reach the running pipeline; a saved file must
// load back equal; secrets must stay masked and out of every log line.

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMutex>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include "core/config/config_loader.h"
#include "core/config/config_writer.h"
#include "core/pipeline/ingest_pipeline.h"
#include "core/processing/event_processor.h"
#include "core/store/journal_query.h"
#include "core/store/journal_writer.h"
#include "core/util/clock.h"
#include "test_client.h"
#include "tests/processing/scripted_http_server.h"
#include "ui/dialogs/settings_dialog.h"
#include "ui/format/entry_html.h"
#include "ui/main_window.h"
#include "ui/settings/delivery_page.h"
#include "ui/settings/kafka_page.h"
#include "ui/settings/limits_page.h"
#include "ui/settings/processing_page.h"
#include "ui/settings/sources_page.h"
#include "ui/widgets/secret_list_editor.h"
#include "ui/workers/detail_loader.h"

using namespace Qt::StringLiterals;
using namespace hookbench;
using ui::SettingsDialog;

namespace {

constexpr int kDeadlineMs = 60'000; // the consumer group joins first
const QByteArray kStripeSecret = "whsec_settings_test_secret_0123456789";
const QByteArray kKafkaPassword = "kafka-password-never-logged";

QByteArray configJson(int consumers, int maxAttempts)
{
    return R"({
        "sources": [
            {"name": "stripe", "provider": "stripe", "secrets": [")"
           + kStripeSecret + R"("]},
            {"name": "orders", "provider": "none"}
        ],
        "kafka": {"mode": "embedded", "brokers": 1, "partitions": 2},
        "consumers": {"count": )"
           + QByteArray::number(consumers) + R"(},
        "retry": {"strategy": "blocking", "base_ms": 100, "cap_ms": 200, "max_attempts": )"
           + QByteArray::number(maxAttempts) + R"(, "time_scale": 1},
        "listen": "127.0.0.1:0"
    })";
}

// A pipeline started from a config file, as the app starts it.
std::unique_ptr<pipeline::IngestPipeline> start(const QTemporaryDir &dir, const QByteArray &json,
                                                const Clock *clock = nullptr)
{
    const QString path = dir.filePath(u"config.json"_s);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(json) != json.size())
        return {};
    file.close();
    auto config = config::ConfigLoader::loadFile(path);
    if (!config) {
        qWarning("%s", qPrintable(config.error().message));
        return {};
    }
    pipeline::PipelineOptions options;
    options.config = *config;
    options.dataDir = dir.path();
    options.configPath = path;
    if (clock)
        options.clock = clock;
    auto started = pipeline::IngestPipeline::start(options);
    if (!started) {
        qWarning("%s", qPrintable(started.error().message));
        return {};
    }
    return std::move(started.value());
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Every message logged while a test runs (the dialog must never log a secret).
QMutex g_logMutex;
QStringList g_log;
QtMessageHandler g_previousHandler = nullptr;

void capture(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        const QMutexLocker lock(&g_logMutex);
        g_log.append(message);
    }
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}

} // namespace

class TestUiSettings final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void validationMessages_data();
    void validationMessages();
    void liveSubscriptionForwardsWebhooks();
    void liveRetryPolicyReachesConsumers();
    void restartChangeIsSavedAndLoadsBack();
    void liveRetentionPurgesOldEntries();
    void secretsMaskedAndNeverLogged();
    void entityKeyPreview();
    void openedFromTheWindow();

private:
    void saveShots(SettingsDialog &dialog, const QString &prefix);
};

void TestUiSettings::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    g_previousHandler = qInstallMessageHandler(capture);
}

void TestUiSettings::validationMessages_data()
{
    QTest::addColumn<QString>("change"); // what the test types, see validationMessages()
    QTest::addColumn<QString>("label");  // the error label that must show it (a page's field key)
    QTest::addColumn<QString>("field");  // the config field the message names
    QTest::addColumn<QString>("why");    // a part of core's reason
    const auto row = [](const char *change, const char *label, const char *field, const char *why) {
        QTest::newRow(change) << QString::fromUtf8(change) << QString::fromUtf8(label) << QString::fromUtf8(field)
                              << QString::fromUtf8(why);
    };
    row("empty source name", "name", "sources[0].name", "is required");
    row("source name with a slash", "name", "sources[0].name", "\"a/b\" is not usable in a URL path");
    row("duplicate source name", "name", "sources[1].name", "duplicate source name \"stripe\"");
    row("unknown provider", "provider", "sources[0].provider", "unknown provider \"paypal\"");
    row("no secret", "secrets", "sources[0].secrets", "provider \"stripe\" needs at least one secret");
    row("empty secret", "secrets", "sources[0].secrets[1]", "must be a non-empty string");
    row("bad entity pointer", "entity_key", "sources[0].entity_key", "\"data.object.customer\" is not a JSON Pointer");
    row("negative tolerance", "tolerance_seconds", "sources[0].tolerance_seconds",
        "must be between 1 and 604800, got -5");
    row("bad topic", "topic", "sources[0].topic", "\"my topic\" is not a valid Kafka topic name");
    row("bad public url", "public_url", "sources[0].public_url", "must start with http:// or https://");
    row("external without bootstrap", "kafka.bootstrap", "kafka.bootstrap", "is required in external mode");
    row("bad bootstrap", "kafka.bootstrap", "kafka.bootstrap", "\"localhost:99999\" is not host:port");
    row("partitions 0", "kafka.partitions", "kafka.partitions", "must be between 1 and 1000, got 0");
    row("brokers 10", "kafka.brokers", "kafka.brokers", "must be between 1 and 9, got 10");
    row("unknown security protocol", "kafka.properties.security.protocol", "kafka.properties.security.protocol",
        "must be one of plaintext, ssl, sasl_plaintext, sasl_ssl, got \"tls\"");
    row("sasl without password", "kafka.properties.sasl.password", "kafka.properties.sasl.password",
        "is required for SASL mechanism PLAIN");
    row("missing CA file", "kafka.properties.ssl.ca.location", "kafka.properties.ssl.ca.location",
        "\"/nonexistent/ca.pem\" is not a readable file");
    row("extra property not a value", "kafka.properties", "kafka.properties.sasl.kerberos",
        "must be a string, number or boolean");
    row("body limit too small", "limits.max_body_bytes", "limits.max_body_bytes",
        "must be between 1024 and 1073741824, got 100");
    row("header timeout 0", "limits.header_timeout_ms", "limits.header_timeout_ms", "must be between 10 and");
    row("listen host name", "listen", "listen", "\"localhost:8088\" is not ADDRESS:PORT");
    row("dedup ttl 0", "dedup.ttl_seconds", "dedup.ttl_seconds", "must be between 1 and");
    row("negative retention", "store.retention_days", "store.retention_days", "must be between 0 and 3650, got -1");
    row("retry base above cap", "retry.base_ms", "retry.base_ms", "must not exceed cap_ms (200), got 5000");
    row("retry attempts 0", "retry.max_attempts", "retry.max_attempts", "must be between 1 and 100, got 0");
    row("consumers 33", "consumers.count", "consumers.count", "must be between 0 and 32, got 33");
    row("empty group id", "consumers.group", "consumers.group", "must not be empty");
}

void TestUiSettings::validationMessages()
{
    QFETCH(QString, change);
    QFETCH(QString, label);
    QFETCH(QString, field);
    QFETCH(QString, why);

    QTemporaryDir dir;
    auto ingest = start(dir, configJson(0, 3));
    QVERIFY(ingest);
    const QByteArray before = readFile(ingest->configPath());
    SettingsDialog dialog(*ingest);
    dialog.show();
    ui::SourcesPage *sources = dialog.sourcesPage();
    ui::KafkaPage *kafka = dialog.kafkaPage();
    ui::LimitsPage *limits = dialog.limitsPage();
    ui::ProcessingPage *processing = dialog.processingPage();
    ui::SettingsPage *page = sources;

    // Typed into the widgets the way a user would.
    const auto type = [](QLineEdit *edit, const QString &text) {
        edit->selectAll();
        edit->del();
        QTest::keyClicks(edit, text);
    };
    if (change == u"empty source name"_s) {
        type(sources->nameEdit(), {});
    } else if (change == u"source name with a slash"_s) {
        type(sources->nameEdit(), u"a/b"_s);
    } else if (change == u"duplicate source name"_s) {
        sources->selectSource(1);
        type(sources->nameEdit(), u"stripe"_s);
    } else if (change == u"unknown provider"_s) {
        sources->providerBox()->setCurrentText(u"paypal"_s);
    } else if (change == u"no secret"_s) {
        sources->secretEditor()->removeAt(0);
    } else if (change == u"empty secret"_s) {
        sources->secretEditor()->addEmpty();
    } else if (change == u"bad entity pointer"_s) {
        type(sources->entityKeyEdit(), u"data.object.customer"_s);
    } else if (change == u"negative tolerance"_s) {
        sources->toleranceBox()->setValue(-5);
    } else if (change == u"bad topic"_s) {
        type(sources->topicEdit(), u"my topic"_s);
    } else if (change == u"bad public url"_s) {
        type(sources->findChild<QLineEdit *>(u"sourcePublicUrl"_s), u"example.com/hook"_s);
    } else if (change == u"external without bootstrap"_s) {
        page = kafka;
        kafka->modeBox()->setCurrentIndex(1);
    } else if (change == u"bad bootstrap"_s) {
        page = kafka;
        kafka->modeBox()->setCurrentIndex(1);
        type(kafka->bootstrapEdit(), u"localhost:99999"_s);
    } else if (change == u"partitions 0"_s) {
        page = kafka;
        kafka->partitionsBox()->setValue(0);
    } else if (change == u"brokers 10"_s) {
        page = kafka;
        kafka->brokersBox()->setValue(10);
    } else if (change == u"unknown security protocol"_s) {
        page = kafka;
        kafka->modeBox()->setCurrentIndex(1);
        type(kafka->bootstrapEdit(), u"k1:9092"_s);
        kafka->protocolBox()->setCurrentText(u"tls"_s);
    } else if (change == u"sasl without password"_s) {
        page = kafka;
        kafka->modeBox()->setCurrentIndex(1);
        type(kafka->bootstrapEdit(), u"k1:9092"_s);
        kafka->protocolBox()->setCurrentText(u"sasl_ssl"_s);
        kafka->mechanismBox()->setCurrentText(u"PLAIN"_s);
        type(kafka->usernameEdit(), u"alice"_s);
    } else if (change == u"missing CA file"_s) {
        page = kafka;
        kafka->modeBox()->setCurrentIndex(1);
        type(kafka->bootstrapEdit(), u"k1:9092"_s);
        type(kafka->caFileEdit(), u"/nonexistent/ca.pem"_s);
    } else if (change == u"extra property not a value"_s) {
        // The table holds text; only a JSON edit could make a property an object, so this row
        // checks where such a problem is shown: under the table, with its own field.
        page = kafka;
        dialog.showPage(kafka);
        const QList<config::FieldError> errors{
            {u"kafka.properties.sasl.kerberos"_s, u"must be a string, number or boolean"_s}};
        QCOMPARE(kafka->showErrors(errors), 1);
        QLabel *shown = kafka->errorLabel(label);
        QVERIFY(shown && shown->isVisible());
        QVERIFY(shown->text().contains(field + u": "_s + why));
        return;
    } else if (change == u"body limit too small"_s) {
        page = limits;
        limits->maxBodyBox()->setValue(100);
    } else if (change == u"header timeout 0"_s) {
        page = limits;
        limits->findChild<QSpinBox *>(u"headerTimeout"_s)->setValue(0);
    } else if (change == u"listen host name"_s) {
        page = limits;
        type(limits->listenEdit(), u"localhost:8088"_s);
    } else if (change == u"dedup ttl 0"_s) {
        page = limits;
        limits->dedupTtlBox()->setValue(0);
    } else if (change == u"negative retention"_s) {
        page = limits;
        limits->retentionBox()->setValue(-1);
    } else if (change == u"retry base above cap"_s) {
        page = processing;
        processing->baseBox()->setValue(5000);
    } else if (change == u"retry attempts 0"_s) {
        page = processing;
        processing->attemptsBox()->setValue(0);
    } else if (change == u"consumers 33"_s) {
        page = processing;
        processing->consumersBox()->setValue(33);
    } else if (change == u"empty group id"_s) {
        page = processing;
        type(processing->findChild<QLineEdit *>(u"consumerGroup"_s), {});
    } else {
        QFAIL("unknown change");
    }

    const ui::SettingsApplyOutcome outcome = dialog.apply();
    bool named = false;
    for (const config::FieldError &e : outcome.errors)
        named = named || (e.field == field && e.why.contains(why));
    QVERIFY2(named, qPrintable(u"errors do not name %1: %2"_s.arg(field).arg(dialog.summaryLabel()->text())));
    // Next to the field, with the field and the reason; the dialog shows that page.
    QLabel *shown = page->errorLabel(label);
    QVERIFY2(shown, qPrintable(label));
    QVERIFY2(shown->isVisible(), qPrintable(label));
    QVERIFY2(shown->text().contains(field + u": "_s) && shown->text().contains(why), qPrintable(shown->text()));
    QVERIFY(page->isVisible());
    // The summary line too, and nothing was saved or applied.
    QVERIFY2(dialog.summaryLabel()->text().startsWith(u"Not applied"_s), qPrintable(dialog.summaryLabel()->text()));
    QVERIFY(dialog.summaryLabel()->text().contains(field));
    QCOMPARE(readFile(ingest->configPath()), before);
    QVERIFY(outcome.appliedLive.isEmpty());
    if (const QString out = qEnvironmentVariable("HOOKBENCH_SETTINGS_SHOTS"); !out.isEmpty()) {
        QDir().mkpath(out);
        QTest::qWait(50); // a paint, for the picture only
        dialog.grab().save(u"%1/invalid-%2.png"_s.arg(out, change).replace(u' ', u'-'));
    }
}

void TestUiSettings::liveSubscriptionForwardsWebhooks()
{
    QTemporaryDir dir;
    ScriptedHttpServer target;
    QVERIFY(target.listen());
    auto ingest = start(dir, configJson(1, 3));
    QVERIFY(ingest);
    SettingsDialog dialog(*ingest);
    dialog.show();
    ui::DeliveryPage *delivery = dialog.deliveryPage();
    dialog.showPage(delivery);

    // An invalid target is refused next to its field with core's reason, and not created.
    delivery->urlEdit()->setText(u"ftp://127.0.0.1/hooks"_s);
    QVERIFY(!delivery->addFromForm());
    QVERIFY(delivery->errorLabel(u"url"_s)->isVisible());
    QVERIFY2(
        delivery->errorLabel(u"url"_s)->text().contains(u"url: \"ftp://127.0.0.1/hooks\" must start with http://"_s),
        qPrintable(delivery->errorLabel(u"url"_s)->text()));
    delivery->eventsEdit()->setText(u"order.*, has space"_s);
    delivery->urlEdit()->setText(u"http://127.0.0.1:%1/hooks"_s.arg(target.port()));
    QVERIFY(!delivery->addFromForm());
    QVERIFY(!delivery->errorLabel(u"url"_s)->isVisible());
    QVERIFY2(
        delivery->errorLabel(u"events"_s)
            ->text()
            .contains(u"events[1]: \"has space\" is not an event type pattern: at most 200 characters, no spaces"_s),
        qPrintable(delivery->errorLabel(u"events"_s)->text()));
    QVERIFY(delivery->rows().isEmpty());

    // A valid one: target + subscription, every event, applied without a restart.
    delivery->eventsEdit()->setText(u"order.*"_s);
    delivery->headersEdit()->setPlainText(u"X-Env: settings-test"_s);
    QVERIFY(delivery->addFromForm());
    QTRY_COMPARE_WITH_TIMEOUT(delivery->rows().size(), 1, 10'000);
    QCOMPARE(delivery->rows().constFirst().events, QStringList{u"order.*"_s});
    QVERIFY(delivery->statusLabel()->text().contains(u"saved"_s));

    const QByteArray body = R"({"type": "order.created", "order": {"id": 42}})";
    const RawResponse accepted = post(ingest->port(), "/webhooks/orders", body, {{"Content-Type", "application/json"}});
    QCOMPARE(accepted.status, 200);
    QTRY_VERIFY_WITH_TIMEOUT(!target.requests.isEmpty(), kDeadlineMs);
    QCOMPARE(target.requests.constFirst().body, body);
    QCOMPARE(target.requests.constFirst().header("X-Env"), QByteArray("settings-test"));

    // Switched off from the dialog: saved as inactive (the consumers skip it from their next
    // subscription refresh on).
    delivery->table()->setCurrentCell(0, 0);
    delivery->activeBox()->setChecked(false);
    QVERIFY(delivery->updateSelected());
    QTRY_VERIFY_WITH_TIMEOUT(!delivery->rows().isEmpty() && !delivery->rows().constFirst().active, 10'000);
    QCOMPARE(delivery->rows().size(), 1);
    QCOMPARE(delivery->rows().constFirst().url, u"http://127.0.0.1:%1/hooks"_s.arg(target.port()));
    saveShots(dialog, u"delivery"_s);
}

void TestUiSettings::liveRetryPolicyReachesConsumers()
{
    QTemporaryDir dir;
    ScriptedHttpServer target;
    QVERIFY(target.listen());
    target.script(503); // always a transient failure
    auto ingest = start(dir, configJson(1, 6));
    QVERIFY(ingest);
    SettingsDialog dialog(*ingest);
    ui::DeliveryPage *delivery = dialog.deliveryPage();
    delivery->urlEdit()->setText(u"http://127.0.0.1:%1/hooks"_s.arg(target.port()));
    QVERIFY(delivery->addFromForm());
    QTRY_COMPARE_WITH_TIMEOUT(delivery->rows().size(), 1, 10'000);

    // Six attempts in the file; one from the dialog, applied live: the first 503 dead-letters.
    dialog.processingPage()->attemptsBox()->setValue(1);
    dialog.processingPage()->consumersBox()->setValue(2);
    const ui::SettingsApplyOutcome outcome = dialog.apply();
    QVERIFY(outcome.errors.isEmpty());
    QCOMPARE(outcome.appliedLive.size(), 2);
    QVERIFY(outcome.appliedLive.at(0).startsWith(u"retry policy"_s));
    QCOMPARE(outcome.appliedLive.at(1), u"consumers: 2"_s);
    QVERIFY(outcome.needsRestart.isEmpty());
    QVERIFY(dialog.summaryLabel()->text().contains(u"Applied now: retry policy"_s));
    QTRY_COMPARE_WITH_TIMEOUT(ingest->processor()->snapshot().members.size(), qsizetype(2), kDeadlineMs);

    const RawResponse accepted = post(ingest->port(), "/webhooks/orders", R"({"type": "order.created"})",
                                      {{"Content-Type", "application/json"}});
    QCOMPARE(accepted.status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(ingest->processor()->stats().deadLettered, qint64(1), kDeadlineMs);
    QCOMPARE(ingest->processor()->stats().retries, qint64(0));
    QCOMPARE(target.requests.size(), 1);
    // Saved too: the next start keeps it.
    auto saved = config::ConfigLoader::loadFile(ingest->configPath());
    QVERIFY(saved);
    QCOMPARE(saved->retry.maxAttempts, 1);
    QCOMPARE(saved->consumers.count, 2);
    saveShots(dialog, u"processing"_s);
}

void TestUiSettings::restartChangeIsSavedAndLoadsBack()
{
    QTemporaryDir dir;
    auto ingest = start(dir, configJson(0, 3));
    QVERIFY(ingest);
    SettingsDialog dialog(*ingest);
    dialog.show();
    ui::SourcesPage *sources = dialog.sourcesPage();
    // Rotate the stripe secret, add a source, change Kafka and the limits.
    sources->selectSource(0);
    sources->secretEditor()->rotate();
    const QByteArray rotated = sources->secretEditor()->secrets().constFirst();
    QVERIFY(rotated.startsWith("whsec_"));
    QVERIFY(rotated != kStripeSecret);
    sources->addSource();
    sources->nameEdit()->setText(u"github-main"_s);
    sources->providerBox()->setCurrentText(u"github"_s);
    sources->secretEditor()->rotate();
    sources->entityKeyEdit()->setText(u"/repository/full_name"_s);
    dialog.kafkaPage()->partitionsBox()->setValue(12);
    dialog.kafkaPage()->addProperty(u"linger.ms"_s, u"5"_s);
    dialog.limitsPage()->maxBodyBox()->setValue(2 * 1024 * 1024);

    const ui::SettingsApplyOutcome outcome = dialog.apply();
    QVERIFY2(outcome.errors.isEmpty(), qPrintable(dialog.summaryLabel()->text()));
    QCOMPARE(outcome.savedTo, ingest->configPath());
    QCOMPARE(outcome.needsRestart, (QStringList{u"sources"_s, u"Kafka"_s, u"limits"_s}));
    QVERIFY(outcome.appliedLive.isEmpty());
    QVERIFY(dialog.summaryLabel()->text().contains(u"Restart Hookbench to apply: sources, Kafka, limits."_s));

    // What was written loads back equal to what the dialog had, with the rotation kept in order.
    auto loaded = config::ConfigLoader::loadFile(ingest->configPath());
    QVERIFY2(loaded, qPrintable(loaded ? QString() : loaded.error().message));
    auto edited = config::ConfigLoader::parse(QJsonDocument(dialog.editedJson()).toJson(), u"<dialog>"_s);
    QVERIFY(edited);
    QCOMPARE(config::ConfigWriter::toJson(*loaded), config::ConfigWriter::toJson(*edited));
    QCOMPARE(loaded->sources.size(), 3);
    QCOMPARE(loaded->sources.at(0).secrets, (QList<QByteArray>{rotated, kStripeSecret}));
    QCOMPARE(loaded->sources.at(2).name, u"github-main"_s);
    QCOMPARE(loaded->sources.at(2).entityKeyPointer, u"/repository/full_name"_s);
    QCOMPARE(loaded->sources.at(2).secrets.size(), 1);
    QCOMPARE(loaded->kafka.partitions, 12);
    QCOMPARE(loaded->kafka.properties.value(u"linger.ms"_s), u"5"_s);
    QCOMPARE(loaded->limits.maxBodyBytes, qint64(2 * 1024 * 1024));
    // The user's only: it holds secrets.
    const QFileDevice::Permissions perms = QFileInfo(ingest->configPath()).permissions();
    QCOMPARE(perms & (QFileDevice::ReadGroup | QFileDevice::ReadOther | QFileDevice::WriteOther),
             QFileDevice::Permissions());
    // The running pipeline still has what it started with: these need a restart.
    QCOMPARE(ingest->config().sources.size(), 2);
    // Applying again changes nothing more and still says what waits for the restart.
    const ui::SettingsApplyOutcome again = dialog.apply();
    QVERIFY(again.savedTo.isEmpty());
    QCOMPARE(again.needsRestart, outcome.needsRestart);
}

void TestUiSettings::liveRetentionPurgesOldEntries()
{
    QTemporaryDir dir;
    ManualClock clock(QDateTime::currentMSecsSinceEpoch());
    auto ingest = start(dir, configJson(0, 3), &clock);
    QVERIFY(ingest);
    // A request without a signature: rejected (401), so its work is finished at once.
    const RawResponse rejected = post(ingest->port(), "/webhooks/stripe", R"({"id":"evt_old"})", {});
    QCOMPARE(rejected.status, 401);
    ingest->journalWriter().sync();
    auto query = store::JournalQuery::open(ingest->databasePath());
    QVERIFY(query);
    store::JournalFilter all;
    QCOMPARE((*query)->count(all).value(), 1);
    const qint64 originalId = (*query)->list(all).value().constFirst().id;

    clock.advanceMs(3 * 24LL * 3600 * 1000);
    // A recent replay of it (kept), whose lineage must still read after the original is gone.
    store::JournalEntry replay;
    replay.receivedAtMs = clock.nowMs();
    replay.source = u"stripe"_s;
    replay.method = "POST";
    replay.target = "/webhooks/stripe";
    replay.verdict = store::Verdict::Rejected;
    replay.httpStatus = 401;
    replay.derivedFrom = originalId;
    ingest->journalWriter().ingest(replay, false, 0, nullptr, {});
    ingest->journalWriter().sync();
    QCOMPARE((*query)->count(all).value(), 2);
    SettingsDialog dialog(*ingest);
    dialog.show();
    QSpinBox *retention = dialog.limitsPage()->retentionBox();
    QCOMPARE(retention->value(), 0); // the default keeps everything
    retention->setValue(2);
    const ui::SettingsApplyOutcome outcome = dialog.apply();
    QVERIFY2(outcome.errors.isEmpty(), qPrintable(dialog.summaryLabel()->text()));
    QCOMPARE(outcome.appliedLive, QStringList{u"data retention: 2 days"_s});
    QVERIFY(!outcome.needsRestart.contains(u"data retention"_s));
    // Written to the file for the next start, and applied to the running writer.
    auto saved = config::ConfigLoader::loadFile(ingest->configPath());
    QVERIFY(saved);
    QCOMPARE(saved->store.retentionDays, 2);
    QCOMPARE(ingest->journalWriter().retention(), 2 * 24LL * 3600 * 1000);
    ingest->journalWriter().sync();
    QCOMPARE(ingest->journalWriter().stats().journalPurged, 1);
    const QList<store::JournalEntry> left = (*query)->list(all).value();
    QCOMPARE(left.size(), 1);
    QCOMPARE(left.constFirst().derivedFrom, originalId);

    // The inspector reads the replay and says its original was purged, instead of a dead link.
    ui::DetailLoader loader(ingest->databasePath());
    std::optional<ui::EntryDetail> detail;
    connect(&loader, &ui::DetailLoader::loaded, this, [&detail](const ui::EntryDetail &d) { detail = d; });
    loader.load(1, left.constFirst().id);
    QVERIFY(detail && detail->entry);
    QVERIFY(detail->error.isEmpty());
    QVERIFY(detail->derivedFromPurged);
    const QString html = ui::EntryHtml::processing(*detail, false);
    QVERIFY2(html.contains(u"Replayed from #%1 (purged"_s.arg(originalId)), qPrintable(html));
    const RawResponse metrics = get(ingest->port(), "/metrics");
    QVERIFY2(metrics.body.contains("\njournal_purged_total 1\n"), metrics.body.constData());
}

void TestUiSettings::secretsMaskedAndNeverLogged()
{
    {
        const QMutexLocker lock(&g_logMutex);
        g_log.clear();
    }
    QTemporaryDir dir;
    auto ingest = start(dir, configJson(0, 3));
    QVERIFY(ingest);
    SettingsDialog dialog(*ingest);
    dialog.show();
    ui::SourcesPage *sources = dialog.sourcesPage();
    ui::SecretListEditor *secrets = sources->secretEditor();
    QCOMPARE(secrets->edits().size(), 1);
    QCOMPARE(secrets->edits().constFirst()->echoMode(), QLineEdit::Password);
    QCOMPARE(secrets->edits().constFirst()->displayText().contains(QString::fromUtf8(kStripeSecret)), false);
    QCOMPARE(secrets->edits().constFirst()->cursorPosition(), 0); // shown from its start, not scrolled to its end
    secrets->rotate();
    QCOMPARE(secrets->edits().size(), 2);
    for (QLineEdit *edit : secrets->edits())
        QCOMPARE(edit->echoMode(), QLineEdit::Password);
    // Shown only while the user asks.
    secrets->findChild<QCheckBox *>(u"showSecrets"_s)->setChecked(true);
    QCOMPARE(secrets->edits().constLast()->displayText(), QString::fromUtf8(kStripeSecret));
    secrets->findChild<QCheckBox *>(u"showSecrets"_s)->setChecked(false);
    QCOMPARE(secrets->edits().constLast()->echoMode(), QLineEdit::Password);
    const QByteArray rotated = secrets->secrets().constFirst();

    ui::KafkaPage *kafka = dialog.kafkaPage();
    QCOMPARE(kafka->passwordEdit()->echoMode(), QLineEdit::Password);
    kafka->modeBox()->setCurrentIndex(1);
    kafka->bootstrapEdit()->setText(u"k1:9092"_s);
    kafka->protocolBox()->setCurrentText(u"sasl_ssl"_s);
    kafka->mechanismBox()->setCurrentText(u"PLAIN"_s);
    kafka->usernameEdit()->setText(u"alice"_s);
    kafka->passwordEdit()->setText(QString::fromUtf8(kKafkaPassword));

    // A failing apply and a successful one, a preview: everything that could talk.
    dialog.limitsPage()->maxBodyBox()->setValue(10);
    QVERIFY(!dialog.apply().errors.isEmpty());
    dialog.limitsPage()->maxBodyBox()->setValue(4096);
    const ui::SettingsApplyOutcome outcome = dialog.apply();
    QVERIFY2(outcome.errors.isEmpty(), qPrintable(dialog.summaryLabel()->text()));
    QSignalSpy previewed(sources, &ui::SourcesPage::previewUpdated);
    sources->entityKeyEdit()->setText(u"/data/object/customer"_s);
    QMetaObject::invokeMethod(sources, [sources] { sources->selectSource(1); });
    QMetaObject::invokeMethod(sources, [sources] { sources->selectSource(0); });
    QVERIFY(previewed.wait(10'000));
    saveShots(dialog, u"secrets"_s);

    // In the file (0600), nowhere else.
    const QByteArray file = readFile(ingest->configPath());
    QVERIFY(file.contains(rotated));
    QVERIFY(file.contains(kKafkaPassword));
    QStringList log;
    {
        const QMutexLocker lock(&g_logMutex);
        log = g_log;
    }
    for (const QString &line : std::as_const(log)) {
        for (const QByteArray &secret : {kStripeSecret, rotated, kKafkaPassword})
            QVERIFY2(!line.contains(QString::fromUtf8(secret)), qPrintable(line));
    }
    for (const QByteArray &secret : {kStripeSecret, rotated, kKafkaPassword})
        QVERIFY(!dialog.summaryLabel()->text().contains(QString::fromUtf8(secret)));
}

void TestUiSettings::entityKeyPreview()
{
    QTemporaryDir dir;
    auto ingest = start(dir, configJson(0, 3));
    QVERIFY(ingest);
    SettingsDialog dialog(*ingest);
    dialog.show();
    ui::SourcesPage *sources = dialog.sourcesPage();
    QSignalSpy previewed(sources, &ui::SourcesPage::previewUpdated);
    const auto previewFor = [&](const QString &pointer) {
        previewed.clear();
        sources->entityKeyEdit()->setText(pointer);
        // As typed: the edit's textEdited starts the (debounced) preview.
        emit sources->entityKeyEdit()->textEdited(pointer);
        return previewed.wait(10'000) ? sources->previewText() : u"<no preview>"_s;
    };

    // Nothing received yet.
    QString text = previewFor(u"/data/object/customer"_s);
    QVERIFY2(text.contains(u"no payload received for \"stripe\" yet"_s), qPrintable(text));

    QFile fixture(QStringLiteral(HOOKBENCH_TEST_DATA_DIR) + u"/fixtures/stripe/invoice.paid.json"_s);
    QVERIFY(fixture.open(QIODevice::ReadOnly));
    const QByteArray body = fixture.readAll();
    const RawResponse accepted =
        post(ingest->port(), "/webhooks/stripe", body,
             {{"Content-Type", "application/json"},
              {"Stripe-Signature", stripeSignature(kStripeSecret, QDateTime::currentSecsSinceEpoch(), body)}});
    QCOMPARE(accepted.status, 200);

    text = previewFor(u"/data/object/customer"_s);
    QVERIFY2(text.contains(u"key \"cus_00000000000000\" from entry #1"_s), qPrintable(text));
    text = previewFor(u"/data/object/nothing"_s);
    QVERIFY2(text.contains(u"/data/object/nothing yields no key on entry #1"_s), qPrintable(text));
    text = previewFor(u"data.object"_s);
    QVERIFY2(text.contains(u"not a JSON Pointer"_s), qPrintable(text));
    text = previewFor(QString());
    QVERIFY2(text.contains(u"key \"cus_00000000000000\""_s) && text.contains(u"the stripe default"_s),
             qPrintable(text));
    saveShots(dialog, u"preview"_s);
}

void TestUiSettings::openedFromTheWindow()
{
    QTemporaryDir dir;
    auto ingest = start(dir, configJson(0, 3));
    QVERIFY(ingest);
    ui::MainWindow window(*ingest);
    window.show();
    auto *action = window.findChild<QAction *>(u"settingsAction"_s);
    QVERIFY(action);
    QCOMPARE(action->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_Comma));
    action->trigger();
    auto *dialog = window.findChild<SettingsDialog *>();
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    // Once: the same dialog comes back to the front.
    action->trigger();
    QCOMPARE(window.findChildren<SettingsDialog *>().size(), 1);
    dialog->close();
    QTRY_VERIFY(window.findChildren<SettingsDialog *>().isEmpty()); // deleted on close
}

// With HOOKBENCH_SETTINGS_SHOTS=DIR, saves a PNG of every page (run under Xvfb for real fonts).
void TestUiSettings::saveShots(SettingsDialog &dialog, const QString &prefix)
{
    const QString out = qEnvironmentVariable("HOOKBENCH_SETTINGS_SHOTS");
    if (out.isEmpty())
        return;
    QDir().mkpath(out);
    dialog.show();
    const QList<ui::SettingsPage *> pages{dialog.sourcesPage(), dialog.kafkaPage(), dialog.deliveryPage(),
                                          dialog.processingPage(), dialog.limitsPage()};
    for (ui::SettingsPage *page : pages) {
        dialog.showPage(page);
        QTest::qWait(50); // a paint, for the picture only
        dialog.grab().save(u"%1/%2-%3.png"_s.arg(out, prefix, page->objectName()));
    }
}

QTEST_MAIN(TestUiSettings)
#include "test_ui_settings.moc"
