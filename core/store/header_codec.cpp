#include "core/store/header_codec.h"

#include <algorithm>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QString>

using namespace Qt::StringLiterals;

namespace hookbench::store {

namespace {

QJsonValue encodeBytes(const QByteArray &bytes)
{
    // Exact round trip rather than a validity check alone: the stored form must give back the
    // very same bytes, whatever the UTF-8 decoder does with edge cases such as a BOM.
    const QString text = QString::fromUtf8(bytes);
    if (text.toUtf8() == bytes)
        return text;
    return QJsonObject{{u"base64"_s, QString::fromLatin1(bytes.toBase64())}};
}

bool decodeBytes(const QJsonValue &value, QByteArray *out)
{
    if (value.isString()) {
        *out = value.toString().toUtf8();
        return true;
    }
    if (value.isObject()) {
        const QJsonValue encoded = value.toObject().value(u"base64"_s);
        if (!encoded.isString())
            return false;
        auto decoded =
            QByteArray::fromBase64Encoding(encoded.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded)
            return false;
        *out = std::move(decoded.decoded);
        return true;
    }
    return false;
}

// Bytes that a JSON writer emits unchanged inside a string: printable ASCII except '"' and '\\'.
bool isPlainJsonText(const QByteArray &bytes)
{
    return std::all_of(bytes.begin(), bytes.end(),
                       [](char c) { return c >= 0x20 && c <= 0x7e && c != '"' && c != '\\'; });
}

} // namespace

QByteArray encodeHeaders(const http::HeaderList &headers)
{
    // Fast path, byte for byte what QJsonDocument writes below: real header lines are nearly
    // always plain ASCII, and building a QJsonArray costs several allocations and UTF-16
    // round trips per line on the journal writer thread, for every request.
    const bool plain = std::all_of(headers.begin(), headers.end(), [](const auto &header) {
        return isPlainJsonText(header.first) && isPlainJsonText(header.second);
    });
    if (plain) {
        qsizetype size = 2;
        for (const auto &[name, value] : headers)
            size += name.size() + value.size() + 8;
        QByteArray out;
        out.reserve(size);
        out += '[';
        for (const auto &[name, value] : headers) {
            if (out.size() > 1)
                out += ',';
            out += "[\"";
            out += name;
            out += "\",\"";
            out += value;
            out += "\"]";
        }
        out += ']';
        return out;
    }

    QJsonArray array;
    for (const auto &[name, value] : headers)
        array.append(QJsonArray{encodeBytes(name), encodeBytes(value)});
    return QJsonDocument(array).toJson(QJsonDocument::Compact);
}

Result<http::HeaderList> decodeHeaders(const QByteArray &encoded)
{
    using R = Result<http::HeaderList>;
    if (encoded.isEmpty())
        return http::HeaderList{};
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(encoded, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isArray()) {
        return R::failure(u"store_corrupt_row"_s,
                          u"stored headers are not a JSON array: %1"_s.arg(parseError.errorString()));
    }
    const QJsonArray array = doc.array();
    http::HeaderList headers;
    headers.reserve(array.size());
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QJsonArray pair = array.at(i).toArray();
        QByteArray name;
        QByteArray value;
        if (pair.size() != 2 || !decodeBytes(pair.at(0), &name) || !decodeBytes(pair.at(1), &value)) {
            return R::failure(u"store_corrupt_row"_s,
                              u"stored header %1 is not a [name, value] pair of strings or {\"base64\": ...}"_s.arg(i));
        }
        headers.append({std::move(name), std::move(value)});
    }
    return headers;
}

} // namespace hookbench::store
