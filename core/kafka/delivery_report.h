#pragma once

#include <QByteArray>
#include <QString>

namespace hookbench::kafka {

// One delivery report from librdkafka: "acknowledged" means this said so.
struct DeliveryReport
{
    qint64 opaque = 0; // the caller's id for the message (the journal id)
    bool ok = false;
    QString error;     // librdkafka's error string when !ok
    QString errorCode; // rd_kafka_err2name, e.g. "_MSG_TIMED_OUT"
    QString topic;
    int partition = -1;
    qint64 offset = -1;
};

} // namespace hookbench::kafka
