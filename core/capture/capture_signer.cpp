#include "core/capture/capture_signer.h"

#include "core/providers/provider_registry.h"

using namespace Qt::StringLiterals;

namespace hookbench::capture {

Result<void> CaptureSigner::resign(Capture &capture, const config::Config &config, const Clock &clock)
{
    const QString name = capture.source.isEmpty() ? capture.sourceFromTarget() : capture.source;
    const config::SourceConfig *source = config.source(name);
    if (!source)
        return Error{u"invalid_argument"_s, u"cannot sign %1 again: there is no source \"%2\" in the config"_s.arg(
                                                QString::fromUtf8(capture.target()), name)};
    const providers::Verifier *verifier = providers::ProviderRegistry::find(source->provider);
    if (!verifier)
        return Error{u"unknown_provider"_s, u"source %1: provider %2 is unknown"_s.arg(source->name, source->provider)};
    if (source->provider == u"none"_s)
        return {};
    http::HttpRequest request = capture.toRequest();
    verifier->bindBody(request);
    auto signature =
        verifier->signRequest(providers::SignInput{request, *source, source->secrets.value(0), clock.nowSecs()});
    if (!signature)
        return signature.error();
    for (const auto &[header, value] : *signature)
        providers::Verifier::replaceHeader(request.headers, header, value);
    capture.headers = request.headers;
    if (request.target != capture.target())
        capture.url = request.target; // bindBody changed the query (Twilio's bodySHA256)
    return {};
}

} // namespace hookbench::capture
