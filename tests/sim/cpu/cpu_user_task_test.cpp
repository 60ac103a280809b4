// User tasks (design/GUEST-MODEL.md "Entries run to completion"): a burst runs in simulated time, an
// interrupt cuts it at exactly its arrival, the remainder is kept and run after the handler.
#include "tests/sim/cpu/script_guest.h"

#include <gtest/gtest.h>

namespace x86sim::test {
namespace {

scenario::Config with_yield_task(scenario::Config config, std::uint64_t burst_ps) {
    scenario::TaskConfig task;
    task.name = "y";
    task.run = scenario::RunKind::yield;
    task.burst_ps = burst_ps;
    config.workload.emplace_back(task);
    return config;
}

TEST(CpuUserTasks, BurstCutByInterruptExactlyAtArrivalAndResumed) {
    ScriptGuest guest;
    Machine machine(with_yield_task(test_config(1, 1'000'000, 5'000'000'000), 1'000'000'000), guest);
    Injector injector("injector", machine.platform());
    injector.at(500'000'000, 0, 0x40);
    machine.run_to(5'000'000'000);

    const auto irqs = guest.of("irq");
    ASSERT_EQ(irqs.size(), 1U);
    EXPECT_EQ(irqs[0].time_ps, 500'000'000U + kEntryPs); // the burst was cut at the arrival
    const auto calls = guest.of("syscall");
    ASSERT_GE(calls.size(), 2U);
    EXPECT_EQ(calls[0].value, static_cast<std::uint64_t>(KUT_SYS_YIELD));
    // The burst started at 100 ns (after the boot's SVR write) and lost the handler's time.
    constexpr std::uint64_t kHandler = kEntryPs + kXapicAccessPs + kExitPs;
    EXPECT_EQ(calls[0].time_ps, 100'000U + 1'000'000'000U + kHandler + kSyscallEntryPs);
    // The next burst starts after the syscall's exit cost.
    EXPECT_EQ(calls[1].time_ps, calls[0].time_ps + 33'334U + 1'000'000'000U + kSyscallEntryPs);
    EXPECT_EQ(machine.registry().counter_value("workload.y.ops"), calls.size());
}

TEST(CpuUserTasks, GuestSelectionRefusedWhileTheTaskRunsElsewhere) {
    ScriptGuest guest;
    guest.boot = [&](std::uint32_t cpu) {
        guest.enable_lapic(cpu);
        guest.lapic_write(cpu, kIcrLow, 0xC4500);
        guest.lapic_write(cpu, kIcrLow, 0xC4610);
    };
    // Task 1 belongs to CPU 0 (round-robin); CPU 1 then tries to run it too.
    guest.ap_start = [&](std::uint32_t cpu, std::uint8_t) {
        guest.enable_lapic(cpu);
        guest.hal->spend(guest.hal->host, cpu, 3000);
        guest.hal->switch_to(guest.hal->host, cpu, 1);
        guest.hal->switch_to(guest.hal->host, cpu, 99); // no such task
    };
    Machine machine(with_yield_task(test_config(2, 0, 10'000'000), 1'000'000'000), guest);
    machine.run_to(10'000'000);
    EXPECT_EQ(machine.registry().counter_value("guest.switch_refused"), 2U);
    EXPECT_EQ(machine.platform().cpu(1).current_task(), KUT_IDLE_TASK);
    EXPECT_EQ(machine.platform().cpu(0).current_task(), 1U);
}

} // namespace
} // namespace x86sim::test
