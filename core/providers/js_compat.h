#pragma once

// JsCompat: the two places where the providers' official Node SDKs do something other than
// "bytes in, bytes out", reproduced so that Hookbench gives the SDK's verdict:
// - they read timestamps with parseInt() ("0170..." and "1700000000abc" are 1700000000);
// - they decode the body as UTF-8 text before hashing it, so an ill-formed byte sequence is
//   replaced by U+FFFD first (WHATWG TextDecoder / Buffer.toString rules).

#include <optional>

#include <QByteArray>
#include <QByteArrayView>

namespace hookbench::providers {

class JsCompat
{
public:
    // parseInt(text, 10): optional leading whitespace and sign, then the longest run of decimal
    // digits; anything after it is ignored. nullopt where JavaScript gives NaN (no digit) and for
    // values that do not fit in 15 digits (JavaScript would lose precision there anyway).
    static std::optional<qint64> parseInt(QByteArrayView text);

    // The bytes of new TextDecoder('utf-8').decode(bytes) re-encoded as UTF-8: well-formed UTF-8
    // is returned unchanged, each maximal ill-formed subpart becomes EF BF BD (U+FFFD), exactly
    // like Node. stripBom additionally drops a leading BOM, as TextDecoder does by default
    // (Buffer.toString keeps it).
    static QByteArray utf8RoundTrip(QByteArrayView bytes, bool stripBom);
};

} // namespace hookbench::providers
