#pragma once

// WorkerThread: the RAII holder of the one thread recipe — a QThread that owns worker QObjects
// moved to it, deletes them on that thread when it finishes, and is quit and waited for on
// destruction, so a window or model can own a loader without leaking or racing it.

#include <mutex>

#include <QString>
#include <QThread>

namespace hookbench::ui {

class WorkerThread final
{
    Q_DISABLE_COPY_MOVE(WorkerThread)

public:
    explicit WorkerThread(const QString &name);
    ~WorkerThread();

    // Moves `worker` (no parent) to this thread; it is deleted there when the thread stops.
    void adopt(QObject *worker);
    void start();

private:
    QThread m_thread;
    std::mutex m_handOff; // see adopt()
};

} // namespace hookbench::ui
