#include "ui/workers/worker_thread.h"

namespace hookbench::ui {

WorkerThread::WorkerThread(const QString &name)
{
    m_thread.setObjectName(name);
}

WorkerThread::~WorkerThread()
{
    m_thread.quit();
    m_thread.wait();
}

void WorkerThread::adopt(QObject *worker)
{
    worker->moveToThread(&m_thread);
    QObject::connect(&m_thread, &QThread::finished, worker, &QObject::deleteLater);
    // The worker was built on this thread and is used on m_thread by the calls queued from now on.
    // Qt's event queue orders the two, but with locks ThreadSanitizer cannot see in a Qt built
    // without it; a std::mutex released here and taken there, before those calls, makes the same
    // order visible to it. One uncontended lock per worker.
    {
        const std::lock_guard lock(m_handOff);
    }
    QMetaObject::invokeMethod(
        worker, [this] { const std::lock_guard lock(m_handOff); }, Qt::QueuedConnection);
}

void WorkerThread::start()
{
    m_thread.start();
}

} // namespace hookbench::ui
