#include "core/replay/replay_lineage.h"

#include <QMutexLocker>
#include <QRandomGenerator>

namespace hookbench::replay {

QByteArray ReplayLineage::registerReplay(qint64 originalJournalId)
{
    // 128 random bits: a nonce cannot be guessed by a sender on the network.
    QByteArray raw(16, Qt::Uninitialized);
    QRandomGenerator::system()->generate(reinterpret_cast<quint32 *>(raw.data()),
                                         reinterpret_cast<quint32 *>(raw.data() + raw.size()));
    const QByteArray nonce = raw.toHex();
    const QMutexLocker lock(&m_mutex);
    m_pending.insert(nonce, originalJournalId);
    return nonce;
}

qint64 ReplayLineage::take(const QByteArray &nonce)
{
    if (nonce.isEmpty())
        return 0;
    const QMutexLocker lock(&m_mutex);
    return m_pending.take(nonce);
}

void ReplayLineage::forget(const QByteArray &nonce)
{
    const QMutexLocker lock(&m_mutex);
    m_pending.remove(nonce);
}

} // namespace hookbench::replay
