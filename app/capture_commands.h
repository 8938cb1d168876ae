#pragma once

// The capture subcommands of hookbench: send, replay, export, import. Wiring only — the work is
// in core/capture. Kept apart from main.cpp so other subcommands can be added beside them.

class QCommandLineParser;
class QString;

namespace hookbench::app {

// The parser's help text with the usage line "Usage: hookbench COMMAND [options] …", whatever
// path the program was started by.
QString helpWithUsage(const QCommandLineParser &parser, const QString &command);

// Whether argv[1] names one of these subcommands.
bool isCaptureCommand(const char *name);
// Runs it: exit code 0 all as expected, 1 some failed, 2 usage error.
int runCaptureCommand(int argc, char *argv[]);

} // namespace hookbench::app
