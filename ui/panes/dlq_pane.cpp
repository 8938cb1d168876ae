#include "ui/panes/dlq_pane.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QListWidget>
#include <QMap>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include "core/pipeline/ingest_pipeline.h"
#include "core/replay/replay_service.h"
#include "ui/dialogs/payload_editor_dialog.h"
#include "ui/models/dead_letter_filter.h"
#include "ui/models/dead_letter_model.h"
#include "ui/widgets/empty_view_hint.h"

using namespace Qt::StringLiterals;

namespace hookbench::ui {

namespace {

constexpr int kGroupRole = Qt::UserRole + 1;

QString keyText(const QByteArray &key)
{
    return key.isNull() ? u"(null)"_s : QString::fromUtf8(key);
}

} // namespace

DlqPane::DlqPane(pipeline::IngestPipeline &pipeline, QWidget *parent) : QWidget(parent), m_pipeline(pipeline)
{
    setObjectName(u"dlqPane"_s);
    m_model = new DeadLetterModel(pipeline, this);
    m_filter = new DeadLetterFilter(this);
    m_filter->setSourceModel(m_model);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);

    auto *options = new QHBoxLayout;
    m_deadOnly = new QCheckBox(tr("Only letters not replayed or discarded"), this);
    m_deadOnly->setChecked(true);
    m_maxReplays = new QSpinBox(this);
    m_maxReplays->setObjectName(u"dlqMaxReplays"_s);
    m_maxReplays->setRange(1, 100);
    m_maxReplays->setValue(3);
    m_includeOverLimit = new QCheckBox(tr("include them"), this);
    m_includeOverLimit->setObjectName(u"dlqIncludeOverLimit"_s);
    m_summary = new QLabel(this);
    m_summary->setObjectName(u"dlqSummary"_s);
    options->addWidget(m_deadOnly);
    options->addSpacing(16);
    options->addWidget(new QLabel(tr("Loop guard: bulk replays skip events replayed"), this));
    options->addWidget(m_maxReplays);
    options->addWidget(new QLabel(tr("times or more,"), this));
    options->addWidget(m_includeOverLimit);
    options->addStretch();
    options->addWidget(m_summary);
    layout->addLayout(options);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    m_groups = new QListWidget(splitter);
    m_groups->setObjectName(u"dlqGroups"_s);
    m_groups->setWordWrap(true);
    m_groups->setToolTip(tr("Errors and how many letters died of each; click one to show only those"));
    m_view = new QTableView(splitter);
    m_view->setObjectName(u"dlqTable"_s);
    new EmptyViewHint(m_view,
                      tr("No dead letters to show.\nPermanent failures and exhausted retries land here; untick "
                         "\u201cOnly letters not replayed or discarded\u201d to see the ones already handled."));
    m_view->setModel(m_filter);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(DeadLetterModel::Time, Qt::DescendingOrder);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(true);
    // The time and the entity key are read first; they are never cut to "2026-12-06 ...".
    m_view->horizontalHeader()->setSectionResizeMode(DeadLetterModel::Time, QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(DeadLetterModel::EntityKey, QHeaderView::ResizeToContents);
    m_view->setWordWrap(false);
    m_view->setAlternatingRowColors(true);
    splitter->addWidget(m_groups);
    splitter->addWidget(m_view);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 4);
    splitter->setSizes({320, 1000});
    layout->addWidget(splitter, 1);

    auto *actions = new QHBoxLayout;
    m_replayTopic = new QPushButton(tr("Replay to topic"), this);
    m_replayTopic->setObjectName(u"dlqReplayTopic"_s);
    m_replayTopic->setToolTip(tr("Produce the original record again to its original topic"));
    m_replayReceiver = new QPushButton(tr("Replay through receiver"), this);
    m_replayReceiver->setObjectName(u"dlqReplayReceiver"_s);
    m_replayReceiver->setToolTip(tr("POST the original request to the receiver again, re-signed: the full path"));
    m_edit = new QPushButton(tr("Edit && replay…"), this);
    m_edit->setObjectName(u"dlqEdit"_s);
    m_discard = new QPushButton(tr("Discard"), this);
    m_discard->setObjectName(u"dlqDiscard"_s);
    m_discard->setToolTip(tr("Mark discarded; the letter is kept and the discard recorded"));
    m_dryRun = new QPushButton(tr("Dry run"), this);
    m_dryRun->setObjectName(u"dlqDryRun"_s);
    m_dryRun->setToolTip(tr("Show what replaying the selection to its topic would send, without sending"));
    for (QPushButton *button : {m_dryRun, m_replayTopic, m_replayReceiver, m_edit, m_discard})
        actions->addWidget(button);
    actions->addStretch();
    layout->addLayout(actions);

