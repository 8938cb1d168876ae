#pragma once

// How the journal stores a request's HeaderList in the `headers` BLOB column.
//
// Encoding: a compact JSON array with one [name, value] array per header line, in arrival order,
// repeats and name case kept:
//     [["Content-Type","application/json"],["X-Raw",{"base64":"AP8="}]]
// A name or value is a JSON string when its bytes are valid UTF-8 that round-trips exactly;
// otherwise it is an object {"base64": "<standard base64 of the raw bytes>"}. So the column is
// readable with the sqlite3 shell (json_each) and still byte-exact for binary header values.

#include <QByteArray>

#include "core/http/http_request.h"
#include "core/util/result.h"

namespace hookbench::store {

QByteArray encodeHeaders(const http::HeaderList &headers);
Result<http::HeaderList> decodeHeaders(const QByteArray &encoded);

} // namespace hookbench::store
