#include "ui/workers/entity_key_previewer.h"

#include "core/config/config.h"
#include "core/providers/body_parser.h"
#include "core/providers/provider_registry.h"
#include "core/store/journal_query.h"
#include "core/util/json_pointer.h"

using namespace Qt::StringLiterals;

namespace hookbench::ui {

EntityKeyPreviewer::EntityKeyPreviewer(QString databasePath) : m_databasePath(std::move(databasePath)) {}

EntityKeyPreviewer::~EntityKeyPreviewer() = default;

void EntityKeyPreviewer::preview(quint64 generation, const QString &source, const QString &provider,
                                 const QString &pointer)
{
    EntityKeyPreview out;
    out.generation = generation;
    auto finish = [&](bool ok, const QString &text) {
        out.ok = ok;
        out.text = text;
        emit previewed(out);
    };
    if (!pointer.isEmpty()) {
        if (const auto parsed = util::JsonPointer::parse(pointer); !parsed)
            return finish(false, tr("not a JSON Pointer: %1").arg(parsed.error().message));
    }
    const providers::Verifier *verifier = providers::ProviderRegistry::find(provider);
    if (!verifier)
        return finish(false, tr("no preview: unknown provider \"%1\"").arg(provider));
    if (!m_journal) {
        auto opened = store::JournalQuery::open(m_databasePath);
        if (!opened)
            return finish(false, tr("cannot read the journal: %1").arg(opened.error().message));
        m_journal = std::move(opened.value());
    }
    store::JournalFilter filter;
    filter.source = source;
    filter.limit = 1;
    filter.withBodies = true;
    auto newest = m_journal->list(filter);
    if (!newest)
        return finish(false, tr("cannot read the journal: %1").arg(newest.error().message));
    if (newest->isEmpty())
        return finish(false, tr("no payload received for \"%1\" yet").arg(source));

    const store::JournalEntry &entry = newest->constFirst();
    out.entryId = entry.id;
    http::HttpRequest request;
    request.method = entry.method;
    request.target = entry.target;
    request.headers = entry.headers;
    request.body = entry.body;
    const providers::ParsedBody body = providers::BodyParser::parse(request);
    config::SourceConfig sourceConfig;
    sourceConfig.name = source;
    sourceConfig.provider = provider;
    sourceConfig.entityKeyPointer = pointer;
    const QByteArray key = verifier->entityKey(request, body, sourceConfig);
    const QString what = pointer.isEmpty()
                             ? tr("the %1 default (%2)").arg(provider, verifier->defaultEntityPointers().join(u", "_s))
                             : pointer;
    if (key.isEmpty()) {
        return finish(false, tr("%1 yields no key on entry #%2: it refers to nothing, null, an object or an array "
                                "(the record would get no key)")
                                 .arg(what)
                                 .arg(entry.id));
    }
    finish(true, tr("key \"%1\" from entry #%2 (%3)").arg(QString::fromUtf8(key)).arg(entry.id).arg(what));
}

} // namespace hookbench::ui
