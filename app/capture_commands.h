#pragma once

// The capture subcommands of hookbench: send, replay, export, import. Wiring only — the work is
// in core/capture. Kept apart from main.cpp so other subcommands can be added beside them.

namespace hookbench::app {

// Whether argv[1] names one of these subcommands.
bool isCaptureCommand(const char *name);
// Runs it: exit code 0 all as expected, 1 some failed, 2 usage error.
int runCaptureCommand(int argc, char *argv[]);

} // namespace hookbench::app
