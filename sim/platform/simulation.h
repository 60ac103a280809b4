// One run of one scenario in this process: build the platform, run the timeline for the scenario's
// duration, collect metrics and check expectations.
//
// End of run: the simulation stops at exactly `duration`, and events due at that very instant still
// run (a 1 ms periodic timer fires 1000 times in `duration: 1s`).
#pragma once

#include "sim/metrics/check_result.h"
#include "sim/metrics/registry.h"
#include "sim/scenario/config.h"

#include <cstdint>
#include <vector>

namespace x86sim::sim {

struct RunOptions {
    bool progress = false; // a progress line on stderr (only when it is a terminal)
};

struct RunOutcome {
    metrics::Registry registry;
    std::vector<metrics::CheckResult> checks;
    double wall_seconds = 0;
    bool passed() const;
};

// Throws scenario::ScenarioError for a scenario this build cannot run (naming where), and
// PlatformError for a platform that cannot be built.
RunOutcome run_scenario(const scenario::Config& config, const RunOptions& options);

} // namespace x86sim::sim
