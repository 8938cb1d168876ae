#pragma once

// ProcessingRecord: what a consumer hands to a handler for one Kafka record — the payload
// exactly as received plus the metadata the producer put in the record's key and headers.

#include <QByteArray>
#include <QString>

namespace hookbench::processing {

struct ProcessingRecord
{
    QString source;            // hookbench-source header
    QByteArray idempotencyKey; // idempotency-key header: the same for every attempt
    QByteArray entityKey;      // the Kafka message key
    QString eventType;         // event-type header (may be empty)
    QByteArray contentType;    // content-type header: the original request's Content-Type
    QByteArray body;           // the record value: the raw request body, byte for byte
    int attempt = 1;           // 1 for the first delivery, 2 for the first retry, ...
};

} // namespace hookbench::processing
