// End to end with the reference kernel (kernel_under_test) built into this binary: boot, APs, ticks,
// the whole workload, and quantum independence of every deterministic metric. Skipped when this build
// has no reference kernel yet.
#include "sim/guest/guest_library.h"
#include "sim/platform/simulation.h"
#include "sim/scenario/loader.h"
#include "tests/sim/cpu/script_guest.h"

#include <gtest/gtest.h>
#include <sstream>
#include <string>

namespace x86sim::test {
namespace {

const char* const kScenario = R"(name: e2e
duration: 150ms
platform: { cpus: 4, memory: 64MiB, hpet: { enabled: true } }
kernel:
  tick: { source: lapic, mode: tsc-deadline, hz: 1000 }
  sched: { lock: per-cpu, balance: work-stealing, wakeup: targeted }
workload:
  - task: { name: hog, count: 3, run: cpu, burst: 5ms }
  - task: { name: probe, run: periodic, period: 3ms, work: 20us, priority: "rt:5" }
  - task: { name: pp, run: pingpong, pairs: 2, work: 10us }
  - task: { name: nap, run: sleep, period: 2ms, burst: 100us }
  - task: { name: polite, run: yield, burst: 300us }
  - threads: { name: spawner, create: 40 }
)";

sim::RunOutcome run(std::uint64_t quantum_ps) {
    auto config = scenario::load_scenario_text(kScenario, "e2e.yaml").config;
    config.platform.quantum_ps = quantum_ps;
    return sim::run_scenario(config, {});
}

TEST(ReferenceKernel, BootsEveryCpuTicksAndRunsTheWorkload) {
    if (sim::guest::reference_guest() == nullptr) {
        GTEST_SKIP() << "no reference kernel in this build";
    }
    const auto outcome = run(1'000'000);
    const auto& r = outcome.registry;
    for (int cpu = 0; cpu < 4; ++cpu) {
        EXPECT_EQ(r.counter_value("cpu" + std::to_string(cpu) + ".started"), 1U) << cpu;
    }
    EXPECT_GT(r.value("sched.tick_hz").value_or(0), 700.0); // after the boot-time calibration
    EXPECT_LT(r.value("sched.tick_hz").value_or(0), 1001.0);
    for (const char* name : {"hog", "probe", "pp", "nap", "polite"}) {
        EXPECT_GT(r.counter_value(std::string("workload.") + name + ".ops").value_or(0), 0U) << name;
    }
    EXPECT_EQ(r.counter_value("workload.spawner.ops"), 40U);
    EXPECT_EQ(r.counter_value("workload.unstarted_tasks"), 0U);
    EXPECT_EQ(r.counter_value("guest.switch_refused"), 0U);
    EXPECT_EQ(r.counter_value("guest.bad_cpu"), 0U);
    EXPECT_EQ(r.counter_value("guest.lock_errors"), 0U);
    EXPECT_GT(r.value("irq.latency.count").value_or(0), 0.0);
    EXPECT_GT(r.value("workload.probe.latency.count").value_or(0), 0.0);
    EXPECT_LT(r.value("kernel.calibration.error_ppm").value_or(1e9), 1000.0);
}

std::string deterministic_metrics(std::uint64_t quantum_ps) {
    const auto outcome = run(quantum_ps);
    std::ostringstream out;
    for (const auto& metric : outcome.registry.flatten()) {
        if (!metric.name.starts_with("sim.")) { // wall clock, and SystemC's own delta count
            out << metric.name << '=' << metric.value << '\n';
        }
    }
    return out.str();
}

TEST(ReferenceKernel, MetricsDoNotDependOnTheQuantum) {
    if (sim::guest::reference_guest() == nullptr) {
        GTEST_SKIP() << "no reference kernel in this build";
    }
    const auto exact = run_in_child([] { return deterministic_metrics(0); });
    const auto one_us = run_in_child([] { return deterministic_metrics(1'000'000); });
    const auto ten_us = run_in_child([] { return deterministic_metrics(10'000'000); });
    ASSERT_NE(exact.find("workload.hog.ops"), std::string::npos) << exact;
    EXPECT_EQ(exact, one_us);
    EXPECT_EQ(exact, ten_us);
}

// Running ahead (sim/cpu/cpu.h "Time") must be exact: the same metrics as waiting out every offset, on
// the wakeup-heavy 4-CPU ping-pong where CPUs share run queues, wake each other and steal work - and
// that guest code reading shared kernel memory between HAL calls sees the same thing at any quantum.
std::string pingpong_metrics(std::uint64_t quantum_ps, bool run_ahead) {
    scenario::LoadOptions options;
    options.variant = "after-4cpu";
    options.overrides = {"duration=60ms"};
    auto config =
        scenario::load_scenario_file(std::string(X86SIM_SCENARIOS) + "/pingpong.yaml", options).config;
    config.platform.quantum_ps = quantum_ps;
    sim::RunOptions run_options;
    run_options.run_ahead = run_ahead;
    const auto outcome = sim::run_scenario(config, run_options);
    std::ostringstream out;
    for (const auto& metric : outcome.registry.flatten()) {
        if (!metric.name.starts_with("sim.")) {
            out << metric.name << '=' << metric.value << '\n';
        }
    }
    return out.str();
}

TEST(ReferenceKernel, RunningAheadIsExactOnAWakeupHeavyFourCpuRun) {
    if (sim::guest::reference_guest() == nullptr) {
        GTEST_SKIP() << "no reference kernel in this build";
    }
    const auto synchronised = run_in_child([] { return pingpong_metrics(0, false); });
    const auto ahead_1us = run_in_child([] { return pingpong_metrics(1'000'000, true); });
    const auto ahead_10us = run_in_child([] { return pingpong_metrics(10'000'000, true); });
    const auto waiting_1us = run_in_child([] { return pingpong_metrics(1'000'000, false); });
    ASSERT_NE(synchronised.find("workload.pp.ops="), std::string::npos) << synchronised;
    EXPECT_EQ(synchronised, ahead_1us);
    EXPECT_EQ(synchronised, ahead_10us);
    EXPECT_EQ(synchronised, waiting_1us);
}

} // namespace
} // namespace x86sim::test
