#include "sim/platform/simulation.h"

#include "models/common/time.h"
#include "sim/cpu/cpu.h"
#include "sim/metrics/human_format.h"
#include "sim/platform/guest_session.h"
#include "sim/platform/platform.h"
#include "sim/platform/timeline_driver.h"
#include "sim/scenario/diagnostic.h"
#include "sim/scenario/expectation.h"

#include <chrono>
#include <cstdio>
#include <memory>
#include <systemc>
#include <tlm>
#include <unistd.h>

namespace x86sim::sim {

// Parts of the scenario contract whose models are not in this build yet: refuse them clearly rather
// than run something else silently.
void refuse_unmodelled(const scenario::Config& config) {
    std::vector<scenario::Diagnostic> problems;
    if (!config.workload.empty() && !config.kernel) {
        problems.push_back({config.where("workload"),
                            "workload: user tasks run on the guest kernel: add a `kernel:` section"});
    }
    for (std::size_t i = 0; i < config.platform.devices.size(); ++i) {
        const auto& device = config.platform.devices[i];
        if (std::holds_alternative<scenario::TestdevConfig>(device)) {
            continue; // modelled: models/testdev through sim/platform/pci_subsystem
        }
        problems.push_back({config.where("platform.devices." + std::to_string(i)),
                            "device '" + scenario::device_name(device) + "' (" +
                                std::string(scenario::device_kind(device)) +
                                ") is not modelled in this build yet"});
    }
    if (config.platform.iommu.enabled) {
        problems.push_back(
            {config.where("platform.iommu.enabled"), "the VT-d IOMMU is not modelled in this build yet"});
    }
    if (!problems.empty()) {
        throw scenario::ScenarioError(std::move(problems));
    }
}

namespace {

void settle_current_time() {
    while (sc_core::sc_pending_activity_at_current_time()) {
        sc_core::sc_start(sc_core::SC_ZERO_TIME);
    }
}

} // namespace

bool RunOutcome::passed() const {
    for (const auto& check : checks) {
        if (!check.pass) {
            return false;
        }
    }
    return true;
}

RunOutcome run_scenario(const scenario::Config& config, const RunOptions& options) {
    refuse_unmodelled(config);
    models::ensure_time_resolution();
    tlm::tlm_global_quantum::instance().set(models::from_ps(config.platform.quantum_ps));
    const auto wall_start = std::chrono::steady_clock::now();

    RunOutcome outcome;
    auto& registry = outcome.registry;
    Platform platform(config);
    std::unique_ptr<GuestSession> guest;
    if (config.kernel) {
        guest = std::make_unique<GuestSession>(config, platform, registry, options.guest, options.guest_name);
    }
    TimelineDriver timeline("timeline", platform, config.timeline);
    // CPUs may run ahead of the kernel up to the end of the run (sim/cpu/cpu.h), never beyond it.
    struct RunAheadScope {
        explicit RunAheadScope(std::uint64_t limit_ps) { cpu::Cpu::set_run_ahead_limit_ps(limit_ps); }
        ~RunAheadScope() { cpu::Cpu::set_run_ahead_limit_ps(0); }
        RunAheadScope(const RunAheadScope&) = delete;
        RunAheadScope& operator=(const RunAheadScope&) = delete;
    } run_ahead(options.run_ahead ? config.duration_ps : 0);
    if (options.on_platform) {
        options.on_platform(platform);
    }

    // Run in slices of simulated time so that a terminal can show progress; the slicing does not
    // change the order of events (sc_start resumes exactly where it stopped).
    const bool show_progress = options.progress && ::isatty(STDERR_FILENO);
    const std::uint64_t slice_ps = std::max<std::uint64_t>(config.duration_ps / 100, 1'000'000'000ULL);
    auto last_print = wall_start;
    while (models::now_ps() < config.duration_ps) {
        const auto step = std::min(slice_ps, config.duration_ps - models::now_ps());
        sc_core::sc_start(models::from_ps(step));
        if (show_progress) {
            const auto now = std::chrono::steady_clock::now();
            if (now - last_print > std::chrono::milliseconds(250)) {
                last_print = now;
                const double wall = std::chrono::duration<double>(now - wall_start).count();
                const double simulated = static_cast<double>(models::now_ps()) / 1e12;
                std::fprintf(stderr, "\r  %s of %s simulated, %.0fx real time   ",
                             metrics::format_time_ps(models::now_ps()).c_str(),
                             metrics::format_time_ps(config.duration_ps).c_str(),
                             wall > 0 ? simulated / wall : 0.0);
            }
        }
    }
    settle_current_time();
    if (show_progress) {
        std::fprintf(stderr, "\r%70s\r", "");
    }
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();

    outcome.wall_seconds = wall;
    const double simulated_s = static_cast<double>(models::now_ps()) / 1e12;
    registry.gauge("sim.time", simulated_s);
    registry.counter("sim.events", sc_core::sc_delta_count());
    registry.gauge("sim.wall_s", wall);
    registry.gauge("sim.speed", wall > 0 ? simulated_s / wall : 0.0);
    platform.report_metrics(registry);
    if (guest) {
        guest->report_metrics(registry, config.duration_ps);
    }
    timeline.report_metrics(registry);
    outcome.checks = scenario::evaluate(config.expect, registry);
    return outcome;
}

} // namespace x86sim::sim
