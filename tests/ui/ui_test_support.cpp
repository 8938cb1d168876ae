#include "ui_test_support.h"

#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include "core/config/config_loader.h"

using namespace Qt::StringLiterals;
using namespace hookbench;

namespace uitest {

std::unique_ptr<pipeline::IngestPipeline> startPipeline(const QString &dataDir)
{
    const QByteArray json = R"({
        "sources": [
            {"name": "stripe", "provider": "stripe", "secrets": ["whsec_ui_test_secret"]},
            {"name": "plain", "provider": "none"}
        ],
        "kafka": {"mode": "embedded", "brokers": 3, "partitions": 6},
        "consumers": {"count": 0},
        "listen": "127.0.0.1:0"
    })";
    return startPipeline(dataDir, json);
}

std::unique_ptr<pipeline::IngestPipeline> startPipeline(const QString &dataDir, const QByteArray &json)
{
    auto config = config::ConfigLoader::parse(json, u"<ui test>"_s);
    if (!config) {
        qWarning("%s", qPrintable(config.error().message));
        return {};
    }
    pipeline::PipelineOptions options;
    options.config = *config;
    options.dataDir = dataDir;
    auto started = pipeline::IngestPipeline::start(options);
    if (!started) {
        qWarning("%s", qPrintable(started.error().message));
        return {};
    }
    return std::move(started.value());
}

QByteArray stripeEvent(const QByteArray &eventId)
{
    QFile file(QStringLiteral(HOOKBENCH_TEST_DATA_DIR) + u"/fixtures/stripe/invoice.paid.json"_s);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QByteArray body = file.readAll();
    body.replace(QByteArray("\"evt_000000000000000000000000\""), QByteArray("\"" + eventId + "\""));
    return body;
}

RawResponse postStripe(quint16 port, const QByteArray &body)
{
    return post(port, "/webhooks/stripe", body,
                {{"Content-Type", "application/json"},
                 {"Stripe-Signature", stripeSignature(stripeSecret, QDateTime::currentSecsSinceEpoch(), body)}});
}

RawResponse postStripeBadSignature(quint16 port, const QByteArray &body)
{
    return post(port, "/webhooks/stripe", body,
                {{"Content-Type", "application/json"},
                 {"Stripe-Signature", stripeSignature("whsec_wrong", QDateTime::currentSecsSinceEpoch(), body)}});
}

RawResponse postPlain(quint16 port, const QByteArray &body)
{
    return post(port, "/webhooks/plain", body, {{"Content-Type", "application/json"}});
}

qint64 journalId(const RawResponse &response)
{
    return QJsonDocument::fromJson(response.body).object().value(u"id"_s).toInteger();
}

} // namespace uitest
