#pragma once

// LaneView: one horizontal lane per partition of a topic, the most recent records as marks
// (oldest left, newest right, in offset order) coloured by a hash of their entity key, so all
// events of one customer visibly fall in one lane, in order. Clicking a mark selects its key and
// highlights every mark with that key; hovering shows a text tooltip. Data updates repaint at
// most every kRepaintIntervalMs.

#include <QByteArray>
#include <QColor>
#include <QList>
#include <QRect>
#include <QTimer>
#include <QWidget>

#include "ui/models/recent_record.h"

namespace hookbench::ui {

class LaneView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LaneView)

public:
    static constexpr int kRepaintIntervalMs = 100;

    explicit LaneView(QWidget *parent = nullptr);

    // Records of one topic (any order); lanes 0..partitionCount-1.
    void setRecords(int partitionCount, const QList<RecentRecord> &records);
    void setSelectedKey(const QByteArray &key);
    QByteArray selectedKey() const { return m_selectedKey; }
    void setEmptyText(const QString &text);

    // The colour a key's marks get (stable for a key; grey for no key).
    static QColor keyColor(const QByteArray &key, bool dark);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    // The user clicked a mark (its key) or empty space (empty key).
    void keyClicked(const QByteArray &key);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    bool event(QEvent *event) override;

private:
    struct Mark
    {
        QRect rect;
        int recordIndex = -1;
    };
    void scheduleRepaint();
    void layoutMarks();
    int markAt(const QPoint &pos) const;
    QRect laneRect(int lane) const;

    QList<RecentRecord> m_records;
    QList<Mark> m_marks; // for hit tests, rebuilt on paint
    int m_partitionCount = 0;
    QByteArray m_selectedKey;
    QString m_emptyText;
    QTimer m_repaint;
    bool m_dirty = false;
};

} // namespace hookbench::ui
