#include "core/samples/sample_event_factory.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QHash>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QUuid>

#include "core/providers/provider_registry.h"

using namespace Qt::StringLiterals;

namespace hookbench::samples {

SampleEventFactory::SampleEventFactory(const Clock &clock, QString templateDir)
    : m_clock(clock)
    , m_templateDir(std::move(templateDir))
{}

QStringList SampleEventFactory::providers() const
{
    QStringList names;
    for (const QString &file : QDir(m_templateDir).entryList({u"*.json"_s}, QDir::Files, QDir::Name))
        names.append(file.chopped(5));
    return names;
}

QByteArray SampleEventFactory::fill(const QByteArray &text, qint64 nowMs)
{
    QHash<QByteArray, QByteArray> values;
    return fill(text, nowMs, values);
}

QByteArray SampleEventFactory::fill(const QByteArray &text, qint64 nowMs, QHash<QByteArray, QByteArray> &values)
{
    static const QRegularExpression placeholder(u"(\"?)\\{\\{(uuid|now|now_iso|now:int|hex(\\d{1,3}))\\}\\}(\"?)"_s);
    const QString input = QString::fromUtf8(text);
    QByteArray out;
    out.reserve(text.size());
    qsizetype last = 0;
    auto it = placeholder.globalMatch(input);
    while (it.hasNext()) {
        const auto match = it.next();
        const QByteArray name = match.captured(2).toUtf8();
        // A quoted "{{now:int}}" becomes a bare JSON number; other quotes stay.
        const bool bare = name == "now:int" && !match.captured(1).isEmpty() && !match.captured(4).isEmpty();
        if (!values.contains(name)) {
            QByteArray value;
            if (name == "now" || name == "now:int") {
                value = QByteArray::number(nowMs / 1000);
            } else if (name == "now_iso") {
                value = QDateTime::fromMSecsSinceEpoch(nowMs, Qt::UTC).toString(Qt::ISODateWithMs).toLatin1();
            } else if (name == "uuid") {
                value = QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
            } else {
                const int width = match.captured(3).toInt();
                while (value.size() < width)
                    value += QByteArray::number(QRandomGenerator::global()->generate(), 16).rightJustified(8, '0');
                value.truncate(width);
            }
            values.insert(name, value);
        }
        out += input.mid(last, match.capturedStart(0) - last).toUtf8();
        if (bare)
            out += values.value(name);
        else
            out += match.captured(1).toUtf8() + values.value(name) + match.captured(4).toUtf8();
        last = match.capturedEnd(0);
    }
    out += input.mid(last).toUtf8();
    return out;
}

Result<SampleEvent> SampleEventFactory::build(const config::SourceConfig &source) const
{
    const QString path = QDir(m_templateDir).filePath(source.provider + u".json"_s);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{u"template_missing"_s, u"no test-event template for provider %1 of source %2 (%3: %4)"_s.arg(
                                                source.provider, source.name, path, file.errorString())};
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!doc.isObject())
        return Error{u"template_invalid"_s, u"%1: not a JSON object (%2)"_s.arg(path, parseError.errorString())};
    const QJsonObject t = doc.object();

    const qint64 nowMs = m_clock.nowMs();
    SampleEvent event;
    event.eventType = t.value(u"event_type"_s).toString();
    event.fixture = t.value(u"fixture"_s).toString();
    http::HttpRequest &request = event.request;
    request.method = "POST";
    request.target = "/webhooks/" + source.name.toUtf8();
    request.remoteAddress = QHostAddress(QHostAddress::LocalHost);
    request.receivedAtMs = nowMs;

    // One set of values for headers and body: a placeholder shared by both (a delivery id in a
    // header and in the body) gets one value.
    QHash<QByteArray, QByteArray> values;
    const QJsonArray headers = t.value(u"headers"_s).toArray();
    for (const auto &header : headers) {
        const QJsonArray pair = header.toArray();
        if (pair.size() != 2 || !pair.at(0).isString() || !pair.at(1).isString())
            return Error{u"template_invalid"_s, u"%1: each header must be [name, value] strings"_s.arg(path)};
        request.headers.append({pair.at(0).toString().toUtf8(), fill(pair.at(1).toString().toUtf8(), nowMs, values)});
    }
    request.body = fill(t.value(u"body_text"_s).toString().toUtf8(), nowMs, values);
    return event;
}

Result<SampleEvent> SampleEventFactory::buildSigned(const config::SourceConfig &source) const
{
    auto event = build(source);
    if (!event)
        return event;
    const providers::Verifier *verifier = providers::ProviderRegistry::find(source.provider);
    if (!verifier)
        return Error{u"unknown_provider"_s, u"source %1: provider %2 is unknown"_s.arg(source.name, source.provider)};
    if (source.provider == u"none"_s)
        return event; // nothing to sign

    if (source.secrets.isEmpty())
        return Error{u"no_secret"_s, u"source %1 has no secret to sign the test event with"_s.arg(source.name)};
    const providers::SignInput input{event->request, source, source.secrets.constFirst(), m_clock.nowSecs()};
    auto signature = verifier->signRequest(input);
    if (!signature)
        return Error{signature.error().code,
                     u"signing a test event for source %1 failed: %2"_s.arg(source.name, signature.error().message)};
    for (const auto &[name, value] : *signature) {
        bool replaced = false;
        for (auto &header : event->request.headers) {
            if (header.first.compare(name, Qt::CaseInsensitive) == 0) {
                header.second = value;
                replaced = true;
                break;
            }
        }
        if (!replaced)
            event->request.headers.append({name, value});
    }
    return event;
}

} // namespace hookbench::samples
