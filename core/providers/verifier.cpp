#include "core/providers/verifier.h"

#include "core/providers/body_parser.h"
#include "core/util/crypto.h"
#include "core/util/json_pointer.h"

using namespace Qt::StringLiterals;

namespace hookbench::providers {

BodyFormat Verifier::bodyFormat(const http::HttpRequest &request) const
{
    return BodyParser::isJsonContentType(request) ? BodyFormat::Json : BodyFormat::Any;
}

IdempotencyKey Verifier::idempotencyKey(const http::HttpRequest &, const ParsedBody &) const
{
    return {};
}

QStringList Verifier::defaultEntityPointers() const
{
    return {};
}

QByteArray Verifier::entityKey(const http::HttpRequest &, const ParsedBody &body,
                               const config::SourceConfig &source) const
{
    if (!source.entityKeyPointer.isEmpty())
        return pointerText(body, source.entityKeyPointer);
    const QStringList pointers = defaultEntityPointers();
    for (const QString &pointer : pointers) {
        // Skip null and empty values: Stripe sends "customer": null on guest payments, and the
        // next pointer (the object id) is then the better key.
        QByteArray key = pointerText(body, pointer);
        if (!key.isEmpty())
            return key;
    }
    return {};
}

QString Verifier::eventType(const http::HttpRequest &, const ParsedBody &body, const config::SourceConfig &source) const
{
    const QString pointer = source.eventTypePointer.isEmpty() ? u"/type"_s : source.eventTypePointer;
    return QString::fromUtf8(pointerText(body, pointer));
}

IdempotencyKey Verifier::bodyHashKey(const QByteArray &body)
{
    return {util::Crypto::sha256Hex(body), u"sha256(body)"_s};
}

QByteArray Verifier::pointerText(const ParsedBody &body, QStringView pointer)
{
    if (body.isJson)
        return util::JsonPointer::scalarText(util::JsonPointer::resolve(body.json, pointer)).toUtf8();
    if (body.isForm) {
        const auto tokens = util::JsonPointer::parse(pointer);
        if (tokens.ok() && tokens->size() == 1)
            return formValue(body, tokens->constFirst()).toUtf8();
    }
    return {};
}

QString Verifier::formValue(const ParsedBody &body, QStringView name)
{
    for (const auto &[key, value] : body.form) {
        if (key == name)
            return value;
    }
    return {};
}

void Verifier::replaceHeader(http::HeaderList &headers, const QByteArray &name, const QByteArray &value)
{
    bool found = false;
    for (qsizetype i = 0; i < headers.size();) {
        if (headers.at(i).first.compare(name, Qt::CaseInsensitive) != 0) {
            ++i;
        } else if (!found) {
            headers[i].second = value;
            found = true;
            ++i;
        } else {
            headers.removeAt(i);
        }
    }
    if (!found)
        headers.append({name, value});
}

void Verifier::bindBody(http::HttpRequest &) const {}

Error Verifier::noSecretError(const SignInput &input) const
{
    return Error{u"unsupported"_s, u"source %1 (%2) has no secret to sign with"_s.arg(input.source.name, name())};
}

bool Verifier::matchSignatures(VerifyResult &result, const QList<QByteArray> &secrets,
                               const QList<QByteArray> &received,
                               const std::function<QByteArray(const QByteArray &secret)> &sign)
{
    result.matchedSecret = -1;
    for (qsizetype i = 0; i < secrets.size(); ++i) {
        const QByteArray expected = sign(secrets.at(i));
        if (i == 0)
            result.expected = expected;
        // Every candidate is compared, also after a match, so the time taken does not say which
        // signature or secret matched.
        for (const QByteArray &candidate : received) {
            if (!expected.isEmpty() && util::Crypto::constantTimeEquals(candidate, expected)
                && result.matchedSecret < 0)
                result.matchedSecret = static_cast<int>(i);
        }
    }
    result.ok = result.matchedSecret >= 0;
    return result.ok;
}

VerifyResult Verifier::reject(VerifyResult result, const char *reasonCode, const QString &detail)
{
    result.ok = false;
    result.matchedSecret = -1;
    result.reason = QString::fromLatin1(reasonCode);
    result.detail = detail;
    return result;
}

Result<http::HeaderList> Verifier::signRequest(const SignInput &input) const
{
    Q_UNUSED(input)
    return Error{QStringLiteral("unsupported"), QStringLiteral("provider %1 has no signature to compute").arg(name())};
}

Result<void> Verifier::setIdempotencyKey(http::HttpRequest &request, const QByteArray &newKey) const
{
    Q_UNUSED(request)
    Q_UNUSED(newKey)
    return Error{QStringLiteral("unsupported"),
                 QStringLiteral("provider %1 derives the idempotency key from the body (sha256); edit the body "
                                "to get a new key")
                     .arg(name())};
}

} // namespace hookbench::providers
