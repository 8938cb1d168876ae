#include "ui/dialogs/import_dialog.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "ui/format/byte_format.h"

using namespace Qt::StringLiterals;

namespace hookbench::ui {

namespace {

constexpr int kPreviewBytes = 64 * 1024;
enum Column { Entry, State, Request, Size, Why };

} // namespace

ImportDialog::ImportDialog(capture::ImportReport report, QWidget *parent) : QDialog(parent), m_report(std::move(report))
{
    setObjectName(u"importDialog"_s);
    setWindowTitle(tr("Import %1").arg(m_report.origin));
    resize(1000, 640);

    m_entries = new QTreeWidget(this);
    m_entries->setObjectName(u"importEntries"_s);
    m_entries->setRootIsDecorated(false);
    m_entries->setUniformRowHeights(true);
    m_entries->setHeaderLabels({tr("#"), tr("State"), tr("Request"), tr("Body"), tr("Why")});
    for (const capture::ImportEntry &entry : std::as_const(m_report.entries)) {
        auto *item = new QTreeWidgetItem(m_entries);
        item->setText(Entry, QString::number(entry.index));
        item->setText(Request, entry.label);
        item->setText(Why, entry.reason);
        item->setData(Entry, Qt::UserRole, entry.capture);
        if (entry.taken) {
            const capture::Capture &c = m_report.captures.at(entry.capture);
            // "webhook": checked on import; "listed": taken but not a webhook (GETs, assets).
            item->setText(State, c.selected ? tr("webhook") : tr("listed"));
            item->setText(Size, QString::number(c.body.size()));
            item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
            item->setCheckState(Entry, c.selected ? Qt::Checked : Qt::Unchecked);
            if (!c.notes.isEmpty() && entry.reason.isEmpty())
                item->setText(Why, c.notes);
        } else {
            item->setText(State, tr("skipped"));
            item->setForeground(Request, palette().color(QPalette::Disabled, QPalette::Text));
        }
    }
    m_entries->header()->setSectionResizeMode(Request, QHeaderView::Stretch);
    m_entries->resizeColumnToContents(Entry);
    m_entries->resizeColumnToContents(State);

    m_preview = new QPlainTextEdit(this);
    m_preview->setObjectName(u"importPreview"_s);
    m_preview->setReadOnly(true);
    m_preview->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_preview->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_entries);
    split->addWidget(m_preview);
    split->setSizes({360, 240});

    m_summary = new QLabel(this);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Add to collection"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("%1 file: %2").arg(m_report.format.toUpper(), m_report.origin), this));
    layout->addWidget(split, 1);
    layout->addWidget(m_summary);
    layout->addWidget(buttons);

    connect(m_entries, &QTreeWidget::currentItemChanged, this, &ImportDialog::showPreview);
    connect(m_entries, &QTreeWidget::itemChanged, this, &ImportDialog::updateSummary);
    updateSummary();
    // Preview the first webhook, which is what the user came for.
    for (int i = 0; i < m_entries->topLevelItemCount(); ++i) {
        if (m_entries->topLevelItem(i)->checkState(Entry) == Qt::Checked) {
            m_entries->setCurrentItem(m_entries->topLevelItem(i));
            break;
        }
    }
}

QList<capture::Capture> ImportDialog::captures() const
{
    QList<capture::Capture> out;
    for (int i = 0; i < m_entries->topLevelItemCount(); ++i) {
        const QTreeWidgetItem *item = m_entries->topLevelItem(i);
        const int index = item->data(Entry, Qt::UserRole).toInt();
        if (index < 0)
            continue;
        capture::Capture c = m_report.captures.at(index);
        c.selected = item->checkState(Entry) == Qt::Checked;
        out.append(c);
    }
    return out;
}

int ImportDialog::checkedCount() const
{
    int n = 0;
    for (int i = 0; i < m_entries->topLevelItemCount(); ++i)
        n += m_entries->topLevelItem(i)->checkState(Entry) == Qt::Checked ? 1 : 0;
    return n;
}

void ImportDialog::updateSummary()
{
    m_summary->setText(tr("%1 entries: %2 taken (%3 checked), %4 skipped")
                           .arg(m_report.entries.size())
                           .arg(m_report.takenCount())
                           .arg(checkedCount())
                           .arg(m_report.skippedCount()));
}

void ImportDialog::showPreview()
{
    const QTreeWidgetItem *item = m_entries->currentItem();
    const int index = item ? item->data(Entry, Qt::UserRole).toInt() : -1;
    if (index < 0) {
        m_preview->setPlainText(item ? item->text(Why) : QString());
        return;
    }
    const capture::Capture &c = m_report.captures.at(index);
    QString text = QString::fromUtf8(c.method + ' ' + c.url) + u'\n';
    for (const auto &[name, value] : c.headers)
        text += QString::fromUtf8(name + ": " + value) + u'\n';
    text += u'\n';
    const QByteArray shown = c.body.left(kPreviewBytes);
    text += ByteFormat::isText(shown) ? QString::fromUtf8(shown) : ByteFormat::hexDump(shown);
    if (c.body.size() > kPreviewBytes)
        text += tr("\n… %1 more bytes").arg(c.body.size() - kPreviewBytes);
    m_preview->setPlainText(text);
}

} // namespace hookbench::ui
