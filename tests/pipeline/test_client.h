#pragma once

// Test helpers for the pipeline tests: a raw HTTP/1.1 client on QTcpSocket (so the tests control
// every byte the receiver sees) and a plain librdkafka consumer that reads a topic back,
// independent of Hookbench's own Kafka code.

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>

struct RawResponse
{
    int status = 0;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    bool closed = false; // the server closed the connection after the answer

    QByteArray header(QByteArrayView name) const;
};

// Sends raw bytes on a fresh connection and reads one answer (deadline-bounded).
RawResponse sendRaw(quint16 port, const QByteArray &bytes, int timeoutMs = 10000);
// POST with the given headers (Content-Length added).
RawResponse post(quint16 port, const QByteArray &path, const QByteArray &body,
                 const QList<QPair<QByteArray, QByteArray>> &headers, int timeoutMs = 10000);
RawResponse get(quint16 port, const QByteArray &path, int timeoutMs = 10000);

struct ConsumedRecord
{
    QString topic;
    int partition = -1;
    qint64 offset = -1;
    QByteArray key;
    QByteArray value;
    QList<QPair<QByteArray, QByteArray>> headers;
};

// Reads every record of `topic` from the beginning with a separate librdkafka consumer until
// `expected` records arrived or the deadline passed.
QList<ConsumedRecord> consumeTopic(const QString &bootstrap, const QString &topic, int expected, int timeoutMs = 15000);

// A Stripe-Signature header value for body at time t with secret.
QByteArray stripeSignature(const QByteArray &secret, qint64 t, const QByteArray &body);
