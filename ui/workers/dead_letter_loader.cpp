#include "ui/workers/dead_letter_loader.h"

#include "core/store/processing_query.h"

using namespace Qt::StringLiterals;

namespace hookbench::ui {

DeadLetterLoader::DeadLetterLoader(QString databasePath) : m_databasePath(std::move(databasePath)) {}

DeadLetterLoader::~DeadLetterLoader() = default;

void DeadLetterLoader::load(quint64 generation)
{
    if (!m_query) {
        auto opened = store::ProcessingQuery::open(m_databasePath);
        if (!opened) {
            emit loaded(generation, {}, opened.error().message);
            return;
        }
        m_query = std::move(opened.value());
    }
    // Paged by id so no single read holds every payload at once.
    QList<store::DeadLetterRow> rows;
    qint64 after = 0;
    constexpr int kPage = 500;
    for (;;) {
        auto page = m_query->deadLetters(std::nullopt, kPage, after);
        if (!page) {
            emit loaded(generation, {}, u"Reading the DLQ failed: %1"_s.arg(page.error().message));
            return;
        }
        for (store::DeadLetterRow &row : *page) {
            row.value.clear();
            rows.append(std::move(row));
        }
        if (page->size() < kPage)
            break;
        after = rows.constLast().id;
    }
    if (rows.size() > kMaxLetters)
        rows = rows.mid(rows.size() - kMaxLetters);
    QList<qint64> journalIds;
    journalIds.reserve(rows.size());
    for (const store::DeadLetterRow &row : std::as_const(rows))
        journalIds.append(row.journalId);
    auto depths = m_query->replayDepths(journalIds);
    DeadLetterItems items;
    items.reserve(rows.size());
    for (const store::DeadLetterRow &row : std::as_const(rows))
        items.append(DeadLetterItem::from(row, depths ? depths->value(row.journalId) : 0));
    emit loaded(generation, items, depths ? QString() : depths.error().message);
}

} // namespace hookbench::ui
