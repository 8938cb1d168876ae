#include "core/capture/curl_exporter.h"

#include "core/capture/credential_redactor.h"

namespace hookbench::capture {

namespace {

bool needsAnsiQuote(const QByteArray &word)
{
    for (const char c : word) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && c != '\n' && c != '\t') || u == 0x7f)
            return true;
    }
    // Bytes >= 0x80 are kept as they are only when they are UTF-8 text.
    return QString::fromUtf8(word).toUtf8() != word;
}

} // namespace

QByteArray CurlExporter::quote(const QByteArray &word)
{
    if (!needsAnsiQuote(word)) {
        QByteArray out = "'";
        for (const char c : word) {
            if (c == '\'')
                out += "'\\''";
            else
                out += c;
        }
        return out + '\'';
    }
    QByteArray out = "$'";
    for (const char c : word) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '\\' || c == '\'')
            out += QByteArray("\\") + c;
        else if (u >= 0x20 && u < 0x7f)
            out += c;
        else
            out += "\\x" + QByteArray::number(u, 16).rightJustified(2, '0');
    }
    return out + '\'';
}

QByteArray CurlExporter::toCurl(const Capture &capture, const QByteArray &baseUrl)
{
    QByteArray url = capture.url;
    if (!baseUrl.isEmpty() || url.startsWith('/')) {
        QByteArray base = baseUrl.isEmpty() ? QByteArray("http://127.0.0.1:8088") : baseUrl;
        while (base.endsWith('/'))
            base.chop(1);
        url = base + capture.target();
    }
    QByteArray out = "curl -X " + quote(capture.method) + ' ' + quote(url);
    for (const auto &[name, value] : CredentialRedactor::redact(capture.headers)) {
        if (name.compare("Host", Qt::CaseInsensitive) == 0 || name.compare("Content-Length", Qt::CaseInsensitive) == 0)
            continue;
        // curl sends "-H 'Name;'" as a header with an empty value ("Name:" would remove it).
        out += " \\\n  -H " + quote(value.isEmpty() ? QByteArray(name + ';') : QByteArray(name + ": " + value));
    }
    if (!capture.body.isEmpty() || capture.method == "POST")
        out += " \\\n  --data-binary " + quote(capture.body);
    return out;
}

QByteArray CurlExporter::toCurl(const QList<Capture> &captures, const QByteArray &baseUrl)
{
    QByteArray out;
    for (const Capture &capture : captures) {
        if (!out.isEmpty())
            out += "\n\n";
        out += toCurl(capture, baseUrl);
    }
    return out + '\n';
}

} // namespace hookbench::capture
