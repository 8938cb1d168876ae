#include "core/config/config_loader.h"

#include <cmath>
#include <optional>

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>

#include "core/util/json_pointer.h"

using namespace Qt::StringLiterals;

namespace hookbench::config {

namespace {

// Collects every validation error with its field path; the first one is the loader's error.
class Validator
{
public:
    explicit Validator(QString origin) : m_origin(std::move(origin)) {}

    bool failed() const { return !m_errors.isEmpty(); }
    Error error() const
    {
        const FieldError &first = m_errors.constFirst();
        return Error{u"config_invalid"_s, m_origin % u": field \""_s % first.field % u"\": "_s % first.why};
    }
    const QList<FieldError> &errors() const { return m_errors; }

    void fail(const QString &field, const QString &why)
    {
        // One problem per field: a value that fails its type check is not also reported out of range.
        for (const FieldError &known : std::as_const(m_errors)) {
            if (known.field == field)
                return;
        }
        m_errors.append(FieldError{field, why});
    }

    // Adopts an error from a processing settings struct ("<fieldPath>.<key>: <why>", made with
    // `fieldPath` as its prefix) into this loader's "field \"<path>\": <why>" form.
    void failFrom(const Error &nested, const QString &fieldPath)
    {
        const QString &message = nested.message;
        const qsizetype separator =
            message.startsWith(fieldPath) ? message.indexOf(u": "_s, fieldPath.size()) : qsizetype(-1);
        if (separator < 0)
            fail(fieldPath, message);
        else
            fail(message.left(separator), message.mid(separator + 2));
    }

    void rejectUnknown(const QJsonObject &object, const QString &path, const QSet<QString> &known)
    {
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (!known.contains(it.key()))
                fail(join(path, it.key()), u"unknown field (allowed: "_s % sortedList(known) % u")"_s);
        }
    }

    QString string(const QJsonObject &o, const QString &path, const QString &key, const QString &fallback)
    {
        const QJsonValue v = o.value(key);
        if (v.isUndefined() || v.isNull())
            return fallback;
        if (!v.isString()) {
            fail(join(path, key), u"must be a string"_s);
            return fallback;
        }
        return v.toString();
    }

    qint64 integer(const QJsonObject &o, const QString &path, const QString &key, qint64 fallback, qint64 min,
                   qint64 max)
    {
        const QJsonValue v = o.value(key);
        if (v.isUndefined() || v.isNull())
            return fallback;
        const double d = v.toDouble(-1.5);
        if (!v.isDouble() || !std::isfinite(d) || d != std::floor(d)) {
            fail(join(path, key), u"must be an integer"_s);
            return fallback;
        }
        // Bounds are checked on the double: converting one beyond qint64 (1e123) is undefined
        // behaviour (found by fuzz/fuzz_config_loader).
        if (d < static_cast<double>(min) || d > static_cast<double>(max)) {
            fail(join(path, key),
                 u"must be between %1 and %2, got %3"_s.arg(min).arg(max).arg(QString::number(d, 'g', 17)));
            return fallback;
        }
        return static_cast<qint64>(d);
    }

    QJsonObject object(const QJsonObject &o, const QString &path, const QString &key)
    {
        const QJsonValue v = o.value(key);
        if (v.isUndefined() || v.isNull())
            return {};
        if (!v.isObject())
            fail(join(path, key), u"must be an object"_s);
        return v.toObject();
    }

    static QString join(const QString &path, const QString &key) { return path.isEmpty() ? key : path % u'.' % key; }

private:
    static QString sortedList(const QSet<QString> &set)
    {
        QStringList list(set.begin(), set.end());
        list.sort();
        return list.join(u", "_s);
    }

