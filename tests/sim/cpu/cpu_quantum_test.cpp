// "Functional results must not depend on the quantum" (ARCHITECTURE.md "Time"): one machine with two CPUs,
// periodic LAPIC ticks on both, a lock taken in every tick handler, guest work declared with spend(),
// user tasks and injected interrupts, run with quantum 0 (exact), 1 us and 10 us: every guest-observed
// event time and every metric the session reports are identical.
#include "tests/sim/cpu/script_guest.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <sstream>

namespace x86sim::test {
namespace {

std::string run_with_quantum(std::uint64_t quantum_ps) {
    ScriptGuest guest;
    kut_lock_id lock = 0;
    auto start_tick = [&](std::uint32_t cpu) {
        guest.enable_lapic(cpu);
        guest.lapic_write(cpu, kTdcr, 0xB);
        guest.lapic_write(cpu, kLvtTimer, 0x20030); // periodic, vector 0x30
        guest.lapic_write(cpu, kTmict, 25'000 + 1'000 * cpu);
    };
    guest.boot = [&](std::uint32_t cpu) {
        lock = guest.hal->lock_create(guest.hal->host, "sched.tick");
        start_tick(cpu);
        guest.lapic_write(cpu, kIcrLow, 0xC4500);
        guest.lapic_write(cpu, kIcrLow, 0xC4610);
        guest.hal->spend(guest.hal->host, cpu, 7'777);
    };
    guest.ap_start = [&](std::uint32_t cpu, std::uint8_t) { start_tick(cpu); };
    guest.interrupt = [&](std::uint32_t cpu, std::uint8_t vector) {
        guest.record("irq", cpu, vector);
        guest.hal->spend(guest.hal->host, cpu, 1'234);
        guest.hal->spin_lock(guest.hal->host, cpu, lock);
        guest.record("locked", cpu, guest.hal->rdtsc(guest.hal->host, cpu));
        guest.hal->spend(guest.hal->host, cpu, 40'000 + 997 * cpu); // long enough to contend
        guest.hal->spin_unlock(guest.hal->host, cpu, lock);
        guest.eoi(cpu);
    };
    auto config = test_config(2, quantum_ps, 20'000'000'000);
    scenario::TaskConfig task;
    task.name = "y";
    task.run = scenario::RunKind::yield;
    task.count = 3;
    task.burst_ps = 333'333'333;
    config.workload.emplace_back(task);
    Machine machine(config, guest);
    Injector injector("injector", machine.platform());
    for (std::uint64_t t = 1; t < 40; ++t) {
        injector.at(t * 487'000'000, static_cast<std::uint32_t>(t % 2), 0x50);
    }
    machine.run_to(20'000'000'000);

    auto events = guest.events;
    std::sort(events.begin(), events.end(), [](const GuestEvent& a, const GuestEvent& b) {
        return std::tie(a.time_ps, a.cpu, a.what, a.value) < std::tie(b.time_ps, b.cpu, b.what, b.value);
    });
    std::ostringstream out;
    for (const auto& e : events) {
        out << e.time_ps << ' ' << e.cpu << ' ' << e.what << ' ' << e.value << '\n';
    }
    for (const auto& metric : machine.registry().flatten()) {
        if (metric.name.starts_with("sim.")) {
            continue;
        }
        out << metric.name << '=' << metric.value << '\n';
    }
    return out.str();
}

TEST(CpuQuantum, ResultsAreTheSameForQuantum0And1usAnd10us) {
    const auto exact = run_in_child([] { return run_with_quantum(0); });
    const auto one_us = run_in_child([] { return run_with_quantum(1'000'000); });
    const auto ten_us = run_in_child([] { return run_with_quantum(10'000'000); });
    ASSERT_NE(exact.find("locked"), std::string::npos) << exact;
    ASSERT_NE(exact.find("lock.sched_tick.contended"), std::string::npos);
    EXPECT_NE(exact.find("sched.lock_wait="), std::string::npos);
    EXPECT_EQ(exact, one_us);
    EXPECT_EQ(exact, ten_us);
}

} // namespace
} // namespace x86sim::test
