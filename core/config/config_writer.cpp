#include "core/config/config_writer.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace hookbench::config {

QJsonObject ConfigWriter::sourceToJson(const SourceConfig &source)
{
    QJsonObject o{
        {u"name"_s, source.name}, {u"provider"_s, source.provider}, {u"tolerance_seconds"_s, source.toleranceSeconds}};
    if (!source.secrets.isEmpty()) {
        QJsonArray secrets;
        for (const QByteArray &secret : source.secrets)
            secrets.append(QString::fromUtf8(secret));
        o.insert(u"secrets"_s, secrets);
    }
    if (!source.entityKeyPointer.isEmpty())
        o.insert(u"entity_key"_s, source.entityKeyPointer);
    if (!source.eventTypePointer.isEmpty())
        o.insert(u"event_type"_s, source.eventTypePointer);
    if (!source.topic.isEmpty())
        o.insert(u"topic"_s, source.topic);
    if (!source.publicUrl.isEmpty())
        o.insert(u"public_url"_s, QString::fromUtf8(source.publicUrl));
    // Only generic-hmac reads it; other providers keep the defaults, which need not be written.
    const GenericHmacConfig defaults;
    const GenericHmacConfig &sig = source.genericHmac;
    if (sig.header != defaults.header || sig.algorithm != defaults.algorithm || sig.encoding != defaults.encoding
        || sig.prefix != defaults.prefix) {
        o.insert(u"signature"_s, QJsonObject{{u"header"_s, QString::fromLatin1(sig.header)},
                                             {u"algorithm"_s, sig.algorithm},
                                             {u"encoding"_s, sig.encoding},
                                             {u"prefix"_s, QString::fromUtf8(sig.prefix)}});
    }
    if (source.retry)
        o.insert(u"retry"_s, source.retry->toJson());
    if (source.simulate)
        o.insert(u"simulate"_s, source.simulate->toJson());
    return o;
}

QJsonObject ConfigWriter::toJson(const Config &config)
{
    QJsonArray sources;
    for (const SourceConfig &source : config.sources)
        sources.append(sourceToJson(source));

    QJsonObject kafka{{u"mode"_s, config.kafka.mode},
                      {u"brokers"_s, config.kafka.brokers},
                      {u"partitions"_s, config.kafka.partitions},
                      {u"produce_wait_ms"_s, config.kafka.produceWaitMs}};
    if (!config.kafka.bootstrap.isEmpty())
        kafka.insert(u"bootstrap"_s, config.kafka.bootstrap);
    if (!config.kafka.properties.isEmpty()) {
        QJsonObject properties;
        for (auto it = config.kafka.properties.begin(); it != config.kafka.properties.end(); ++it)
            properties.insert(it.key(), it.value());
        kafka.insert(u"properties"_s, properties);
    }

    const LimitsConfig &l = config.limits;
    // An IPv6 address needs brackets before the port.
    const QString host = config.listenAddress.protocol() == QAbstractSocket::IPv6Protocol
                             ? u"["_s % config.listenAddress.toString() % u"]"_s
                             : config.listenAddress.toString();
    return QJsonObject{
        {u"listen"_s, QString(host % u':' % QString::number(config.listenPort))},
        {u"sources"_s, sources},
        {u"kafka"_s, kafka},
        {u"limits"_s, QJsonObject{{u"max_body_bytes"_s, l.maxBodyBytes},
                                  {u"max_header_bytes"_s, l.maxHeaderBytes},
                                  {u"header_timeout_ms"_s, l.headerTimeoutMs},
                                  {u"idle_timeout_ms"_s, l.idleTimeoutMs},
                                  {u"max_connections"_s, l.maxConnections}}},
        {u"dedup"_s, QJsonObject{{u"ttl_seconds"_s, config.dedup.ttlSeconds}}},
        {u"store"_s,
         QJsonObject{{u"synchronous"_s, config.store.synchronous}, {u"retention_days"_s, config.store.retentionDays}}},
        {u"consumers"_s, QJsonObject{{u"group"_s, config.consumers.group}, {u"count"_s, config.consumers.count}}},
        {u"retry"_s, config.retry.toJson()},
    };
}

Result<void> ConfigWriter::writeFile(const QString &path, const QByteArray &json)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error{u"config_unwritable"_s, path % u": cannot write the config file: "_s % file.errorString()};
    // The temporary file that replaces the config: readable by the user only, like the first one.
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    if (file.write(json) != json.size()) {
        file.cancelWriting();
        return Error{u"config_unwritable"_s, path % u": cannot write the config file: "_s % file.errorString()};
    }
    if (!file.commit())
        return Error{u"config_unwritable"_s, path % u": cannot replace the config file: "_s % file.errorString()};
    return {};
}

Result<void> ConfigWriter::writeFile(const QString &path, const Config &config)
{
    return writeFile(path, QJsonDocument(toJson(config)).toJson(QJsonDocument::Indented));
}

} // namespace hookbench::config