    QString m_origin;
    QList<FieldError> m_errors;
};

// Empty means "provider default"; anything else must parse as RFC 6901, so a bad '~' escape is
// caught here rather than silently matching nothing at run time.
void checkJsonPointer(Validator &v, const QString &field, const QString &pointer, const QString &example)
{
    if (pointer.isEmpty())
        return;
    if (const auto parsed = util::JsonPointer::parse(pointer); !parsed.ok())
        v.fail(field, u"\"%1\" is not a JSON Pointer (RFC 6901; it starts with '/', e.g. %2): %3"_s.arg(
                          pointer, example, parsed.error().message));
}

// Source names become URL path segments and Kafka topic suffixes.
bool isValidSourceName(const QString &name)
{
    static const QRegularExpression re(u"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"_s);
    return re.match(name).hasMatch();
}

bool isValidTopic(const QString &topic)
{
    static const QRegularExpression re(u"^[A-Za-z0-9._-]{1,249}$"_s);
    return re.match(topic).hasMatch() && topic != u"."_s && topic != u".."_s;
}

// librdkafka's bootstrap.servers: comma-separated [protocol://]host[:port]. librdkafka itself
// only complains when it first connects, long after start-up; a typo is caught here instead.
void checkBootstrap(Validator &v, const QString &bootstrap)
{
    static const QRegularExpression hostPort(
        u"^(?:[A-Za-z_]+://)?(\\[[0-9A-Fa-f:.]+\\]|[^\\s:/,\\[\\]]+)(?::(\\d+))?$"_s);
    const QStringList servers = bootstrap.split(u',');
    for (const QString &raw : servers) {
        const QString server = raw.trimmed();
        const QRegularExpressionMatch m = hostPort.match(server);
        bool portOk = true;
        const uint port = m.hasMatch() && m.hasCaptured(2) ? m.captured(2).toUInt(&portOk) : 9092;
        if (server.isEmpty() || !m.hasMatch() || !portOk || port == 0 || port > 65535) {
            v.fail(u"kafka.bootstrap"_s,
                   u"\"%1\" is not host:port (e.g. localhost:9092; several separated by commas)"_s.arg(server));
            return;
        }
    }
}

// The security properties the settings offer as choices: checked here with librdkafka's own
// value names (case-insensitive, as librdkafka reads them), so a wrong choice is named at
// start-up with the property, not as a connection failure later.
void checkSecurityProperties(Validator &v, const QMap<QString, QString> &properties)
{
    const QString protocol = properties.value(u"security.protocol"_s).toLower();
    static const QStringList protocols{u"plaintext"_s, u"ssl"_s, u"sasl_plaintext"_s, u"sasl_ssl"_s};
    if (properties.contains(u"security.protocol"_s) && !protocols.contains(protocol))
        v.fail(u"kafka.properties.security.protocol"_s,
               u"must be one of plaintext, ssl, sasl_plaintext, sasl_ssl, got \"%1\""_s.arg(
                   properties.value(u"security.protocol"_s)));
    const QString mechanism = properties.value(u"sasl.mechanism"_s).toUpper();
    static const QStringList mechanisms{u"GSSAPI"_s, u"PLAIN"_s, u"SCRAM-SHA-256"_s, u"SCRAM-SHA-512"_s,
                                        u"OAUTHBEARER"_s};
    if (properties.contains(u"sasl.mechanism"_s) && !mechanisms.contains(mechanism))
        v.fail(u"kafka.properties.sasl.mechanism"_s,
               u"must be one of GSSAPI, PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER, got \"%1\""_s.arg(
                   properties.value(u"sasl.mechanism"_s)));
    // PLAIN and SCRAM authenticate with a user name and password; without them the broker
    // answers an authentication failure that does not say what is missing.
    const bool sasl = protocol.startsWith(u"sasl_"_s);
    if (sasl && (mechanism == u"PLAIN"_s || mechanism.startsWith(u"SCRAM-"_s))) {
        for (const QString &key : {u"sasl.username"_s, u"sasl.password"_s}) {
            if (properties.value(key).isEmpty())
                v.fail(u"kafka.properties."_s % key, u"is required for SASL mechanism %1"_s.arg(mechanism));
        }
    }
    const QString ca = properties.value(u"ssl.ca.location"_s);
    if (!ca.isEmpty() && !QFileInfo(ca).isReadable())
        v.fail(u"kafka.properties.ssl.ca.location"_s, u"\"%1\" is not a readable file"_s.arg(ca));
}

// Reads an optional settings object (retry, simulate) through the struct's own validation.
template <typename Settings>
std::optional<Settings> parseSettings(Validator &v, const QJsonObject &parent, const QString &path, const QString &key)
{
    const QJsonValue value = parent.value(key);
    if (value.isUndefined() || value.isNull())
        return std::nullopt;
    const QString field = Validator::join(path, key);
    if (!value.isObject()) {
        v.fail(field, u"must be an object"_s);
        return std::nullopt;
    }
    auto settings = Settings::fromJson(value.toObject(), field);
    if (!settings.ok()) {
        v.failFrom(settings.error(), field);
        return std::nullopt;
    }
    return std::move(settings).value();
}

void parseConsumers(Validator &v, const QJsonObject &o, ConsumersConfig &c)
{
    const QString path = u"consumers"_s;
    v.rejectUnknown(o, path, {u"group"_s, u"count"_s});
    c.group = v.string(o, path, u"group"_s, c.group);
    if (c.group.isEmpty())
        v.fail(u"consumers.group"_s, u"must not be empty"_s);
    c.count = static_cast<int>(v.integer(o, path, u"count"_s, c.count, 0, 32));
}

void parseSource(Validator &v, const QJsonObject &o, const QString &path, SourceConfig &s)
{
    v.rejectUnknown(o, path,
                    {u"name"_s, u"provider"_s, u"secrets"_s, u"secret"_s, u"tolerance_seconds"_s, u"entity_key"_s,
                     u"event_type"_s, u"topic"_s, u"public_url"_s, u"signature"_s, u"retry"_s, u"simulate"_s});
    s.name = v.string(o, path, u"name"_s, {});
    if (s.name.isEmpty())
        v.fail(Validator::join(path, u"name"_s), u"is required"_s);
    else if (!isValidSourceName(s.name))
        v.fail(Validator::join(path, u"name"_s),
               u"\"%1\" is not usable in a URL path and topic name (letters, digits, '.', '_', '-'; at most 64)"_s.arg(
                   s.name));

    s.provider = v.string(o, path, u"provider"_s, {});
    if (s.provider.isEmpty())
        v.fail(Validator::join(path, u"provider"_s),
               u"is required (one of: "_s % ConfigLoader::providerNames().join(u", "_s) % u")"_s);
    else if (!ConfigLoader::providerNames().contains(s.provider))
        v.fail(Validator::join(path, u"provider"_s), u"unknown provider \""_s % s.provider % u"\" (one of: "_s
                                                         % ConfigLoader::providerNames().join(u", "_s) % u")"_s);

    const QJsonValue secrets = o.value(u"secrets"_s);
    if (secrets.isArray()) {
        const QJsonArray array = secrets.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (!array.at(i).isString() || array.at(i).toString().isEmpty())
                v.fail(Validator::join(path, u"secrets[%1]"_s.arg(i)), u"must be a non-empty string"_s);
            else
                s.secrets.append(array.at(i).toString().toUtf8());
        }
    } else if (!secrets.isUndefined() && !secrets.isNull()) {
        v.fail(Validator::join(path, u"secrets"_s), u"must be an array of strings"_s);
    }
    const QString single = v.string(o, path, u"secret"_s, {});
    if (!single.isEmpty())
        s.secrets.prepend(single.toUtf8());
    if (s.secrets.isEmpty() && !s.provider.isEmpty() && s.provider != u"none"_s)
        v.fail(Validator::join(path, u"secrets"_s), u"provider \""_s % s.provider % u"\" needs at least one secret"_s);

