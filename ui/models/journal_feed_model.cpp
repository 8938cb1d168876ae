#include "ui/models/journal_feed_model.h"

#include <algorithm>

#include <QDateTime>
#include <QGuiApplication>
#include <QPalette>

#include "core/pipeline/ingest_pipeline.h"
#include "core/store/journal_writer.h"
#include "ui/format/state_style.h"
#include "ui/workers/worker_thread.h"

using namespace Qt::StringLiterals;

namespace hookbench::ui {

namespace {

QString keyText(const QByteArray &key)
{
    constexpr qsizetype maxShown = 120;
    QString text = QString::fromUtf8(key.left(maxShown));
    if (key.size() > maxShown)
        text += u'…';
    return text;
}

QString verdictText(const FeedRow &row)
{
    switch (row.verdict) {
    case store::Verdict::Accepted: return u"accepted"_s;
    case store::Verdict::Queued: return u"queued (202)"_s;
    case store::Verdict::Duplicate:
        return row.duplicateOf > 0 ? u"duplicate of #%1"_s.arg(row.duplicateOf) : u"duplicate"_s;
    case store::Verdict::Rejected:
        return u"rejected %1: %2"_s.arg(row.httpStatus).arg(row.reason.isEmpty() ? u"?"_s : row.reason);
    }
    return {};
}

QString placementText(const FeedRow &row)
{
    switch (row.kafkaState) {
    case store::KafkaState::Produced: return u"p%1 @ %2"_s.arg(row.partition).arg(row.offset);
    case store::KafkaState::Pending: return row.kafkaRefused ? u"not produced"_s : u"pending"_s;
    case store::KafkaState::None: return u"—"_s;
    }
    return {};
}

bool consumed(const FeedRow &row)
{
    return row.verdict != store::Verdict::Rejected && row.verdict != store::Verdict::Duplicate;
}

bool processingFinal(FeedProcessing state)
{
    return state == FeedProcessing::Done || state == FeedProcessing::Discarded || state == FeedProcessing::Replayed;
}

} // namespace

JournalFeedModel::JournalFeedModel(pipeline::IngestPipeline &pipeline, QObject *parent)
    : JournalFeedModel(pipeline, Options{}, parent)
{}

JournalFeedModel::JournalFeedModel(pipeline::IngestPipeline &pipeline, Options options, QObject *parent)
    : QAbstractTableModel(parent)
    , m_pipeline(pipeline)
    , m_options(options)
    , m_thread(std::make_unique<WorkerThread>(u"hookbench-feed"_s))
{
    qRegisterMetaType<hookbench::ui::FeedPage>();
    m_loader = new JournalLoader(pipeline.databasePath());
    m_thread->adopt(m_loader);
    connect(m_loader, &JournalLoader::loaded, this, &JournalFeedModel::apply, Qt::QueuedConnection);
    m_thread->start();

    m_tick.setSingleShot(true);
    m_tick.setInterval(m_options.tickMs);
    connect(&m_tick, &QTimer::timeout, this, &JournalFeedModel::tick);
    m_statusTimer.setInterval(m_options.statusRefreshMs);
    connect(&m_statusTimer, &QTimer::timeout, this, [this] {
        m_statusDirty = true;
        if (!m_tick.isActive())
            m_tick.start();
    });
    m_statusTimer.start();

    // Emitted on the writer thread once per committed transaction; only a flag is set here, the
    // timer turns any number of commits into one read.
    connect(&pipeline.journalWriter(), &store::JournalWriter::committed, this, &JournalFeedModel::markDirty,
            Qt::QueuedConnection);
    send(baseRequest(FeedRequest::Kind::Reset));
}

JournalFeedModel::~JournalFeedModel() = default;

int JournalFeedModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int JournalFeedModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant JournalFeedModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time: return tr("Time");
    case Source: return tr("Source");
    case EventType: return tr("Event type");
    case IdempotencyKey: return tr("Idempotency key");
    case EntityKey: return tr("Entity key");
    case Verdict: return tr("Verdict");
    case Placement: return tr("Partition @ offset");
    case Processing: return tr("Processing");
    }
    return {};
}

