#include "ui/panes/feed_pane.h"

#include <algorithm>

#include <QEvent>
#include <QHeaderView>
#include <QPainter>
#include <QScrollBar>
#include <QTableView>
#include <QVBoxLayout>

#include "core/pipeline/ingest_pipeline.h"
#include "ui/models/journal_feed_model.h"
#include "ui/widgets/filter_bar.h"

using namespace Qt::StringLiterals;

namespace hookbench::ui {

namespace {

bool filtering(const store::JournalFilter &f)
{
    return !f.source.isEmpty() || f.verdict || f.kafkaState || f.processingState || !f.eventType.isEmpty()
           || !f.keySubstring.isEmpty() || f.sinceMs > 0 || f.untilMs > 0;
}

} // namespace

bool FeedPane::eventFilter(QObject *watched, QEvent *event)
{
    // An empty feed says what to do next instead of showing a blank table.
    if (watched != m_view->viewport() || event->type() != QEvent::Paint || m_model->rowCount() > 0)
        return QWidget::eventFilter(watched, event);
    QPainter painter(m_view->viewport());
    painter.setPen(m_view->palette().color(QPalette::PlaceholderText));
    const QString text =
        filtering(m_model->filter())
            ? tr("No entries match the filter.")
            : tr("No requests yet.\nClick \u201cSend test event\u201d (Ctrl+T) or POST a webhook to the receiver URL "
                 "in the toolbar.");
    painter.drawText(m_view->viewport()->rect().adjusted(12, 12, -12, -12), Qt::AlignCenter | Qt::TextWordWrap, text);
    return true;
}

FeedPane::FeedPane(pipeline::IngestPipeline &pipeline, QWidget *parent) : QWidget(parent)
{
    QStringList sources;
    for (const auto &source : pipeline.config().sources)
        sources.append(source.name);
    m_filterBar = new FilterBar(sources, this);
    m_model = new JournalFeedModel(pipeline, this);

    m_view = new QTableView(this);
    m_view->setObjectName(u"feedView"_s);
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    // Uniform heights: the view never measures rows, so big windows stay cheap.
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setHighlightSections(false);
    const int charWidth = m_view->fontMetrics().horizontalAdvance(u'0');
    // Characters, for a first layout. Processing fits "retrying (2 attempts)" beside its icon.
    const int widths[] = {11, 7, 11, 11, 10, 15, 19, 10};
    // Never narrower than the column's title: the last column's "Partition @ offset" was cut
    // whenever the feed was narrower than all columns together.
    const QFontMetrics headerMetrics = m_view->horizontalHeader()->fontMetrics();
    for (int column = 0; column < JournalFeedModel::ColumnCount; ++column) {
        const QString title = m_model->headerData(column, Qt::Horizontal, Qt::DisplayRole).toString();
        m_view->setColumnWidth(column,
                               std::max(widths[column] * charWidth, headerMetrics.horizontalAdvance(title)) + 20);
    }

    m_view->viewport()->installEventFilter(this);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_filterBar);
    layout->addWidget(m_view, 1);

    connect(m_filterBar, &FilterBar::filterChanged, this, [this] { m_model->setFilter(m_filterBar->filter()); });
    connect(m_view->verticalScrollBar(), &QScrollBar::valueChanged, this, &FeedPane::onScrolled);
    // The range grows as rows arrive (the view lays out lazily): keep following the tail then,
    // without taking a range change for a scroll by the user.
    connect(m_view->verticalScrollBar(), &QScrollBar::rangeChanged, this, [this](int, int maximum) {
        if (m_model->followsTail())
            m_view->verticalScrollBar()->setValue(maximum);
    });
    connect(m_model, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &, int first, int last) { onRowsInserted(first, last); });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        if (m_model->followsTail())
            m_view->scrollToBottom();
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                if (current.isValid())
                    emit entrySelected(m_model->idAt(current.row()));
            });
    connect(m_model, &JournalFeedModel::rowLoaded, this, [this](qint64 id) {
        if (id != m_pendingSelect)
            return;
        m_pendingSelect = 0;
        const int row = m_model->rowOf(id);
        if (row < 0)
            return;
        m_model->setFollowTail(false);
        m_view->setCurrentIndex(m_model->index(row, 0));
        m_view->scrollTo(m_model->index(row, 0), QAbstractItemView::PositionAtCenter);
    });
}

void FeedPane::focusFilter()
{
    m_filterBar->focusSearch();
}

void FeedPane::selectEntry(qint64 id)
{
    m_pendingSelect = id;
    m_model->showEntry(id);
}

void FeedPane::onScrolled(int value)
{
    const QScrollBar *bar = m_view->verticalScrollBar();
    const bool atBottom = value >= bar->maximum();
    m_model->setFollowTail(atBottom && m_model->atNewest());
    if (bar->maximum() == 0)
        return; // everything fits: no edge to page from
    if (value <= bar->minimum())
        m_model->fetchOlder();
    else if (atBottom)
        m_model->fetchNewer();
}

void FeedPane::onRowsInserted(int first, int last)
{
    if (first == 0 && m_model->rowCount() > last + 1) {
        // Rows paged in above: keep the rows the user looks at in place.
        m_view->scrollTo(m_model->index(last + 1, 0), QAbstractItemView::PositionAtTop);
        return;
    }
    if (m_model->followsTail())
        m_view->scrollToBottom();
}

} // namespace hookbench::ui