    s.toleranceSeconds = static_cast<int>(v.integer(o, path, u"tolerance_seconds"_s, 300, 1, 7 * 24 * 3600));
    s.entityKeyPointer = v.string(o, path, u"entity_key"_s, {});
    checkJsonPointer(v, Validator::join(path, u"entity_key"_s), s.entityKeyPointer, u"/data/object/customer"_s);
    s.eventTypePointer = v.string(o, path, u"event_type"_s, {});
    checkJsonPointer(v, Validator::join(path, u"event_type"_s), s.eventTypePointer, u"/type"_s);
    s.topic = v.string(o, path, u"topic"_s, {});
    if (!s.topic.isEmpty() && !isValidTopic(s.topic))
        v.fail(Validator::join(path, u"topic"_s), u"\"%1\" is not a valid Kafka topic name"_s.arg(s.topic));
    const QString publicUrl = v.string(o, path, u"public_url"_s, {});
    if (!publicUrl.isEmpty() && !publicUrl.startsWith(u"http://"_s) && !publicUrl.startsWith(u"https://"_s))
        v.fail(Validator::join(path, u"public_url"_s), u"must start with http:// or https://"_s);
    s.publicUrl = publicUrl.toUtf8();

    const QString sigPath = Validator::join(path, u"signature"_s);
    const QJsonObject sig = v.object(o, path, u"signature"_s);
    v.rejectUnknown(sig, sigPath, {u"header"_s, u"algorithm"_s, u"encoding"_s, u"prefix"_s});
    s.genericHmac.header = v.string(sig, sigPath, u"header"_s, u"X-Signature"_s).toLatin1();
    s.genericHmac.algorithm = v.string(sig, sigPath, u"algorithm"_s, u"sha256"_s);
    if (s.genericHmac.algorithm != u"sha256"_s && s.genericHmac.algorithm != u"sha1"_s)
        v.fail(Validator::join(sigPath, u"algorithm"_s), u"must be \"sha256\" or \"sha1\""_s);
    s.genericHmac.encoding = v.string(sig, sigPath, u"encoding"_s, u"hex"_s);
    if (s.genericHmac.encoding != u"hex"_s && s.genericHmac.encoding != u"base64"_s)
        v.fail(Validator::join(sigPath, u"encoding"_s), u"must be \"hex\" or \"base64\""_s);
    s.genericHmac.prefix = v.string(sig, sigPath, u"prefix"_s, {}).toUtf8();

