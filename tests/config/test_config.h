#pragma once

// TestConfig: ConfigLoader, from a full config to each kind of invalid input.

#include <QObject>

namespace hookbench::tests {

class TestConfig final : public QObject
{
    Q_OBJECT

private slots:
    void fullConfig_everyField();
    void defaults();
    void effectiveRetry();
    void listen_data();
    void listen();
    void kafkaPropertiesPassThrough();
    void invalid_data();
    void invalid();
    void validate_everyProblem();
    void generateSecret();
    void writer_roundTrip();
    void writer_file();
    void notJson();
    void exampleConfig();
    void readmeExample();
    void loadFile();
    void secretPropertyNames_data();
    void secretPropertyNames();
};

} // namespace hookbench::tests
