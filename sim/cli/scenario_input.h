// Loading a scenario for a command: errors are printed as `file:line:col: error: ...` on stderr.
#pragma once

#include "sim/cli/commands.h"
#include "sim/scenario/diagnostic.h"
#include "sim/scenario/loader.h"

#include <optional>

namespace x86sim::cli {

void print_diagnostics(const scenario::ScenarioError& error);

// nullopt (after printing why) when the scenario is not valid.
std::optional<scenario::Scenario> load_for_cli(const ScenarioArgs& args);

} // namespace x86sim::cli
