#include "ui/widgets/secret_list_editor.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "core/config/config_loader.h"

using namespace Qt::StringLiterals;

namespace hookbench::ui {

SecretListEditor::SecretListEditor(QWidget *parent) : QWidget(parent)
{
    setObjectName(u"secretListEditor"_s);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_rows = new QVBoxLayout;
    m_rows->setSpacing(4);
    layout->addLayout(m_rows);

    auto *buttons = new QHBoxLayout;
    auto *rotate = new QPushButton(tr("Rotate"), this);
    rotate->setObjectName(u"rotateSecret"_s);
    rotate->setToolTip(tr("Generate a new secret and put it first; the current ones stay valid as previous "
                          "secrets until you remove them"));
    auto *add = new QPushButton(tr("Add"), this);
    add->setObjectName(u"addSecret"_s);
    add->setToolTip(tr("Add an empty secret to paste the provider's secret into"));
    m_show = new QCheckBox(tr("Show"), this);
    m_show->setObjectName(u"showSecrets"_s);
    m_show->setToolTip(tr("Show the secrets in clear text while checked"));
    buttons->addWidget(rotate);
    buttons->addWidget(add);
    buttons->addStretch(1);
    buttons->addWidget(m_show);
    layout->addLayout(buttons);

    connect(rotate, &QPushButton::clicked, this, &SecretListEditor::rotate);
    connect(add, &QPushButton::clicked, this, &SecretListEditor::addEmpty);
    connect(m_show, &QCheckBox::toggled, this, &SecretListEditor::setRevealed);
}

void SecretListEditor::setSecrets(const QList<QByteArray> &secrets)
{
    for (QWidget *row : std::as_const(m_rowWidgets))
        delete row;
    m_rowWidgets.clear();
    m_edits.clear();
    for (const QByteArray &secret : secrets)
        addRow(secret, int(m_edits.size()));
    relabel();
}

QList<QByteArray> SecretListEditor::secrets() const
{
    QList<QByteArray> out;
    for (const QLineEdit *edit : m_edits)
        out.append(edit->text().toUtf8());
    return out;
}

bool SecretListEditor::revealed() const
{
    return m_show->isChecked();
}

void SecretListEditor::setRevealed(bool revealed)
{
    if (m_show->isChecked() != revealed)
        m_show->setChecked(revealed); // comes back here through toggled
    for (QLineEdit *edit : std::as_const(m_edits)) {
        edit->setEchoMode(revealed ? QLineEdit::Normal : QLineEdit::Password);
        if (!edit->hasFocus())
            edit->setCursorPosition(0); // as in addRow
    }
}

void SecretListEditor::rotate()
{
    addRow(config::ConfigLoader::generateSecret(m_provider), 0);
    relabel();
    emit edited();
}

void SecretListEditor::addEmpty()
{
    addRow({}, int(m_edits.size()));
    relabel();
    m_edits.constLast()->setFocus();
    emit edited();
}

void SecretListEditor::removeAt(int index)
{
    if (index < 0 || index >= m_edits.size())
        return;
    m_edits.removeAt(index);
    delete m_rowWidgets.takeAt(index);
    relabel();
    emit edited();
}

void SecretListEditor::addRow(const QByteArray &secret, int index)
{
    auto *row = new QWidget(this);
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *role = new QLabel(row);
    role->setObjectName(u"secretRole"_s);
    role->setMinimumWidth(role->fontMetrics().horizontalAdvance(tr("previous")) + 8);
    auto *edit = new QLineEdit(QString::fromUtf8(secret), row);
    edit->setEchoMode(revealed() ? QLineEdit::Normal : QLineEdit::Password);
    // A secret longer than the field would show its end with the first character cut off: show
    // it from its start (the prefix, whsec_ or the like, is what tells secrets apart).
    edit->setCursorPosition(0);
    edit->setPlaceholderText(tr("paste the provider's signing secret"));
    auto *remove = new QPushButton(tr("Remove"), row);
    layout->addWidget(role);
    layout->addWidget(edit, 1);
    layout->addWidget(remove);
    m_rows->insertWidget(index, row);
    m_rowWidgets.insert(index, row);
    m_edits.insert(index, edit);
    connect(edit, &QLineEdit::textEdited, this, &SecretListEditor::edited);
    connect(remove, &QPushButton::clicked, this, [this, row] { removeAt(int(m_rowWidgets.indexOf(row))); });
}

void SecretListEditor::relabel()
{
    for (qsizetype i = 0; i < m_rowWidgets.size(); ++i) {
        auto *role = m_rowWidgets.at(i)->findChild<QLabel *>(u"secretRole"_s);
        role->setText(i == 0 ? tr("current") : tr("previous"));
        role->setToolTip(i == 0 ? tr("Signs test events and re-signed replays; verifies deliveries")
                                : tr("Still verifies deliveries (rotation); remove it once the provider uses "
                                     "the current one"));
        m_edits.at(i)->setObjectName(u"secret%1"_s.arg(i));
    }
}

} // namespace hookbench::ui
