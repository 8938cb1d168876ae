#pragma once

// BodyViews: the inspector's views of a request body — the text, a hex dump and the JSON tree —
// built off the GUI thread (by the DetailLoader), so a body of megabytes never freezes the
// window; the GUI thread only sets the finished text and adopts the finished tree.

#include <memory>

#include <QByteArray>
#include <QString>

class QStandardItem;
class QStandardItemModel;

namespace hookbench::ui {

struct BodyViews
{
    static constexpr qsizetype kHexLimit = 1024 * 1024; // hex-dumped bytes; the rest is summarised

    qsizetype size = 0;
    bool isText = true; // an empty body is text
    QString text;       // the body as UTF-8 text, or a note that it is binary
    QString hex;
    bool isJson = false;
    // A detached item whose one row is the JSON tree (key / value / type); null when not JSON.
    std::shared_ptr<QStandardItem> jsonHolder;

    // Any thread.
    static BodyViews build(const QByteArray &body);
    // GUI thread: moves the tree into the model (once; later calls leave the model empty).
    void adoptJsonInto(QStandardItemModel &model) const;
};

} // namespace hookbench::ui
