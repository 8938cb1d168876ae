#pragma once

// PayloadEditorDialog: edit a request and send it again. Opens on a journal entry (from the
// inspector, the live feed or a dead letter, read off the GUI thread) or on a provider template
// (resources/templates). The body is edited as JSON (highlighted, validated with the line and
// column of the first error, pretty/compact) or as raw text (Twilio's form bodies); headers as a
// list. Below the editor a line diff of body and headers against the original is kept up to
// date, with the signature headers as they will be re-computed, so what is sent is seen first.
//
// Sending: through the receiver (the full path: verify, dedup, journal, produce), re-signed with
// the source's first secret and the current time, or with the old signature to show the
// rejection; or straight to the original topic. The idempotency key is kept (to show dedup) or a
// new one is minted. Entries go through the ReplayService (a dead letter is marked replayed);
// templates, which have no journal entry, are signed here and POSTed to the receiver.

#include <memory>

#include <QDialog>

#include "core/http/http_request.h"
#include "core/util/line_diff.h"
#include "core/util/result.h"
#include "ui/format/json_text.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;

namespace hookbench::pipeline {
class IngestPipeline;
} // namespace hookbench::pipeline

namespace hookbench::ui {

struct EntryDetail;
class JsonHighlighter;
class WorkerThread;

class PayloadEditorDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PayloadEditorDialog)

public:
    enum class SendTo { Receiver, Topic };

    // A journal entry; deadLetterId (when opened from the DLQ) is marked replayed after a send.
    PayloadEditorDialog(pipeline::IngestPipeline &pipeline, qint64 journalId, qint64 deadLetterId,
                        QWidget *parent = nullptr);
    // The template of the source's provider, with fresh ids; sent through the receiver only.
    PayloadEditorDialog(pipeline::IngestPipeline &pipeline, const QString &sourceName, QWidget *parent = nullptr);
    ~PayloadEditorDialog() override;

    bool isLoaded() const { return m_loaded; }
    QPlainTextEdit *bodyEdit() const { return m_body; }
    QTableWidget *headersTable() const { return m_headers; }
    void setRawMode(bool raw);
    bool rawMode() const;
    JsonCheck validation() const { return m_check; }
    QString validationText() const;
    // The headers as the list shows them, in order (empty names skipped).
    http::HeaderList editedHeaders() const;
    QByteArray editedBody() const;
    QList<DiffLine> bodyDiff() const { return m_bodyDiff; }
    QList<DiffLine> headerDiff() const { return m_headerDiff; }
    QString diffText() const; // what the diff view shows

    void setSendTo(SendTo to);
    void setResign(bool resign);
    void setNewIdempotencyKey(bool mint);
    bool canSend(QString *why = nullptr) const;
    void send();
    QString statusText() const;

    // A template in resources/templates' format ({"provider", "event_type", "headers", "body_text"}).
    Result<void> saveTemplate(const QString &path) const;
    // The body as a fixture file, byte for byte.
    Result<void> saveFixture(const QString &path) const;

signals:
    void loaded();
    // httpStatus 0 and status "error" when nothing was sent (reason says why).
    void sent(int httpStatus, const QString &status, const QString &reason, qint64 newJournalId);

private:
    void build();
    void applyDetail(const EntryDetail &detail);
    void setOriginal(const QString &source, const http::HeaderList &headers, const QByteArray &body,
                     const QString &target);
    void updateDiff();
    void updateValidation();
    void updateControls();
    // The headers that will be sent: the edited list with the signature re-computed when re-signing.
    http::HeaderList previewHeaders(QString *note) const;
    void sendTemplate();
    void finishSend(int httpStatus, const QString &status, const QString &reason, qint64 newJournalId);

    pipeline::IngestPipeline &m_pipeline;
    std::unique_ptr<WorkerThread> m_thread;
    qint64 m_journalId = 0;
    qint64 m_deadLetterId = 0;
    bool m_loaded = false;
    bool m_sending = false;
    QString m_source;
    QString m_target;
    http::HeaderList m_originalHeaders;
    QByteArray m_originalBody;
    JsonCheck m_check;
    QList<DiffLine> m_bodyDiff;
    QList<DiffLine> m_headerDiff;

    QLabel *m_origin = nullptr;
    QComboBox *m_mode = nullptr;
    QPushButton *m_pretty = nullptr;
    QPushButton *m_compact = nullptr;
    QLabel *m_validation = nullptr;
    QPlainTextEdit *m_body = nullptr;
    JsonHighlighter *m_highlighter = nullptr;
    QTableWidget *m_headers = nullptr;
    QPlainTextEdit *m_diff = nullptr;
    QComboBox *m_sendTo = nullptr;
    QCheckBox *m_resign = nullptr;
    QCheckBox *m_newKey = nullptr;
    QPushButton *m_send = nullptr;
    QLabel *m_status = nullptr;
};

} // namespace hookbench::ui