    m_result = new QPlainTextEdit(this);
    m_result->setObjectName(u"dlqResult"_s);
    m_result->setReadOnly(true);
    m_result->setMaximumHeight(6 * m_result->fontMetrics().lineSpacing());
    m_result->setPlaceholderText(tr("What a dry run would send and what replays answered appear here."));
    layout->addWidget(m_result);

    connect(m_deadOnly, &QCheckBox::toggled, this, [this](bool on) {
        m_filter->setDeadOnly(on);
        refreshGroups();
    });
    connect(m_groups, &QListWidget::currentItemChanged, this, [this](QListWidgetItem *item) {
        m_filter->setErrorGroup(item ? item->data(kGroupRole).toString() : QString());
    });
    connect(m_model, &DeadLetterModel::reloaded, this, &DlqPane::refreshGroups);
    connect(m_model, &DeadLetterModel::loadFailed, this, [this](const QString &message) { report(message); });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &DlqPane::updateActions);
    connect(m_view, &QTableView::doubleClicked, this, [this](const QModelIndex &index) {
        emit entryActivated(index.data(DeadLetterModel::JournalIdRole).toLongLong());
    });
    connect(m_replayTopic, &QPushButton::clicked, this, [this] { replaySelected(replay::ReplayMode::Topic); });
    connect(m_replayReceiver, &QPushButton::clicked, this, [this] { replaySelected(replay::ReplayMode::Receiver); });
    connect(m_dryRun, &QPushButton::clicked, this, [this] { dryRun(replay::ReplayMode::Topic); });
    connect(m_discard, &QPushButton::clicked, this, &DlqPane::discardSelected);
    connect(m_edit, &QPushButton::clicked, this, [this] { editSelected(); });
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, &DlqPane::showContextMenu);
    refreshGroups();
    updateActions();
}

DlqPane::~DlqPane() = default;

QList<qint64> DlqPane::selectedLetterIds() const
{
    QList<qint64> ids;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows())
        ids.append(index.data(DeadLetterModel::IdRole).toLongLong());
    std::sort(ids.begin(), ids.end());
    return ids;
}

QList<qint64> DlqPane::selectedJournalIds() const
{
    QList<qint64> ids;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows()) {
        const qint64 id = index.data(DeadLetterModel::JournalIdRole).toLongLong();
        if (id > 0 && !ids.contains(id))
            ids.append(id);
    }
    std::sort(ids.begin(), ids.end());
    return ids;
}

void DlqPane::showContextMenu(const QPoint &pos)
{
    if (m_view->selectionModel()->selectedRows().isEmpty())
        return;
    QMenu menu(this);
    // The pane's own actions, as enabled as their buttons.
    for (QPushButton *button : {m_replayTopic, m_replayReceiver, m_edit, m_discard}) {
        menu.addAction(button->text(), button, &QPushButton::click)->setEnabled(button->isEnabled());
    }
    const QList<qint64> journalIds = selectedJournalIds();
    if (!journalIds.isEmpty()) {
        menu.addSeparator();
        emit contextMenuAboutToShow(&menu, journalIds);
    }
    menu.exec(m_view->viewport()->mapToGlobal(pos));
}

void DlqPane::selectLetters(const QList<qint64> &ids)
{
    QItemSelection selection;
    for (int r = 0; r < m_filter->rowCount(); ++r) {
        const QModelIndex index = m_filter->index(r, 0);
        if (ids.contains(index.data(DeadLetterModel::IdRole).toLongLong()))
            selection.select(index, m_filter->index(r, DeadLetterModel::ColumnCount - 1));
    }
    m_view->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
}

void DlqPane::setLoopGuard(int maxReplays, bool includeOverLimit)
{
    m_maxReplays->setValue(maxReplays);
    m_includeOverLimit->setChecked(includeOverLimit);
}

