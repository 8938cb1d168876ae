#include "ui/settings/limits_page.h"

#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QVBoxLayout>

#include "core/config/config.h"

using namespace Qt::StringLiterals;

namespace hookbench::ui {

namespace {

QSpinBox *spinBox(const QString &name, const QString &suffix, QWidget *parent)
{
    auto *box = new QSpinBox(parent);
    box->setObjectName(name);
    // Wide on purpose: the config's rules (core) decide what is valid, and say why.
    box->setRange(-1'000'000, 2'000'000'000);
    box->setSuffix(suffix);
    box->setGroupSeparatorShown(true);
    box->setMaximumWidth(240); // a number, not a sentence
    return box;
}

} // namespace

LimitsPage::LimitsPage(QWidget *parent) : SettingsPage(tr("Receiver and limits"), parent)
{
    setObjectName(u"limitsPage"_s);
    auto *layout = new QVBoxLayout(this);

    layout->addWidget(
        noteLabel(tr("These settings take effect after a restart of Hookbench, except the data retention."), this));
    auto *receiver = new QGroupBox(tr("Receiver"), this);
    auto *form = new QFormLayout(receiver);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_listen = new QLineEdit(receiver);
    m_listen->setObjectName(u"listenAddress"_s);
    m_listen->setPlaceholderText(u"127.0.0.1:8088"_s);
    m_listen->setMaximumWidth(320);
    m_listen->setToolTip(tr("ADDRESS:PORT; --listen on the command line overrides it"));
    addField(form, tr("Listen address"), m_listen, u"listen"_s);
    m_maxBody = spinBox(u"maxBodyBytes"_s, tr(" bytes"), receiver);
    addField(form, tr("Largest body"), m_maxBody, u"limits.max_body_bytes"_s);
    m_maxHeader = spinBox(u"maxHeaderBytes"_s, tr(" bytes"), receiver);
    addField(form, tr("Largest header block"), m_maxHeader, u"limits.max_header_bytes"_s);
    m_headerTimeout = spinBox(u"headerTimeout"_s, tr(" ms"), receiver);
    m_headerTimeout->setToolTip(tr("From a request's first byte to the end of its headers (then 408)"));
    addField(form, tr("Header timeout"), m_headerTimeout, u"limits.header_timeout_ms"_s);
    m_idleTimeout = spinBox(u"idleTimeout"_s, tr(" ms"), receiver);
    m_idleTimeout->setToolTip(tr("Keep-alive idle time, and a stalled body"));
    addField(form, tr("Idle timeout"), m_idleTimeout, u"limits.idle_timeout_ms"_s);
    m_connections = spinBox(u"maxConnections"_s, QString(), receiver);
    addField(form, tr("Connections"), m_connections, u"limits.max_connections"_s);
    layout->addWidget(receiver);

    auto *dedup = new QGroupBox(tr("Deduplication"), this);
    auto *dedupForm = new QFormLayout(dedup);
    dedupForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_ttl = spinBox(u"dedupTtl"_s, tr(" s"), dedup);
    m_ttl->setToolTip(tr("How long a delivery id is remembered; longer than the providers' retry windows "
                         "(Stripe retries for 3 days: the default is 72 h = 259,200 s)"));
    addField(dedupForm, tr("Key lifetime (TTL)"), m_ttl, u"dedup.ttl_seconds"_s);
    layout->addWidget(dedup);

    auto *retention = new QGroupBox(tr("Data retention"), this);
    auto *retentionForm = new QFormLayout(retention);
    retentionForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_retention = spinBox(u"retentionDays"_s, tr(" days"), retention);
    m_retention->setToolTip(tr("Journal entries older than this whose work is finished (produced, then processed or "
                               "discarded) are deleted with their attempts; events not yet produced and dead letters "
                               "still waiting are kept. 0 keeps everything. Applied at once."));
    addField(retentionForm, tr("Keep finished events for"), m_retention, u"store.retention_days"_s);
    retentionForm->addRow(noteLabel(tr("0 keeps everything. Applied at once; events not yet produced and dead "
                                       "letters still waiting are never deleted."),
                                    retention));
    layout->addWidget(retention);
    layout->addStretch(1);

    connect(m_listen, &QLineEdit::textEdited, this, &LimitsPage::edited);
    for (QSpinBox *box : {m_maxBody, m_maxHeader, m_headerTimeout, m_idleTimeout, m_connections, m_ttl, m_retention})
        connect(box, &QSpinBox::valueChanged, this, &LimitsPage::edited);
}

void LimitsPage::load(const QJsonObject &root)
{
    const config::LimitsConfig defaults;
    m_listen->setText(root.value(u"listen"_s).toString());
    const QJsonObject limits = root.value(u"limits"_s).toObject();
    m_maxBody->setValue(int(limits.value(u"max_body_bytes"_s).toInteger(defaults.maxBodyBytes)));
    m_maxHeader->setValue(limits.value(u"max_header_bytes"_s).toInt(defaults.maxHeaderBytes));
    m_headerTimeout->setValue(limits.value(u"header_timeout_ms"_s).toInt(defaults.headerTimeoutMs));
    m_idleTimeout->setValue(limits.value(u"idle_timeout_ms"_s).toInt(defaults.idleTimeoutMs));
    m_connections->setValue(limits.value(u"max_connections"_s).toInt(defaults.maxConnections));
    m_ttl->setValue(
        int(root.value(u"dedup"_s).toObject().value(u"ttl_seconds"_s).toInteger(config::DedupConfig().ttlSeconds)));
    m_retention->setValue(
        root.value(u"store"_s).toObject().value(u"retention_days"_s).toInt(config::StoreConfig().retentionDays));
}

void LimitsPage::store(QJsonObject &root) const
{
    if (m_listen->text().trimmed().isEmpty())
        root.remove(u"listen"_s);
    else
        root.insert(u"listen"_s, m_listen->text().trimmed());
    QJsonObject limits = root.value(u"limits"_s).toObject();
    limits.insert(u"max_body_bytes"_s, m_maxBody->value());
    limits.insert(u"max_header_bytes"_s, m_maxHeader->value());
    limits.insert(u"header_timeout_ms"_s, m_headerTimeout->value());
    limits.insert(u"idle_timeout_ms"_s, m_idleTimeout->value());
    limits.insert(u"max_connections"_s, m_connections->value());
    root.insert(u"limits"_s, limits);
    QJsonObject dedup = root.value(u"dedup"_s).toObject();
    dedup.insert(u"ttl_seconds"_s, m_ttl->value());
    root.insert(u"dedup"_s, dedup);
    QJsonObject store = root.value(u"store"_s).toObject();
    store.insert(u"retention_days"_s, m_retention->value());
    root.insert(u"store"_s, store);
}

} // namespace hookbench::ui
