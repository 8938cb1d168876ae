#pragma once

// KafkaHealth: what the receiver's producer and the cluster report, for /healthz and the
// window. The receiver keeps answering in every state (the journal holds the events); a state
// other than Ok says why events may wait in the outbox.

#include <QString>

namespace hookbench::pipeline {

struct KafkaHealth
{
    enum class State {
        Ok,
        Unreachable,   // librdkafka reports all brokers down
        QueueFull,     // the producer's queue is full: Kafka is slower than the receiver
        ProducerFatal, // a fatal producer error; the producer is being recreated
    };

    State state = State::Ok;
    QString reason; // librdkafka's words; empty when Ok

    bool ok() const { return state == State::Ok; }
    friend bool operator==(const KafkaHealth &, const KafkaHealth &) = default;

    // "ok", "unreachable", "queue_full", "producer_fatal"
    static QString stateName(State state)
    {
        switch (state) {
        case State::Ok: return QStringLiteral("ok");
        case State::Unreachable: return QStringLiteral("unreachable");
        case State::QueueFull: return QStringLiteral("queue_full");
        case State::ProducerFatal: return QStringLiteral("producer_fatal");
        }
        return QStringLiteral("ok");
    }
};

} // namespace hookbench::pipeline
