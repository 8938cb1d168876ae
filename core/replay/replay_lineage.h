#pragma once

// ReplayLineage: how a replay sent through the receiver is recognised as one. The ReplayService
// registers a one-time nonce for the original journal id and sends it in the
// Hookbench-Replay-Nonce header; the ingest worker takes the nonce (once) and journals the new
// entry with derivedFrom = the original. A nonce nobody registered means nothing: a sender on
// the network cannot forge lineage. Thread-safe.

#include <QByteArray>
#include <QHash>
#include <QMutex>

namespace hookbench::replay {

class ReplayLineage
{
public:
    static constexpr char headerName[] = "Hookbench-Replay-Nonce";

    // A fresh random nonce (hex) tied to originalJournalId.
    QByteArray registerReplay(qint64 originalJournalId);
    // The original journal id for the nonce, once; 0 for an unknown or used nonce.
    qint64 take(const QByteArray &nonce);
    // Forgets a nonce that was never sent (the replay failed before the request went out).
    void forget(const QByteArray &nonce);

private:
    QMutex m_mutex;
    QHash<QByteArray, qint64> m_pending;
};

} // namespace hookbench::replay
