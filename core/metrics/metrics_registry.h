#pragma once

// MetricsRegistry: counters and histograms with labels, rendered as Prometheus text for
// GET /metrics. Thread-safe; the pipeline updates it, the GUI and /metrics read it.

#include <map>
#include <mutex>
#include <vector>

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

namespace hookbench::metrics {

using Labels = QList<QPair<QString, QString>>;

class MetricsRegistry final
{
public:
    MetricsRegistry();

    // Declares a metric's help text and type so it is listed even before its first sample.
    void describeCounter(const QString &name, const QString &help);
    void describeGauge(const QString &name, const QString &help);
    void describeHistogram(const QString &name, const QString &help, std::vector<double> bucketBounds);

    void increment(const QString &name, const Labels &labels = {}, double by = 1.0);
    void setGauge(const QString &name, const Labels &labels, double value);
    // A counter whose running total is kept elsewhere (a component's own statistics), copied in
    // before rendering. Counters only grow, so the value is taken only when it is not smaller.
    void setCounter(const QString &name, double total, const Labels &labels = {});
    void observe(const QString &name, double value, const Labels &labels = {});

    double counterValue(const QString &name, const Labels &labels = {}) const;
    // Sum of a counter over every label set whose label `label` equals `value`.
    double counterSum(const QString &name, const QString &label, const QString &value) const;
    // Sum of a counter (or gauge) over all its label sets; 0 when it has none yet.
    double counterTotal(const QString &name) const;
    double rejectedTotal(const QString &source) const
    {
        return counterSum(QStringLiteral("webhook_rejected_total"), QStringLiteral("source"), source);
    }
    quint64 histogramCount(const QString &name, const Labels &labels = {}) const;

    QByteArray renderPrometheus() const;

private:
    enum class Type { Counter, Gauge, Histogram };
    struct Histogram
    {
        std::vector<quint64> bucketCounts; // one per bound, cumulative when rendered
        quint64 count = 0;
        double sum = 0;
    };
    struct Family
    {
        Type type = Type::Counter;
        QString help;
        std::vector<double> bounds;
        std::map<QString, double> values;        // rendered label set → value
        std::map<QString, Histogram> histograms; // rendered label set → histogram
    };

    static QString renderLabels(const Labels &labels);
    Family &family(const QString &name, Type type);

    mutable std::mutex m_mutex;
    std::map<QString, Family> m_families;
};

} // namespace hookbench::metrics
