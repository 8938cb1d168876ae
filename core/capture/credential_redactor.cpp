#include "core/capture/credential_redactor.h"

namespace hookbench::capture {

bool CredentialRedactor::isCredentialHeader(QByteArrayView name)
{
    for (QByteArrayView credential : {QByteArrayView("Authorization"), QByteArrayView("Proxy-Authorization"),
                                      QByteArrayView("Cookie"), QByteArrayView("Set-Cookie")}) {
        if (name.compare(credential, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

http::HeaderList CredentialRedactor::redact(const http::HeaderList &headers)
{
    http::HeaderList out = headers;
    for (auto &[name, value] : out) {
        if (isCredentialHeader(name))
            value = marker;
    }
    return out;
}

} // namespace hookbench::capture
