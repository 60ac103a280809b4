// The HAL (sim/guest/guest_host.h): CPUID, MSRs and #GP, TSC at the local time, physical memory,
// instrumentation into the run's metrics, and the metrics derived from what the guest reports.
#include "tests/sim/cpu/script_guest.h"

#include <cstring>
#include <gtest/gtest.h>

namespace x86sim::test {
namespace {

TEST(Hal, CpuidReportsLapicTscDeadlineX2apicAndTscLeaves) {
    ScriptGuest guest;
    std::uint32_t leaf1[4] = {};
    std::uint32_t leaf15[4] = {};
    std::uint32_t leaf0b[4] = {};
    guest.boot = [&](std::uint32_t cpu) {
        guest.hal->cpuid(guest.hal->host, cpu, 1, 0, leaf1);
        guest.hal->cpuid(guest.hal->host, cpu, 0x15, 0, leaf15);
    };
    guest.ap_start = [&](std::uint32_t cpu, std::uint8_t) {
        guest.hal->cpuid(guest.hal->host, cpu, 0xB, 0, leaf0b);
    };
    guest.boot = [&, inner = guest.boot](std::uint32_t cpu) {
        inner(cpu);
        guest.enable_lapic(cpu);
        guest.lapic_write(cpu, kIcrLow, 0xC4500);
        guest.lapic_write(cpu, kIcrLow, 0xC4610);
    };
    Machine machine(test_config(2, 0, 1'000'000), guest);
    machine.run_to(1'000'000);
    EXPECT_NE(leaf1[3] & (1U << 9), 0U);  // APIC present
    EXPECT_NE(leaf1[2] & (1U << 21), 0U); // x2APIC
    EXPECT_NE(leaf1[2] & (1U << 24), 0U); // TSC-deadline
    EXPECT_EQ(leaf1[1] >> 24, 0U);        // initial APIC ID of CPU 0
    // TSC Hz = ECX * EBX / EAX (lapic-pit-msi.md §3, check 51).
    ASSERT_NE(leaf15[0], 0U);
    EXPECT_EQ(static_cast<std::uint64_t>(leaf15[2]) * leaf15[1] / leaf15[0], 3'000'000'000U);
    EXPECT_EQ(leaf0b[3], 1U); // x2APIC ID of CPU 1
}

TEST(Hal, MsrGeneralProtectionIsReturnedAndCounted) {
    ScriptGuest guest;
    int bad = 0;
    int good = 0;
    std::uint64_t base = 0;
    guest.boot = [&](std::uint32_t cpu) {
        std::uint64_t value = 0;
        bad = guest.hal->rdmsr(guest.hal->host, cpu, 0x830, &value); // x2APIC MSR in xAPIC mode
        good = guest.hal->rdmsr(guest.hal->host, cpu, 0x1B, &base);
    };
    Machine machine(test_config(1, 0, 1'000'000), guest);
    machine.run_to(1'000'000);
    EXPECT_EQ(bad, KUT_GP);
    EXPECT_EQ(good, KUT_OK);
    EXPECT_EQ(base & 0xFFFFF000ULL, 0xFEE00000ULL);
    EXPECT_EQ(machine.registry().counter_value("guest.msr_gp"), 1U);
}

TEST(Hal, RdtscIncludesTheLocalTimeAndNowPsTooWithDecoupling) {
    ScriptGuest guest;
    std::uint64_t tsc = 0;
    std::uint64_t now = 0;
    guest.boot = [&](std::uint32_t cpu) {
        guest.hal->spend(guest.hal->host, cpu, 1'500); // 500 ns of declared work, IF = 0: not waited out
        now = guest.now();
        tsc = guest.hal->rdtsc(guest.hal->host, cpu);
    };
    Machine machine(test_config(1, 10'000'000, 1'000'000), guest);
    machine.run_to(1'000'000);
    EXPECT_EQ(now, 500'000U);
    EXPECT_EQ(tsc, 1'500U); // 3 GHz TSC
}

TEST(Hal, PhysicalMemoryIsDeterministicAndReachableThroughMmio) {
    ScriptGuest guest;
    std::uint64_t a = 0;
    std::uint64_t b = 0;
    std::uint64_t too_big = 1;
    std::uint64_t read_back = 0;
    guest.boot = [&](std::uint32_t cpu) {
        a = guest.hal->phys_alloc(guest.hal->host, 100, 64);
        b = guest.hal->phys_alloc(guest.hal->host, 4096, 4096);
        too_big = guest.hal->phys_alloc(guest.hal->host, 1ULL << 40, 8);
        auto* p = static_cast<std::uint32_t*>(guest.hal->host_pointer(guest.hal->host, b, 4096));
        ASSERT_NE(p, nullptr);
        p[1] = 0xCAFEF00D;
        read_back = guest.hal->mmio_read(guest.hal->host, cpu, b + 4, 4);
    };
    Machine machine(test_config(1, 0, 1'000'000), guest);
    machine.run_to(1'000'000);
    EXPECT_EQ(a, 0x100000U);
    EXPECT_EQ(b, 0x101000U);
    EXPECT_EQ(too_big, 0U);
    EXPECT_EQ(read_back, 0xCAFEF00DU);
    EXPECT_EQ(machine.registry().counter_value("guest.phys_alloc_failures"), 1U);
}

TEST(Hal, InstrumentationAndDerivedKernelMetrics) {
    ScriptGuest guest;
    guest.boot = [&](std::uint32_t cpu) {
        guest.hal->metric_add(guest.hal->host, "sched.ticks", 300);
        guest.hal->metric_set(guest.hal->host, "kernel.calibration.lapic_timer_hz", 100'010'000.0);
        guest.hal->metric_sample(guest.hal->host, "sched.wakeup_latency", 5'000'000);
        guest.hal->log(guest.hal->host, cpu, KUT_LOG_DEBUG, "hello from the guest");
        guest.hal->mmio_read(guest.hal->host, cpu, 0xFFFF'0000'0000ULL, 4); // nothing there
    };
    Machine machine(test_config(2, 0, 1'000'000'000'000), guest); // 1 s
    machine.run_to(1'000'000'000'000);
    const auto& r = machine.registry();
    EXPECT_DOUBLE_EQ(r.value("sched.tick_hz").value_or(0), 150.0); // 300 ticks / 2 CPUs / 1 s
    EXPECT_NEAR(r.value("kernel.calibration.error_ppm").value_or(0), 100.0, 1e-6);
    EXPECT_EQ(r.value("sched.wakeup_latency.max").value_or(0), 5e-6);
    EXPECT_EQ(r.counter_value("guest.unclaimed"), 1U);
}

} // namespace
} // namespace x86sim::test
