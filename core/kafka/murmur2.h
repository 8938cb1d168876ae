#pragma once

// Kafka's murmur2 partitioning, bit for bit as the Java client (and librdkafka's murmur2
// partitioners) compute it, so Hookbench can show why a key landed on a partition.

#include <QByteArrayView>
#include <QtGlobal>

namespace hookbench::kafka {

// Java's Utils.murmur2 (seed 0x9747b28c) as a signed 32-bit value.
qint32 murmur2(QByteArrayView key);
// toPositive(murmur2(key)) % partitionCount: the partition that librdkafka's murmur2
// partitioners and Java's default partitioner pick for a keyed message (the Producer sends an
// empty key as "no key", which murmur2_random places at random). -1 if partitionCount < 1.
int murmur2Partition(QByteArrayView key, int partitionCount);

} // namespace hookbench::kafka
