#include "core/processing/target_settings.h"

#include "core/processing/settings_reader.h"

using namespace Qt::StringLiterals;

namespace hookbench::processing {

namespace {

// RFC 9110 §5.6.2 token characters.
bool isToken(const QByteArray &name)
{
    if (name.isEmpty())
        return false;
    for (char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
        if (!ok)
            return false;
    }
    return true;
}

bool isReserved(const QByteArray &name)
{
    const QByteArray lower = name.toLower();
    return lower == "content-type" || lower == "content-length" || lower == "host" || lower == "transfer-encoding"
           || lower == "connection" || lower.startsWith("hookbench-");
}

} // namespace

Result<TargetSettings> TargetSettings::fromJson(const QJsonObject &object, const QString &fieldPath)
{
    SettingsReader r(object, fieldPath);
    r.rejectUnknown({u"url"_s, u"headers"_s, u"timeout_ms"_s});
    TargetSettings s;
    const QString url = r.string(u"url"_s, {});
    if (!r.failed()) {
        s.url = QUrl(url, QUrl::StrictMode);
        if (url.isEmpty())
            r.fail(u"url"_s, u"is required (e.g. http://127.0.0.1:3000/hooks)"_s);
        else if (!s.url.isValid())
            r.fail(u"url"_s, u"\"%1\" is not a valid URL: %2"_s.arg(url, s.url.errorString()));
        else if (s.url.scheme() != u"http"_s && s.url.scheme() != u"https"_s)
            r.fail(u"url"_s, u"\"%1\" must start with http:// or https://"_s.arg(url));
        else if (s.url.host().isEmpty())
            r.fail(u"url"_s, u"\"%1\" has no host"_s.arg(url));
    }
    const QJsonObject headers = r.object(u"headers"_s);
    for (auto it = headers.begin(); it != headers.end() && !r.failed(); ++it) {
        const QString key = u"headers."_s % it.key();
        const QByteArray name = it.key().toLatin1();
        if (!isToken(name) || QString::fromLatin1(name) != it.key())
            r.fail(key, u"\"%1\" is not a valid header name"_s.arg(it.key()));
        else if (isReserved(name))
            r.fail(key, u"is set by the forwarder and cannot be overridden"_s);
        else if (!it.value().isString())
            r.fail(key, u"must be a string"_s);
        else if (it.value().toString().contains(u'\r') || it.value().toString().contains(u'\n')
                 || it.value().toString().contains(QChar(0)))
            r.fail(key, u"must not contain CR, LF or NUL"_s);
        else
            s.headers.append({name, it.value().toString().toUtf8()});
    }
    s.timeoutMs = static_cast<int>(r.integer(u"timeout_ms"_s, s.timeoutMs, 1, 600'000));
    if (r.failed())
        return r.error();
    return s;
}

QJsonObject TargetSettings::toJson() const
{
    QJsonObject headerObject;
    for (const auto &[name, value] : headers)
        headerObject.insert(QString::fromLatin1(name), QString::fromUtf8(value));
    return QJsonObject{
        {u"url"_s, url.toString()},
        {u"headers"_s, headerObject},
        {u"timeout_ms"_s, timeoutMs},
    };
}

} // namespace hookbench::processing
