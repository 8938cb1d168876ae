#include "core/processing/store_batcher.h"

#include <iterator>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include <QLoggingCategory>
#include <QTimer>

#include "core/store/database.h"
#include "core/store/journal_writer.h"
#include "core/store/processing_store.h"

Q_LOGGING_CATEGORY(lcStoreBatcher, "hookbench.processing.store")

namespace hookbench::processing {

StoreBatcher::StoreBatcher(store::Database &database, QObject *context, int retryMs, int maxWrites,
                           store::JournalWriter *writer)
    : m_db(database)
    , m_store(std::make_unique<store::ProcessingStore>(database))
    , m_writer(writer)
    , m_context(context)
    , m_maxWrites(qMax(1, maxWrites))
{
    m_flushTimer = new QTimer(context);
    m_flushTimer->setSingleShot(true);
    m_flushTimer->setInterval(0);
    QObject::connect(m_flushTimer, &QTimer::timeout, m_flushTimer, [this] { flush(); });

    m_retryTimer = new QTimer(context);
    m_retryTimer->setSingleShot(true);
    m_retryTimer->setInterval(retryMs);
    QObject::connect(m_retryTimer, &QTimer::timeout, m_retryTimer, [this] {
        if (m_flushing) {
            m_retryTimer->start(); // a continuation runs a nested event loop: not now
            return;
        }
        flushAll();
    });
}

StoreBatcher::~StoreBatcher()
{
    delete m_flushTimer;
    delete m_retryTimer;
}

void StoreBatcher::add(QString what, Write write, Then then)
{
    enqueue(Op{std::move(what), std::move(write), std::move(then), true});
}

void StoreBatcher::addBestEffort(QString what, Write write)
{
    enqueue(Op{std::move(what), std::move(write), {}, false});
}

void StoreBatcher::enqueue(Op op)
{
    m_queue.push_back(std::move(op));
    // Zero delay: everything else queued in this event-loop turn joins the same transaction.
    if (!m_flushTimer->isActive())
        m_flushTimer->start();
}

void StoreBatcher::flush()
{
    if (m_flushing)
        return; // called from a continuation: what it queued goes with the timer's next flush
    m_flushing = true;
    m_flushTimer->stop();
    std::deque<Op> pending = std::exchange(m_queue, {});
    if (m_writer) {
        handToWriter(std::move(pending));
        m_flushing = false;
        return;
    }
    while (!pending.empty()) {
        std::deque<Op> batch;
        while (!pending.empty() && qsizetype(batch.size()) < qsizetype(m_maxWrites)) {
            batch.push_back(std::move(pending.front()));
            pending.pop_front();
        }
        std::optional<std::deque<Op>> again = writeBatch(std::move(batch));
        if (!again) {
            // The database is failing as a whole: the rest waits for the retry as well.
            retryLater(std::move(pending));
            break;
        }
        // Writes rolled back with another one's transaction go again at once, without it.
        pending.insert(pending.begin(), std::make_move_iterator(again->begin()), std::make_move_iterator(again->end()));
    }
    m_flushing = false;
}

void StoreBatcher::flushAll()
{
    m_retryTimer->stop();
    std::deque<Op> ops = std::exchange(m_retrying, {});
    ops.insert(ops.end(), std::make_move_iterator(m_queue.begin()), std::make_move_iterator(m_queue.end()));
    m_queue = std::move(ops);
    if (m_flushing) {
        m_flushTimer->start(); // called from a continuation: right after this flush
        return;
    }
    flush();
}

std::optional<std::deque<StoreBatcher::Op>> StoreBatcher::writeBatch(std::deque<Op> batch)
{
    if (Result<void> r = m_db.beginImmediate(); !r) {
        ++m_failures;
        qCWarning(lcStoreBatcher).noquote()
            << "cannot begin a transaction for" << batch.size() << "writes, trying again:" << r.error().message;
        m_db.rollback();
        retryLater(std::move(batch));
        return std::nullopt;
    }

    enum class State { Written, Failed, Dropped };
    std::vector<State> states(batch.size(), State::Written);
    // A write after which SQLite had rolled the whole transaction back (SQLITE_FULL,
    // SQLITE_IOERR, RAISE(ROLLBACK)): nothing of the batch is written. Writing on would
    // autocommit each later write on its own.
    std::optional<size_t> culprit;
    for (size_t i = 0; i < batch.size(); ++i) {
        Op &op = batch[i];
        const Result<void> r = op.write(*m_store);
        if (!r) {
            ++m_failures;
            states[i] = op.required ? State::Failed : State::Dropped;
            if (op.required)
                qCWarning(lcStoreBatcher).noquote() << "cannot" << op.what << ", trying again:" << r.error().message;
            else
                qCWarning(lcStoreBatcher).noquote() << "cannot" << op.what << ":" << r.error().message;
        }
        if (!m_db.inTransaction()) {
            culprit = i;
            break;
        }
    }

    std::deque<Op> again; // lost with the transaction, not failed themselves: at once
    std::deque<Op> retry; // failed: after retryMs
    std::vector<Then> thens;
    if (culprit) {
        m_db.rollback();
        for (size_t i = 0; i < batch.size(); ++i) {
            if (i == *culprit) {
                if (states[i] != State::Dropped)
                    retry.push_back(std::move(batch[i]));
            } else if (states[i] != State::Dropped) {
                again.push_back(std::move(batch[i]));
            }
        }
        retryLater(std::move(retry));
        return again;
    }

    if (Result<void> r = m_db.commit(); !r) {
        ++m_failures;
        qCWarning(lcStoreBatcher).noquote()
            << "cannot commit" << batch.size() << "writes, trying again:" << r.error().message;
        for (size_t i = 0; i < batch.size(); ++i) {
            if (states[i] != State::Dropped)
                retry.push_back(std::move(batch[i]));
        }
        retryLater(std::move(retry));
        return std::deque<Op>{};
    }
    ++m_transactions;
    for (size_t i = 0; i < batch.size(); ++i) {
        Op &op = batch[i];
        if (states[i] == State::Failed) {
            retry.push_back(std::move(op));
        } else if (states[i] == State::Written) {
            ++m_writes;
            if (op.then)
                thens.push_back(std::move(op.then));
        }
    }
    retryLater(std::move(retry));
    // After the commit: a continuation may complete a record (its Kafka offset) only now.
    for (const Then &then : thens)
        then();
    return std::deque<Op>{};
}

void StoreBatcher::handToWriter(std::deque<Op> batch)
{
    if (batch.empty())
        return;
    // Queued back to back, so they land in one group commit (the writer drains what has queued
    // up); each reports on its own, in order, in one queued call per commit.
    ++m_transactions;
    for (Op &queued : batch) {
        auto op = std::make_shared<Op>(std::move(queued));
        ++m_inFlight;
        m_writer->write(
            [write = op->write](store::Database &db) {
                store::ProcessingStore processing(db);
                return write(processing);
            },
            m_context,
            [this, op](const Result<void> &result) {
                --m_inFlight;
                if (result) {
                    ++m_writes;
                    if (op->then)
                        op->then();
                    return;
                }
                ++m_failures;
                if (!op->required) {
                    qCWarning(lcStoreBatcher).noquote() << "cannot" << op->what << ":" << result.error().message;
                    return;
                }
                qCWarning(lcStoreBatcher).noquote()
                    << "cannot" << op->what << ", trying again:" << result.error().message;
                std::deque<Op> retry;
                retry.push_back(std::move(*op));
                retryLater(std::move(retry));
            });
    }
}

void StoreBatcher::retryLater(std::deque<Op> ops)
{
    if (ops.empty())
        return;
    m_retrying.insert(m_retrying.end(), std::make_move_iterator(ops.begin()), std::make_move_iterator(ops.end()));
    if (!m_retryTimer->isActive())
        m_retryTimer->start();
}

} // namespace hookbench::processing
