#pragma once

namespace x86sim::cli {

// Parses the command line and runs the subcommand; returns the exit code (never throws).
int run_cli(int argc, char** argv);

} // namespace x86sim::cli
