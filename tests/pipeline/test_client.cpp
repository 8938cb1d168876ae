#include "test_client.h"

#include <librdkafka/rdkafka.h>

#include <QDeadlineTimer>
#include <QMessageAuthenticationCode>
#include <QTcpSocket>

QByteArray RawResponse::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

RawResponse sendRaw(quint16 port, const QByteArray &bytes, int timeoutMs)
{
    RawResponse response;
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(timeoutMs))
        return response;
    socket.write(bytes);
    socket.flush();
    const QDeadlineTimer deadline(timeoutMs);
    QByteArray buffer;
    qsizetype headerEnd = -1;
    qint64 contentLength = -1;
    while (!deadline.hasExpired()) {
        if (socket.bytesAvailable() == 0 && !socket.waitForReadyRead(static_cast<int>(deadline.remainingTime()))) {
            if (socket.state() != QAbstractSocket::ConnectedState)
                response.closed = true;
            break;
        }
        buffer += socket.readAll();
        if (headerEnd < 0) {
            headerEnd = buffer.indexOf("\r\n\r\n");
            if (headerEnd < 0)
                continue;
            const QList<QByteArray> lines = buffer.left(headerEnd).split('\n');
            const QList<QByteArray> statusLine = lines.first().trimmed().split(' ');
            response.status = statusLine.size() > 1 ? statusLine.at(1).toInt() : 0;
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const qsizetype colon = lines.at(i).indexOf(':');
                if (colon > 0)
                    response.headers.append({lines.at(i).left(colon).trimmed(), lines.at(i).mid(colon + 1).trimmed()});
            }
            contentLength = response.header("Content-Length").toLongLong();
        }
        if (headerEnd >= 0 && buffer.size() - headerEnd - 4 >= contentLength) {
            response.body = buffer.mid(headerEnd + 4, contentLength);
            break;
        }
    }
    if (response.header("Connection").compare("close", Qt::CaseInsensitive) == 0) {
        // Wait (bounded) for the server to actually close.
        if (socket.state() == QAbstractSocket::ConnectedState)
            socket.waitForDisconnected(2000);
        response.closed = socket.state() != QAbstractSocket::ConnectedState;
    }
    return response;
}

RawResponse post(quint16 port, const QByteArray &path, const QByteArray &body,
                 const QList<QPair<QByteArray, QByteArray>> &headers, int timeoutMs)
{
    QByteArray request = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port) + "\r\n";
    for (const auto &[name, value] : headers)
        request += name + ": " + value + "\r\n";
    request += "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    return sendRaw(port, request, timeoutMs);
}

RawResponse get(quint16 port, const QByteArray &path, int timeoutMs)
{
    return sendRaw(port, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", timeoutMs);
}

QList<ConsumedRecord> consumeTopic(const QString &bootstrap, const QString &topic, int expected, int timeoutMs)
{
    QList<ConsumedRecord> records;
    char errstr[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap.toUtf8().constData(), errstr, sizeof errstr);
    rd_kafka_conf_set(conf, "group.id", "hookbench-test-reader", errstr, sizeof errstr);
    rd_kafka_conf_set(conf, "enable.auto.commit", "false", errstr, sizeof errstr);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr);
    if (!rk)
        return records;

    // Assign every partition from the beginning (no group rebalance needed).
    const QByteArray topicName = topic.toUtf8();
    const rd_kafka_metadata_t *metadata = nullptr;
    rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, topicName.constData(), nullptr);
    int partitions = 0;
    if (rd_kafka_metadata(rk, 0, rkt, &metadata, 5000) == RD_KAFKA_RESP_ERR_NO_ERROR && metadata->topic_cnt == 1)
        partitions = metadata->topics[0].partition_cnt;
    if (metadata)
        rd_kafka_metadata_destroy(metadata);
    rd_kafka_topic_destroy(rkt);

    rd_kafka_topic_partition_list_t *assignment = rd_kafka_topic_partition_list_new(partitions);
    for (int p = 0; p < partitions; ++p)
        rd_kafka_topic_partition_list_add(assignment, topicName.constData(), p)->offset = RD_KAFKA_OFFSET_BEGINNING;
    rd_kafka_assign(rk, assignment);
    rd_kafka_topic_partition_list_destroy(assignment);

    const QDeadlineTimer deadline(timeoutMs);
    while (records.size() < expected && !deadline.hasExpired()) {
        rd_kafka_message_t *message = rd_kafka_consumer_poll(rk, 100);
        if (!message)
            continue;
        if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
            ConsumedRecord record;
            record.topic = QString::fromUtf8(rd_kafka_topic_name(message->rkt));
            record.partition = message->partition;
            record.offset = message->offset;
            record.key = QByteArray(static_cast<const char *>(message->key), static_cast<qsizetype>(message->key_len));
            record.value =
                QByteArray(static_cast<const char *>(message->payload), static_cast<qsizetype>(message->len));
            rd_kafka_headers_t *headers = nullptr;
            if (rd_kafka_message_headers(message, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR) {
                const char *name = nullptr;
                const void *value = nullptr;
                size_t size = 0;
                for (size_t i = 0;
                     rd_kafka_header_get_all(headers, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR; ++i)
                    record.headers.append(
                        {QByteArray(name), QByteArray(static_cast<const char *>(value), static_cast<qsizetype>(size))});
            }
            records.append(record);
        }
        rd_kafka_message_destroy(message);
    }
    rd_kafka_consumer_close(rk);
    rd_kafka_destroy(rk);
    return records;
}

QByteArray stripeSignature(const QByteArray &secret, qint64 t, const QByteArray &body)
{
    const QByteArray signedPayload = QByteArray::number(t) + '.' + body;
    const QByteArray mac = QMessageAuthenticationCode::hash(signedPayload, secret, QCryptographicHash::Sha256).toHex();
    return "t=" + QByteArray::number(t) + ",v1=" + mac;
}
