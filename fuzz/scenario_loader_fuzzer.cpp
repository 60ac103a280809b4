// Fuzzes the scenario loader: arbitrary bytes must load, or fail with ScenarioError, never crash,
// hang or leak. A loaded scenario then has every variant applied, and its expectations evaluated
// and written as JSON, so the whole user-input path is covered.
//
// An input whose first line is "#--set key=value" also applies that override, so the --set parser
// and the path walker are fuzzed with the same corpus.
#include "sim/metrics/json_output.h"
#include "sim/metrics/registry.h"
#include "sim/scenario/expectation.h"
#include "sim/scenario/loader.h"

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>

namespace {

void exercise(const x86sim::scenario::Scenario& scenario) {
    x86sim::metrics::Registry registry;
    registry.counter("pit.fires", 100);
    registry.gauge("sched.tick_hz", 999.5);
    registry.latency_sample("sched.wakeup_latency", 1'000'000);
    const auto results = x86sim::scenario::evaluate(scenario.config.expect, registry);
    std::ostringstream out;
    x86sim::metrics::write_metrics_json(
        out, x86sim::metrics::RunInfo{scenario.config.name, scenario.variant, scenario.config.seed}, registry,
        results);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    x86sim::scenario::LoadOptions options;
    constexpr std::string_view set_prefix = "#--set ";
    if (text.starts_with(set_prefix)) {
        const auto end = text.find('\n');
        options.overrides.emplace_back(
            text.substr(set_prefix.size(), end == text.npos ? text.npos : end - set_prefix.size()));
    }
    try {
        const auto scenario = x86sim::scenario::load_scenario_text(text, "fuzz.yaml", options);
        exercise(scenario);
        for (const std::string& name : x86sim::scenario::variant_names(scenario)) {
            auto with_variant = options;
            with_variant.variant = name;
            try {
                exercise(x86sim::scenario::load_scenario_text(text, "fuzz.yaml", with_variant));
            } catch (const x86sim::scenario::ScenarioError&) {
                // Bad input, reported: the expected outcome for most inputs.
            }
        }
    } catch (const x86sim::scenario::ScenarioError&) {
        // Bad input, reported.
    }
    return 0;
}
