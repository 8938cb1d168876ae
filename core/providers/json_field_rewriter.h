#pragma once

// JsonFieldRewriter: sets a top-level string field of a JSON object body (Stripe's "id", Slack's
// "event_id") when a replay needs a new idempotency key. Where the field already holds a plain
// string, only the bytes of that value change, so the rest of the body keeps its exact text (key
// order, spacing, escapes) as the provider sent it; otherwise the document is re-serialised.

#include <QByteArray>
#include <QString>

#include "core/util/result.h"

namespace hookbench::providers {

class JsonFieldRewriter
{
public:
    // The body with field `name` of its top-level object set to the string `value`. Errors:
    // "unsupported" when the body is not a JSON object.
    static Result<QByteArray> setTopLevelString(const QByteArray &body, const QString &name, const QString &value);

    // `value` as a JSON string literal, quotes included.
    static QByteArray quoted(const QString &value);
};

} // namespace hookbench::providers