    s.retry = parseSettings<processing::RetrySettings>(v, o, path, u"retry"_s);
    s.simulate = parseSettings<processing::SimulateSettings>(v, o, path, u"simulate"_s);
}

void parseKafka(Validator &v, const QJsonObject &o, KafkaConfig &k)
{
    const QString path = u"kafka"_s;
    v.rejectUnknown(o, path,
                    {u"mode"_s, u"brokers"_s, u"partitions"_s, u"bootstrap"_s, u"properties"_s, u"produce_wait_ms"_s});
    k.mode = v.string(o, path, u"mode"_s, u"embedded"_s);
    if (k.mode != u"embedded"_s && k.mode != u"external"_s)
        v.fail(u"kafka.mode"_s, u"must be \"embedded\" or \"external\", got \""_s % k.mode % u"\""_s);
    k.brokers = static_cast<int>(v.integer(o, path, u"brokers"_s, 3, 1, 9));
    k.partitions = static_cast<int>(v.integer(o, path, u"partitions"_s, 6, 1, 1000));
    k.bootstrap = v.string(o, path, u"bootstrap"_s, {});
    if (k.mode == u"external"_s && k.bootstrap.isEmpty())
        v.fail(u"kafka.bootstrap"_s, u"is required in external mode (host:port[,host:port...])"_s);
    else if (!k.bootstrap.isEmpty())
        checkBootstrap(v, k.bootstrap);
    k.produceWaitMs = static_cast<int>(v.integer(o, path, u"produce_wait_ms"_s, 2000, 1, 600'000));
    const QJsonObject props = v.object(o, path, u"properties"_s);
    for (auto it = props.begin(); it != props.end(); ++it) {
        if (it.value().isString())
            k.properties.insert(it.key(), it.value().toString());
        else if (it.value().isDouble() || it.value().isBool())
            k.properties.insert(it.key(), it.value().toVariant().toString());
        else
            v.fail(u"kafka.properties."_s % it.key(), u"must be a string, number or boolean"_s);
    }
    checkSecurityProperties(v, k.properties);
}

Config parseRoot(Validator &v, const QJsonObject &root);

} // namespace

QStringList ConfigLoader::providerNames()
{
    return {u"stripe"_s,       u"github"_s, u"shopify"_s, u"slack"_s, u"twilio"_s, u"standard-webhooks"_s,
            u"generic-hmac"_s, u"none"_s};
}

Result<Config> ConfigLoader::loadFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{u"config_unreadable"_s, path % u": cannot read config file: "_s % file.errorString()};
    return parse(file.readAll(), path);
}

