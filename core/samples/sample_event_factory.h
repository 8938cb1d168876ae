#pragma once

// SampleEventFactory: builds a test event for a configured source — a provider-shaped request
// made from the template resources/templates/<provider>.json (taken from the provider fixtures),
// with fresh ids and timestamps on every call, signed with the source's first secret by the
// provider's Verifier::signRequest so that the receiver accepts it like a real delivery.

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QStringList>

#include "core/config/config.h"
#include "core/http/http_request.h"
#include "core/util/clock.h"
#include "core/util/result.h"

namespace hookbench::samples {

struct SampleEvent
{
    http::HttpRequest request; // POST /webhooks/<source>, headers in order, body
    QString eventType;         // as the template names it
    QString fixture;           // the fixture the template was made from (empty for generic ones)
};

class SampleEventFactory
{
public:
    // Templates are read from templateDir (default: the ones built into the program).
    explicit SampleEventFactory(const Clock &clock = SystemClock::instance(),
                                QString templateDir = QStringLiteral(":/hookbench/templates"));

    // The unsigned request with fresh ids ("template_missing", "template_invalid" on errors).
    Result<SampleEvent> build(const config::SourceConfig &source) const;
    // build() plus the provider's signature headers. A provider that signs nothing ("none") is
    // sent unsigned; any other signing failure is an error naming the source and why.
    Result<SampleEvent> buildSigned(const config::SourceConfig &source) const;
    // Providers with a template.
    QStringList providers() const;

    // Replaces the placeholders ({{uuid}}, {{hexN}}, {{now}}, {{now_iso}}, "{{now:int}}") with
    // values fresh for this call; the same placeholder gets the same value within one call.
    static QByteArray fill(const QByteArray &text, qint64 nowMs);

private:
    static QByteArray fill(const QByteArray &text, qint64 nowMs, QHash<QByteArray, QByteArray> &values);

    const Clock &m_clock;
    QString m_templateDir;
};

} // namespace hookbench::samples
