#include "ui/widgets/filter_bar.h"

#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QToolButton>

using namespace Qt::StringLiterals;

namespace hookbench::ui {

FilterBar::FilterBar(const QStringList &sources, QWidget *parent) : QWidget(parent)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    m_source = new QComboBox(this);
    m_source->setObjectName(u"filterSource"_s);
    m_source->addItem(tr("Any source"), QString());
    for (const auto &source : sources)
        m_source->addItem(source, source);

    m_verdict = new QComboBox(this);
    m_verdict->setObjectName(u"filterVerdict"_s);
    m_verdict->addItem(tr("Any verdict"), QString());
    for (auto v :
         {store::Verdict::Accepted, store::Verdict::Duplicate, store::Verdict::Queued, store::Verdict::Rejected})
        m_verdict->addItem(store::verdictName(v), store::verdictName(v));

    m_kafkaState = new QComboBox(this);
    m_kafkaState->setObjectName(u"filterKafkaState"_s);
    m_kafkaState->setToolTip(tr("Where the entry is in Kafka"));
    m_kafkaState->addItem(tr("Any Kafka state"), QString());
    for (auto s : {store::KafkaState::Produced, store::KafkaState::Pending, store::KafkaState::None})
        m_kafkaState->addItem(store::kafkaStateName(s), store::kafkaStateName(s));

    // Item data is the enum value; "any" has none.
    m_processingState = new QComboBox(this);
    m_processingState->setObjectName(u"filterProcessingState"_s);
    m_processingState->setToolTip(tr("Where the consumers are with the entry"));
    m_processingState->addItem(tr("Any processing state"), QVariant());
    for (auto s :
         {store::ProcessingState::Pending, store::ProcessingState::Retrying, store::ProcessingState::Done,
          store::ProcessingState::DeadLettered, store::ProcessingState::Replayed, store::ProcessingState::Discarded}) {
        QString label = store::processingStateName(s);
        label.replace(u'_', u'-');
        m_processingState->addItem(label, int(s));
    }

    m_eventType = new QLineEdit(this);
    m_eventType->setObjectName(u"filterEventType"_s);
    m_eventType->setPlaceholderText(tr("Event type (exact)"));
    m_eventType->setClearButtonEnabled(true);

    m_key = new QLineEdit(this);
    m_key->setObjectName(u"filterKey"_s);
    m_key->setPlaceholderText(tr("Key contains… (Ctrl+F)"));
    m_key->setClearButtonEnabled(true);

    m_range = new QComboBox(this);
    m_range->setObjectName(u"filterRange"_s);
    m_range->addItem(tr("Any time"), 0);
    m_range->addItem(tr("Last 5 minutes"), 5 * 60);
    m_range->addItem(tr("Last 15 minutes"), 15 * 60);
    m_range->addItem(tr("Last hour"), 3600);
    m_range->addItem(tr("Last 24 hours"), 24 * 3600);

    auto *clearButton = new QToolButton(this);
    clearButton->setText(tr("Clear"));
    clearButton->setToolTip(tr("Clear the filter"));

    layout->addWidget(new QLabel(tr("Filter:"), this));
    layout->addWidget(m_source);
    layout->addWidget(m_verdict);
    layout->addWidget(m_kafkaState);
    layout->addWidget(m_processingState);
    layout->addWidget(m_eventType, 1);
    layout->addWidget(m_key, 2);
    layout->addWidget(m_range);
    layout->addWidget(clearButton);

    // Typing is debounced so that each keystroke does not reload the window.
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(250);
    connect(&m_debounce, &QTimer::timeout, this, &FilterBar::filterChanged);
    for (QComboBox *box : {m_source, m_verdict, m_kafkaState, m_processingState, m_range})
        connect(box, &QComboBox::currentIndexChanged, this, &FilterBar::filterChanged);
    for (QLineEdit *edit : {m_eventType, m_key})
        connect(edit, &QLineEdit::textChanged, this, [this] { m_debounce.start(); });
    connect(clearButton, &QToolButton::clicked, this, &FilterBar::clear);
}

store::JournalFilter FilterBar::filter() const
{
    store::JournalFilter f;
    f.source = m_source->currentData().toString();
    f.verdict = store::parseVerdict(m_verdict->currentData().toString());
    f.kafkaState = store::parseKafkaState(m_kafkaState->currentData().toString());
    if (const QVariant state = m_processingState->currentData(); state.isValid())
        f.processingState = store::ProcessingState(state.toInt());
    f.eventType = m_eventType->text().trimmed();
    f.keySubstring = m_key->text().toUtf8();
    if (const int seconds = m_range->currentData().toInt(); seconds > 0)
        f.sinceMs = QDateTime::currentMSecsSinceEpoch() - qint64(seconds) * 1000;
    return f;
}

void FilterBar::focusSearch()
{
    m_key->setFocus(Qt::ShortcutFocusReason);
    m_key->selectAll();
}

void FilterBar::clear()
{
    const QSignalBlocker blockers[] = {QSignalBlocker(m_source),     QSignalBlocker(m_verdict),
                                       QSignalBlocker(m_kafkaState), QSignalBlocker(m_processingState),
                                       QSignalBlocker(m_range),      QSignalBlocker(m_eventType),
                                       QSignalBlocker(m_key)};
    m_source->setCurrentIndex(0);
    m_verdict->setCurrentIndex(0);
    m_kafkaState->setCurrentIndex(0);
    m_processingState->setCurrentIndex(0);
    m_range->setCurrentIndex(0);
    m_eventType->clear();
    m_key->clear();
    emit filterChanged();
}

} // namespace hookbench::ui
