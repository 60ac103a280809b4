// LAPIC timer: lapic-pit-msi.md §1.3.9, §1.3.10, §3; §8 checks 6-15 and 51; §9 choices.
// Times are exact: the default timer clock is the 25 MHz crystal (40 ns per input clock).
#include "models/common/time.h"
#include "models/tsc/tsc.h"
#include "tests/models/lapic/lapic_test_support.h"
#include "tests/support/sim_test.h"

#include <gtest/gtest.h>

namespace x86sim::models {
namespace {

using namespace testing;
using test::now_ps;

constexpr std::uint32_t kOneShot = 0x00000040;
constexpr std::uint32_t kPeriodic = 0x00020040;
constexpr std::uint32_t kDeadline = 0x00040040;
constexpr std::uint32_t kMasked = 0x00010000;

std::size_t expiries(const RecordingObserver& observer) {
    return observer.of_kind(HopKind::TimerExpiry).size();
}
std::uint64_t last_expiry_ps(const RecordingObserver& observer) {
    const auto hops = observer.of_kind(HopKind::TimerExpiry);
    return hops.empty() ? 0 : hops.back().time_ps;
}

// §8 check 6, §1.3.9 divide table.
TEST(LapicConformance, Check06_DivideConfigurationSelectsDivisor) {
    Lapic lapic("lapic", {});
    RecordingObserver observer;
    lapic.set_observer(&observer);
    software_enable(lapic);
    write_reg(lapic, 0x320, kOneShot);
    run_through_ps(0);
    const struct {
        std::uint32_t tdcr;
        std::uint64_t divisor;
    } cases[] = {{0b1011, 1}, {0b0000, 2}, {0b0011, 16}, {0b1010, 128}, {0b1000, 32}, {0b0001, 4}};
    std::size_t fired = 0;
    for (const auto& c : cases) {
        const auto start = now_ps();
        write_reg(lapic, 0x3E0, c.tdcr);
        write_reg(lapic, 0x380, 10);
        const auto expected = start + 10 * c.divisor * kTimerTickPs;
        run_through_ps(expected - 1);
        EXPECT_EQ(expiries(observer), fired) << "divisor " << c.divisor;
        EXPECT_EQ(read_reg(lapic, 0x390), 1U) << "one decrement left";
        run_through_ps(expected);
        ASSERT_EQ(expiries(observer), ++fired) << "divisor " << c.divisor;
        EXPECT_EQ(last_expiry_ps(observer), expected);
        run_through_ps(expected + 1000);
    }
}

// §8 check 7: exactly one interrupt N*d input clocks after the write; TMCCT then reads 0.
TEST(LapicConformance, Check07_OneShotFiresOnceAtNTimesDivisor) {
    Lapic lapic("lapic", {});
    RecordingObserver observer;
    FakeCpuPins pins;
    lapic.set_observer(&observer);
    lapic.bind_cpu(&pins);
    software_enable(lapic);
    write_reg(lapic, 0x320, kOneShot);
    write_reg(lapic, 0x3E0, 0x3); // divide by 16
    run_through_ps(1'234'567);
    write_reg(lapic, 0x380, 1000);
    const std::uint64_t expected = 1'234'567 + 1000ULL * 16 * kTimerTickPs; // + 640 us
    EXPECT_EQ(lapic.next_timer_event_ps(), expected);
    run_through_ps(expected - 1);
    EXPECT_FALSE(lapic.irr_bit(0x40));
    EXPECT_EQ(read_reg(lapic, 0x390), 1U);
    run_through_ps(expected);
    EXPECT_TRUE(lapic.irr_bit(0x40));
    EXPECT_TRUE(pins.intr);
    EXPECT_EQ(last_expiry_ps(observer), expected);
    EXPECT_EQ(read_reg(lapic, 0x390), 0U);
    EXPECT_EQ(read_reg(lapic, 0x380), 1000U);
    run_through_ps(expected * 4);
    EXPECT_EQ(lapic.stats().timer_fires, 1U);
    EXPECT_EQ(read_reg(lapic, 0x390), 0U);
    EXPECT_FALSE(sc_core::sc_pending_activity_at_future_time());
}

// §8 check 8: periodic, an interrupt every N*d clocks; TMCCT reloads N at each expiry.
TEST(LapicConformance, Check08_PeriodicFiresEveryPeriodAndReloads) {
    Lapic lapic("lapic", {});
    RecordingObserver observer;
    lapic.set_observer(&observer);
    software_enable(lapic);
    write_reg(lapic, 0x320, kPeriodic);
    write_reg(lapic, 0x380, 100); // divide by 2 (reset TDCR): period 100 * 2 * 40 ns = 8 us
    constexpr std::uint64_t kPeriod = 8'000'000;
    run_through_ps(kPeriod / 2);
    EXPECT_EQ(read_reg(lapic, 0x390), 50U);
    run_through_ps(kPeriod);
    EXPECT_EQ(read_reg(lapic, 0x390), 100U);
    run_through_ps(kPeriod + 2 * kTimerTickPs);
    EXPECT_EQ(read_reg(lapic, 0x390), 99U);
    run_through_ps(3 * kPeriod);
    const auto hops = observer.of_kind(HopKind::TimerExpiry);
    ASSERT_EQ(hops.size(), 3U);
    EXPECT_EQ(hops[0].time_ps, kPeriod);
    EXPECT_EQ(hops[1].time_ps, 2 * kPeriod);
    EXPECT_EQ(hops[2].time_ps, 3 * kPeriod);
    EXPECT_EQ(lapic.stats().irr_coalesced, 2U) << "nobody acknowledged: edges 2 and 3 merged";
    // 1000 periods later, still on the exact grid (no drift).
    run_through_ps(1003 * kPeriod);
    EXPECT_EQ(last_expiry_ps(observer), 1003 * kPeriod);
    EXPECT_EQ(lapic.stats().timer_fires, 1003U);
}

// §8 check 9: TMICT = 0 stops the timer; rewriting TMICT mid-count restarts from the new value.
TEST(LapicConformance, Check09_ZeroStopsAndRewriteRestarts) {
    Lapic lapic("lapic", {});
    RecordingObserver observer;
    lapic.set_observer(&observer);
    software_enable(lapic);
    write_reg(lapic, 0x320, kOneShot);
    write_reg(lapic, 0x380, 100); // 8 us
    run_through_ps(4'000'000);
    write_reg(lapic, 0x380, 0);
    EXPECT_EQ(read_reg(lapic, 0x390), 0U);
    EXPECT_EQ(lapic.next_timer_event_ps(), 0U);
    run_through_ps(10'000'000);
    EXPECT_EQ(expiries(observer), 0U);
    write_reg(lapic, 0x380, 100);
    run_through_ps(14'000'000);
    EXPECT_EQ(read_reg(lapic, 0x390), 50U);
    write_reg(lapic, 0x380, 100); // restart: fires at 22 us, not 18 us
    run_through_ps(21'999'999);
    EXPECT_EQ(expiries(observer), 0U);
    run_through_ps(22'000'000);
    EXPECT_EQ(expiries(observer), 1U);
    EXPECT_EQ(last_expiry_ps(observer), 22'000'000U);
}

// §8 check 10: a masked timer keeps counting and sets no IRR (and costs no event, §1.3.9).
TEST(LapicConformance, Check10_MaskedTimerCountsWithoutIrr) {
    Lapic lapic("lapic", {});
    RecordingObserver observer;
    lapic.set_observer(&observer);
    software_enable(lapic);
    write_reg(lapic, 0x320, kMasked | kPeriodic);
    write_reg(lapic, 0x380, 100); // 8 us period
    EXPECT_EQ(lapic.next_timer_event_ps(), 0U);
    run_through_ps(4'000'000);
    EXPECT_EQ(read_reg(lapic, 0x390), 50U);
    run_through_ps(8'000'000);
    EXPECT_EQ(read_reg(lapic, 0x390), 100U);
    EXPECT_FALSE(lapic.irr_bit(0x40));
    EXPECT_EQ(expiries(observer), 0U);
    EXPECT_FALSE(sc_core::sc_pending_activity_at_future_time());
    run_through_ps(12'000'000);
    EXPECT_EQ(read_reg(lapic, 0x390), 50U);
    write_reg(lapic, 0x320, kPeriodic); // unmask mid-period: next expiry on the running grid
    EXPECT_EQ(lapic.next_timer_event_ps(), 16'000'000U);
    run_through_ps(16'000'000);
    EXPECT_TRUE(lapic.irr_bit(0x40));
    EXPECT_EQ(last_expiry_ps(observer), 16'000'000U);
}

// §8 check 11: in TSC-deadline mode TMICT writes are ignored and TMCCT reads 0.
TEST(LapicConformance, Check11_TscDeadlineModeIgnoresInitialCount) {
    Tsc tsc({});
    Lapic lapic("lapic", {});
    lapic.bind_tsc(&tsc);
    software_enable(lapic);
    write_reg(lapic, 0x320, kDeadline);
    write_reg(lapic, 0x380, 1000);
    EXPECT_EQ(read_reg(lapic, 0x380), 0U);
    EXPECT_EQ(read_reg(lapic, 0x390), 0U);
    EXPECT_EQ(lapic.next_timer_event_ps(), 0U);
    run_through_ps(100'000'000);
    EXPECT_EQ(lapic.stats().timer_fires, 0U);
}

// §8 check 12, §1.3.10: a past deadline fires immediately; the MSR then reads 0; no second interrupt.
TEST(LapicConformance, Check12_TscDeadlinePastFiresImmediatelyFutureFiresExactlyOnce) {
    Tsc tsc({.frequency_hz = 2'000'000'000}); // 500 ps per tick
    Lapic lapic("lapic", {});
    RecordingObserver observer;
    lapic.bind_tsc(&tsc);
    lapic.set_observer(&observer);
    software_enable(lapic);
    write_reg(lapic, 0x320, kDeadline);
    run_through_ps(1'000'000);
    ASSERT_EQ(tsc.read(), 2000U);
    ASSERT_TRUE(lapic.wrmsr(0x6E0, 1500));
    EXPECT_TRUE(lapic.irr_bit(0x40)) << "fires at once";
    EXPECT_EQ(last_expiry_ps(observer), 1'000'000U);
    EXPECT_EQ(rdmsr(lapic, 0x6E0), 0U);
    EXPECT_EQ(lapic.acknowledge(), 0x40);
    write_reg(lapic, 0x0B0, 0);

    ASSERT_TRUE(lapic.wrmsr(0x6E0, 4000)); // TSC reaches 4000 at exactly 2 us
    EXPECT_EQ(rdmsr(lapic, 0x6E0), 4000U);
    EXPECT_EQ(lapic.next_timer_event_ps(), 2'000'000U);
    run_through_ps(1'999'999);
    EXPECT_FALSE(lapic.irr_bit(0x40));
    run_through_ps(2'000'000);
    EXPECT_TRUE(lapic.irr_bit(0x40));
    EXPECT_EQ(rdmsr(lapic, 0x6E0), 0U);
    run_through_ps(10'000'000);
    EXPECT_EQ(lapic.stats().timer_fires, 2U);
    EXPECT_FALSE(sc_core::sc_pending_activity_at_future_time());
}

// §8 check 13: writing 0 before expiry disarms.
TEST(LapicConformance, Check13_TscDeadlineZeroDisarms) {
    Tsc tsc({});
    Lapic lapic("lapic", {});
    lapic.bind_tsc(&tsc);
    software_enable(lapic);
    write_reg(lapic, 0x320, kDeadline);
    ASSERT_TRUE(lapic.wrmsr(0x6E0, 10'000));
    run_through_ps(1'000'000);
    ASSERT_TRUE(lapic.wrmsr(0x6E0, 0));
    EXPECT_EQ(lapic.next_timer_event_ps(), 0U);
    run_through_ps(100'000'000);
    EXPECT_EQ(lapic.stats().timer_fires, 0U);
    EXPECT_FALSE(lapic.irr_bit(0x40));
}

// §8 check 14: switching into or out of TSC-deadline mode disarms any pending deadline or count.
TEST(LapicConformance, Check14_SwitchingDeadlineModeDisarms) {
    Tsc tsc({});
    Lapic lapic("lapic", {});
    lapic.bind_tsc(&tsc);
    software_enable(lapic);
    write_reg(lapic, 0x320, kOneShot);
    write_reg(lapic, 0x380, 100); // would fire at 8 us
    run_through_ps(1'000'000);
    write_reg(lapic, 0x320, kDeadline);
    EXPECT_EQ(read_reg(lapic, 0x390), 0U);
    EXPECT_EQ(read_reg(lapic, 0x380), 0U);
    run_through_ps(20'000'000);
    EXPECT_EQ(lapic.stats().timer_fires, 0U);

    ASSERT_TRUE(lapic.wrmsr(0x6E0, tsc.read() + 2000)); // 1 us ahead
    write_reg(lapic, 0x320, kOneShot);
    EXPECT_EQ(rdmsr(lapic, 0x6E0), 0U);
    write_reg(lapic, 0x320, kDeadline);
    EXPECT_EQ(rdmsr(lapic, 0x6E0), 0U) << "the old deadline does not come back";
    run_through_ps(40'000'000);
    EXPECT_EQ(lapic.stats().timer_fires, 0U);
}

// §8 check 15: outside deadline mode MSR 0x6E0 reads 0 and ignores writes; without CPUID.01H:ECX[24]
// LVT timer bit 18 cannot be set.
TEST(LapicConformance, Check15_DeadlineMsrOutsideModeAndBit18Reserved) {
    Tsc tsc({});
    Lapic lapic("lapic", {});
    Lapic old_part("old_part", {.apic_id = 1, .tsc_deadline_supported = false});
    lapic.bind_tsc(&tsc);
    software_enable(lapic);
    write_reg(lapic, 0x320, kOneShot);
    EXPECT_TRUE(lapic.wrmsr(0x6E0, 5000));
    EXPECT_EQ(rdmsr(lapic, 0x6E0), 0U);
    write_reg(lapic, 0x320, kDeadline);
    EXPECT_EQ(rdmsr(lapic, 0x6E0), 0U);
    run_through_ps(10'000'000);
    EXPECT_EQ(lapic.stats().timer_fires, 0U);

    old_part.bind_tsc(&tsc);
    software_enable(old_part);
    write_reg(old_part, 0x320, kDeadline);
    EXPECT_EQ(read_reg(old_part, 0x320), kOneShot);
    std::uint64_t value = 0;
    EXPECT_FALSE(old_part.rdmsr(0x6E0, value));
    EXPECT_FALSE(old_part.wrmsr(0x6E0, 1));
    ASSERT_TRUE(enter_x2apic(old_part));
    EXPECT_FALSE(old_part.wrmsr(0x832, kDeadline));
    EXPECT_TRUE(old_part.wrmsr(0x832, kPeriodic));
    ASSERT_TRUE(enter_x2apic(lapic));
    EXPECT_FALSE(lapic.wrmsr(0x832, 0x00060040)) << "mode 11b is reserved";
    EXPECT_TRUE(lapic.wrmsr(0x832, kDeadline));
}

// §8 check 51, §3, SDM 10.5.4: a crystal-fed timer advances EAX/EBX input ticks per TSC tick (÷1).
TEST(LapicConformance, Check51_CrystalTimerTicksPerTscTick) {
    Tsc tsc({.frequency_hz = 2'000'000'000, .crystal_hz = 24'000'000});
    const auto& leaves = tsc.cpuid();
    ASSERT_EQ(leaves.leaf15_eax, 3U);
    ASSERT_EQ(leaves.leaf15_ebx, 250U);
    ASSERT_EQ(leaves.leaf15_ecx, 24'000'000U);
    EXPECT_EQ(static_cast<std::uint64_t>(leaves.leaf15_ecx) * leaves.leaf15_ebx / leaves.leaf15_eax,
              2'000'000'000U);
    Lapic divide1("divide1", {.apic_id = 0, .timer_clock_hz = tsc.crystal_hz()});
    Lapic divide2("divide2", {.apic_id = 1, .timer_clock_hz = tsc.crystal_hz()});
    write_reg(divide1, 0x3E0, 0xB);
    write_reg(divide1, 0x380, 0xFFFFFFFF);
    write_reg(divide2, 0x380, 0xFFFFFFFF);
    const auto tsc_start = tsc.read();
    run_through_ps(3'000'000);
    const std::uint64_t tsc_ticks = tsc.read() - tsc_start;
    const std::uint64_t timer_ticks = 0xFFFFFFFFULL - read_reg(divide1, 0x390);
    EXPECT_EQ(tsc_ticks, 6000U);
    EXPECT_EQ(timer_ticks, 72U);
    EXPECT_EQ(timer_ticks * leaves.leaf15_ebx, tsc_ticks * leaves.leaf15_eax);
    const std::uint64_t divided_ticks = 0xFFFFFFFFULL - read_reg(divide2, 0x390);
    EXPECT_EQ(divided_ticks * 2 * leaves.leaf15_ebx, tsc_ticks * leaves.leaf15_eax);
}

// ---- model choices and event economy -------------------------------------------------------------

// ARCHITECTURE.md "a model with nothing to do costs nothing"; notes/systemc-on-debian.md §4.
TEST(LapicBehaviour, IdleMaskedLapicSchedulesNoEvents) {
    Lapic lapic("lapic", {});
    software_enable(lapic);
    write_reg(lapic, 0x320, kMasked | kPeriodic);
    write_reg(lapic, 0x380, 10); // counting fast, masked
    run_through_ps(0);
    EXPECT_FALSE(sc_core::sc_pending_activity());
    run_through_ps(1'000'000'000);
    EXPECT_FALSE(sc_core::sc_pending_activity());
    EXPECT_EQ(lapic.next_timer_event_ps(), 0U);
    EXPECT_EQ(lapic.stats().timer_fires, 0U);
}

TEST(LapicBehaviour, SoftwareDisableCancelsTheTimerEvent) {
    Lapic lapic("lapic", {});
    software_enable(lapic);
    write_reg(lapic, 0x320, kPeriodic);
    write_reg(lapic, 0x380, 10);
    EXPECT_NE(lapic.next_timer_event_ps(), 0U);
    write_reg(lapic, 0x0F0, 0xFF); // software-disable forces the LVT mask
    EXPECT_EQ(read_reg(lapic, 0x320), kMasked | kPeriodic);
    run_through_ps(0);
    EXPECT_FALSE(sc_core::sc_pending_activity());
}

// §9: divide change on a running count - default RescaleRemaining.
TEST(LapicBehaviour, DivideChangeRescalesRemainingCount) {
    Lapic lapic("lapic", {});
    RecordingObserver observer;
    lapic.set_observer(&observer);
    software_enable(lapic);
    write_reg(lapic, 0x320, kOneShot);
    write_reg(lapic, 0x380, 100); // ÷2: 8 us
    run_through_ps(4'000'000);
    write_reg(lapic, 0x3E0, 0xB); // ÷1: the remaining 50 take 2 us
    EXPECT_EQ(read_reg(lapic, 0x390), 50U);
    run_through_ps(6'000'000);
    EXPECT_EQ(last_expiry_ps(observer), 6'000'000U);
}

TEST(LapicBehaviour, DivideChangeApplyOnNextStartOption) {
    Lapic lapic("lapic", {.divide_change = TimerDivideChangePolicy::ApplyOnNextStart});
    RecordingObserver observer;
    lapic.set_observer(&observer);
    software_enable(lapic);
    write_reg(lapic, 0x320, kOneShot);
    write_reg(lapic, 0x380, 100);
    run_through_ps(4'000'000);
    write_reg(lapic, 0x3E0, 0xB);
    run_through_ps(8'000'000);
    EXPECT_EQ(last_expiry_ps(observer), 8'000'000U);
    write_reg(lapic, 0x380, 100); // the new divisor applies now: 4 us
    run_through_ps(12'000'000);
    EXPECT_EQ(last_expiry_ps(observer), 12'000'000U);
}

// §9 / SDM 10.5.4.1: one-shot <-> periodic LVT change disarms by default.
TEST(LapicBehaviour, OneShotPeriodicSwitchDisarmsByDefault) {
    Lapic lapic("lapic", {});
    software_enable(lapic);
    write_reg(lapic, 0x320, kOneShot);
    write_reg(lapic, 0x380, 100);
    run_through_ps(2'000'000);
    write_reg(lapic, 0x320, kPeriodic);
    EXPECT_EQ(read_reg(lapic, 0x390), 0U);
    EXPECT_EQ(read_reg(lapic, 0x380), 0U);
    run_through_ps(50'000'000);
    EXPECT_EQ(lapic.stats().timer_fires, 0U);
}

TEST(LapicBehaviour, OneShotPeriodicSwitchKeepCountingOption) {
    Lapic lapic("lapic", {.oneshot_periodic_switch = TimerModeSwitchPolicy::KeepCounting});
    RecordingObserver observer;
    lapic.set_observer(&observer);
    software_enable(lapic);
    write_reg(lapic, 0x320, kPeriodic);
    write_reg(lapic, 0x380, 100); // 8 us period
    run_through_ps(10'000'000);   // one reload at 8 us, 25 counts into the second period
    EXPECT_EQ(read_reg(lapic, 0x390), 75U);
    write_reg(lapic, 0x320, kOneShot);
    EXPECT_EQ(read_reg(lapic, 0x390), 75U);
    run_through_ps(100'000'000);
    const auto hops = observer.of_kind(HopKind::TimerExpiry);
    ASSERT_EQ(hops.size(), 2U);
    EXPECT_EQ(hops[1].time_ps, 16'000'000U);
}

// §1.3.10: a masked deadline still clears the MSR at expiry but raises nothing.
TEST(LapicBehaviour, MaskedDeadlineClearsMsrWithoutInterrupt) {
    Tsc tsc({});
    Lapic lapic("lapic", {});
    lapic.bind_tsc(&tsc);
    software_enable(lapic);
    write_reg(lapic, 0x320, kMasked | kDeadline);
    ASSERT_TRUE(lapic.wrmsr(0x6E0, 2000));
    EXPECT_EQ(rdmsr(lapic, 0x6E0), 2000U);
    run_through_ps(2'000'000);
    EXPECT_EQ(rdmsr(lapic, 0x6E0), 0U);
    write_reg(lapic, 0x320, kDeadline);
    run_through_ps(3'000'000);
    EXPECT_FALSE(lapic.irr_bit(0x40));
    EXPECT_EQ(lapic.stats().timer_fires, 0U);
}

// A write to IA32_TSC moves an armed deadline in simulated time.
TEST(LapicBehaviour, TscWriteReschedulesDeadline) {
    Tsc tsc({});
    Lapic lapic("lapic", {});
    lapic.bind_tsc(&tsc);
    software_enable(lapic);
    write_reg(lapic, 0x320, kDeadline);
    ASSERT_TRUE(lapic.wrmsr(0x6E0, 20'000)); // 10 us at 2 GHz
    run_through_ps(1'000'000);
    tsc.write(18'000); // 1 us to go
    EXPECT_EQ(lapic.next_timer_event_ps(), 2'000'000U);
    run_through_ps(2'000'000);
    EXPECT_TRUE(lapic.irr_bit(0x40));
}

TEST(LapicBehaviour, BusClockedTimerOption) {
    Lapic lapic("lapic", {.timer_clock_hz = 100'000'000});
    RecordingObserver observer;
    lapic.set_observer(&observer);
    software_enable(lapic);
    write_reg(lapic, 0x320, kOneShot);
    write_reg(lapic, 0x3E0, 0xB);
    write_reg(lapic, 0x380, 3); // 3 x 10 ns
    run_through_ps(30'000);
    EXPECT_EQ(last_expiry_ps(observer), 30'000U);
}

} // namespace
} // namespace x86sim::models
