#pragma once

// ImportDialog: what an importer found in a file, entry by entry — taken entries with a
// checkbox (webhook POSTs checked, the rest not), skipped ones greyed out with why — and a
// preview of the highlighted entry (request line, headers in order, body). OK hands the
// checked captures back.

#include <QDialog>
#include <QList>

#include "core/capture/import_report.h"

class QLabel;
class QPlainTextEdit;
class QTreeWidget;

namespace hookbench::ui {

class ImportDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ImportDialog)

public:
    explicit ImportDialog(capture::ImportReport report, QWidget *parent = nullptr);

    // Every taken capture, `selected` as checked.
    QList<capture::Capture> captures() const;
    int checkedCount() const;

private:
    void showPreview();
    void updateSummary();

    capture::ImportReport m_report;
    QTreeWidget *m_entries = nullptr;
    QPlainTextEdit *m_preview = nullptr;
    QLabel *m_summary = nullptr;
};

} // namespace hookbench::ui