replay::DeadLetterReplay DlqPane::request(replay::ReplayMode mode) const
{
    replay::DeadLetterReplay r;
    r.deadLetterIds = selectedLetterIds();
    r.mode = mode;
    // Through the receiver the original key would be answered "duplicate" for the dedup TTL
    // (72 h by default), so a redrive mints a new key; the lineage still ties it to the original.
    r.newIdempotencyKey = mode == replay::ReplayMode::Receiver;
    r.maxReplays = m_maxReplays->value();
    r.includeOverLimit = m_includeOverLimit->isChecked();
    return r;
}

QString DlqPane::describePlan(const replay::ReplayPlan &plan, bool dryRun)
{
    QStringList lines;
    const QString mode =
        plan.mode == replay::ReplayMode::Topic ? tr("to the original topic") : tr("through the receiver");
    lines.append(dryRun ? tr("Dry run: a replay %1 would send %n letter(s)", nullptr, plan.sendCount()).arg(mode)
                        : tr("Replay %1: %n letter(s) sent", nullptr, plan.sendCount()).arg(mode));
    QStringList topics;
    const QMap<QString, int> byTopic = plan.topics();
    for (auto it = byTopic.cbegin(); it != byTopic.cend(); ++it)
        topics.append(u"%1 (%2)"_s.arg(it.key()).arg(it.value()));
    if (!topics.isEmpty())
        lines.append(tr("  topics: %1").arg(topics.join(u", "_s)));
    QStringList keys;
    for (const QByteArray &key : plan.keys())
        keys.append(keyText(key));
    if (!keys.isEmpty())
        lines.append(tr("  keys: %1").arg(keys.join(u", "_s)));
    for (const replay::PlannedReplay &item : plan.items) {
        if (!item.sent())
            lines.append(
                tr("  skipped letter %1 (%2): %3").arg(item.deadLetterId).arg(item.skipReason, item.skipDetail));
    }
    return lines.join(u'\n');
}

void DlqPane::dryRun(replay::ReplayMode mode)
{
    replay::ReplayService *service = m_pipeline.replayService();
    const replay::DeadLetterReplay r = request(mode);
    if (!service || r.deadLetterIds.isEmpty()) {
        report(tr("Select the letters to plan a replay of."));
        emit actionFinished();
        return;
    }
    ++m_busy;
    updateActions();
    service->planDeadLetters(r, this, [this](const Result<replay::ReplayPlan> &plan) {
        --m_busy;
        updateActions();
        report(plan ? describePlan(*plan, true) : tr("Dry run failed: %1").arg(plan.error().message));
        emit actionFinished();
    });
}

void DlqPane::replaySelected(replay::ReplayMode mode)
{
    replay::ReplayService *service = m_pipeline.replayService();
    const replay::DeadLetterReplay r = request(mode);
    if (!service || r.deadLetterIds.isEmpty()) {
        report(tr("Select the letters to replay."));
        emit actionFinished();
        return;
    }
    ++m_busy;
    updateActions();
    if (r.deadLetterIds.size() == 1) {
        // One letter chosen by hand: replayed as asked, the loop guard is for bulk replays.
        replay::ReplayRequest one;
        one.deadLetterId = r.deadLetterIds.constFirst();
        one.mode = mode;
        one.edits.newIdempotencyKey = r.newIdempotencyKey;
        service->replay(one, this, [this, id = one.deadLetterId](const Result<replay::ReplayResult> &result) {
            --m_busy;
            updateActions();
            if (!result) {
                report(tr("Replay of letter %1 failed: %2").arg(id).arg(result.error().message));
            } else {
                report(tr("Letter %1 replayed: HTTP %2 %3%4 · new entry #%5")
                           .arg(id)
                           .arg(result->httpStatus)
                           .arg(result->status, result->reason.isEmpty() ? QString() : u" ("_s % result->reason % u')')
                           .arg(result->newJournalId));
                if (result->newJournalId > 0)
                    emit entryActivated(result->newJournalId);
            }
            m_model->reload();
            emit actionFinished();
        });
        return;
    }
    service->replayDeadLetters(r, this, [this](const Result<replay::BulkReplayOutcome> &outcome) {
        --m_busy;
        updateActions();
        if (!outcome) {
            report(tr("Bulk replay failed: %1").arg(outcome.error().message));
        } else {
            QMap<QString, int> statuses;
            int failed = 0;
            for (const Result<replay::ReplayResult> &one : outcome->results) {
                if (one)
                    ++statuses[one->status];
                else
                    ++failed;
            }
            QStringList counts;
            for (auto it = statuses.cbegin(); it != statuses.cend(); ++it)
                counts.append(u"%1 %2"_s.arg(it.value()).arg(it.key()));
            if (failed > 0)
                counts.append(tr("%1 failed").arg(failed));
            report(describePlan(outcome->plan, false) % u"\n  answers: "_s
                   % (counts.isEmpty() ? tr("none") : counts.join(u", "_s)));
        }
        m_model->reload();
        emit actionFinished();
    });
}

