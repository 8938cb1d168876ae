#pragma once

// EntityKeyPreviewer: what an entity key pointer yields on the last payload a source received.
// Reads the newest journal entry of the source (with its body) on its own thread and connection
// and runs the provider's own entity key extraction with the pointer (empty: the provider
// default), so the preview is exactly the key the receiver would produce.

#include <memory>

#include <QObject>
#include <QString>

namespace hookbench::store {
class JournalQuery;
} // namespace hookbench::store

namespace hookbench::ui {

struct EntityKeyPreview
{
    quint64 generation = 0;
    bool ok = false;    // a key came out
    qint64 entryId = 0; // the entry it was evaluated against; 0 when there is none
    QString text;       // the key, or why there is none
};

class EntityKeyPreviewer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EntityKeyPreviewer)

public:
    explicit EntityKeyPreviewer(QString databasePath);
    ~EntityKeyPreviewer() override;

    // Runs on the previewer's thread (post it with QMetaObject::invokeMethod).
    void preview(quint64 generation, const QString &source, const QString &provider, const QString &pointer);

signals:
    void previewed(const hookbench::ui::EntityKeyPreview &preview);

private:
    QString m_databasePath;
    std::unique_ptr<store::JournalQuery> m_journal;
};

} // namespace hookbench::ui
