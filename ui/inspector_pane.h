#pragma once

// InspectorPane: everything about the selected journal entry, in tabs — Request (headers with
// repeats, raw/hex/JSON body), Verification (and a paste box to find where a body differs),
// Dedup, Kafka (with why the key landed on its partition) and the Processing timeline. Entries
// are read by a DetailLoader on its own thread; links to other entries emit entryLinkActivated.

#include <memory>

#include <QByteArray>
#include <QWidget>

#include "ui/detail_loader.h"

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
    static constexpr qint64 kLargeBody = 1024 * 1024; // shown only on request

    explicit InspectorPane(pipeline::IngestPipeline &pipeline, QWidget *parent = nullptr);
    ~InspectorPane() override;

    void showEntry(qint64 id);
    qint64 entryId() const { return m_id; }
    QTabWidget *tabs() const { return m_tabs; }
    // The text each tab shows (for tests and copy): request summary and headers, verification,
    // dedup, Kafka, processing.
    QString tabText(Tab tab) const;

signals:
    void entryLoaded(qint64 id);
    void entryLinkActivated(qint64 id);

private:
    void applyDetail(const EntryDetail &detail);
    void showRequest(const store::JournalEntry &entry);
    void showBody(const QByteArray &body, const QByteArray &contentType);
    void showVerification(const store::JournalEntry &entry);
    void showDedup(const EntryDetail &detail);
    void showKafka(const store::JournalEntry &entry);
    void showProcessing(const EntryDetail &detail);
    void comparePastedBody();
    void onLink(const QUrl &url);

    pipeline::IngestPipeline &m_pipeline;
    std::unique_ptr<WorkerThread> m_thread;
    DetailLoader *m_loader = nullptr;
    quint64 m_generation = 0;
    qint64 m_id = 0;
    QByteArray m_body;

    QTabWidget *m_tabs = nullptr;
    QLabel *m_requestSummary = nullptr;
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
};

} // namespace hookbench::ui