void DlqPane::discardSelected()
{
    replay::ReplayService *service = m_pipeline.replayService();
    const QList<qint64> ids = selectedLetterIds();
    if (!service || ids.isEmpty()) {
        report(tr("Select the letters to discard."));
        emit actionFinished();
        return;
    }
    m_busy += int(ids.size());
    updateActions();
    auto lines = std::make_shared<QStringList>();
    auto left = std::make_shared<int>(int(ids.size()));
    for (qint64 id : ids) {
        service->discard(id, this, [this, id, lines, left](const Result<void> &result) {
            --m_busy;
            lines->append(result ? tr("Letter %1 discarded").arg(id)
                                 : tr("Letter %1 not discarded: %2").arg(id).arg(result.error().message));
            if (--*left > 0)
                return;
            updateActions();
            report(lines->join(u'\n'));
            m_model->reload();
            emit actionFinished();
        });
    }
}

PayloadEditorDialog *DlqPane::editSelected()
{
    const QList<qint64> ids = selectedLetterIds();
    if (ids.size() != 1) {
        report(tr("Select one letter to edit."));
        return nullptr;
    }
    const int row = m_model->rowOfId(ids.constFirst());
    if (row < 0)
        return nullptr;
    auto *dialog = new PayloadEditorDialog(m_pipeline, m_model->item(row).journalId, ids.constFirst(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &PayloadEditorDialog::sent, this, [this](int, const QString &, const QString &, qint64 newId) {
        m_model->reload();
        if (newId > 0)
            emit entryActivated(newId);
    });
    dialog->show();
    return dialog;
}

void DlqPane::refreshGroups()
{
    QMap<QString, int> counts;
    int total = 0;
    int looping = 0;
    for (int r = 0; r < m_model->rowCount(); ++r) {
        const DeadLetterItem &item = m_model->item(r);
        if (m_deadOnly->isChecked() && item.status != store::DeadLetterStatus::Dead)
            continue;
        ++counts[item.errorGroup()];
        ++total;
        looping += item.replayCount > 0 ? 1 : 0;
    }
    const QString current = m_filter->errorGroup();
    const QSignalBlocker block(m_groups);
    m_groups->clear();
    auto *all = new QListWidgetItem(tr("All errors (%1)").arg(total), m_groups);
    all->setData(kGroupRole, QString());
    // Most frequent first: the error to look at first.
    QList<std::pair<int, QString>> sorted;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        sorted.append({it.value(), it.key()});
    std::sort(sorted.begin(), sorted.end(), [](const auto &a, const auto &b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    QListWidgetItem *select = all;
    for (const auto &[count, group] : sorted) {
        auto *item = new QListWidgetItem(u"%1 × %2"_s.arg(count).arg(group), m_groups);
        item->setData(kGroupRole, group);
        item->setToolTip(group);
        if (group == current)
            select = item;
    }
    m_groups->setCurrentItem(select);
    if (select == all && !current.isEmpty())
        m_filter->setErrorGroup(QString()); // the group is gone (everything in it was replayed)
    m_summary->setText(tr("%n letter(s)", nullptr, total)
                       % (looping > 0 ? tr(" · %n dead again after a replay", nullptr, looping) : QString()));
}

void DlqPane::updateActions()
{
    const int selected = int(m_view->selectionModel()->selectedRows().size());
    const bool idle = m_busy == 0;
    m_replayTopic->setEnabled(idle && selected > 0);
    m_replayReceiver->setEnabled(idle && selected > 0);
    m_dryRun->setEnabled(idle && selected > 0);
    m_discard->setEnabled(idle && selected > 0);
    m_edit->setEnabled(idle && selected == 1);
}

void DlqPane::report(const QString &text)
{
    m_result->setPlainText(text);
}

QString DlqPane::resultText() const
{
    return m_result->toPlainText();
}

} // namespace hookbench::ui
