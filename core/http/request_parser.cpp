#include "core/http/request_parser.h"

#include <algorithm>
#include <climits>

using namespace Qt::StringLiterals;

namespace hookbench::http {

namespace {

constexpr quint64 kMaxBodyReserveBytes = 1024 * 1024;

RequestParser *self(http_parser *parser)
{
    return static_cast<RequestParser *>(parser->data);
}

QByteArray methodName(const http_parser &parser)
{
    // http_method_str returns static strings: no copy needed.
    const char *name = http_method_str(static_cast<http_method>(parser.method));
    return QByteArray::fromRawData(name, qsizetype(qstrlen(name)));
}

} // namespace

RequestParser::RequestParser(const config::LimitsConfig &limits) : m_limits(limits)
{
    http_parser_init(&m_parser, HTTP_REQUEST);
    m_parser.data = this;
}

const http_parser_settings &RequestParser::settings()
{
    static const http_parser_settings s = [] {
        http_parser_settings init;
        http_parser_settings_init(&init);
        init.on_message_begin = &RequestParser::onMessageBegin;
        init.on_url = &RequestParser::onUrl;
        init.on_header_field = &RequestParser::onHeaderField;
        init.on_header_value = &RequestParser::onHeaderValue;
        init.on_headers_complete = &RequestParser::onHeadersComplete;
        init.on_body = &RequestParser::onBody;
        init.on_message_complete = &RequestParser::onMessageComplete;
        return init;
    }();
    return s;
}

RequestParser::Step RequestParser::execute(const char *data, size_t length)
{
    if (m_errorStatus != 0)
        return {0, Event::Error};
    m_execBase = data;
    m_pause = Pause::None;
    const size_t parsed = http_parser_execute(&m_parser, &settings(), data, length);
    m_streamPos += qint64(parsed);

    const auto error = HTTP_PARSER_ERRNO(&m_parser);
    if (error == HPE_PAUSED) {
        http_parser_pause(&m_parser, 0);
        if (m_pause == Pause::HeadersComplete)
            return {parsed, acceptHeaders() ? Event::HeadersComplete : Event::Error};
        if (m_pause == Pause::MessageComplete) {
            m_inMessage = false;
            return {parsed, Event::MessageComplete};
        }
        return {parsed, Event::NeedMore};
    }
    if (error != HPE_OK) {
        if (m_errorStatus == 0) {
            if (error == HPE_HEADER_OVERFLOW)
                fail(431, u"headers_too_large"_s);
            else
                fail(400, u"malformed_request"_s);
        }
        return {parsed, Event::Error};
    }
    // All bytes consumed; headers may still be incomplete and already too long.
    if (inHeaders() && m_streamPos - m_messageStartPos > m_limits.maxHeaderBytes) {
        fail(431, u"headers_too_large"_s);
        return {parsed, Event::Error};
    }
    return {parsed, Event::NeedMore};
}

bool RequestParser::acceptHeaders()
{
    // The parser stopped on the final LF of the headers, which it will read again on resume.
    const qint64 headerBytes = m_streamPos + 1 - m_messageStartPos;
    if (headerBytes > m_limits.maxHeaderBytes) {
        fail(431, u"headers_too_large"_s);
        return false;
    }
    const bool chunked = (m_parser.flags & F_CHUNKED) != 0;
    const bool hasLength = !chunked && m_parser.content_length != ULLONG_MAX && m_parser.content_length > 0;
    if (hasLength && m_parser.content_length > quint64(m_limits.maxBodyBytes)) {
        fail(413, u"body_too_large"_s); // before reading any of the body
        return false;
    }
    // One allocation for the announced body, but not more than a client can claim without sending.
    if (hasLength)
        m_request.body.reserve(qsizetype(std::min<quint64>(m_parser.content_length, kMaxBodyReserveBytes)));
    return true;
}

bool RequestParser::expectsContinue() const
{
    const bool chunked = (m_parser.flags & F_CHUNKED) != 0;
    const bool hasLength = !chunked && m_parser.content_length != ULLONG_MAX && m_parser.content_length > 0;
    if (!(chunked || hasLength) || m_parser.http_major != 1 || m_parser.http_minor < 1)
        return false;
    for (const auto &[name, value] : m_request.headers) {
        if (name.compare("expect", Qt::CaseInsensitive) == 0
            && value.trimmed().compare("100-continue", Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

bool RequestParser::takeMessageBegun()
{
    const bool begun = m_messageBegun;
    m_messageBegun = false;
    return begun;
}

void RequestParser::resetRequest()
{
    m_request.method = QByteArray();
    m_request.target = QByteArray();
    m_request.headers.clear();
    m_request.body = QByteArray();
    m_request.receivedAtMs = 0;
}

void RequestParser::fail(int status, const QString &reason)
{
    m_errorStatus = status;
    m_errorReason = reason;
}

bool RequestParser::headerBytesExceeded(const char *end)
{
    const qint64 headerBytes = m_streamPos + (end - m_execBase) - m_messageStartPos;
    if (headerBytes <= m_limits.maxHeaderBytes)
        return false;
    fail(431, u"headers_too_large"_s);
    return true;
}

// --- parser callbacks --------------------------------------------------------------------------

int RequestParser::onMessageBegin(http_parser *parser)
{
    RequestParser *p = self(parser);
    p->resetRequest();
    p->m_inMessage = true;
    p->m_messageBegun = true;
    // A message always starts at the beginning of an execute call: the parser is paused after every
    // message. Only leading blank lines, which the parser skips, would be counted as header bytes.
    p->m_messageStartPos = p->m_streamPos;
    p->m_inHeaderValue = false;
    p->m_headersDone = false;
    return 0;
}

int RequestParser::onUrl(http_parser *parser, const char *at, size_t length)
{
    RequestParser *p = self(parser);
    if (p->m_request.method.isEmpty())
        p->m_request.method = methodName(*parser);
    p->m_request.target.append(at, qsizetype(length));
    return p->headerBytesExceeded(at + length) ? -1 : 0;
}

int RequestParser::onHeaderField(http_parser *parser, const char *at, size_t length)
{
    RequestParser *p = self(parser);
    if (p->m_headersDone)
        return 0; // chunked trailers are not part of the request's headers
    // A name may arrive in pieces: a new header starts only after a value.
    if (p->m_inHeaderValue || p->m_request.headers.isEmpty()) {
        p->m_request.headers.append({QByteArray(at, qsizetype(length)), QByteArray()});
        p->m_inHeaderValue = false;
    } else {
        p->m_request.headers.last().first.append(at, qsizetype(length));
    }
    return p->headerBytesExceeded(at + length) ? -1 : 0;
}

int RequestParser::onHeaderValue(http_parser *parser, const char *at, size_t length)
{
    RequestParser *p = self(parser);
    if (p->m_headersDone || p->m_request.headers.isEmpty())
        return 0;
    p->m_request.headers.last().second.append(at, qsizetype(length));
    p->m_inHeaderValue = true;
    return p->headerBytesExceeded(at + length) ? -1 : 0;
}

int RequestParser::onHeadersComplete(http_parser *parser)
{
    RequestParser *p = self(parser);
    if (p->m_request.method.isEmpty())
        p->m_request.method = methodName(*parser);
    p->m_headersDone = true;
    // Limits are decided outside the parser, where the exact header size is known.
    p->m_pause = Pause::HeadersComplete;
    http_parser_pause(parser, 1);
    return 0;
}

int RequestParser::onBody(http_parser *parser, const char *at, size_t length)
{
    RequestParser *p = self(parser);
    if (p->m_request.body.size() + qint64(length) > p->m_limits.maxBodyBytes) {
        // Only a chunked body gets here: a too large Content-Length was refused with the headers.
        p->fail(413, u"body_too_large"_s);
        return -1;
    }
    p->m_request.body.append(at, qsizetype(length));
    return 0;
}

int RequestParser::onMessageComplete(http_parser *parser)
{
    RequestParser *p = self(parser);
    p->m_pause = Pause::MessageComplete;
    http_parser_pause(parser, 1);
    return 0;
}

} // namespace hookbench::http
