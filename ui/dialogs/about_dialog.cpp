#include "ui/dialogs/about_dialog.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include "core/util/build_info.h"

using namespace Qt::StringLiterals;

namespace hookbench::ui {

namespace {

QLabel *selectableLabel(const QString &text, const QString &objectName, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setObjectName(objectName);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

} // namespace

AboutDialog::AboutDialog(QWidget *parent) : QDialog(parent)
{
    setObjectName(u"aboutDialog"_s);
    setWindowTitle(tr("About Hookbench"));

    auto *icon = new QLabel(this);
    icon->setPixmap(QApplication::windowIcon().pixmap(64, 64));
    icon->setAlignment(Qt::AlignTop);

    auto *title = new QLabel(u"Hookbench"_s, this);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.6);
    titleFont.setBold(true);
    title->setFont(titleFont);

    auto *summary = new QLabel(tr("A workbench for webhook to Kafka pipelines: receive, verify, deduplicate, "
                                  "journal and produce webhooks, and watch every step."),
                               this);
    summary->setWordWrap(true);

    QString commit = BuildInfo::commit();
    if (commit.isEmpty())
        commit = tr("not built from a git checkout");
    else if (BuildInfo::modified())
        commit += tr(" (modified)");
    auto *details = new QFormLayout;
    details->addRow(tr("Version"), selectableLabel(BuildInfo::version(), u"aboutVersion"_s, this));
    details->addRow(tr("Commit"), selectableLabel(commit, u"aboutCommit"_s, this));
    details->addRow(tr("Qt"), selectableLabel(BuildInfo::qtVersion(), u"aboutQt"_s, this));
    details->addRow(tr("librdkafka"), selectableLabel(BuildInfo::librdkafkaVersion(), u"aboutLibrdkafka"_s, this));
    details->addRow(tr("SQLite"), selectableLabel(BuildInfo::sqliteVersion(), u"aboutSqlite"_s, this));
    details->addRow(tr("OpenSSL"), selectableLabel(BuildInfo::opensslVersion(), u"aboutOpenssl"_s, this));

    auto *license = new QLabel(tr("Released under the MIT License."), this);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *copy = buttons->addButton(tr("Copy details"), QDialogButtonBox::ActionRole);
    copy->setObjectName(u"aboutCopy"_s);
    connect(copy, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(detailsText()); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *text = new QVBoxLayout;
    text->addWidget(title);
    text->addWidget(summary);
    text->addSpacing(8);
    text->addLayout(details);
    text->addSpacing(8);
    text->addWidget(license);

    auto *body = new QHBoxLayout;
    body->addWidget(icon);
    body->addSpacing(12);
    body->addLayout(text, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(body);
    layout->addWidget(buttons);
    setMinimumWidth(420);
}

QString AboutDialog::detailsText() const
{
    return u"Hookbench "_s % BuildInfo::versionString() % u"\nQt "_s % BuildInfo::qtVersion() % u"\nlibrdkafka "_s
           % BuildInfo::librdkafkaVersion() % u"\nSQLite "_s % BuildInfo::sqliteVersion() % u"\nOpenSSL "_s
           % BuildInfo::opensslVersion() % u'\n';
}

} // namespace hookbench::ui
