#include "core/metrics/metrics_registry.h"

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace hookbench::metrics {

namespace {

QString escapeLabelValue(const QString &value)
{
    QString out;
    out.reserve(value.size());
    for (const QChar c : value) {
        if (c == u'\\')
            out += u"\\\\"_s;
        else if (c == u'"')
            out += u"\\\""_s;
        else if (c == u'\n')
            out += u"\\n"_s;
        else
            out += c;
    }
    return out;
}

QString formatNumber(double value)
{
    if (std::isinf(value))
        return value > 0 ? u"+Inf"_s : u"-Inf"_s;
    if (value == std::floor(value) && std::fabs(value) < 1e15)
        return QString::number(static_cast<qint64>(value));
    return QString::number(value, 'g', 10);
}

// Inserts an extra label (le="…") into an already rendered label set.
QString withLabel(const QString &rendered, const QString &name, const QString &value)
{
    const QString extra = name % u"=\""_s % value % u'"';
    if (rendered.isEmpty())
        return u'{' % extra % u'}';
    return rendered.left(rendered.size() - 1) % u',' % extra % u'}';
}

} // namespace

MetricsRegistry::MetricsRegistry() = default;

QString MetricsRegistry::renderLabels(const Labels &labels)
{
    if (labels.isEmpty())
        return {};
    QString out = u"{"_s;
    for (qsizetype i = 0; i < labels.size(); ++i) {
        if (i > 0)
            out += u',';
        out += labels.at(i).first % u"=\""_s % escapeLabelValue(labels.at(i).second) % u'"';
    }
    out += u'}';
    return out;
}

MetricsRegistry::Family &MetricsRegistry::family(const QString &name, Type type)
{
    auto [it, inserted] = m_families.try_emplace(name);
    if (inserted)
        it->second.type = type;
    return it->second;
}

void MetricsRegistry::describeCounter(const QString &name, const QString &help)
{
    std::lock_guard lock(m_mutex);
    family(name, Type::Counter).help = help;
}

void MetricsRegistry::describeGauge(const QString &name, const QString &help)
{
    std::lock_guard lock(m_mutex);
    family(name, Type::Gauge).help = help;
}

void MetricsRegistry::describeHistogram(const QString &name, const QString &help, std::vector<double> bucketBounds)
{
    std::lock_guard lock(m_mutex);
    Family &f = family(name, Type::Histogram);
    f.help = help;
    std::sort(bucketBounds.begin(), bucketBounds.end());
    f.bounds = std::move(bucketBounds);
}

void MetricsRegistry::increment(const QString &name, const Labels &labels, double by)
{
    const QString key = renderLabels(labels);
    std::lock_guard lock(m_mutex);
    family(name, Type::Counter).values[key] += by;
}

void MetricsRegistry::setGauge(const QString &name, const Labels &labels, double value)
{
    const QString key = renderLabels(labels);
    std::lock_guard lock(m_mutex);
    family(name, Type::Gauge).values[key] = value;
}

void MetricsRegistry::setCounter(const QString &name, double total, const Labels &labels)
{
    const QString key = renderLabels(labels);
    std::lock_guard lock(m_mutex);
    double &value = family(name, Type::Counter).values[key];
    value = std::max(value, total);
}

void MetricsRegistry::observe(const QString &name, double value, const Labels &labels)
{
    const QString key = renderLabels(labels);
    std::lock_guard lock(m_mutex);
    Family &f = family(name, Type::Histogram);
    Histogram &h = f.histograms[key];
    if (h.bucketCounts.size() != f.bounds.size())
        h.bucketCounts.assign(f.bounds.size(), 0);
    const auto bucket = std::lower_bound(f.bounds.begin(), f.bounds.end(), value);
    if (bucket != f.bounds.end())
        ++h.bucketCounts[static_cast<size_t>(bucket - f.bounds.begin())];
    ++h.count;
    h.sum += value;
}

double MetricsRegistry::counterValue(const QString &name, const Labels &labels) const
{
    const QString key = renderLabels(labels);
    std::lock_guard lock(m_mutex);
    const auto f = m_families.find(name);
    if (f == m_families.end())
        return 0;
    const auto v = f->second.values.find(key);
    return v == f->second.values.end() ? 0 : v->second;
}

double MetricsRegistry::counterSum(const QString &name, const QString &label, const QString &value) const
{
    const QString needle = label % u"=\""_s % escapeLabelValue(value) % u'"';
    std::lock_guard lock(m_mutex);
    const auto f = m_families.find(name);
    if (f == m_families.end())
        return 0;
    double sum = 0;
    for (const auto &[labels, v] : f->second.values) {
        // Label sets are rendered as {a="x",b="y"}: match a whole label=value pair.
        if (labels.contains(u'{' % needle) || labels.contains(u',' % needle))
            sum += v;
    }
    return sum;
}

double MetricsRegistry::counterTotal(const QString &name) const
{
    std::lock_guard lock(m_mutex);
    const auto f = m_families.find(name);
    if (f == m_families.end())
        return 0;
    double sum = 0;
    for (const auto &[labels, v] : f->second.values)
        sum += v;
    return sum;
}

quint64 MetricsRegistry::histogramCount(const QString &name, const Labels &labels) const
{
    const QString key = renderLabels(labels);
    std::lock_guard lock(m_mutex);
    const auto f = m_families.find(name);
    if (f == m_families.end())
        return 0;
    const auto h = f->second.histograms.find(key);
    return h == f->second.histograms.end() ? 0 : h->second.count;
}

QByteArray MetricsRegistry::renderPrometheus() const
{
    std::lock_guard lock(m_mutex);
    QString out;
    for (const auto &[name, f] : m_families) {
        if (!f.help.isEmpty())
            out += u"# HELP "_s % name % u' ' % f.help % u'\n';
        const QString type = f.type == Type::Counter ? u"counter"_s
                             : f.type == Type::Gauge ? u"gauge"_s
                                                     : u"histogram"_s;
        out += u"# TYPE "_s % name % u' ' % type % u'\n';
        if (f.type != Type::Histogram) {
            for (const auto &[labels, value] : f.values)
                out += name % labels % u' ' % formatNumber(value) % u'\n';
            continue;
        }
        for (const auto &[labels, h] : f.histograms) {
            quint64 cumulative = 0;
            for (size_t i = 0; i < f.bounds.size(); ++i) {
                cumulative += i < h.bucketCounts.size() ? h.bucketCounts[i] : 0;
                out += name % u"_bucket"_s % withLabel(labels, u"le"_s, formatNumber(f.bounds[i])) % u' '
                       % QString::number(cumulative) % u'\n';
            }
            out +=
                name % u"_bucket"_s % withLabel(labels, u"le"_s, u"+Inf"_s) % u' ' % QString::number(h.count) % u'\n';
            out += name % u"_sum"_s % labels % u' ' % formatNumber(h.sum) % u'\n';
            out += name % u"_count"_s % labels % u' ' % QString::number(h.count) % u'\n';
        }
    }
    return out.toUtf8();
}

} // namespace hookbench::metrics
