#pragma once

// ByteFormat: the inspector's views of raw bytes — a classic hex dump, the first offset where two
// byte strings differ, and a pretty JSON tree model.

#include <QByteArray>
#include <QString>

class QJsonValue;
class QStandardItem;
class QStandardItemModel;

namespace hookbench::ui {

class ByteFormat final
{
public:
    // "00000010  7b 22 69 64 …  |{"id…|" lines, at most maxBytes bytes from `from`.
    static QString hexDump(const QByteArray &bytes, qsizetype from = 0, qsizetype maxBytes = 64 * 1024);
    // Offset of the first differing byte; -1 when equal (a prefix differs at the shorter size).
    static qsizetype firstDifference(const QByteArray &a, const QByteArray &b);
    // Whether the bytes look like text (valid UTF-8 without control bytes other than whitespace).
    static bool isText(const QByteArray &bytes);
    // Fills model with key / value / type rows for the JSON value (objects and arrays nest).
    static void fillJsonModel(QStandardItemModel &model, const QJsonValue &root);

private:
    static void addJson(QStandardItem *parent, const QString &key, const QJsonValue &value);
};

} // namespace hookbench::ui
