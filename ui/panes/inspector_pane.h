#pragma once

// InspectorPane: everything about the selected journal entry, in tabs — Request (headers with
// repeats, raw/hex/JSON body), Verification (and a paste box to find where a body differs),
// Dedup, Kafka (with why the key landed on its partition) and the Processing timeline. Entries
// are read by a DetailLoader on its own thread; links to other entries emit entryLinkActivated.
//
// The shown entry follows its state: journal commits, the EventProcessor's activity for its id
// and entryMayHaveChanged() (the feed's row changed) ask for a re-read. Requests are coalesced
// (at most one read per kRefreshMs, on the loader's thread), and a re-read touches only the views
// whose text changed, keeping the tab, scroll positions, selections, the JSON tree's expansion
// and the pasted text.

#include <memory>

#include <QByteArray>
#include <QHash>
#include <QTimer>
#include <QWidget>

#include "ui/workers/detail_loader.h"

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QStackedWidget;
class QStandardItemModel;
class QTabWidget;
class QTableWidget;
class QTextBrowser;
class QTreeView;

namespace hookbench::pipeline {
class IngestPipeline;
} // namespace hookbench::pipeline

namespace hookbench::ui {

class WorkerThread;

class InspectorPane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(InspectorPane)

public:
    enum Tab { RequestTab, VerificationTab, DedupTab, KafkaTab, ProcessingTab };
    static constexpr qint64 kLargeBody = DetailLoader::kViewsLimit; // shown only on request
    static constexpr int kRefreshMs = 300;                          // at most one re-read of the shown entry per this

    explicit InspectorPane(pipeline::IngestPipeline &pipeline, QWidget *parent = nullptr);
    ~InspectorPane() override;

    void showEntry(qint64 id);
    qint64 entryId() const { return m_id; }
    QTabWidget *tabs() const { return m_tabs; }
    // The text each tab shows (for tests and copy): request summary and headers, verification,
    // dedup, Kafka, processing (the notes, then one tab-separated line per attempt).
    QString tabText(Tab tab) const;

    // The entry `id` may have changed (its feed row did): re-read it soon if it is the one shown.
    void entryMayHaveChanged(qint64 id);
    // Re-reads sent since construction (tests check the coalescing).
    int refreshReads() const { return m_refreshReads; }

signals:
    void entryLoaded(qint64 id);
    // A re-read of the shown entry found something new and updated the views.
    void entryRefreshed(qint64 id);
    void entryLinkActivated(qint64 id);
    // "Edit & replay…": open the payload editor on the shown entry.
    void editRequested(qint64 id);

private:
    void applyDetail(const EntryDetail &detail);
    void applyRefresh(const EntryDetail &detail);
    void sendRefresh();
    void showRequest(const store::JournalEntry &entry, const std::optional<BodyViews> &views);
    // Sets views built off the GUI thread (DetailLoader): text, hex, the JSON tree.
    void showBody(const BodyViews &views);
    void fillBodyTab(int index);                        // Raw (1) and Hex (2) are filled when first shown
    static constexpr qsizetype kEagerViews = 64 * 1024; // smaller bodies fill every tab at once
    // Sets the browser's HTML unless it already shows it; keepPlace restores the scroll position
    // and the selection afterwards. Returns whether the text changed.
    bool setHtml(QTextBrowser *browser, const QString &html, bool keepPlace);
    bool showTimeline(const QList<store::AttemptRow> &attempts, bool keepPlace);
    void comparePastedBody();
    void onLink(const QUrl &url);

    pipeline::IngestPipeline &m_pipeline;
    std::unique_ptr<WorkerThread> m_thread;
    DetailLoader *m_loader = nullptr;
    quint64 m_generation = 0;
    qint64 m_id = 0;
    bool m_loaded = false; // the current selection's first read is shown
    QByteArray m_body;
    BodyViews m_views; // of the shown body; its text views are filled on first show
    bool m_textShown = false;
    bool m_hexShown = false;
    QTimer m_refreshTimer;
    bool m_refreshWanted = false;
    bool m_refreshInFlight = false;
    int m_refreshReads = 0;
    QHash<const QTextBrowser *, QString> m_html; // what each browser shows, as set

    QTabWidget *m_tabs = nullptr;
    QLabel *m_requestSummary = nullptr;
    QPushButton *m_editButton = nullptr;
    QTableWidget *m_headers = nullptr;
    QTabWidget *m_bodyTabs = nullptr;
    QStackedWidget *m_bodyStack = nullptr;
    QLabel *m_largeBodyLabel = nullptr;
    QPushButton *m_showAnyway = nullptr;
    QPlainTextEdit *m_bodyText = nullptr;
    QPlainTextEdit *m_bodyHex = nullptr;
    QTreeView *m_jsonTree = nullptr;
    QStandardItemModel *m_jsonModel = nullptr;
    QTextBrowser *m_verification = nullptr;
    QPlainTextEdit *m_pasteBox = nullptr;
    QPlainTextEdit *m_compareResult = nullptr;
    QTextBrowser *m_dedup = nullptr;
    QTextBrowser *m_kafka = nullptr;
    QTextBrowser *m_processing = nullptr;
    QTableWidget *m_timeline = nullptr;
};

} // namespace hookbench::ui
