#include "core/capture/json_position.h"

using namespace Qt::StringLiterals;

namespace hookbench::capture {

int JsonPosition::lineOf(const QByteArray &text, qsizetype offset)
{
    const qsizetype end = std::clamp<qsizetype>(offset, 0, text.size());
    return static_cast<int>(QByteArrayView(text).first(end).count('\n')) + 1;
}

QString JsonPosition::describe(const QByteArray &text, qsizetype offset)
{
    const qsizetype end = std::clamp<qsizetype>(offset, 0, text.size());
    const qsizetype lineStart = end > 0 ? text.lastIndexOf('\n', end - 1) + 1 : 0;
    return u"line %1, column %2"_s.arg(lineOf(text, end)).arg(end - lineStart + 1);
}

} // namespace hookbench::capture