QVariant JournalFeedModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const FeedRow &row = m_rows.at(index.row());
    if (role == IdRole)
        return row.id;

    const int column = index.column();
    if (role == Qt::DisplayRole) {
        switch (column) {
        case Time: return QDateTime::fromMSecsSinceEpoch(row.receivedAtMs).toString(u"HH:mm:ss.zzz"_s);
        case Source: return row.source;
        case EventType: return row.eventType;
        case IdempotencyKey: return keyText(row.idempotencyKey);
        case EntityKey: return keyText(row.entityKey);
        case Verdict: return verdictText(row);
        case Placement: return placementText(row);
        case Processing: return consumed(row) ? StateStyle::processingText(row.processing, row.attempts) : u"—"_s;
        }
        return {};
    }
    if (role == Qt::ToolTipRole) {
        switch (column) {
        case Time:
            return u"#%1, %2"_s.arg(row.id).arg(
                QDateTime::fromMSecsSinceEpoch(row.receivedAtMs).toString(Qt::ISODateWithMs));
        case IdempotencyKey: return QString::fromUtf8(row.idempotencyKey);
        case EntityKey: return QString::fromUtf8(row.entityKey);
        case Verdict: return verdictText(row);
        case Processing:
            if (row.processing == FeedProcessing::Unknown)
                return tr("Processing state not read (the consumer side's tables are not available)");
            return row.lastError.isEmpty() ? QVariant() : QVariant(tr("Last error: %1").arg(row.lastError));
        }
        return {};
    }
    if (column != Verdict && column != Processing)
        return {};
    if (column == Processing && !consumed(row))
        return {};
    const StateStyle::Tone tone =
        column == Verdict ? StateStyle::verdictTone(row.verdict) : StateStyle::processingTone(row.processing);
    if (role == Qt::ForegroundRole)
        return StateStyle::colour(tone, QGuiApplication::palette());
    if (role == Qt::DecorationRole)
        return StateStyle::icon(tone, QGuiApplication::palette());
    return {};
}

void JournalFeedModel::setFilter(const store::JournalFilter &filter)
{
    m_filter = filter;
    ++m_generation; // answers to older requests are dropped
    m_inFlight.reset();
    send(baseRequest(FeedRequest::Kind::Reset));
}

void JournalFeedModel::setPaused(bool paused)
{
    m_paused = paused;
    if (!paused && (m_dirty || m_statusDirty))
        tick();
}

bool JournalFeedModel::fetchOlder()
{
    if (m_inFlight || !m_hasOlder || m_rows.isEmpty())
        return false;
    FeedRequest request = baseRequest(FeedRequest::Kind::Older);
    request.anchorId = m_rows.constFirst().id;
    send(request);
    return true;
}

bool JournalFeedModel::fetchNewer()
{
    if (m_inFlight || m_atNewest)
        return false;
    FeedRequest request = baseRequest(FeedRequest::Kind::Newer);
    request.anchorId = m_rows.isEmpty() ? 0 : m_rows.constLast().id;
    send(request);
    return true;
}

void JournalFeedModel::showEntry(qint64 id)
{
    if (rowOf(id) >= 0) {
        emit rowLoaded(id);
        return;
    }
    m_showId = id;
    ++m_generation;
    m_inFlight.reset();
    FeedRequest request = baseRequest(FeedRequest::Kind::Around);
    request.anchorId = id;
    send(request);
}

qint64 JournalFeedModel::idAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).id : 0;
}

int JournalFeedModel::rowOf(qint64 id) const
{
    // Rows are ordered by id: binary search.
    const auto it = std::lower_bound(m_rows.cbegin(), m_rows.cend(), id,
                                     [](const FeedRow &row, qint64 value) { return row.id < value; });
    return it != m_rows.cend() && it->id == id ? int(it - m_rows.cbegin()) : -1;
}

const FeedRow *JournalFeedModel::rowAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows.at(row) : nullptr;
}

void JournalFeedModel::markDirty()
{
    m_dirty = true;
    if (!m_tick.isActive())
        m_tick.start();
}

void JournalFeedModel::tick()
{
    if (m_paused || m_inFlight)
        return; // retried when the answer arrives or on resume
    if (!m_dirty && !m_statusDirty)
        return;
    const bool tail = m_dirty && m_atNewest;
    FeedRequest request = baseRequest(tail ? FeedRequest::Kind::Tail : FeedRequest::Kind::Refresh);
    request.anchorId = m_rows.isEmpty() ? 0 : m_rows.constLast().id;
    if (m_dirty) {
        for (const auto &row : std::as_const(m_rows)) {
            if (!row.settled()) {
                request.refreshFromId = row.id;
                request.refreshToId = m_rows.constLast().id;
                break;
            }
        }
    }
    for (const auto &row : std::as_const(m_rows)) {
        if (consumed(row) && !processingFinal(row.processing))
            request.statusIds.append(row.id);
    }
    m_dirty = false;
    m_statusDirty = false;
    send(request);
}

FeedRequest JournalFeedModel::baseRequest(FeedRequest::Kind kind) const
{
    FeedRequest request;
    request.generation = m_generation;
    request.kind = kind;
    request.filter = m_filter;
    request.limit = kind == FeedRequest::Kind::Tail ? m_options.windowSize : m_options.pageSize;
    return request;
}

