#include "ui/panes/retries_pane.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

#include "core/pipeline/ingest_pipeline.h"
#include "core/processing/event_processor.h"
#include "ui/models/scheduled_retry_model.h"
#include "ui/widgets/empty_view_hint.h"

using namespace Qt::StringLiterals;

namespace hookbench::ui {

RetriesPane::RetriesPane(pipeline::IngestPipeline &pipeline, QWidget *parent) : QWidget(parent), m_pipeline(pipeline)
{
    setObjectName(u"retriesPane"_s);
    m_model = new ScheduledRetryModel(pipeline.processor(), SystemClock::instance(), this);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    m_view = new QTableView(this);
    m_view->setObjectName(u"retriesTable"_s);
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setWordWrap(false);
    m_view->setAlternatingRowColors(true);
    new EmptyViewHint(m_view,
                      tr("No record waits for a retry.\nA transient failure (408, 429, 5xx, a timeout) waits "
                         "here until its next attempt; Faults \u2192 Consumer sets a failure rate to see some."));
    layout->addWidget(m_view, 1);

    auto *actions = new QHBoxLayout;
    m_retryNow = new QPushButton(tr("Retry now"), this);
    m_retryNow->setObjectName(u"retryNow"_s);
    m_retryNow->setToolTip(tr("Attempt the selected records at once instead of at their due time"));
    m_giveUp = new QPushButton(tr("Give up → DLQ"), this);
    m_giveUp->setObjectName(u"giveUp"_s);
    m_giveUp->setToolTip(tr("Dead-letter the selected records now, with the attempts made so far"));
    m_result = new QLabel(this);
    m_result->setObjectName(u"retriesResult"_s);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    actions->addWidget(m_retryNow);
    actions->addWidget(m_giveUp);
    actions->addWidget(m_result, 1);
    layout->addLayout(actions);
    if (!pipeline.processor())
        m_result->setText(tr("The consumer side is not running: nothing is retried."));

    connect(m_retryNow, &QPushButton::clicked, this, &RetriesPane::retryNowSelected);
    connect(m_giveUp, &QPushButton::clicked, this, &RetriesPane::giveUpSelected);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &RetriesPane::updateActions);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &RetriesPane::updateActions);
    connect(m_view, &QTableView::doubleClicked, this, [this](const QModelIndex &index) {
        emit entryActivated(index.data(ScheduledRetryModel::JournalIdRole).toLongLong());
    });
    updateActions();
}

void RetriesPane::retryNowSelected()
{
    act(Action::RetryNow);
}

void RetriesPane::giveUpSelected()
{
    act(Action::GiveUp);
}

void RetriesPane::act(Action action)
{
    processing::EventProcessor *processor = m_pipeline.processor();
    QList<quint64> jobs;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows())
        jobs.append(index.data(ScheduledRetryModel::JobIdRole).toULongLong());
    if (!processor || jobs.isEmpty()) {
        m_result->setText(tr("Select the retries to act on."));
        emit actionFinished();
        return;
    }
    auto left = std::make_shared<int>(int(jobs.size()));
    auto failures = std::make_shared<QStringList>();
    auto done = [this, left, failures, action, count = jobs.size()](const Result<void> &result) {
        if (!result)
            failures->append(result.error().message);
        if (--*left > 0)
            return;
        const qsizetype ok = count - failures->size();
        QString text = action == Action::RetryNow ? tr("%1 retried now").arg(ok) : tr("%1 given up → DLQ").arg(ok);
        if (!failures->isEmpty())
            text += u" · "_s % failures->join(u"; "_s);
        m_result->setText(text);
        m_model->refresh();
        emit actionFinished();
    };
    for (quint64 job : jobs) {
        if (action == Action::RetryNow)
            processor->retryNow(job, this, done);
        else
            processor->giveUp(job, this, done);
    }
}

void RetriesPane::updateActions()
{
    const bool any = m_pipeline.processor() && m_view->selectionModel()->hasSelection();
    m_retryNow->setEnabled(any);
    m_giveUp->setEnabled(any);
}

QString RetriesPane::resultText() const
{
    return m_result->text();
}

} // namespace hookbench::ui
