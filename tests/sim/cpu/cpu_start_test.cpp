// INIT/SIPI start-up of APs (sim/cpu/cpu.h; lapic-pit-msi.md §1.3.7): an AP waits for INIT, then SIPI,
// then runs guest->ap_start(cpu, vector) at the SIPI's arrival.
#include "tests/sim/cpu/script_guest.h"

#include <gtest/gtest.h>

namespace x86sim::test {
namespace {

TEST(CpuStartup, InitThenSipiStartsTheApAtTheSipi) {
    ScriptGuest guest;
    guest.boot = [&](std::uint32_t cpu) {
        guest.enable_lapic(cpu);                    // 0 .. 100 ns
        guest.lapic_write(cpu, kIcrHigh, 1U << 24); // destination APIC 1, at 100 ns
        guest.lapic_write(cpu, kIcrLow, 0x4500);    // INIT, at 200 ns
        guest.lapic_write(cpu, kIcrLow, 0x4610);    // SIPI vector 0x10, at 300 ns
        guest.lapic_write(cpu, kIcrLow, 0x4610);    // the second SIPI of INIT-SIPI-SIPI: ignored
    };
    Machine machine(test_config(2, 1'000'000, 10'000'000), guest);
    machine.run_to(10'000'000);
    const auto starts = guest.of("ap_start");
    ASSERT_EQ(starts.size(), 1U);
    EXPECT_EQ(starts[0].cpu, 1U);
    EXPECT_EQ(starts[0].value, 0x10U);
    EXPECT_EQ(starts[0].time_ps, 300'000U);
    EXPECT_EQ(machine.registry().counter_value("cpu1.started"), 1U);
    EXPECT_EQ(machine.registry().counter_value("cpu1.init_sipi_ignored"), 1U);
}

TEST(CpuStartup, SipiWithoutInitIsIgnored) {
    ScriptGuest guest;
    guest.boot = [&](std::uint32_t cpu) {
        guest.enable_lapic(cpu);
        guest.lapic_write(cpu, kIcrHigh, 1U << 24);
        guest.lapic_write(cpu, kIcrLow, 0x4610);
    };
    Machine machine(test_config(2, 0, 10'000'000), guest);
    machine.run_to(10'000'000);
    EXPECT_TRUE(guest.of("ap_start").empty());
    EXPECT_EQ(machine.registry().counter_value("cpu1.started"), 0U);
    EXPECT_EQ(machine.registry().counter_value("cpu1.init_sipi_ignored"), 1U);
    EXPECT_DOUBLE_EQ(machine.registry().value("cpu1.idle").value_or(-1), 1.0);
}

TEST(CpuStartup, BroadcastInitSipiStartsEveryApAtOnce) {
    ScriptGuest guest;
    guest.boot = [&](std::uint32_t cpu) {
        guest.enable_lapic(cpu);
        guest.lapic_write(cpu, kIcrLow, 0xC4500); // INIT, all excluding self
        guest.lapic_write(cpu, kIcrLow, 0xC4620); // SIPI 0x20, all excluding self, at 200 ns
    };
    Machine machine(test_config(4, 1'000'000, 10'000'000), guest);
    machine.run_to(10'000'000);
    const auto starts = guest.of("ap_start");
    ASSERT_EQ(starts.size(), 3U);
    for (const auto& start : starts) {
        EXPECT_EQ(start.time_ps, 200'000U);
        EXPECT_EQ(start.value, 0x20U);
    }
}

} // namespace
} // namespace x86sim::test
