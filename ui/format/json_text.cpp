#include "ui/format/json_text.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace hookbench::ui {

JsonCheck JsonText::check(const QString &text)
{
    JsonCheck result;
    QJsonParseError error{};
    QJsonDocument::fromJson(text.toUtf8(), &error);
    if (error.error == QJsonParseError::NoError) {
        result.ok = true;
        return result;
    }
    const auto [line, column] = lineColumn(text, error.offset);
    result.line = line;
    result.column = column;
    result.message = error.errorString();
    return result;
}

std::pair<int, int> JsonText::lineColumn(const QString &text, qsizetype utf8Offset)
{
    // The offset counts UTF-8 bytes; walk the characters and count their encoded sizes.
    int line = 1;
    int column = 1;
    qsizetype bytes = 0;
    for (qsizetype i = 0; i < text.size() && bytes < utf8Offset; ++i) {
        const QChar c = text.at(i);
        if (c.isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate()) {
            bytes += 4;
            ++i;
            ++column;
            continue;
        }
        const char16_t u = c.unicode();
        bytes += u < 0x80 ? 1 : u < 0x800 ? 2 : 3;
        if (u == u'\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return {line, column};
}

QString JsonText::pretty(const QString &text)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError)
        return text;
    return QString::fromUtf8(doc.toJson(QJsonDocument::Indented));
}

QString JsonText::compact(const QString &text)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError)
        return text;
    return QString::fromUtf8(doc.toJson(QJsonDocument::Compact));
}

} // namespace hookbench::ui
