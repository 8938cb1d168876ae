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
}

void WorkerThread::start()
{
    m_thread.start();
}

} // namespace hookbench::ui
