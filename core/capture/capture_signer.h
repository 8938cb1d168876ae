#pragma once

// CaptureSigner: signs a capture again for the source it belongs to, with the source's first
// secret, as the provider would (Verifier::bindBody, then signRequest; the signature headers
// replace the captured ones). "Copy as curl (signed again)" and `hookbench export --resign` use
// it so a captured request verifies against this machine's config.

#include "core/capture/capture.h"
#include "core/config/config.h"
#include "core/util/clock.h"
#include "core/util/result.h"

namespace hookbench::capture {

class CaptureSigner
{
public:
    // The source is capture.source, else the /webhooks/<name> of its path. "invalid_argument"
    // when it is not in the config; a provider that signs nothing ("none") leaves it as it is.
    static Result<void> resign(Capture &capture, const config::Config &config,
                               const Clock &clock = SystemClock::instance());
};

} // namespace hookbench::capture