Result<Config> ConfigLoader::parse(const QByteArray &json, const QString &origin)
{
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Error{u"config_invalid"_s,
                     origin % u": not valid JSON at byte %1: "_s.arg(parseError.offset) % parseError.errorString()};
    if (!doc.isObject())
        return Error{u"config_invalid"_s, origin % u": the top level must be a JSON object"_s};

    Validator v(origin);
    Config config = parseRoot(v, doc.object());
    if (v.failed())
        return v.error();
    return config;
}

QList<FieldError> ConfigLoader::validate(const QByteArray &json)
{
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return {FieldError{{}, u"not valid JSON at byte %1: "_s.arg(parseError.offset) % parseError.errorString()}};
    if (!doc.isObject())
        return {FieldError{{}, u"the top level must be a JSON object"_s}};
    Validator v(u"<settings>"_s);
    parseRoot(v, doc.object());
    return v.errors();
}

namespace {

Config parseRoot(Validator &v, const QJsonObject &root)
{
    v.rejectUnknown(
        root, {},
        {u"sources"_s, u"kafka"_s, u"limits"_s, u"dedup"_s, u"store"_s, u"listen"_s, u"consumers"_s, u"retry"_s});

    Config config;
    const QJsonValue sources = root.value(u"sources"_s);
    if (!sources.isUndefined() && !sources.isArray())
        v.fail(u"sources"_s, u"must be an array of source objects"_s);
    const QJsonArray sourceArray = sources.toArray();
    QSet<QString> names;
    for (qsizetype i = 0; i < sourceArray.size(); ++i) {
        const QString path = u"sources[%1]"_s.arg(i);
        if (!sourceArray.at(i).isObject()) {
            v.fail(path, u"must be an object"_s);
            continue;
        }
        SourceConfig source;
        parseSource(v, sourceArray.at(i).toObject(), path, source);
        if (!source.name.isEmpty() && names.contains(source.name))
            v.fail(path % u".name"_s, u"duplicate source name \""_s % source.name % u"\""_s);
        names.insert(source.name);
        config.sources.append(source);
    }

    parseKafka(v, v.object(root, {}, u"kafka"_s), config.kafka);

    const QJsonObject limits = v.object(root, {}, u"limits"_s);
    v.rejectUnknown(limits, u"limits"_s,
                    {u"max_body_bytes"_s, u"max_header_bytes"_s, u"header_timeout_ms"_s, u"idle_timeout_ms"_s,
                     u"max_connections"_s});
    config.limits.maxBodyBytes =
        // Below 1 KiB even the providers' ping and verification events are refused.
        v.integer(limits, u"limits"_s, u"max_body_bytes"_s, config.limits.maxBodyBytes, 1024, 1024LL * 1024 * 1024);
    config.limits.maxHeaderBytes = static_cast<int>(
        v.integer(limits, u"limits"_s, u"max_header_bytes"_s, config.limits.maxHeaderBytes, 256, 1024 * 1024));
    config.limits.headerTimeoutMs = static_cast<int>(
        v.integer(limits, u"limits"_s, u"header_timeout_ms"_s, config.limits.headerTimeoutMs, 10, 3'600'000));
    config.limits.idleTimeoutMs = static_cast<int>(
        v.integer(limits, u"limits"_s, u"idle_timeout_ms"_s, config.limits.idleTimeoutMs, 10, 3'600'000));
    config.limits.maxConnections = static_cast<int>(
        v.integer(limits, u"limits"_s, u"max_connections"_s, config.limits.maxConnections, 1, 100'000));

    const QJsonObject dedup = v.object(root, {}, u"dedup"_s);
    v.rejectUnknown(dedup, u"dedup"_s, {u"ttl_seconds"_s});
    config.dedup.ttlSeconds =
        v.integer(dedup, u"dedup"_s, u"ttl_seconds"_s, config.dedup.ttlSeconds, 1, 365LL * 24 * 3600);

    const QJsonObject store = v.object(root, {}, u"store"_s);
    v.rejectUnknown(store, u"store"_s, {u"synchronous"_s, u"retention_days"_s});
    config.store.synchronous = v.string(store, u"store"_s, u"synchronous"_s, config.store.synchronous);
    if (config.store.synchronous != u"full"_s && config.store.synchronous != u"normal"_s)
        v.fail(u"store.synchronous"_s,
               u"must be \"full\" or \"normal\", got \""_s % config.store.synchronous % u"\""_s);
    // Ten years: far beyond any use, and days * 86,400,000 ms stays well inside 64 bits.
    config.store.retentionDays =
        static_cast<int>(v.integer(store, u"store"_s, u"retention_days"_s, config.store.retentionDays, 0, 3650));

    parseConsumers(v, v.object(root, {}, u"consumers"_s), config.consumers);
    if (auto retry = parseSettings<processing::RetrySettings>(v, root, {}, u"retry"_s))
        config.retry = *retry;

    const QString listen = v.string(root, {}, u"listen"_s, {});
    if (!listen.isEmpty()) {
        const qsizetype colon = listen.lastIndexOf(u':');
        bool portOk = false;
        const uint port = colon > 0 ? listen.mid(colon + 1).toUInt(&portOk) : 0;
        QHostAddress address;
        if (colon <= 0 || !portOk || port > 65535 || !address.setAddress(listen.left(colon).remove(u'[').remove(u']')))
            v.fail(u"listen"_s, u"\""_s % listen % u"\" is not ADDRESS:PORT (e.g. 127.0.0.1:8088)"_s);
        else {
            config.listenAddress = address;
            config.listenPort = static_cast<quint16>(port);
        }
    }

    return config;
}

} // namespace

QByteArray ConfigLoader::generateSecret(const QString &provider)
{
    QByteArray raw(provider == u"github"_s || provider == u"generic-hmac"_s ? 20 : 24, Qt::Uninitialized);
    for (auto &c : raw)
        c = static_cast<char>(QRandomGenerator::system()->bounded(256));
    if (provider == u"standard-webhooks"_s)
        return "whsec_" + raw.toBase64(); // the spec's form: whsec_ + base64 of the key bytes
    if (provider == u"stripe"_s)
        return "whsec_" + raw.toHex();
    return raw.toHex();
}

QByteArray ConfigLoader::exampleConfigJson()
{
    auto randomHex = [](int bytes) {
        QByteArray raw(bytes, Qt::Uninitialized);
        for (auto &c : raw)
            c = static_cast<char>(QRandomGenerator::system()->bounded(256));
        return QString::fromLatin1(raw.toHex());
    };
    auto randomBase64 = [](int bytes) {
        QByteArray raw(bytes, Qt::Uninitialized);
        for (auto &c : raw)
            c = static_cast<char>(QRandomGenerator::system()->bounded(256));
        return QString::fromLatin1(raw.toBase64());
    };
    auto source = [](const QString &name, const QString &provider, const QString &secret) {
        QJsonObject o{{u"name"_s, name}, {u"provider"_s, provider}};
        if (!secret.isEmpty())
            o.insert(u"secrets"_s, QJsonArray{secret});
        return o;
    };
    QJsonArray sources{
        source(u"stripe"_s, u"stripe"_s, u"whsec_"_s % randomHex(24)),
        source(u"github"_s, u"github"_s, randomHex(20)),
        source(u"shopify"_s, u"shopify"_s, randomHex(16)),
        source(u"slack"_s, u"slack"_s, randomHex(16)),
        source(u"twilio"_s, u"twilio"_s, randomHex(16)),
        source(u"standard-webhooks"_s, u"standard-webhooks"_s, u"whsec_"_s % randomBase64(24)),
        source(u"generic"_s, u"generic-hmac"_s, randomHex(20)),
        source(u"test"_s, u"none"_s, {}),
    };
    QJsonObject twilio = sources.at(4).toObject();
    twilio.insert(u"public_url"_s, u"http://127.0.0.1:8088/webhooks/twilio"_s);
    sources.replace(4, twilio);
    const QJsonObject root{
        {u"sources"_s, sources},
        {u"kafka"_s, QJsonObject{{u"mode"_s, u"embedded"_s}, {u"brokers"_s, 3}, {u"partitions"_s, 6}}},
        {u"limits"_s, QJsonObject{{u"max_body_bytes"_s, 10 * 1024 * 1024}}},
        {u"dedup"_s, QJsonObject{{u"ttl_seconds"_s, 259200}}},
        {u"consumers"_s, QJsonObject{{u"group"_s, u"hookbench-processors"_s}, {u"count"_s, 2}}},
        {u"retry"_s, processing::RetrySettings().toJson()},
    };
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

} // namespace hookbench::config
