#pragma once

// JsonHighlighter: colours JSON text in the payload editor — keys, strings, numbers, literals
// and punctuation — with colours from the palette (light and dark themes). Line by line, so it
// keeps up with typing in a large body; a string spanning lines (invalid JSON) is not followed.

#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace hookbench::ui {

class JsonHighlighter final : public QSyntaxHighlighter
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JsonHighlighter)

public:
    explicit JsonHighlighter(QTextDocument *document);

protected:
    void highlightBlock(const QString &text) override;

private:
    QTextCharFormat m_key;
    QTextCharFormat m_string;
    QTextCharFormat m_number;
    QTextCharFormat m_literal;
    QTextCharFormat m_punctuation;
};

} // namespace hookbench::ui
