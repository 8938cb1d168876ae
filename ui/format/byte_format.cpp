#include "ui/format/byte_format.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QStandardItemModel>
#include <QStringDecoder>

using namespace Qt::StringLiterals;

namespace hookbench::ui {

QString ByteFormat::hexDump(const QByteArray &bytes, qsizetype from, qsizetype maxBytes)
{
    from = qBound(qsizetype(0), from, bytes.size());
    const qsizetype end = qMin(bytes.size(), from + maxBytes);
    QString out;
    out.reserve((end - from) / 16 * 80 + 80);
    for (qsizetype line = from - from % 16; line < end; line += 16) {
        out += u"%1  "_s.arg(line, 8, 16, QLatin1Char('0'));
        QString ascii;
        for (qsizetype i = line; i < line + 16; ++i) {
            if (i < from || i >= end) {
                out += u"   "_s;
                ascii += u' ';
            } else {
                const auto byte = static_cast<unsigned char>(bytes.at(i));
                out += u"%1 "_s.arg(uint(byte), 2, 16, QLatin1Char('0'));
                ascii += byte >= 0x20 && byte < 0x7f ? QChar(char16_t(byte)) : u'.';
            }
            if (i % 16 == 7)
                out += u' ';
        }
        out += u" |"_s + ascii + u"|\n"_s;
    }
    if (end < bytes.size())
        out += u"… %1 more bytes\n"_s.arg(bytes.size() - end);
    return out;
}

qsizetype ByteFormat::firstDifference(const QByteArray &a, const QByteArray &b)
{
    const qsizetype common = qMin(a.size(), b.size());
    for (qsizetype i = 0; i < common; ++i) {
        if (a.at(i) != b.at(i))
            return i;
    }
    return a.size() == b.size() ? -1 : common;
}

bool ByteFormat::isText(const QByteArray &bytes)
{
    for (char c : bytes) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 && c != '\n' && c != '\r' && c != '\t')
            return false;
    }
    auto decoder = QStringDecoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    [[maybe_unused]] const QString decoded = decoder(bytes);
    return !decoder.hasError();
}

void ByteFormat::fillJsonModel(QStandardItemModel &model, const QJsonValue &root)
{
    model.clear();
    model.setHorizontalHeaderLabels({QObject::tr("Key"), QObject::tr("Value"), QObject::tr("Type")});
    addJson(model.invisibleRootItem(), u"(root)"_s, root);
}

void ByteFormat::addJson(QStandardItem *parent, const QString &key, const QJsonValue &value)
{
    auto *keyItem = new QStandardItem(key);
    auto *valueItem = new QStandardItem;
    auto *typeItem = new QStandardItem;
    for (QStandardItem *item : {keyItem, valueItem, typeItem})
        item->setEditable(false);
    switch (value.type()) {
    case QJsonValue::Object: {
        const QJsonObject object = value.toObject();
        typeItem->setText(u"object"_s);
        valueItem->setText(u"{%1}"_s.arg(object.size()));
        for (auto it = object.begin(); it != object.end(); ++it)
            addJson(keyItem, it.key(), it.value());
        break;
    }
    case QJsonValue::Array: {
        const QJsonArray array = value.toArray();
        typeItem->setText(u"array"_s);
        valueItem->setText(u"[%1]"_s.arg(array.size()));
        for (qsizetype i = 0; i < array.size(); ++i)
            addJson(keyItem, QString::number(i), array.at(i));
        break;
    }
    case QJsonValue::String:
        typeItem->setText(u"string"_s);
        valueItem->setText(u"\"%1\""_s.arg(value.toString()));
        break;
    case QJsonValue::Double:
        typeItem->setText(u"number"_s);
        valueItem->setText(QString::number(value.toDouble(), 'g', 17));
        break;
    case QJsonValue::Bool:
        typeItem->setText(u"bool"_s);
        valueItem->setText(value.toBool() ? u"true"_s : u"false"_s);
        break;
    case QJsonValue::Null:
        typeItem->setText(u"null"_s);
        valueItem->setText(u"null"_s);
        break;
    case QJsonValue::Undefined: break;
    }
    parent->appendRow({keyItem, valueItem, typeItem});
}

} // namespace hookbench::ui
