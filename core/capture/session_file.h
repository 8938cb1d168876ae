#pragma once

// SessionFile: the portable Hookbench session — selected journal entries with their Kafka
// positions, handler attempts and dead letters — as JSON lines (one JSON object per line, UTF-8):
//
//   {"format":"hookbench-session","version":1,"exported_at":"…Z","hookbench":"0.1.0","entries":N}
//   {"type":"entry","journal":{…},"attempts":[…],"dead_letters":[…]}     × N, oldest first
//   {"type":"end","entries":N}
//
// "journal" holds every JournalEntry field under its snake_case name (id = the id on the
// exporting machine), bytes as base64 (body_base64, headers as [[name, value]] with
// headers_base64 instead when a value is not UTF-8). The end line makes a truncated file an
// error instead of a silent partial import. Config secrets are never in it (nothing reads them
// here); credential headers (Authorization, Cookie) are redacted (CredentialRedactor).
// Errors ("session_invalid") name the line and why.

#include <QByteArray>
#include <QList>
#include <QString>

#include "core/store/journal_import.h"
#include "core/util/result.h"

namespace hookbench::capture {

class SessionFile
{
public:
    static constexpr char formatName[] = "hookbench-session";
    static constexpr int version = 1;

    static QByteArray encode(const store::ImportedRows &rows);
    static Result<store::ImportedRows> decode(const QByteArray &bytes, const QString &origin);
    static Result<void> write(const store::ImportedRows &rows, const QString &path);
    static Result<store::ImportedRows> read(const QString &path);
    // Whether the bytes start like a session file (for input detection).
    static bool looksLikeSession(const QByteArray &head);
};

} // namespace hookbench::capture
