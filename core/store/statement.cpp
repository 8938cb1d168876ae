#include "core/store/statement.h"

#include <utility>

#include <sqlite3.h>

using namespace Qt::StringLiterals;

namespace hookbench::store {

Statement::~Statement()
{
    sqlite3_finalize(m_stmt);
}

Statement::Statement(Statement &&other) noexcept
    : m_stmt(std::exchange(other.m_stmt, nullptr))
    , m_bindRc(other.m_bindRc)
    , m_bindIndex(other.m_bindIndex)
{}

Statement &Statement::operator=(Statement &&other) noexcept
{
    if (this != &other) {
        sqlite3_finalize(m_stmt);
        m_stmt = std::exchange(other.m_stmt, nullptr);
        m_bindRc = other.m_bindRc;
        m_bindIndex = other.m_bindIndex;
    }
    return *this;
}

QString Statement::describeSql(QByteArrayView sql)
{
    constexpr qsizetype kMaxChars = 60;
    QString text = QString::fromUtf8(sql).simplified();
    if (text.size() > kMaxChars) {
        text.truncate(kMaxChars);
        text += u"..."_s;
    }
    return text;
}

Result<Statement> Statement::prepare(sqlite3 *db, QByteArrayView sql, bool persistent)
{
    sqlite3_stmt *stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db, sql.data(), int(sql.size()), persistent ? SQLITE_PREPARE_PERSISTENT : 0u,
                                      &stmt, nullptr);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(stmt);
        return Result<Statement>::failure(
            u"store_query_failed"_s,
            u"cannot prepare SQL \"%1\": %2"_s.arg(describeSql(sql), QString::fromUtf8(sqlite3_errmsg(db))));
    }
    return Statement(stmt);
}

void Statement::noteBindError(int rc, int index)
{
    if (rc != SQLITE_OK && m_bindRc == 0) {
        m_bindRc = rc;
        m_bindIndex = index;
    }
}

void Statement::bindInt64(int index, qint64 value)
{
    noteBindError(sqlite3_bind_int64(m_stmt, index, value), index);
}

void Statement::bindInt(int index, int value)
{
    noteBindError(sqlite3_bind_int(m_stmt, index, value), index);
}

void Statement::bindNull(int index)
{
    noteBindError(sqlite3_bind_null(m_stmt, index), index);
}

void Statement::bindText(int index, const QString &value)
{
    const QByteArray utf8 = value.toUtf8();
    // A null QByteArray has a null data pointer, which SQLite would store as NULL.
    noteBindError(sqlite3_bind_text64(m_stmt, index, utf8.isNull() ? "" : utf8.constData(), sqlite3_uint64(utf8.size()),
                                      SQLITE_TRANSIENT, SQLITE_UTF8),
                  index);
}

void Statement::bindTextOrNull(int index, const QString &value)
{
    if (value.isEmpty())
        bindNull(index);
    else
        bindText(index, value);
}

void Statement::bindBlob(int index, QByteArrayView value)
{
    if (value.isEmpty()) {
        // sqlite3_bind_blob with a null pointer binds NULL; keep "empty" distinct from "absent".
        noteBindError(sqlite3_bind_zeroblob(m_stmt, index, 0), index);
        return;
    }
    noteBindError(sqlite3_bind_blob64(m_stmt, index, value.data(), sqlite3_uint64(value.size()), SQLITE_TRANSIENT),
                  index);
}

void Statement::bindBlobOrNull(int index, QByteArrayView value)
{
    if (value.isEmpty())
        bindNull(index);
    else
        bindBlob(index, value);
}

Error Statement::error(int rc) const
{
    sqlite3 *db = sqlite3_db_handle(m_stmt);
    const QString sql = describeSql(sqlite3_sql(m_stmt));
    return Error{u"store_query_failed"_s, u"SQL \"%1\" failed: %2 (SQLite error %3)"_s.arg(
                                              sql, QString::fromUtf8(sqlite3_errmsg(db)), QString::number(rc))};
}

Result<bool> Statement::step()
{
    if (m_bindRc != 0) {
        return Result<bool>::failure(u"store_query_failed"_s,
                                     u"cannot bind parameter %1 of \"%2\": %3"_s.arg(
                                         QString::number(m_bindIndex), describeSql(sqlite3_sql(m_stmt)),
                                         QString::fromUtf8(sqlite3_errstr(m_bindRc))));
    }
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    Error e = error(rc);
    // Leave the statement reusable; the error text was captured above.
    sqlite3_reset(m_stmt);
    return e;
}

Result<void> Statement::exec()
{
    for (;;) {
        Result<bool> r = step();
        if (!r)
            return r.error();
        if (!*r)
            return {};
    }
}

void Statement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
    m_bindRc = 0;
    m_bindIndex = 0;
}

bool Statement::columnIsNull(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

qint64 Statement::columnInt64(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}

int Statement::columnInt(int column) const
{
    return sqlite3_column_int(m_stmt, column);
}

QString Statement::columnText(int column) const
{
    const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    const int size = sqlite3_column_bytes(m_stmt, column);
    return text ? QString::fromUtf8(text, size) : QString();
}

QByteArray Statement::columnBlob(int column) const
{
    const auto *data = static_cast<const char *>(sqlite3_column_blob(m_stmt, column));
    const int size = sqlite3_column_bytes(m_stmt, column);
    return data ? QByteArray(data, size) : QByteArray();
}

} // namespace hookbench::store
