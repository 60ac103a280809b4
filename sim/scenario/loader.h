// Entry points: a scenario file (or text) -> validated, typed Scenario, or ScenarioError.
//
// Order of application: the selected variant's overrides (file order), then every --set (command-line
// order), then validation of the result, then LoadOptions::seed. Without a selected variant, every
// variant of the file is also applied to the base and validated, so a typo in a variant is reported
// by `x86sim validate` / `run` rather than only when that variant is used.
#pragma once

#include "sim/scenario/config.h"
#include "sim/scenario/diagnostic.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace x86sim::scenario {

struct LoadOptions {
    std::vector<std::string> overrides; // "key.path=value" as given to --set
    std::optional<std::string> variant; // a name under `variants:`
    std::optional<std::uint64_t> seed;  // --seed: replaces `seed:`
};

struct Scenario {
    Config config;
    std::optional<std::string> variant; // the applied variant, if any
    std::string path;                   // the file (or the name given to load_scenario_text)
    std::string source_text;            // the YAML as read, to reload with another variant
};

Scenario load_scenario_file(const std::string& path, const LoadOptions& options = {});
Scenario load_scenario_text(std::string_view yaml, const std::string& file_name,
                            const LoadOptions& options = {});

// Variant names in file order.
std::vector<std::string> variant_names(const Scenario& scenario);

} // namespace x86sim::scenario
