#include "ui/main_window.h"

namespace hookbench::ui {

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent)
{
    setWindowTitle(QStringLiteral("Hookbench"));
}

} // namespace hookbench::ui
