#include "ui/models/dead_letter_model.h"

#include <QColor>
#include <QDateTime>
#include <QFont>

#include "core/pipeline/ingest_pipeline.h"
#include "core/processing/event_processor.h"
#include "ui/workers/dead_letter_loader.h"
#include "ui/workers/worker_thread.h"

using namespace Qt::StringLiterals;

namespace hookbench::ui {

DeadLetterModel::DeadLetterModel(pipeline::IngestPipeline &pipeline, QObject *parent) : QAbstractTableModel(parent)
{
    qRegisterMetaType<hookbench::ui::DeadLetterItems>();
    m_thread = std::make_unique<WorkerThread>(u"hookbench-dlq-loader"_s);
    m_loader = new DeadLetterLoader(pipeline.databasePath());
    connect(
        m_loader, &DeadLetterLoader::loaded, this,
        [this](quint64 generation, const DeadLetterItems &items, const QString &error) {
            m_inFlight = false;
            if (generation == m_generation) {
                if (!error.isEmpty())
                    emit loadFailed(error);
                if (error.isEmpty() || !items.isEmpty())
                    apply(items);
            }
            if (std::exchange(m_again, false))
                startLoad();
        },
        Qt::QueuedConnection);
    m_thread->adopt(m_loader);
    m_thread->start();

    m_coalesce.setSingleShot(true);
    m_coalesce.setInterval(kReloadMs);
    connect(&m_coalesce, &QTimer::timeout, this, &DeadLetterModel::startLoad);
    m_poll.setInterval(kPollMs);
    connect(&m_poll, &QTimer::timeout, this, &DeadLetterModel::reload);
    m_poll.start();
    if (processing::EventProcessor *processor = pipeline.processor()) {
        connect(processor, &processing::EventProcessor::activity, this,
                [this](const QList<processing::ProcessingActivity> &batch) {
                    for (const processing::ProcessingActivity &a : batch) {
                        if (a.kind == processing::ProcessingActivity::Kind::DeadLettered) {
                            reload();
                            return;
                        }
                    }
                });
    }
    startLoad();
}

DeadLetterModel::~DeadLetterModel() = default;

void DeadLetterModel::reload()
{
    if (!m_coalesce.isActive())
        m_coalesce.start();
}

void DeadLetterModel::startLoad()
{
    if (m_inFlight) {
        m_again = true;
        return;
    }
    m_inFlight = true;
    const quint64 generation = ++m_generation;
    DeadLetterLoader *loader = m_loader;
    QMetaObject::invokeMethod(
        loader, [loader, generation] { loader->load(generation); }, Qt::QueuedConnection);
}

void DeadLetterModel::apply(const DeadLetterItems &items)
{
    ++m_loads;
    // Letters are only ever added (discarding keeps them), so the old rows are a prefix of the
    // new ones unless the read was capped; anything else resets.
    const qsizetype common = std::min(m_items.size(), items.size());
    bool prefix = items.size() >= m_items.size();
    for (qsizetype i = 0; prefix && i < common; ++i)
        prefix = m_items.at(i).id == items.at(i).id;
    if (!prefix) {
        beginResetModel();
        m_items = items;
        endResetModel();
        emit reloaded();
        return;
    }
    int firstChanged = -1;
    int lastChanged = -1;
    for (qsizetype i = 0; i < common; ++i) {
        if (m_items.at(i) == items.at(i))
            continue;
        m_items[i] = items.at(i);
        if (firstChanged < 0)
            firstChanged = int(i);
        lastChanged = int(i);
    }
    if (firstChanged >= 0)
        emit dataChanged(index(firstChanged, 0), index(lastChanged, ColumnCount - 1));
    if (items.size() > common) {
        beginInsertRows({}, int(common), int(items.size() - 1));
        m_items.append(items.mid(common));
        endInsertRows();
    }
    emit reloaded();
}

int DeadLetterModel::rowOfId(qint64 id) const
{
    for (int r = 0; r < m_items.size(); ++r) {
        if (m_items.at(r).id == id)
            return r;
    }
    return -1;
}

int DeadLetterModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_items.size());
}

int DeadLetterModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DeadLetterModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const DeadLetterItem &item = m_items.at(index.row());
    switch (role) {
    case IdRole: return item.id;
    case JournalIdRole: return item.journalId;
    case ErrorGroupRole: return item.errorGroup();
    case DeadRole: return item.status == store::DeadLetterStatus::Dead;
    case ReplayCountRole: return item.replayCount;
    case Qt::ToolTipRole:
        if (index.column() == Error)
            return item.error;
        if (index.column() == Replays && item.replayCount > 0)
            return tr("Dead-lettered again after %n replay(s) of this event", nullptr, item.replayCount);
        return {};
    case Qt::ForegroundRole:
        // Dead again after a replay: the loop guard's concern, so it stands out.
        if (index.column() == Replays && item.replayCount > 0)
            return QColor(0xc6, 0x28, 0x28);
        return {};
    case Qt::FontRole:
        if (index.column() == Replays && item.replayCount > 0) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == Attempts || index.column() == Replays)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::DisplayRole: break;
    default: return {};
    }
    switch (Column(index.column())) {
    case Time: return QDateTime::fromMSecsSinceEpoch(item.lastFailureAtMs).toString(u"yyyy-MM-dd HH:mm:ss.zzz"_s);
    case Source: return item.source;
    case EventType: return item.eventType;
    case EntityKey: return item.key.isNull() ? tr("(null)") : QString::fromUtf8(item.key);
    case ErrorClass: return item.errorClass;
    case Error: return item.error;
    case Attempts: return item.attempts;
    case Replays: return item.replayCount > 0 ? u"⟳ %1"_s.arg(item.replayCount) : QString();
    case Original: return u"%1 / %2 @ %3"_s.arg(item.topic).arg(item.partition).arg(item.offset);
    case Status:
        if (item.status == store::DeadLetterStatus::Replayed && item.replayedAsJournalId > 0)
            return tr("replayed as #%1").arg(item.replayedAsJournalId);
        return store::deadLetterStatusName(item.status);
    case ColumnCount: break;
    }
    return {};
}

QVariant DeadLetterModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Time: return tr("Last failure");
    case Source: return tr("Source");
    case EventType: return tr("Event type");
    case EntityKey: return tr("Entity key");
    case ErrorClass: return tr("Class");
    case Error: return tr("Error");
    case Attempts: return tr("Attempts");
    case Replays: return tr("Replays");
    case Original: return tr("Original topic / partition @ offset");
    case Status: return tr("Status");
    case ColumnCount: break;
    }
    return {};
}

} // namespace hookbench::ui
