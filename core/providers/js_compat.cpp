#include "core/providers/js_compat.h"

namespace hookbench::providers {

std::optional<qint64> JsCompat::parseInt(QByteArrayView text)
{
    qsizetype i = 0;
    // ECMAScript StrWhiteSpaceChar, ASCII part (header values carry no other whitespace).
    while (i < text.size()
           && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r' || text[i] == '\v'
               || text[i] == '\f'))
        ++i;
    bool negative = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
        negative = text[i] == '-';
        ++i;
    }
    const qsizetype firstDigit = i;
    qint64 value = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
        // Leading zeros do not count towards the limit ("0170..." is fine).
        if (value >= 100'000'000'000'000)
            return std::nullopt;
        value = value * 10 + (text[i] - '0');
        ++i;
    }
    if (i == firstDigit)
        return std::nullopt;
    return negative ? -value : value;
}

QByteArray JsCompat::utf8RoundTrip(QByteArrayView bytes, bool stripBom)
{
    static const QByteArray replacement("\xEF\xBF\xBD");
    if (stripBom && bytes.startsWith("\xEF\xBB\xBF"))
        bytes = bytes.sliced(3);

    // The WHATWG Encoding Standard's UTF-8 decoder, emitting bytes instead of code points.
    QByteArray out;
    out.reserve(bytes.size());
    int needed = 0;
    int seen = 0;
    unsigned char lower = 0x80;
    unsigned char upper = 0xBF;
    qsizetype start = 0;
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        const auto b = static_cast<unsigned char>(bytes[i]);
        if (needed == 0) {
            start = i;
            if (b <= 0x7F) {
                out.append(static_cast<char>(b));
            } else if (b >= 0xC2 && b <= 0xDF) {
                needed = 1;
            } else if (b >= 0xE0 && b <= 0xEF) {
                if (b == 0xE0)
                    lower = 0xA0;
                if (b == 0xED)
                    upper = 0x9F;
                needed = 2;
            } else if (b >= 0xF0 && b <= 0xF4) {
                if (b == 0xF0)
                    lower = 0x90;
                if (b == 0xF4)
                    upper = 0x8F;
                needed = 3;
            } else {
                out.append(replacement);
            }
            continue;
        }
        if (b < lower || b > upper) {
            // The sequence so far is one ill-formed subpart; this byte starts anew.
            needed = seen = 0;
            lower = 0x80;
            upper = 0xBF;
            out.append(replacement);
            --i;
            continue;
        }
        lower = 0x80;
        upper = 0xBF;
        if (++seen == needed) {
            out.append(bytes.sliced(start, i - start + 1));
            needed = seen = 0;
        }
    }
    if (needed != 0)
        out.append(replacement);
    return out;
}

} // namespace hookbench::providers
