#pragma once

// NoneVerifier: provider "none" — accepts every request unverified (local experiments, senders
// without signatures). Keys come only from the source's configured pointers.

#include "core/providers/verifier.h"

namespace hookbench::providers {

class NoneVerifier final : public Verifier
{
public:
    QString name() const override;
    VerifyResult verify(const VerifyInput &input) const override;
};

} // namespace hookbench::providers
