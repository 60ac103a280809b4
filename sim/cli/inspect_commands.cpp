// validate, list, metrics: commands that read scenarios or the catalog without simulating.
#include "sim/cli/commands.h"
#include "sim/cli/scenario_input.h"
#include "sim/cli/test_runner.h"
#include "sim/metrics/catalog.h"

#include <iostream>

namespace x86sim::cli {

int validate_command(const std::vector<std::string>& files) {
    int exit_code = kExitPass;
    for (const auto& file : files) {
        ScenarioArgs args;
        args.file = file;
        const auto loaded = load_for_cli(args);
        if (!loaded) {
            exit_code = kExitBadInput;
            continue;
        }
        // Each variant must apply cleanly too.
        bool variants_ok = true;
        for (const auto& variant : scenario::variant_names(*loaded)) {
            args.variant = variant;
            variants_ok = load_for_cli(args).has_value() && variants_ok;
        }
        if (!variants_ok) {
            exit_code = kExitBadInput;
            continue;
        }
        std::cout << file << ": ok (" << loaded->config.name << ")\n";
    }
    return exit_code;
}

int list_command(const std::string& directory) {
    std::vector<std::string> errors;
    const auto files = find_scenario_files({directory}, errors);
    for (const auto& error : errors) {
        std::cerr << "x86sim list: " << error << "\n";
    }
    for (const auto& file : files) {
        try {
            const auto loaded = scenario::load_scenario_file(file);
            auto description = loaded.config.description;
            if (const auto newline = description.find('\n'); newline != std::string::npos) {
                description.resize(newline);
            }
            std::cout << file << "\n    " << loaded.config.name << ": " << description << "\n";
        } catch (const scenario::ScenarioError& error) {
            std::cout << file << "\n    (invalid: " << error.diagnostics.front().to_string() << ")\n";
        }
    }
    return errors.empty() ? kExitPass : kExitBadInput;
}

int metrics_command() {
    metrics::print_catalog(std::cout);
    return kExitPass;
}

} // namespace x86sim::cli
