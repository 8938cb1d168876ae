#pragma once

// AboutDialog: Help → About. Names the build exactly (version, git commit) and the library
// versions it runs with, and copies them as text for a bug report.

#include <QDialog>

namespace hookbench::ui {

class AboutDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AboutDialog)

public:
    explicit AboutDialog(QWidget *parent = nullptr);

    // One "name version" line per item, as copied to the clipboard.
    QString detailsText() const;
};

} // namespace hookbench::ui
