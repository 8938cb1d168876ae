#pragma once

// `hookbench scenario FILE [--json] [--data-dir DIR] [--config FILE]`: runs a scenario file
// (core/scenario/scenario.h) on an embedded pipeline of its own — a fresh data directory, the
// embedded Kafka cluster, listening on a free loopback port — and prints the report. Exit code 0
// when the run completed as expected, 1 when it ran but did not, 2 when it could not run.
//
// It does not attach to a running instance: the report reads the journal and the processing
// tables, which belong to the instance that writes them; against a running window use its
// Scenario dialog.

namespace hookbench::app {

// True when the command line asks for this subcommand (argv[1] == "scenario").
bool isScenarioCommand(int argc, char *argv[]);
int runScenarioCommand(int argc, char *argv[]);

} // namespace hookbench::app
