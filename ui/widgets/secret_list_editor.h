#pragma once

// SecretListEditor: a source's secrets, newest first (the first one signs test events; any of
// them verifies, which is how a rotation keeps old deliveries passing). Each secret is a masked
// line edit (QLineEdit::Password) with a Remove button; "Show" unmasks them all while checked.
// "Rotate" puts a freshly generated secret first and keeps the others as previous secrets;
// "Add" appends an empty one to paste a provider's secret into. The values never leave this
// widget except through secrets(): nothing here logs them.

#include <QByteArray>
#include <QList>
#include <QWidget>

class QCheckBox;
class QLineEdit;
class QVBoxLayout;

namespace hookbench::ui {

class SecretListEditor final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SecretListEditor)

public:
    explicit SecretListEditor(QWidget *parent = nullptr);

    void setSecrets(const QList<QByteArray> &secrets);
    QList<QByteArray> secrets() const; // in order, empty rows included (validation names them)
    // The provider whose secret format Rotate generates (see ConfigLoader::generateSecret).
    void setProvider(const QString &provider) { m_provider = provider; }

    QList<QLineEdit *> edits() const { return m_edits; }
    bool revealed() const;
    void setRevealed(bool revealed);
    void rotate();
    void addEmpty();
    void removeAt(int index);

signals:
    void edited();

private:
    void addRow(const QByteArray &secret, int index);
    void relabel();

    QVBoxLayout *m_rows = nullptr;
    QList<QLineEdit *> m_edits;
    QList<QWidget *> m_rowWidgets;
    QCheckBox *m_show = nullptr;
    QString m_provider;
};

} // namespace hookbench::ui
