// One run of one scenario in this process: build the platform, attach the guest kernel when the scenario
// has `kernel:` (GuestSession: the CPUs boot it and run the workload), run the timeline for the
// scenario's duration, collect metrics and check expectations. The CPUs' quantum is
// platform.quantum (tlm_global_quantum).
//
// End of run: the simulation stops at exactly `duration`, and events due at that very instant still
// run (a 1 ms periodic timer fires 1000 times in `duration: 1s`).
#pragma once

#include "kut/guest.h"
#include "sim/metrics/check_result.h"
#include "sim/metrics/registry.h"
#include "sim/scenario/config.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace x86sim::sim {

class Platform;

struct RunOptions {
    bool progress = false; // a progress line on stderr (only when it is a terminal)
    // Called once the platform is built, before simulated time starts (e.g. to attach trace writers).
    std::function<void(Platform&)> on_platform{};
    // The guest for scenarios with `kernel:`: nullptr = the reference kernel linked into the binary;
    // otherwise a table loaded with --guest (or a test's own), named by guest_name in messages.
    const kut_guest* guest = nullptr;
    std::string guest_name{};
    // Let CPUs run ahead of the kernel between accesses when nothing is pending before their local time
    // (exact; off only to compare against fully synchronised execution in tests).
    bool run_ahead = true;
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

// Throws scenario::ScenarioError naming every part of `config` this build does not model yet (the check
// run_scenario makes first; the control server makes it before building its own platform).
void refuse_unmodelled(const scenario::Config& config);

} // namespace x86sim::sim
