#include "ui/main_window.h"

#include <QApplication>
#include <QClipboard>
#include <QHeaderView>
#include <QLabel>
#include <QStatusBar>
#include <QTableWidget>
#include <QVBoxLayout>

#include "core/metrics/metrics_registry.h"
#include "core/pipeline/ingest_pipeline.h"

using namespace Qt::StringLiterals;

namespace hookbench::ui {

namespace {

enum Column { Source, Provider, Url, Received, Duplicates, Rejected, ColumnCount };

} // namespace

MainWindow::MainWindow(pipeline::IngestPipeline &pipeline, QWidget *parent) : QMainWindow(parent), m_pipeline(pipeline)
{
    setWindowTitle(u"Hookbench"_s);
    resize(1100, 520);

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);

    auto *header = new QLabel(central);
    header->setTextFormat(Qt::RichText);
    header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    header->setText(u"<b>Receiver</b> http://%1 &nbsp;&nbsp; <b>Kafka</b> %2 &nbsp; <tt>%3</tt>"_s.arg(
        pipeline.listenAddress(), pipeline.kafkaMode().toHtmlEscaped(), pipeline.bootstrap().toHtmlEscaped()));
    layout->addWidget(header);

    auto *hint =
        new QLabel(u"POST webhooks to a source's URL (double-click a URL to copy it). Read them back with "
                   "<tt>kcat -b %1 -C -t webhooks.&lt;source&gt;</tt>."_s.arg(pipeline.bootstrap().section(u',', 0, 0)),
                   central);
    hint->setTextFormat(Qt::RichText);
    hint->setWordWrap(true);
    layout->addWidget(hint);

    m_sources = new QTableWidget(0, ColumnCount, central);
    m_sources->setHorizontalHeaderLabels(
        {tr("Source"), tr("Provider"), tr("Receiver URL"), tr("Received"), tr("Duplicates"), tr("Rejected")});
    m_sources->verticalHeader()->hide();
    m_sources->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_sources->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_sources->horizontalHeader()->setSectionResizeMode(Url, QHeaderView::Stretch);
    for (const auto &source : pipeline.config().sources) {
        const int row = m_sources->rowCount();
        m_sources->insertRow(row);
        m_sources->setItem(row, Source, new QTableWidgetItem(source.name));
        m_sources->setItem(row, Provider, new QTableWidgetItem(source.provider));
        auto *url = new QTableWidgetItem(u"http://"_s % pipeline.listenAddress() % u"/webhooks/"_s % source.name);
        url->setToolTip(tr("Double-click to copy"));
        m_sources->setItem(row, Url, url);
        for (int column : {Received, Duplicates, Rejected}) {
            auto *item = new QTableWidgetItem(u"0"_s);
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_sources->setItem(row, column, item);
        }
    }
    m_sources->resizeColumnsToContents();
    m_sources->horizontalHeader()->setSectionResizeMode(Url, QHeaderView::Stretch);
    connect(m_sources, &QTableWidget::cellDoubleClicked, this, [this](int row, int) {
        const QString url = m_sources->item(row, Url)->text();
        QApplication::clipboard()->setText(url);
        statusBar()->showMessage(tr("Copied %1").arg(url), 3000);
    });
    layout->addWidget(m_sources);
    setCentralWidget(central);

    m_status = new QLabel(this);
    statusBar()->addPermanentWidget(m_status);

    m_refresh.setInterval(500);
    connect(&m_refresh, &QTimer::timeout, this, &MainWindow::refreshCounters);
    m_refresh.start();
    refreshCounters();
}

void MainWindow::refreshCounters()
{
    const metrics::MetricsRegistry &metrics = m_pipeline.metrics();
    double total = 0;
    for (int row = 0; row < m_sources->rowCount(); ++row) {
        const QString source = m_sources->item(row, Source)->text();
        const double received = metrics.counterValue(u"webhook_received_total"_s, {{u"source"_s, source}});
        total += received;
        m_sources->item(row, Received)->setText(QString::number(received, 'f', 0));
        m_sources->item(row, Duplicates)
            ->setText(
                QString::number(metrics.counterValue(u"webhook_duplicates_total"_s, {{u"source"_s, source}}), 'f', 0));
        m_sources->item(row, Rejected)->setText(QString::number(metrics.rejectedTotal(source), 'f', 0));
    }
    m_status->setText(tr("%1 webhooks received").arg(QString::number(total, 'f', 0)));
}

} // namespace hookbench::ui
