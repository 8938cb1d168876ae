#pragma once

// MainWindow: the workbench window. A toolbar with the receiver URL per source (click to copy),
// Kafka mode and brokers, a receiver/Kafka health indicator that re-checks itself, Pause/Resume of
// the live view and "Send test event"; docks for the live feed, the inspector and the partitions,
// key explorer, consumer group and charts panes (View menu toggles them; the layout is saved with
// QSettings); a status bar with counts and rates sampled from the pipeline's metrics.

#include <QElapsedTimer>
#include <QMainWindow>
#include <QTimer>

class QDockWidget;
class QLabel;
class QMenu;
class QNetworkAccessManager;
class QToolButton;

namespace hookbench::pipeline {
class IngestPipeline;
} // namespace hookbench::pipeline

namespace hookbench::ui {

class CollectionsPane;
class DlqPane;
class FeedPane;
class InspectorPane;
class PayloadEditorDialog;
class RetriesPane;
class StallProbe;

class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(pipeline::IngestPipeline &pipeline, QWidget *parent = nullptr);
    ~MainWindow() override;

    FeedPane *feed() const { return m_feed; }
    InspectorPane *inspector() const { return m_inspector; }
    DlqPane *dlq() const { return m_dlq; }
    RetriesPane *retries() const { return m_retries; }
    CollectionsPane *collections() const { return m_collections; }
    // Files given on the command line or by the desktop: sessions open as journal entries,
    // collections in the Collections pane, anything else is imported as captures.
    void openFiles(const QStringList &paths);
    // The payload editor on a journal entry (deadLetterId > 0: that letter's) or, with an empty
    // id and a source name, on the source's template. Non-modal; deleted when closed.
    PayloadEditorDialog *openEditor(qint64 journalId, qint64 deadLetterId = 0);
    PayloadEditorDialog *openTemplateEditor(const QString &sourceName);
    QString statusText() const;
    QString healthText() const;

    // Builds a signed test event for the source and POSTs it to the receiver; the new row is
    // selected when the answer names its journal id.
    void sendTestEvent(const QString &sourceName);

signals:
    void testEventAnswered(int httpStatus, qint64 journalId);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildActions();
    QDockWidget *addDock(QWidget *widget, const QString &title, const QString &objectName, Qt::DockWidgetArea area);
    // The DLQ and Retries docks (tabbed with `beside`) and the editor's ways in: the inspector's
    // button, the feed's context menu; addRedriveMenu() adds the Redrive menu after the others.
    void addRedriveDocks(QDockWidget *beside);
    void addRedriveMenu();
    void refreshCounters();
    void checkHealth();
    void setHealth(bool receiverOk, const QString &detail);
    void copyUrl(const QString &sourceName);
    QString receiverUrl(const QString &sourceName) const;

    pipeline::IngestPipeline &m_pipeline;
    FeedPane *m_feed = nullptr;
    InspectorPane *m_inspector = nullptr;
    DlqPane *m_dlq = nullptr;
    RetriesPane *m_retries = nullptr;
    CollectionsPane *m_collections = nullptr;
    QList<QDockWidget *> m_docks;
    QMenu *m_viewMenu = nullptr;
    QToolButton *m_urlButton = nullptr;
    QToolButton *m_sendButton = nullptr;
    QLabel *m_kafkaLabel = nullptr;
    QLabel *m_healthLabel = nullptr;
    QString m_healthText; // unelided, for healthText()
    QLabel *m_counters = nullptr;
    QAction *m_pauseAction = nullptr;
    QString m_lastTestSource;
    QNetworkAccessManager *m_network = nullptr;
    QTimer m_refresh;
    QTimer m_healthTimer;
    bool m_healthInFlight = false;
    // The Kafka reading of the last health check: produce errors or 202s since then mean Kafka
    // did not answer in between.
    double m_lastProduceErrors = 0;
    double m_lastQueued = 0;
    QElapsedTimer m_rateClock;
    double m_lastReceived = 0;
    qint64 m_lastRateMs = 0;
    double m_rate = 0;
    StallProbe *m_stallProbe = nullptr;
};

} // namespace hookbench::ui
