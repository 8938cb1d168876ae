#include "ui/settings/settings_page.h"

#include <QFormLayout>
#include <QLabel>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace hookbench::ui {

SettingsPage::SettingsPage(const QString &title, QWidget *parent) : QWidget(parent), m_title(title) {}

SettingsPage::~SettingsPage() = default;

bool SettingsPage::isUnder(const QString &field, const QString &prefix)
{
    if (!field.startsWith(prefix))
        return false;
    if (field.size() == prefix.size())
        return true;
    const QChar next = field.at(prefix.size());
    return next == u'.' || next == u'[';
}

QLabel *SettingsPage::addField(QFormLayout *form, const QString &label, QWidget *widget, const QString &field)
{
    auto *box = new QWidget(form->parentWidget());
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(widget);
    auto *error = new QLabel(box);
    error->setObjectName(u"error:"_s + field);
    error->setWordWrap(true);
    error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Red on the window's background, readable in light and dark themes alike.
    error->setStyleSheet(u"color: #c62828;"_s);
    error->hide();
    layout->addWidget(error);
    auto *caption = new QLabel(label, form->parentWidget());
    caption->setBuddy(widget);
    form->addRow(caption, box);
    m_errorLabels.insert(field, error);
    return error;
}

int SettingsPage::showIn(const QString &labelKey, const QString &field, const QList<config::FieldError> &errors)
{
    QLabel *label = m_errorLabels.value(labelKey);
    if (!label)
        return 0;
    QStringList lines;
    for (const config::FieldError &error : errors) {
        if (isUnder(error.field, field))
            lines.append(error.field % u": "_s % error.why);
    }
    label->setText(lines.join(u'\n'));
    label->setVisible(!lines.isEmpty());
    return int(lines.size());
}

void SettingsPage::clearErrors()
{
    for (QLabel *label : std::as_const(m_errorLabels)) {
        label->clear();
        label->hide();
    }
}

int SettingsPage::showErrors(const QList<config::FieldError> &errors)
{
    int shown = 0;
    for (auto it = m_errorLabels.constBegin(); it != m_errorLabels.constEnd(); ++it)
        shown += showIn(it.key(), it.key(), errors);
    return shown;
}

QLabel *SettingsPage::noteLabel(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setForegroundRole(QPalette::PlaceholderText);
    return label;
}

} // namespace hookbench::ui
