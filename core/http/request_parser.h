#pragma once

// RequestParser: the HTTP/1.1 request framing of one connection, without a socket. Bytes go
// through http_parser; header and body limits are checked as they arrive. The parser stops after
// a request's headers (so the caller can answer 100 Continue) and after each complete request
// (so pipelined requests are answered in order). HttpConnection drives it from its socket; the
// fuzzer drives it from memory, so both exercise the same code.

#include <http_parser.h>

#include <QByteArray>
#include <QString>

#include "core/config/config.h"
#include "core/http/http_request.h"

namespace hookbench::http {

class RequestParser final
{
public:
    enum class Event {
        NeedMore,        // every byte given was consumed; the request is not complete yet
        HeadersComplete, // request() holds method, target and headers; body() follows
        MessageComplete, // request() is complete
        Error,           // errorStatus()/errorReason() say why; the parser accepts nothing more
    };
    struct Step
    {
        size_t consumed = 0; // bytes of the input used; the rest is for the next call
        Event event = Event::NeedMore;
    };

    explicit RequestParser(const config::LimitsConfig &limits);
    Q_DISABLE_COPY_MOVE(RequestParser)

    // Parses from data until an event; call again with the bytes not consumed.
    Step execute(const char *data, size_t length);

    HttpRequest &request() { return m_request; }
    const HttpRequest &request() const { return m_request; }
    // Clears the request being built (keeps its remote address) after it was answered.
    void resetRequest();

    // Whether a request has begun (its first byte was parsed) since the last call; resets the flag.
    bool takeMessageBegun();
    // Between the first byte of a request and the end of its headers.
    bool inHeaders() const { return m_inMessage && !m_headersDone; }
    bool keepAlive() const { return http_should_keep_alive(&m_parser) != 0; }
    // After HeadersComplete: the client waits for "100 Continue" before sending the body.
    bool expectsContinue() const;

    int errorStatus() const { return m_errorStatus; }
    const QString &errorReason() const { return m_errorReason; }

private:
    enum class Pause { None, HeadersComplete, MessageComplete };

    static int onMessageBegin(http_parser *parser);
    static int onUrl(http_parser *parser, const char *at, size_t length);
    static int onHeaderField(http_parser *parser, const char *at, size_t length);
    static int onHeaderValue(http_parser *parser, const char *at, size_t length);
    static int onHeadersComplete(http_parser *parser);
    static int onBody(http_parser *parser, const char *at, size_t length);
    static int onMessageComplete(http_parser *parser);
    static const http_parser_settings &settings();

    bool headerBytesExceeded(const char *end);
    bool acceptHeaders();
    void fail(int status, const QString &reason);

    config::LimitsConfig m_limits;
    http_parser m_parser{};
    HttpRequest m_request;
    Pause m_pause = Pause::None;
    bool m_inMessage = false;
    bool m_messageBegun = false;
    bool m_inHeaderValue = false;
    bool m_headersDone = false;

    // Header bytes are counted on the stream position: bytes consumed by the parser so far.
    const char *m_execBase = nullptr;
    qint64 m_streamPos = 0;
    qint64 m_messageStartPos = 0;

    int m_errorStatus = 0; // set by a callback that stops the parser for a limit, or by execute()
    QString m_errorReason;
};

} // namespace hookbench::http
