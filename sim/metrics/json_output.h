// metrics.json. Everything outside "host" depends only on the scenario, seed and binary, so two runs
// produce byte-identical files apart from "host": key order is fixed, metrics are sorted by name,
// numbers are printed by nlohmann::json's shortest round-trip formatting.
#pragma once

#include "sim/metrics/check_result.h"
#include "sim/metrics/registry.h"

#include <cstdint>
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace x86sim::metrics {

struct RunInfo {
    std::string scenario;
    std::optional<std::string> variant; // null in JSON when none
    std::uint64_t seed = 1;
};

// {"scenario", "variant", "seed", "metrics": {name: number...}, "expectations": [...], "host": {...}}.
// `host` is the caller's wall-clock/host information (hostname, wall time...); wall-clock metrics of
// the registry (sim.wall_s, sim.speed) are added to it instead of "metrics".
nlohmann::ordered_json metrics_json(const RunInfo& run, const Registry& registry,
                                    const std::vector<CheckResult>& expectations,
                                    const nlohmann::ordered_json& host = nlohmann::ordered_json::object());

// Writes metrics_json(...) indented by 2 with a trailing newline.
void write_metrics_json(std::ostream& out, const RunInfo& run, const Registry& registry,
                        const std::vector<CheckResult>& expectations,
                        const nlohmann::ordered_json& host = nlohmann::ordered_json::object());

} // namespace x86sim::metrics
