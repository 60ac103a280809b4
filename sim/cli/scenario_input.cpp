#include "sim/cli/scenario_input.h"

#include <iostream>

namespace x86sim::cli {

void print_diagnostics(const scenario::ScenarioError& error) {
    for (const auto& diagnostic : error.diagnostics) {
        std::cerr << diagnostic.to_string() << "\n";
    }
}

std::optional<scenario::Scenario> load_for_cli(const ScenarioArgs& args) {
    scenario::LoadOptions options;
    options.overrides = args.overrides;
    options.variant = args.variant;
    options.seed = args.seed;
    try {
        return scenario::load_scenario_file(args.file, options);
    } catch (const scenario::ScenarioError& error) {
        print_diagnostics(error);
        return std::nullopt;
    }
}

} // namespace x86sim::cli
