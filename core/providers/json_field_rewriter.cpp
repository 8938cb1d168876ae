#include "core/providers/json_field_rewriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

using namespace Qt::StringLiterals;

namespace hookbench::providers {

namespace {

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Index just past the string literal that starts at `at` (a '"'), or -1 when it does not end.
qsizetype stringEnd(const QByteArray &text, qsizetype at)
{
    for (qsizetype i = at + 1; i < text.size(); ++i) {
        if (text.at(i) == '\\')
            ++i;
        else if (text.at(i) == '"')
            return i + 1;
    }
    return -1;
}

struct Span
{
    qsizetype begin = -1; // the value's opening quote
    qsizetype end = -1;   // just past its closing quote
};

// Finds the string value of member `name` of the top-level object by scanning the text (the
// document was already parsed, so it is well-formed). The key is compared after decoding, so an
// escaped key still counts. A member whose value is not a string yields no span; with duplicate
// keys the last one wins, as in QJsonDocument.
Span findTopLevelString(const QByteArray &text, const QString &name)
{
    Span found;
    int depth = 0;
    bool expectKey = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text.at(i);
        if (c == '{' || c == '[') {
            ++depth;
            expectKey = c == '{' && depth == 1;
        } else if (c == '}' || c == ']') {
            --depth;
        } else if (c == ',' && depth == 1) {
            expectKey = true;
        } else if (c == '"') {
            const qsizetype end = stringEnd(text, i);
            if (end < 0)
                return {};
            if (depth == 1 && expectKey) {
                expectKey = false;
                const QJsonDocument key = QJsonDocument::fromJson('[' + text.mid(i, end - i) + ']');
                qsizetype v = end;
                while (v < text.size() && (isSpace(text.at(v)) || text.at(v) == ':'))
                    ++v;
                if (key.array().at(0).toString() == name) {
                    if (v < text.size() && text.at(v) == '"') {
                        const qsizetype valueEnd = stringEnd(text, v);
                        if (valueEnd < 0)
                            return {};
                        found = {v, valueEnd};
                    } else {
                        found = {};
                    }
                }
            }
            i = end - 1;
        }
    }
    return found;
}

} // namespace

QByteArray JsonFieldRewriter::quoted(const QString &value)
{
    const QByteArray array = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2); // strip [ and ]
}

Result<QByteArray> JsonFieldRewriter::setTopLevelString(const QByteArray &body, const QString &name,
                                                        const QString &value)
{
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject()) {
        return Error{u"unsupported"_s,
                     u"cannot set \"%1\": the body is not a JSON object (%2)"_s.arg(
                         name, error.error != QJsonParseError::NoError ? error.errorString() : u"not an object"_s)};
    }
    if (document.object().value(name).isString()) {
        const Span span = findTopLevelString(body, name);
        if (span.begin >= 0) {
            QByteArray out = body;
            out.replace(span.begin, span.end - span.begin, quoted(value));
            return out;
        }
    }
    // Absent or not a string: the body changes shape anyway, so a re-serialisation will do.
    QJsonObject object = document.object();
    object.insert(name, value);
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace hookbench::providers
