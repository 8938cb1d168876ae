#pragma once

// CaptureWorker: the capture tools' file and journal work, off the GUI thread. It lives on a
// WorkerThread; each call hops to that thread, does the work (reading a HAR or a folder,
// selecting journal entries, writing an export) and answers on `context`'s thread, unless the
// context was deleted meanwhile.

#include <functional>

#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

#include "core/capture/input_loader.h"
#include "core/capture/session_importer.h"
#include "core/config/config.h"
#include "core/util/result.h"

namespace hookbench::store {
class JournalWriter;
} // namespace hookbench::store

namespace hookbench::ui {

class CaptureWorker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CaptureWorker)

public:
    // `writer` (the pipeline's) takes imported sessions; it outlives the worker.
    CaptureWorker(config::Config config, QString databasePath, store::JournalWriter *writer = nullptr);

    // A HAR, session, collection, curl file or fixture folder (signed for fixtureSource).
    void load(const QString &path, const QString &fixtureSource, QObject *context,
              std::function<void(const Result<capture::LoadedInput> &)> done);
    // Journal entries as captures (in id order).
    void captures(const QList<qint64> &ids, QObject *context,
                  std::function<void(const Result<QList<capture::Capture>> &)> done);
    // curl commands for the entries: with the signature headers as sent, or signed again with
    // their source's first secret.
    void curl(const QList<qint64> &ids, bool resign, const QByteArray &baseUrl, QObject *context,
              std::function<void(const Result<QString> &)> done);
    // format: "session", "har", "fixtures" (path is a folder), "curl". Answers a summary.
    void exportEntries(const QList<qint64> &ids, const QString &format, const QString &path, const QByteArray &baseUrl,
                       QObject *context, std::function<void(const Result<QString> &)> done);

    // A session file's entries, attempts and dead letters into this journal, in one transaction.
    void importSession(const QString &path, QObject *context,
                       std::function<void(const Result<capture::SessionImportResult> &)> done);

private:
    template <typename T>
    void run(QObject *context, std::function<Result<T>()> work, std::function<void(const Result<T> &)> done);

    config::Config m_config;
    QString m_databasePath;
    store::JournalWriter *m_writer = nullptr;
};

} // namespace hookbench::ui
