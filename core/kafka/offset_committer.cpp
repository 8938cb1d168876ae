#include "core/kafka/offset_committer.h"

#include <algorithm>
#include <utility>

#include <QLoggingCategory>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace hookbench::kafka {

namespace {

// The member's category: commit lines are part of the consumer's story and filtered with it.
Q_LOGGING_CATEGORY(lcConsumer, "hookbench.kafka.consumer")

// Completions arriving within this window share one asynchronous OffsetCommit request.
constexpr int kCommitCoalesceMs = 100;
// While the coordinator rejects commits (a rebalance is under way), retry this often.
constexpr int kCommitRetryMs = 250;

// Commit errors that mean "not now": the group is rebalancing or this member's generation is
// over. Expected during every rebalance; the commit is retried.
bool isRebalanceError(rd_kafka_resp_err_t err)
{
    return err == RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS || err == RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION
           || err == RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID || err == RD_KAFKA_RESP_ERR__ASSIGNMENT_LOST;
}

TopicPartition toTopicPartition(const rd_kafka_topic_partition_t &element)
{
    return TopicPartition{QString::fromUtf8(element.topic), int(element.partition)};
}

} // namespace

OffsetCommitter::OffsetCommitter(rd_kafka_t *rk, const QString &memberId, QObject *context, Hooks hooks)
    : m_rk(rk)
    , m_memberId(memberId)
    , m_hooks(std::move(hooks))
{
    m_commitTimer = new QTimer(context);
    m_commitTimer->setSingleShot(true);
    m_commitTimer->setInterval(kCommitCoalesceMs);
    QObject::connect(m_commitTimer, &QTimer::timeout, m_commitTimer, [this] { commit(false); });
    m_retryTimer = new QTimer(context);
    m_retryTimer->setSingleShot(true);
    m_retryTimer->setInterval(kCommitRetryMs);
    QObject::connect(m_retryTimer, &QTimer::timeout, m_retryTimer, [this] { retry(); });
}

OffsetCommitter::~OffsetCommitter()
{
    // The timers' slots use this object; their parent would delete them only later.
    delete m_commitTimer;
    delete m_retryTimer;
}

void OffsetCommitter::track(const TopicPartition &tp)
{
    m_partitions.insert(tp, Offsets{});
}

void OffsetCommitter::forget(const TopicPartition &tp)
{
    m_partitions.remove(tp);
}

void OffsetCommitter::completed(const TopicPartition &tp, qint64 offset)
{
    const auto it = m_partitions.find(tp);
    if (it == m_partitions.end())
        return;
    it->toCommit = offset + 1;
    if (!m_commitTimer->isActive())
        m_commitTimer->start();
}

void OffsetCommitter::commit(bool sync, const QList<TopicPartition> *only)
{
    rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(int(m_partitions.size()));
    for (auto it = m_partitions.begin(); it != m_partitions.end(); ++it) {
        if (only && !only->contains(it.key()))
            continue;
        if (it->toCommit > it->committed)
            rd_kafka_topic_partition_list_add(list, it.key().topic.toUtf8().constData(), it.key().partition)->offset =
                it->toCommit;
        it->toCommit = -1;
    }
    if (list->cnt > 0) {
        // Async results (and, in librdkafka, sync ones too) arrive in commitResult().
        const rd_kafka_resp_err_t err = rd_kafka_commit(m_rk, list, sync ? 0 : 1);
        if (err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR__NO_OFFSET) {
            if (isRebalanceError(err))
                qCDebug(lcConsumer, "%s: commit failed: %s (retried)", qPrintable(m_memberId), rd_kafka_err2str(err));
            else if (m_hooks.error)
                m_hooks.error(u"commit failed: "_s % QString::fromUtf8(rd_kafka_err2str(err)));
            for (int i = 0; i < list->cnt; ++i) {
                auto it = m_partitions.find(toTopicPartition(list->elems[i]));
                if (it != m_partitions.end())
                    it->toCommit = std::max(it->toCommit, qint64(list->elems[i].offset));
            }
        }
    }
    rd_kafka_topic_partition_list_destroy(list);
}

void OffsetCommitter::commitResult(rd_kafka_resp_err_t err, const rd_kafka_topic_partition_list_t *offsets)
{
    if (err == RD_KAFKA_RESP_ERR__NO_OFFSET)
        return; // nothing was there to commit
    for (int i = 0; offsets && i < offsets->cnt; ++i) {
        const rd_kafka_topic_partition_t &element = offsets->elems[i];
        const TopicPartition tp = toTopicPartition(element);
        const rd_kafka_resp_err_t partitionErr = err != RD_KAFKA_RESP_ERR_NO_ERROR ? err : element.err;
        auto it = m_partitions.find(tp);
        if (partitionErr == RD_KAFKA_RESP_ERR_NO_ERROR) {
            if (m_rejected) {
                m_rejected = false;
                if (m_hooks.resumed)
                    m_hooks.resumed(); // hand out records again
            }
            if (it != m_partitions.end())
                it->committed = std::max(it->committed, qint64(element.offset));
            if (m_hooks.committed)
                m_hooks.committed(tp, element.offset);
            continue;
        }
        const QString message = u"commit of "_s % tp.topic % u'[' % QString::number(tp.partition) % u"] at "_s
                                % QString::number(element.offset) % u" failed: "_s
                                % QString::fromUtf8(rd_kafka_err2str(partitionErr));
        if (isRebalanceError(partitionErr)) {
            qCDebug(lcConsumer).noquote() << m_memberId << message << "(retried)";
            m_rejected = true;
            if (!m_retryTimer->isActive())
                m_retryTimer->start();
        } else if (m_hooks.error) {
            m_hooks.error(message);
        }
        // Still ours: commit again on the next housekeeping pass, unless a later offset made it.
        if (it != m_partitions.end() && element.offset > it->committed)
            it->toCommit = std::max(it->toCommit, qint64(element.offset));
    }
}

void OffsetCommitter::rebalanced()
{
    m_rejected = false;
}

bool OffsetCommitter::holdsBack() const
{
    return m_rejected;
}

void OffsetCommitter::retry()
{
    const bool pending = std::any_of(m_partitions.cbegin(), m_partitions.cend(),
                                     [](const Offsets &offsets) { return offsets.toCommit > offsets.committed; });
    if (!pending) {
        // What was rejected belongs to partitions we no longer have.
        m_rejected = false;
        if (m_hooks.resumed)
            m_hooks.resumed();
        return;
    }
    commit(false); // a rejection starts the retry timer again
}

} // namespace hookbench::kafka
