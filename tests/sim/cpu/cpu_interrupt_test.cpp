// The CPU loop (design/GUEST-MODEL.md "Interrupts", sim/cpu/cpu.h): acceptance at the exact arrival time
// plus the entry cost, deferral while IF = 0, nesting by priority after sti, hlt wake-up, accounting.
#include "models/common/time.h"
#include "tests/sim/cpu/script_guest.h"

#include <gtest/gtest.h>

namespace x86sim::test {
namespace {

using models::HopKind;

class AcceptanceByQuantum : public ::testing::TestWithParam<std::uint64_t> {};

// LAPIC timer one-shot programmed at boot; the CPU is halted in the idle loop when it fires at T: the
// handler is entered at exactly T + interrupt_entry, whatever the quantum.
TEST_P(AcceptanceByQuantum, TimerExpiryToHandlerEntryIsTheEntryCost) {
    ScriptGuest guest;
    guest.boot = [&](std::uint32_t cpu) {
        guest.enable_lapic(cpu);
        guest.lapic_write(cpu, kTdcr, 0xB);      // divide by 1: 10 ns per count at 100 MHz
        guest.lapic_write(cpu, kLvtTimer, 0x40); // one-shot, vector 0x40
        guest.lapic_write(cpu, kTmict, 1000);    // 10 us later
    };
    Machine machine(test_config(1, GetParam(), 100'000'000), guest);
    HopRecorder hops;
    machine.platform().add_interrupt_observer(hops);
    machine.run_to(100'000'000);

    const auto expiry = hops.of(HopKind::TimerExpiry);
    ASSERT_EQ(expiry.size(), 1U);
    // TMICT written at 300 ns (three 100 ns xAPIC writes before it), 1000 counts of 10 ns.
    EXPECT_EQ(expiry[0].time_ps, 300'000U + 10'000'000U);
    const auto acks = hops.of(HopKind::Acknowledge);
    ASSERT_EQ(acks.size(), 1U);
    EXPECT_EQ(acks[0].time_ps, expiry[0].time_ps);
    const auto irqs = guest.of("irq");
    ASSERT_EQ(irqs.size(), 1U);
    EXPECT_EQ(irqs[0].value, 0x40U);
    EXPECT_EQ(irqs[0].time_ps, expiry[0].time_ps + kEntryPs);
    const auto entries = hops.of(HopKind::HandlerEntry);
    ASSERT_EQ(entries.size(), 1U);
    EXPECT_EQ(entries[0].time_ps, expiry[0].time_ps + kEntryPs);
    EXPECT_EQ(hops.of(HopKind::HandlerExit).size(), 1U);
    // irq.latency: timer expiry -> handler entry.
    const auto* latency = machine.registry().histogram("irq.latency");
    ASSERT_NE(latency, nullptr);
    EXPECT_EQ(machine.registry().value("irq.latency.max").value_or(0), kEntryPs * 1e-12);
}

INSTANTIATE_TEST_SUITE_P(Quanta, AcceptanceByQuantum, ::testing::Values(0ULL, 1'000'000ULL, 10'000'000ULL));

// With IF = 0 (the boot entry) the interrupt waits; it is accepted when the entry returns to the CPU loop.
TEST(CpuInterrupts, PendingInterruptWaitsForInterruptsEnabled) {
    ScriptGuest guest;
    guest.boot = [&](std::uint32_t cpu) {
        guest.enable_lapic(cpu);
        guest.lapic_write(cpu, kTdcr, 0xB);
        guest.lapic_write(cpu, kLvtTimer, 0x40);
        guest.lapic_write(cpu, kTmict, 1000);           // fires at 10.3 us
        guest.hal->spend(guest.hal->host, cpu, 30'000); // 10 us at 3 GHz: boot ends at 10.4 us
    };
    Machine machine(test_config(1, 1'000'000, 50'000'000), guest);
    machine.run_to(50'000'000);
    const auto irqs = guest.of("irq");
    ASSERT_EQ(irqs.size(), 1U);
    EXPECT_EQ(irqs[0].time_ps, 10'400'000U + kEntryPs);
}

// A handler that re-enables interrupts is nested by a higher priority class, not by a lower one.
TEST(CpuInterrupts, NestingByPriorityAfterSti) {
    ScriptGuest guest;
    std::uint64_t after_spend = 0;
    guest.interrupt = [&](std::uint32_t cpu, std::uint8_t vector) {
        guest.record("irq", cpu, vector);
        if (vector == 0x40) {
            guest.hal->sti(guest.hal->host, cpu);
            guest.hal->spend(guest.hal->host, cpu, 30'000); // 10 us, interruptible
            after_spend = guest.now();
        }
        guest.eoi(cpu);
    };
    Machine machine(test_config(1, 1'000'000, 100'000'000), guest);
    Injector injector("injector", machine.platform());
    injector.at(20'000'000, 0, 0x40);
    injector.at(25'000'000, 0, 0x80); // higher class: nests
    injector.at(26'000'000, 0, 0x30); // lower class: waits for the EOI of 0x40
    machine.run_to(100'000'000);

    const auto irqs = guest.of("irq");
    ASSERT_EQ(irqs.size(), 3U);
    EXPECT_EQ(irqs[0].value, 0x40U);
    EXPECT_EQ(irqs[0].time_ps, 20'000'000U + kEntryPs);
    EXPECT_EQ(irqs[1].value, 0x80U);
    EXPECT_EQ(irqs[1].time_ps, 25'000'000U + kEntryPs);
    EXPECT_EQ(irqs[2].value, 0x30U);
    constexpr std::uint64_t kSti = 667;                                    // 2 cycles
    constexpr std::uint64_t kNested = kEntryPs + kXapicAccessPs + kExitPs; // the 0x80 handler
    EXPECT_EQ(after_spend, 20'000'000U + kEntryPs + kSti + 10'000'000U + kNested);
    EXPECT_EQ(irqs[2].time_ps, after_spend + kXapicAccessPs + kExitPs + kEntryPs);
    EXPECT_EQ(machine.registry().counter_value("cpu0.max_nesting"), 2U);
}

// hlt sleeps until INTR; accounting splits the run into idle, kernel and interrupt time exactly.
TEST(CpuInterrupts, HltWakesAtArrivalAndTimeIsAccounted) {
    ScriptGuest guest;
    Machine machine(test_config(1, 0, 100'000'000), guest);
    Injector injector("injector", machine.platform());
    injector.at(50'000'000, 0, 0x40);
    machine.run_to(100'000'000);
    const auto irqs = guest.of("irq");
    ASSERT_EQ(irqs.size(), 1U);
    EXPECT_EQ(irqs[0].time_ps, 50'000'000U + kEntryPs);
    const auto& r = machine.registry();
    const double handler = static_cast<double>(kEntryPs + kXapicAccessPs + kExitPs) / 1e8;
    EXPECT_DOUBLE_EQ(r.value("cpu0.irq_time").value_or(-1), handler);
    EXPECT_DOUBLE_EQ(r.value("cpu0.busy").value_or(-1), 100'000.0 / 1e8); // the boot's SVR write
    EXPECT_DOUBLE_EQ(r.value("cpu0.idle").value_or(-1), 1.0 - handler - 100'000.0 / 1e8);
    EXPECT_EQ(r.counter_value("cpu0.interrupts"), 1U);
}

// A spurious vector is delivered when TPR rose between INTR and INTA: covered by the LAPIC; here only
// that no acknowledge happens without a guest.
TEST(CpuInterrupts, WithoutGuestNothingIsAcknowledged) {
    models::ensure_time_resolution();
    auto config = test_config(1, 0, 10'000'000);
    config.kernel.reset();
    sim::Platform platform(config);
    Injector injector("injector", platform);
    platform.lapic(0).mmio_write(kSvr, 4, 0x1FF);
    injector.at(1'000'000, 0, 0x40);
    sc_core::sc_start(models::from_ps(10'000'000));
    EXPECT_TRUE(platform.lapic(0).irr_bit(0x40));
    EXPECT_FALSE(platform.lapic(0).isr_bit(0x40));
    EXPECT_FALSE(platform.cpu(0).started());
}

} // namespace
} // namespace x86sim::test
