// Scheduler-tick benchmarks (issue: CPUs, guest ABI and reference kernel, "Performance"): what one
// periodic tick costs the simulator on one idle CPU, end to end through the real platform.
//  scheduler_tick          a minimal guest's tick: TSC-deadline expiry -> LAPIC IRR -> CPU accepts
//                          (IRR -> ISR) -> guest handler: re-arm IA32_TSC_DEADLINE, EOI -> idle hlt.
//                          The guest does nothing else, so this is the simulator's own cost per tick
//                          (timer, CPU, HAL, SystemC), excluding any kernel work.
//  scheduler_tick_kernel   the same tick with the reference kernel (kernel_under_test): its tick
//                          handler, scheduler pass and idle loop run natively on top.
// Both run a 1-CPU platform at 1000 Hz; one operation = one simulated millisecond (one tick; for the
// reference kernel, one tick of its calibrated period, within its calibration error).
#include "bench/bench_cases.h"
#include "kut/guest.h"
#include "sim/platform/simulation.h"
#include "sim/scenario/loader.h"

#include <cstdint>
#include <string>

namespace x86sim::bench {
namespace {

constexpr std::uint64_t kLapicBase = 0xFEE0'0000ULL;
constexpr std::uint32_t kIa32TscDeadline = 0x6E0;
constexpr std::uint8_t kTickVector = 48;

// The minimal tick guest: one CPU, LAPIC timer in TSC-deadline mode (SDM 10.5.4.1), 1000 Hz.
struct MinimalTickGuest {
    static inline const kut_hal* hal = nullptr;
    static inline std::uint64_t period_tsc = 0;
    static inline std::uint64_t next_deadline = 0;
    static inline std::uint64_t ticks = 0;

    static int init(const kut_hal* host_hal, const kut_config* config) {
        hal = host_hal;
        period_tsc = config->cpu_hz / 1000; // the platform's TSC runs at the core clock by default
        ticks = 0;
        return 0;
    }
    static void boot(std::uint32_t cpu) {
        hal->mmio_write(hal->host, cpu, kLapicBase + 0xF0, 4, 0x1FF);                     // SVR: enable
        hal->mmio_write(hal->host, cpu, kLapicBase + 0x320, 4, (2U << 17) | kTickVector); // TSC-deadline
        next_deadline = hal->rdtsc(hal->host, cpu) + period_tsc;
        hal->wrmsr(hal->host, cpu, kIa32TscDeadline, next_deadline);
    }
    static void ap_start(std::uint32_t, std::uint8_t) {}
    static void interrupt(std::uint32_t cpu, std::uint8_t vector) {
        if (vector == kTickVector) {
            ++ticks;
            next_deadline += period_tsc;
            hal->wrmsr(hal->host, cpu, kIa32TscDeadline, next_deadline);
        }
        hal->mmio_write(hal->host, cpu, kLapicBase + 0xB0, 4, 0); // EOI
    }
    static std::int64_t syscall(std::uint32_t, kut_task_id, std::uint32_t, std::uint64_t, std::uint64_t,
                                std::uint64_t) {
        return 0;
    }
    static void task_new(std::uint32_t, kut_task_id, std::int32_t, std::int32_t) {}
    static void idle(std::uint32_t cpu) { hal->hlt(hal->host, cpu); }

    static const kut_guest* table() {
        static const kut_guest guest{.abi_version = KUT_ABI_VERSION,
                                     .size = sizeof(kut_guest),
                                     .name = "bench-minimal-tick",
                                     .init = init,
                                     .boot = boot,
                                     .ap_start = ap_start,
                                     .interrupt = interrupt,
                                     .syscall = syscall,
                                     .task_new = task_new,
                                     .idle = idle};
        return &guest;
    }
};

scenario::Config tick_config(std::uint64_t milliseconds) {
    // Half a millisecond past the last tick, so that exactly `milliseconds` ticks fall in the run.
    const std::string yaml = "name: bench-tick\nduration: " + std::to_string(milliseconds * 1000 + 500) +
                             "us\n"
                             "platform: { cpus: 1, memory: 16MiB }\n"
                             "kernel:\n"
                             "  tick: { source: lapic, mode: tsc-deadline, hz: 1000 }\n"
                             "  sched: { lock: per-cpu, switch_ticks: 1, wakeup: targeted }\n";
    return scenario::load_scenario_text(yaml, "bench-tick.yaml").config;
}

std::uint64_t run_minimal_ticks(std::uint64_t ops) {
    sim::RunOptions options;
    options.guest = MinimalTickGuest::table();
    options.guest_name = "bench-minimal-tick";
    (void)sim::run_scenario(tick_config(ops), options);
    return MinimalTickGuest::ticks;
}

std::uint64_t run_kernel_ticks(std::uint64_t ops) {
    // The reference kernel calibrates its LAPIC timer against the PIT for 10 ms before its first tick;
    // the run is that much longer, and the tick count is the kernel's own sched.ticks.
    auto config = tick_config(ops + 10);
    const auto outcome = sim::run_scenario(config, {});
    const auto ticks = outcome.registry.counter_value("sched.ticks").value_or(0);
    // One operation is one simulated millisecond after boot. The kernel's tick period is its calibrated
    // one, off by the calibration error (bounded by 1000 ppm, as tick-pit-vs-lapic.yaml checks), so the
    // tick count matches `ops` within that bound plus the tick in progress; anything else is a failure.
    const auto tolerance = ops / 1000 + 1;
    return ticks + tolerance >= ops && ticks <= ops + tolerance ? ops : ticks;
}

const RegisterBenchCase minimal_case("scheduler_tick",
                                     "1 idle CPU, minimal guest: TSC-deadline expiry -> accept -> handler "
                                     "(re-arm, EOI) -> hlt",
                                     run_minimal_ticks);
const RegisterBenchCase kernel_case("scheduler_tick_kernel",
                                    "1 idle CPU, reference kernel: its whole 1000 Hz tick (handler, "
                                    "scheduler pass, idle loop)",
                                    run_kernel_ticks);

} // namespace
} // namespace x86sim::bench
