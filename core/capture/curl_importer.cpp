#include "core/capture/curl_importer.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <QUrl>

#include "core/capture/shell_words.h"

using namespace Qt::StringLiterals;

namespace hookbench::capture {

namespace {

// Options that only change what curl prints or how it connects, not the request sent.
const QSet<QByteArray> &flagsWithoutEffect()
{
    static const QSet<QByteArray> flags{
        "-s",           "--silent",    "-S",     "--show-error",     "-v",        "--verbose",
        "-i",           "--include",   "-L",     "--location",       "-k",        "--insecure",
        "--compressed", "-f",          "--fail", "--fail-with-body", "-#",        "--progress-bar",
        "-N",           "--no-buffer", "-g",     "--globoff",        "--http1.1", "-O",
        "--remote-name"};
    return flags;
}
const QSet<QByteArray> &optionsWithoutEffect() // take one argument
{
    static const QSet<QByteArray> options{"-o", "--output",    "-m",      "--max-time",    "--connect-timeout",
                                          "-w", "--write-out", "--retry", "--retry-delay", "--retry-max-time"};
    return options;
}
// Short options that take an argument (for -XPOST and -sSX POST forms).
const QSet<char> &shortWithArgument()
{
    static const QSet<char> letters{'X', 'H', 'd', 'u', 'A', 'e', 'b', 'o', 'm', 'w', 'F', 'T', 'E', 'x', 'K'};
    return letters;
}

struct CommandState
{
    QByteArray method;
    QByteArray url;
    http::HeaderList headers;
    QList<QByteArray> data;
    bool json = false;
    bool get = false;
    QString unsupported;
    QString error;
};

Result<QByteArray> readAt(const QByteArray &value, const QString &baseDir)
{
    const QByteArray name = value.mid(1);
    if (name == "-")
        return Error{u"unsupported"_s, u"@- (data from standard input) cannot be replayed; save it to a file"_s};
    const QString path = QDir(baseDir.isEmpty() ? QDir::currentPath() : baseDir).filePath(QString::fromLocal8Bit(name));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{u"file_unreadable"_s, u"%1: %2"_s.arg(path, file.errorString())};
    return file.readAll();
}

QByteArray urlencodeData(const QByteArray &value, const QString &baseDir, QString *error)
{
    // curl: "content", "=content", "name=content", "@file", "name@file".
    const qsizetype eq = value.indexOf('=');
    const qsizetype at = value.indexOf('@');
    if (eq >= 0 && (at < 0 || eq < at)) {
        const QByteArray name = value.left(eq);
        const QByteArray encoded = QUrl::toPercentEncoding(QString::fromUtf8(value.mid(eq + 1)));
        return name.isEmpty() ? encoded : name + '=' + encoded;
    }
    if (at >= 0) {
        auto content = readAt(value.mid(at), baseDir);
        if (!content) {
            *error = content.error().message;
            return {};
        }
        const QByteArray encoded = QUrl::toPercentEncoding(QString::fromUtf8(*content));
        return at == 0 ? encoded : value.left(at) + '=' + encoded;
    }
    return QUrl::toPercentEncoding(QString::fromUtf8(value));
}

void setHeaderIfAbsent(http::HeaderList &headers, const QByteArray &name, const QByteArray &value)
{
    for (const auto &header : headers) {
        if (header.first.compare(name, Qt::CaseInsensitive) == 0)
            return;
    }
    headers.append({name, value});
}

// Applies one option with its argument; returns false when the option is not understood.
void apply(CommandState &s, const QByteArray &option, const QByteArray &arg, const QString &baseDir)
{
    if (option == "-X" || option == "--request") {
        s.method = arg;
    } else if (option == "-H" || option == "--header") {
        if (arg.startsWith('@')) {
            s.unsupported = u"-H @file (headers from a file)"_s;
            return;
        }
        const qsizetype colon = arg.indexOf(':');
        const qsizetype semicolon = arg.indexOf(';');
        if (colon <= 0 && semicolon > 0 && semicolon == arg.size() - 1) {
            s.headers.append({arg.left(semicolon), QByteArray()}); // "Name;" sends an empty header
            return;
        }
        if (colon <= 0) {
            s.error = u"-H \"%1\" is not \"Name: value\""_s.arg(QString::fromUtf8(arg));
            return;
        }
        const QByteArray value = arg.mid(colon + 1).trimmed();
        if (value.isEmpty()) {
            // curl: "Name:" removes a header curl would add; nothing to send.
            return;
        }
        s.headers.append({arg.left(colon).trimmed(), value});
    } else if (option == "-d" || option == "--data" || option == "--data-ascii" || option == "--data-binary"
               || option == "--json") {
        QByteArray value = arg;
        if (value.startsWith('@')) {
            auto content = readAt(value, baseDir);
            if (!content) {
                s.error = content.error().message;
                return;
            }
            value = *content;
            if (option != "--data-binary" && option != "--json")
                value.replace("\r", "").replace("\n", ""); // what curl -d @file sends
        }
        s.data.append(value);
        if (option == "--json")
            s.json = true;
    } else if (option == "--data-raw") {
        s.data.append(arg);
    } else if (option == "--data-urlencode") {
        QString error;
        const QByteArray encoded = urlencodeData(arg, baseDir, &error);
        if (!error.isEmpty()) {
            s.error = error;
            return;
        }
        s.data.append(encoded);
    } else if (option == "-u" || option == "--user") {
        s.headers.append({"Authorization", "Basic " + arg.toBase64()});
    } else if (option == "-A" || option == "--user-agent") {
        s.headers.append({"User-Agent", arg});
    } else if (option == "-e" || option == "--referer") {
        s.headers.append({"Referer", arg});
    } else if (option == "-b" || option == "--cookie") {
        if (!arg.contains('=')) {
            s.unsupported = u"-b FILE (a cookie jar)"_s;
            return;
        }
        s.headers.append({"Cookie", arg});
    } else if (option == "--url") {
        s.url = arg;
    } else if (optionsWithoutEffect().contains(option)) {
        // Output and connection options: the request is the same.
    } else {
        s.unsupported = QString::fromUtf8(option);
    }
}

bool takesArgument(const QByteArray &option)
{
    static const QSet<QByteArray> longs{"--request",     "--header",     "--data",           "--data-ascii",
                                        "--data-binary", "--data-raw",   "--data-urlencode", "--json",
                                        "--user",        "--user-agent", "--referer",        "--cookie",
                                        "--url",         "--form",       "--upload-file",    "--cert",
                                        "--proxy",       "--config",     "--form-string",    "--oauth2-bearer",
                                        "--aws-sigv4"};
    if (option.startsWith("--"))
        return longs.contains(option) || optionsWithoutEffect().contains(option);
    return option.size() == 2 && shortWithArgument().contains(option.at(1));
}

} // namespace

Result<ImportReport> CurlImporter::importFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{u"file_unreadable"_s, u"%1: cannot read the curl commands: %2"_s.arg(path, file.errorString())};
    return parse(file.readAll(), path, QFileInfo(path).absolutePath());
}

