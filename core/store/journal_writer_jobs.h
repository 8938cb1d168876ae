#pragma once

// The jobs JournalWriter's thread runs and the batch of callbacks it posts back; internal to
// journal_writer.cpp (split out to keep that file readable).

#include <algorithm>
#include <functional>
#include <optional>
#include <variant>
#include <vector>

#include <QMetaObject>
#include <QPointer>
#include <QSemaphore>

#include "core/store/journal_entry.h"
#include "core/store/journal_retention.h"
#include "core/store/journal_writer.h"

namespace hookbench::store::detail {

struct IngestJob
{
    JournalEntry entry;
    bool claim = false;
    qint64 ttlMs = 0;
    QPointer<QObject> context;
    std::function<void(const IngestOutcome &)> done;
};

struct VerdictJob
{
    qint64 id;
    Verdict verdict;
    int httpStatus;
};

struct DeliveredJob
{
    qint64 id;
    int partition;
    qint64 offset;
    qint64 producedAtMs;
    std::optional<Verdict> verdict;
    int httpStatus;
};

struct PendingJob
{
    qint64 afterId;
    int limit;
    qint64 maxBytes;
    QPointer<QObject> context;
    std::function<void(const QList<JournalEntry> &)> done;
};

struct PurgeJob
{
    qint64 nowMs;
    bool continuation = false; // queued by the writer itself after a full chunk
};

struct RetentionJob
{
    qint64 cutoffMs;             // entries received before this may go
    bool continuation = false;   // queued by the writer itself after a full step
    RetentionCounts totals = {}; // of the earlier steps of this run, for its log line
    RetentionCounts step = {};   // what this step deleted (set on the writer thread)
};

struct SyncJob
{
    QSemaphore *done;
};

struct CustomJob
{
    JournalWriter::Write write;
    QPointer<QObject> context;
    std::function<void(const Result<void> &)> done;
};

using Job = std::variant<IngestJob, VerdictJob, DeliveredJob, PendingJob, PurgeJob, RetentionJob, SyncJob, CustomJob>;

inline bool isWrite(const Job &job)
{
    return !std::holds_alternative<PendingJob>(job) && !std::holds_alternative<SyncJob>(job);
}

// One outcome to hand back to a caller: an ingest outcome, or any other queued call.
struct Callback
{
    std::function<void(const IngestOutcome &)> done;
    IngestOutcome outcome;
    std::function<void()> other;
};

// The callbacks of one batch, grouped by context object in first-seen order (a batch rarely
// has more than a couple of contexts). Each group becomes one queued call: posting an event per
// job cost a wake-up and an allocation each and showed up in profiles of the ingest thread.
class CallbackBatch
{
public:
    void add(QObject *context, Callback callback)
    {
        auto it =
            std::find_if(m_groups.begin(), m_groups.end(), [context](const Group &g) { return g.context == context; });
        if (it == m_groups.end()) {
            m_groups.push_back(Group{context, {}});
            it = std::prev(m_groups.end());
        }
        it->callbacks.push_back(std::move(callback));
    }

    void post()
    {
        for (Group &group : m_groups) {
            QPointer<QObject> guard(group.context);
            QMetaObject::invokeMethod(
                group.context,
                [guard, callbacks = std::move(group.callbacks)] {
                    for (const Callback &c : callbacks) {
                        // A callback may delete its own context; the rest would have been
                        // dropped by Qt as separate queued calls, so drop them here too.
                        if (!guard)
                            return;
                        if (c.done)
                            c.done(c.outcome);
                        else if (c.other)
                            c.other();
                    }
                },
                Qt::QueuedConnection);
        }
        m_groups.clear();
    }

private:
    struct Group
    {
        QObject *context;
        std::vector<Callback> callbacks;
    };
    std::vector<Group> m_groups;
};

} // namespace hookbench::store::detail
