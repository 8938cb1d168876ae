#pragma once

// StateStyle: how verdicts and processing states look — a tone per state, a colour for the tone
// derived from the current palette (so it reads in light and dark mode) and a small icon whose
// shape differs per tone, so that no state is told apart by colour alone.

#include <QColor>
#include <QIcon>
#include <QPalette>
#include <QString>

#include "core/store/journal_entry.h"
#include "ui/models/feed_row.h"

namespace hookbench::ui {

class StateStyle final
{
public:
    enum class Tone { Good, Busy, Warning, Bad, Muted };

    static Tone verdictTone(store::Verdict verdict);
    static Tone processingTone(FeedProcessing state);
    // Text colour for a tone on the palette's base colour.
    static QColor colour(Tone tone, const QPalette &palette);
    // Filled circle (good), ring (busy), triangle (warning), square with a cross (bad), dash (muted).
    static QIcon icon(Tone tone, const QPalette &palette);
    static QString processingText(FeedProcessing state, int attempts);
};

} // namespace hookbench::ui