Result<ImportReport> CurlImporter::parse(const QByteArray &text, const QString &origin, const QString &baseDir)
{
    auto commands = ShellWords::split(text);
    if (!commands)
        return Error{u"curl_invalid"_s, origin % u": "_s % commands.error().message};

    ImportReport report;
    report.origin = origin;
    report.format = u"curl"_s;
    int index = 0;
    for (const ShellCommand &command : *commands) {
        QList<QByteArray> words = command.words;
        // A "$ " prompt copied along with the command.
        if (!words.isEmpty() && words.constFirst() == "$")
            words.removeFirst();
        if (words.isEmpty())
            continue;
        const QString where = u"command %1 (line %2)"_s.arg(index + 1).arg(command.line);
        if (words.constFirst() != "curl") {
            report.skip(index++, where,
                        u"not a curl command: starts with \"%1\""_s.arg(QString::fromUtf8(words.constFirst())));
            continue;
        }
        CommandState s;
        for (qsizetype i = 1; i < words.size() && s.unsupported.isEmpty() && s.error.isEmpty(); ++i) {
            QByteArray word = words.at(i);
            if (!word.startsWith('-') || word == "-") {
                if (!s.url.isEmpty()) {
                    s.error = u"a second URL \"%1\" (one request per command)"_s.arg(QString::fromUtf8(word));
                    break;
                }
                s.url = word;
                continue;
            }
            if (word.startsWith("--")) {
                QByteArray value;
                bool hasValue = false;
                if (const qsizetype eq = word.indexOf('='); eq > 0) {
                    value = word.mid(eq + 1);
                    word = word.left(eq);
                    hasValue = true;
                }
                if (word == "--get") {
                    s.get = true;
                    continue;
                }
                if (flagsWithoutEffect().contains(word))
                    continue;
                if (!takesArgument(word)) {
                    s.unsupported = QString::fromUtf8(word);
                    break;
                }
                if (!hasValue) {
                    if (i + 1 >= words.size()) {
                        s.error = u"%1 needs a value"_s.arg(QString::fromUtf8(word));
                        break;
                    }
                    value = words.at(++i);
                }
                apply(s, word, value, baseDir);
                continue;
            }
            // Short options, possibly bundled (-sS, -sSX POST, -XPOST, -H'...').
            for (qsizetype k = 1; k < word.size(); ++k) {
                const QByteArray option = QByteArray("-") + word.at(k);
                if (word.at(k) == 'G') {
                    s.get = true;
                    continue;
                }
                if (flagsWithoutEffect().contains(option))
                    continue;
                if (!shortWithArgument().contains(word.at(k))) {
                    s.unsupported = QString::fromUtf8(option);
                    break;
                }
                QByteArray value = word.mid(k + 1);
                if (value.isEmpty()) {
                    if (i + 1 >= words.size()) {
                        s.error = u"%1 needs a value"_s.arg(QString::fromUtf8(option));
                        break;
                    }
                    value = words.at(++i);
                }
                apply(s, option, value, baseDir);
                break;
            }
        }
        if (!s.unsupported.isEmpty()) {
            report.skip(
                index++, where,
                u"unsupported option %1: it would change the request in a way Hookbench does not reproduce"_s.arg(
                    s.unsupported));
            continue;
        }
        if (!s.error.isEmpty()) {
            report.skip(index++, where, s.error);
            continue;
        }
        if (s.url.isEmpty()) {
            report.skip(index++, where, u"no URL"_s);
            continue;
        }
        Capture capture;
        capture.origin = origin;
        capture.entryIndex = index;
        capture.url = s.url;
        if (!s.url.contains("://") && !s.url.startsWith('/'))
            capture.url = "http://" + s.url; // curl's default scheme
        capture.headers = s.headers;
        const QByteArray data = s.data.join('&');
        if (s.get) {
            if (!data.isEmpty())
                capture.url += (capture.url.contains('?') ? "&" : "?") + data;
            capture.method = s.method.isEmpty() ? QByteArray("GET") : s.method;
        } else {
            capture.body = data;
            capture.method = !s.method.isEmpty() ? s.method : s.data.isEmpty() ? QByteArray("GET") : QByteArray("POST");
            if (s.json) {
                setHeaderIfAbsent(capture.headers, "Content-Type", "application/json");
                setHeaderIfAbsent(capture.headers, "Accept", "application/json");
            } else if (!s.data.isEmpty()) {
                setHeaderIfAbsent(capture.headers, "Content-Type", "application/x-www-form-urlencoded");
            }
        }
        QStringList notes;
        if (!command.unexpanded.isEmpty()) {
            QStringList names;
            for (const QByteArray &name : command.unexpanded)
                names.append(QString::fromUtf8(name));
            names.removeDuplicates();
            notes.append(u"shell variables left unexpanded: %1"_s.arg(names.join(u", "_s)));
        }
        QString reason;
        if (capture.method != "POST") {
            capture.selected = false;
            reason = u"not a webhook: %1 request"_s.arg(QString::fromUtf8(capture.method));
        }
        if (!notes.isEmpty())
            capture.notes = reason.isEmpty() ? notes.join(u"; "_s) : reason % u"; "_s % notes.join(u"; "_s);
        capture.source = capture.sourceFromTarget();
        const QString label = QString::fromUtf8(capture.method + ' ' + capture.url);
        report.take(std::move(capture), label, reason);
        ++index;
    }
    if (report.entries.isEmpty())
        return Error{u"curl_invalid"_s, origin % u": no curl command found"_s};
    return report;
}

} // namespace hookbench::capture
