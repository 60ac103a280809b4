#include "sim/cli/commands.h"
#include "sim/cli/scenario_input.h"
#include "sim/cli/subprocess.h"
#include "sim/metrics/catalog.h"
#include "sim/metrics/human_format.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

namespace x86sim::cli {

namespace {

std::string human(const std::string& metric, double value) {
    const auto match = metrics::match_metric(metric);
    return metrics::format_value(value, match ? match->unit : metrics::UnitKind::count);
}

std::string ratio_text(double base, double value) {
    if (base == 0) {
        return value == 0 ? "1.00" : "-";
    }
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.2f", value / base);
    return buffer;
}

} // namespace

int compare_command(const CompareArgs& args) {
    auto loaded = load_for_cli(args.scenario);
    if (!loaded) {
        return kExitBadInput;
    }
    auto variants = args.variants.empty() ? scenario::variant_names(*loaded) : args.variants;
    if (variants.empty()) {
        std::cerr << args.scenario.file << ": error: no variants to compare (add a `variants:` section)\n";
        return kExitBadInput;
    }
    // Validate the names before running anything.
    for (const auto& variant : variants) {
        auto with_variant = args.scenario;
        with_variant.variant = variant;
        if (!load_for_cli(with_variant)) {
            return kExitBadInput;
        }
    }

    const auto scratch =
        std::filesystem::temp_directory_path() / ("x86sim-compare-" + std::to_string(::getpid()));
    const auto self = self_executable();
    std::vector<std::vector<std::string>> commands;
    for (const auto& variant : variants) {
        std::vector<std::string> command{
            self,    "run",   args.scenario.file,          "--quiet", "--variant",
            variant, "--out", (scratch / variant).string()};
        for (const auto& override_text : args.scenario.overrides) {
            command.insert(command.end(), {"--set", override_text});
        }
        if (args.scenario.seed) {
            command.insert(command.end(), {"--seed", std::to_string(*args.scenario.seed)});
        }
        commands.push_back(std::move(command));
    }
    const auto results = run_children(commands, args.jobs);

    int exit_code = kExitPass;
    std::vector<nlohmann::json> documents;
    for (std::size_t i = 0; i < variants.size(); ++i) {
        if (results[i].exit_code != kExitPass) {
            exit_code = std::max(exit_code, results[i].exit_code < 0 ? kExitInternal : results[i].exit_code);
        }
        std::ifstream in(scratch / variants[i] / "metrics.json");
        if (!in) {
            std::cerr << "x86sim compare: variant '" << variants[i] << "' did not run:\n"
                      << results[i].output;
            documents.emplace_back(nlohmann::json::object());
            continue;
        }
        documents.push_back(nlohmann::json::parse(in));
    }
    std::filesystem::remove_all(scratch);

    std::set<std::string> names;
    for (const auto& document : documents) {
        if (document.contains("metrics")) {
            for (const auto& [name, value] : document["metrics"].items()) {
                const bool wanted =
                    args.metrics.empty() ||
                    std::any_of(args.metrics.begin(), args.metrics.end(),
                                [&](const std::string& prefix) { return name.rfind(prefix, 0) == 0; });
                if (wanted) {
                    names.insert(name);
                }
            }
        }
    }
    std::cout << loaded->config.name << ": " << variants.size() << " variants, seed " << loaded->config.seed
              << "\n";
    std::cout << std::left << std::setw(40) << "metric";
    for (const auto& variant : variants) {
        std::cout << std::right << std::setw(16) << variant;
    }
    for (std::size_t i = 1; i < variants.size(); ++i) {
        std::cout << std::setw(12) << (variants[i] + "/" + variants[0]).substr(0, 11);
    }
    std::cout << "\n";
    for (const auto& name : names) {
        std::cout << std::left << std::setw(40) << name;
        std::vector<std::optional<double>> values;
        for (const auto& document : documents) {
            if (document.contains("metrics") && document["metrics"].contains(name)) {
                values.emplace_back(document["metrics"][name].get<double>());
            } else {
                values.emplace_back(std::nullopt);
            }
        }
        for (const auto& value : values) {
            std::cout << std::right << std::setw(16) << (value ? human(name, *value) : "-");
        }
        for (std::size_t i = 1; i < values.size(); ++i) {
            std::cout << std::setw(12) << (values[0] && values[i] ? ratio_text(*values[0], *values[i]) : "-");
        }
        std::cout << "\n";
    }
    for (std::size_t i = 0; i < variants.size(); ++i) {
        const auto& output = results[i].output;
        if (!output.empty()) {
            std::cout << "[" << variants[i] << "]\n" << output;
        }
    }
    return exit_code;
}

} // namespace x86sim::cli