void JournalFeedModel::send(FeedRequest request)
{
    m_inFlight = request.kind;
    QMetaObject::invokeMethod(
        m_loader, [loader = m_loader, request = std::move(request)] { loader->load(request); }, Qt::QueuedConnection);
}

void JournalFeedModel::apply(const FeedPage &page)
{
    if (page.generation != m_generation)
        return; // the filter changed since
    m_inFlight.reset();
    if (!page.error.isEmpty())
        emit loadFailed(page.error);

    using Kind = FeedRequest::Kind;
    switch (page.kind) {
    case Kind::Reset:
        replaceRows(page.rows);
        m_atNewest = true;
        m_hasOlder = page.rows.size() >= m_options.pageSize;
        break;
    case Kind::Around:
        replaceRows(page.rows);
        m_atNewest = !page.more;
        m_hasOlder = true;
        break;
    case Kind::Tail: applyTail(page); break;
    case Kind::Refresh: break;
    case Kind::Older:
        if (!page.rows.isEmpty()) {
            beginInsertRows({}, 0, int(page.rows.size()) - 1);
            m_rows = page.rows + m_rows;
            endInsertRows();
            const int excess = int(m_rows.size()) - m_options.windowSize;
            if (excess > 0) {
                trimBack(excess);
                m_atNewest = false;
            }
        }
        m_hasOlder = page.more;
        break;
    case Kind::Newer:
        appendRows(page.rows);
        if (const int excess = int(m_rows.size()) - m_options.windowSize; excess > 0) {
            trimFront(excess);
            m_hasOlder = true;
        }
        m_atNewest = !page.more;
        if (m_atNewest)
            m_dirty = true; // commits seen while away from the tail
        break;
    }
    applyRefresh(page);
    emit pageApplied(page.kind);
    if (m_showId > 0 && rowOf(m_showId) >= 0) {
        const qint64 id = m_showId;
        m_showId = 0;
        emit rowLoaded(id);
    }
    if ((m_dirty || m_statusDirty) && !m_tick.isActive())
        m_tick.start();
}

void JournalFeedModel::applyTail(const FeedPage &page)
{
    if (page.more && m_followTail) {
        // More new rows than the window holds: jump to the newest ones.
        replaceRows(page.newest);
        m_hasOlder = true;
        return;
    }
    if (m_followTail) {
        appendRows(page.rows);
        if (const int excess = int(m_rows.size()) - m_options.windowSize; excess > 0) {
            trimFront(excess);
            m_hasOlder = true;
        }
        return;
    }
    // The user reads older rows: never push them out; fill the window, page the rest later.
    const int room = m_options.windowSize - int(m_rows.size());
    appendRows(page.rows.mid(0, qMax(0, room)));
    if (page.more || page.rows.size() > room)
        m_atNewest = false;
}

void JournalFeedModel::applyRefresh(const FeedPage &page)
{
    int first = -1;
    int last = -1;
    auto touch = [&](int row) {
        first = first < 0 ? row : qMin(first, row);
        last = qMax(last, row);
    };
    for (const auto &fresh : page.refreshed) {
        const int row = rowOf(fresh.id);
        if (row < 0)
            continue;
        FeedRow &current = m_rows[row];
        const FeedProcessing processing = current.processing;
        const int attempts = current.attempts;
        const QString lastError = current.lastError;
        current = fresh;
        current.processing = processing;
        current.attempts = attempts;
        current.lastError = lastError;
        touch(row);
    }
    for (auto it = page.statuses.cbegin(); it != page.statuses.cend(); ++it) {
        const int row = rowOf(it.key());
        if (row < 0)
            continue;
        FeedRow &current = m_rows[row];
        if (current.processing == it->state && current.attempts == it->attempts && current.lastError == it->lastError)
            continue;
        current.processing = it->state;
        current.attempts = it->attempts;
        current.lastError = it->lastError;
        touch(row);
    }
    if (first >= 0)
        emit dataChanged(index(first, 0), index(last, ColumnCount - 1));
}

void JournalFeedModel::replaceRows(FeedRows rows)
{
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

void JournalFeedModel::appendRows(const FeedRows &rows)
{
    if (rows.isEmpty())
        return;
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(rows.size()) - 1);
    m_rows.append(rows);
    endInsertRows();
}

void JournalFeedModel::trimFront(int count)
{
    beginRemoveRows({}, 0, count - 1);
    m_rows.remove(0, count);
    endRemoveRows();
}

void JournalFeedModel::trimBack(int count)
{
    const int size = int(m_rows.size());
    beginRemoveRows({}, size - count, size - 1);
    m_rows.remove(size - count, count);
    endRemoveRows();
}

} // namespace hookbench::ui
