#include "core/kafka/murmur2.h"

namespace hookbench::kafka {

// A line-by-line port of org.apache.kafka.common.utils.Utils.murmur2. Java does the arithmetic
// on signed ints with wrap-around; unsigned 32-bit arithmetic gives the same bits without
// undefined behaviour, and ">>>" becomes a plain shift of the unsigned value.
qint32 murmur2(QByteArrayView key)
{
    constexpr quint32 seed = 0x9747b28c;
    constexpr quint32 m = 0x5bd1e995;
    constexpr int r = 24;

    const auto *data = reinterpret_cast<const unsigned char *>(key.data());
    // Java's length is an int; keys are far below 2 GiB, so truncating is what Java sees too.
    const auto length = static_cast<quint32>(key.size());

    quint32 h = seed ^ length;
    const quint32 length4 = length / 4;

    for (quint32 i = 0; i < length4; ++i) {
        const quint32 i4 = i * 4;
        quint32 k = quint32(data[i4 + 0]) | (quint32(data[i4 + 1]) << 8) | (quint32(data[i4 + 2]) << 16)
                    | (quint32(data[i4 + 3]) << 24);
        k *= m;
        k ^= k >> r;
        k *= m;
        h *= m;
        h ^= k;
    }

    const quint32 tail = length & ~3u;
    switch (length % 4) {
    case 3: h ^= quint32(data[tail + 2]) << 16; [[fallthrough]];
    case 2: h ^= quint32(data[tail + 1]) << 8; [[fallthrough]];
    case 1:
        h ^= quint32(data[tail]);
        h *= m;
        break;
    default: break;
    }

    h ^= h >> 13;
    h *= m;
    h ^= h >> 15;

    return static_cast<qint32>(h);
}

int murmur2Partition(QByteArrayView key, int partitionCount)
{
    if (partitionCount < 1)
        return -1;
    // Utils.toPositive: clear the sign bit (not abs(), which differs for INT_MIN).
    const quint32 positive = static_cast<quint32>(murmur2(key)) & 0x7fffffffu;
    return static_cast<int>(positive % static_cast<quint32>(partitionCount));
}

} // namespace hookbench::kafka
