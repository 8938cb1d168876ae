#include "tests/api/api_client.h"

#include <QJsonDocument>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QSignalSpy>

namespace hookbench::tests {

QByteArray ApiReplyData::header(const QByteArray &name) const
{
    for (const auto &[n, v] : headers) {
        if (n.compare(name, Qt::CaseInsensitive) == 0)
            return v;
    }
    return {};
}

QByteArray ApiClient::json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

ApiReplyData ApiClient::send(const QByteArray &method, const QByteArray &pathAndQuery, const QByteArray &body,
                             const QByteArray &authorization)
{
    m_manager.setProxy(QNetworkProxy::NoProxy);
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_port) + QString::fromUtf8(pathAndQuery)));
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    if (!authorization.isNull())
        request.setRawHeader("Authorization", authorization);
    else if (!m_token.isNull())
        request.setRawHeader("Authorization", "Bearer " + m_token);
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));

    QNetworkReply *reply = m_manager.sendCustomRequest(request, method, body);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    ApiReplyData out;
    if (!reply->isFinished() && !finished.wait(10'000)) {
        reply->abort();
        reply->deleteLater();
        return out;
    }
    out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    out.body = reply->readAll();
    out.headers = reply->rawHeaderPairs();
    out.json = QJsonDocument::fromJson(out.body).object();
    reply->deleteLater();
    return out;
}

} // namespace hookbench::tests
