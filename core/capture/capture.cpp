#include "core/capture/capture.h"

#include <QUrl>

namespace hookbench::capture {

QByteArray Capture::target() const
{
    if (url.startsWith('/'))
        return url;
    const QUrl parsed = QUrl::fromEncoded(url);
    if (!parsed.isValid() || parsed.scheme().isEmpty())
        return url.isEmpty() ? QByteArray("/") : url;
    QByteArray path = parsed.path(QUrl::FullyEncoded).toUtf8();
    if (path.isEmpty())
        path = "/";
    if (parsed.hasQuery())
        path += '?' + parsed.query(QUrl::FullyEncoded).toUtf8();
    return path;
}

QByteArray Capture::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

http::HttpRequest Capture::toRequest() const
{
    http::HttpRequest request;
    request.method = method;
    request.target = target();
    request.headers = headers;
    request.body = body;
    request.receivedAtMs = timeMs;
    return request;
}

QString Capture::sourceFromTarget() const
{
    const QByteArray path = target().split('?').constFirst();
    static constexpr QByteArrayView prefix = "/webhooks/";
    if (!path.startsWith(prefix))
        return {};
    const QByteArray rest = path.mid(prefix.size());
    if (rest.isEmpty() || rest.contains('/'))
        return {};
    return QString::fromUtf8(QByteArray::fromPercentEncoding(rest));
}

} // namespace hookbench::capture
