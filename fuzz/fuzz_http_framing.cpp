// libFuzzer target: HTTP/1.1 request framing, through RequestParser exactly as HttpConnection
// drives it (pause after headers and after each request, resume with the bytes not consumed).
// The first input byte picks how the rest is cut into reads, so the same request is also parsed
// arriving in pieces, as it does from a socket.

#include <cstddef>
#include <cstdint>

#include <http_parser.h>

#include "core/config/config.h"
#include "core/http/request_parser.h"

using hookbench::http::RequestParser;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const size_t chunk = (data[0] % 16 == 0) ? size : size_t(data[0] % 16);
    ++data;
    --size;

    // Small limits, so the limit paths (431, 413) are reached by small inputs too.
    hookbench::config::LimitsConfig limits;
    limits.maxHeaderBytes = 2048;
    limits.maxBodyBytes = 4096;
    RequestParser parser(limits);

    size_t offset = 0;
    size_t available = 0; // bytes "read from the socket" so far
    int requests = 0;
    while (offset < size) {
        if (available <= offset)
            available = std::min(size, offset + chunk);
        const RequestParser::Step step =
            parser.execute(reinterpret_cast<const char *>(data) + offset, available - offset);
        offset += step.consumed;
        if (step.event == RequestParser::Event::Error) {
            // Every error carries an answer.
            if (parser.errorStatus() < 400 || parser.errorReason().isEmpty())
                __builtin_trap();
            break;
        }
        if (step.event == RequestParser::Event::HeadersComplete) {
            (void)parser.expectsContinue();
        } else if (step.event == RequestParser::Event::MessageComplete) {
            const auto &request = parser.request();
            if (request.body.size() > limits.maxBodyBytes)
                __builtin_trap();
            (void)request.path();
            (void)request.query();
            (void)request.header("content-type");
            (void)parser.keepAlive();
            parser.resetRequest();
            ++requests;
        } else if (step.consumed == 0 && available >= size) {
            break; // waits for bytes that will not come
        }
    }
    (void)parser.takeMessageBegun();
    return 0;
}
