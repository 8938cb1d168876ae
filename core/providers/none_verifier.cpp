#include "core/providers/none_verifier.h"

using namespace Qt::StringLiterals;

namespace hookbench::providers {

QString NoneVerifier::name() const
{
    return u"none"_s;
}

VerifyResult NoneVerifier::verify(const VerifyInput &) const
{
    VerifyResult result;
    result.ok = true;
    result.detail = u"Provider \"none\": the request is accepted without verification."_s;
    return result;
}

} // namespace hookbench::providers
