// Internal: YAML tree -> typed Config, one function per section, then cross-reference checks.
#pragma once

#include "sim/scenario/config.h"
#include "sim/scenario/node_reader.h"

namespace x86sim::scenario {

// Reads and validates a whole scenario tree. Throws ScenarioError with every diagnostic found.
Config read_config(const YamlNode& root);

namespace detail {

void read_platform(Reader& r, const YamlNode& node, PlatformConfig& out);
void read_kernel(Reader& r, const YamlNode& node, KernelConfig& out);
void read_workload(Reader& r, const YamlNode& node, std::vector<WorkloadEntry>& out);
void read_timeline(Reader& r, const YamlNode& node, std::vector<TimelineEvent>& out);
void read_expectations(Reader& r, const YamlNode& node, std::vector<Expectation>& out);
void read_variants(Reader& r, const YamlNode& node, std::vector<VariantSpec>& out);
// Checks between sections: device references, CPU indices, timeline vs duration, kernel vs platform,
// expectation metric names against the catalog.
void check_references(Reader& r, const Config& config);
void check_expectation_metrics(Reader& r, const Config& config);

} // namespace detail
} // namespace x86sim::scenario
