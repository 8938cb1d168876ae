// Saves PNGs of the analysis panes for review: a real pipeline receives webhooks, and a real
// consumer group on its embedded cluster feeds the assignment diagram and the partition table.
// Usage: ui_pane_screenshots OUTDIR (run with QT_QPA_PLATFORM=offscreen).

#include <memory>

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QStyleFactory>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>

#include "core/config/config_loader.h"
#include "core/kafka/consumer_group.h"
#include "core/pipeline/ingest_pipeline.h"
#include "test_client.h"
#include "ui/widgets/assignment_diagram.h"
#include "ui/panes/charts_pane.h"
#include "ui/panes/consumer_group_pane.h"
#include "ui/panes/key_explorer_pane.h"
#include "ui/models/partition_table_model.h"
#include "ui/panes/partitions_pane.h"

using namespace Qt::StringLiterals;
using namespace hookbench;

namespace {

void waitMs(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(37, 37, 38));
    p.setColor(QPalette::WindowText, QColor(220, 220, 220));
    p.setColor(QPalette::Base, QColor(30, 30, 30));
    p.setColor(QPalette::AlternateBase, QColor(45, 45, 48));
    p.setColor(QPalette::Text, QColor(220, 220, 220));
    p.setColor(QPalette::Button, QColor(55, 55, 58));
    p.setColor(QPalette::ButtonText, QColor(220, 220, 220));
    p.setColor(QPalette::Highlight, QColor(42, 130, 218));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::PlaceholderText, QColor(150, 150, 150));
    p.setColor(QPalette::Mid, QColor(90, 90, 90));
    p.setColor(QPalette::Midlight, QColor(70, 70, 70));
    return p;
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setStyle(QStyleFactory::create(u"Fusion"_s));
    const QString out = argc > 1 ? QString::fromLocal8Bit(argv[1]) : u"."_s;
    QDir().mkpath(out);

    QTemporaryDir dir;
    auto config = config::ConfigLoader::parse(R"({
        "sources": [{"name": "stripe", "provider": "none", "entity_key": "/data/object/customer"}],
        "kafka": {"mode": "embedded", "brokers": 3, "partitions": 6},
        "listen": "127.0.0.1:0"})",
                                              u"<screenshots>"_s);
    if (!config)
        return 2;
    pipeline::PipelineOptions options;
    options.config = *config;
    options.dataDir = dir.path();
    auto started = pipeline::IngestPipeline::start(options);
    if (!started) {
        qWarning("%s", qPrintable(started.error().message));
        return 2;
    }
    pipeline::IngestPipeline &pipeline = **started;

    ui::PartitionsPane partitions(pipeline);
    ui::KeyExplorerPane keys(pipeline);
    ui::ConsumerGroupPane group(pipeline);
    ui::ChartsPane charts(pipeline);
    for (QWidget *w : std::initializer_list<QWidget *>{&partitions, &keys, &group, &charts}) {
        w->resize(1000, 620);
        w->show();
    }
    waitMs(1500);
    for (int i = 0; i < 90; ++i) {
        const int customer = i % 11 == 0 ? 0 : (i * 7) % 9; // cus_0 is hot
        const QByteArray body = R"({"type":"invoice.paid","data":{"object":{"customer":"cus_)"
                                + QByteArray::number(customer) + R"("}},"n":)" + QByteArray::number(i) + "}";
        post(pipeline.port(), "/webhooks/stripe", body, {{"Content-Type", "application/json"}});
        if (i % 15 == 0)
            waitMs(600);
    }

    // A real consumer group on the pipeline's cluster, slow enough to show lag.
    kafka::ConsumerGroupSettings settings;
    settings.bootstrap = pipeline.bootstrap();
    settings.groupId = u"screenshot-group"_s;
    settings.memberCount = 3;
    settings.stateRefreshMs = 300;
    settings.properties = {{u"session.timeout.ms"_s, u"4000"_s}, {u"heartbeat.interval.ms"_s, u"200"_s}};
    auto consumers = kafka::ConsumerGroup::create(settings);
    if (!consumers)
        return 3;
    int handled = 0;
    (*consumers)->setHandler([&handled](const kafka::ConsumedRecord &, kafka::Completion done) {
        if (++handled < 40)
            QTimer::singleShot(50, qApp, [done] { done(); });
    });
    ui::AssignmentDiagram diagram;
    ui::PartitionTableModel model;
    QTableView table;
    table.setModel(&model);
    table.verticalHeader()->hide();
    table.horizontalHeader()->setStretchLastSection(true);
    diagram.resize(900, 300);
    table.resize(900, 260);
    diagram.show();
    table.show();
    QObject::connect((*consumers).get(), &kafka::ConsumerGroup::stateChanged, &diagram, [&] {
        diagram.setState((*consumers)->state());
        model.setState((*consumers)->state());
    });
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 20000 && handled < 40)
        waitMs(200);
    waitMs(1500);
    partitions.selectKey("cus_0");
    keys.setKey(u"cus_0"_s);
    waitMs(2500);

    auto save = [&out](QWidget &w, const QString &name) {
        const QString path = out + u'/' + name + u".png"_s;
        w.grab().save(path);
        qInfo("saved %s", qPrintable(path));
    };
    save(partitions, u"partitions"_s);
    save(keys, u"key_explorer"_s);
    save(group, u"consumer_group"_s);
    save(charts, u"charts"_s);
    save(diagram, u"assignment_live"_s);
    save(table, u"partition_table_live"_s);

    // Rebalance: one member more; grab mid-animation and after.
    (void)(*consumers)->setMemberCount(4);
    clock.restart();
    while (clock.elapsed() < 15000 && !diagram.isAnimating())
        waitMs(20);
    waitMs(ui::AssignmentDiagram::kAnimationMs / 3);
    save(diagram, u"assignment_moving"_s);

    QApplication::setPalette(darkPalette());
    waitMs(1200);
    save(partitions, u"partitions_dark"_s);
    save(charts, u"charts_dark"_s);
    save(diagram, u"assignment_dark"_s);
    save(keys, u"key_explorer_dark"_s);
    consumers->reset();
    pipeline.stop(2000);
    return 0;
}
