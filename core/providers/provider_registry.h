#pragma once

// ProviderRegistry: provider name (as in the config's "provider") -> its Verifier. Verifiers are
// stateless singletons that live for the whole program; adding a provider is one line here.

#include <QString>
#include <QStringList>

#include "core/providers/verifier.h"

namespace hookbench::providers {

class ProviderRegistry
{
public:
    // The verifier for a provider name (exact, lowercase), or nullptr when there is none.
    static const Verifier *find(const QString &provider);
    // Every provider name, in registration order.
    static QStringList names();
};

} // namespace hookbench::providers
