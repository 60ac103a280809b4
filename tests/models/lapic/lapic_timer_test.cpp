// LAPIC timer: lapic-pit-msi.md §1.3.9, §1.3.10, §3; §8 checks 6-15 and 51; §9 choices.
// Times are exact: the default timer clock is the 25 MHz crystal (40 ns per input clock).
#include "models/common/time.h"
#include "models/tsc/tsc.h"
#include "tests/models/lapic/lapic_test_support.h"
#include "tests/support/sim_test.h"

#include <gtest/gtest.h>
#include <optional>
#include <source_location>

namespace x86sim::models {
namespace {

using namespace testing;
using test::now_ps;

constexpr std::uint32_t kOneShot = 0x00000040;
constexpr std::uint32_t kPeriodic = 0x00020040;
constexpr std::uint32_t kDeadline = 0x00040040;
constexpr std::uint32_t kMasked = 0x00010000;

// A software-enabled LAPIC named "lapic" whose LVT timer holds `lvt_timer`, with an observer recording
// its hops. Given `tsc_config`, a TSC feeds it, bound before the LVT write (TSC-deadline mode needs it).
struct TimerBench {
    explicit TimerBench(std::uint32_t lvt_timer, const LapicConfig& config = {},
                        std::optional<TscConfig> tsc_config = std::nullopt)
        : tsc(tsc_config.value_or(TscConfig{})), lapic("lapic", config) {
        if (tsc_config) {
            lapic.bind_tsc(&tsc);
        }
        lapic.set_observer(&observer);
        software_enable(lapic);
        write(0x320, lvt_timer);
    }

    std::uint32_t read(std::uint64_t offset) { return read_reg(lapic, offset); }
    void write(std::uint64_t offset, std::uint32_t value) { write_reg(lapic, offset, value); }
    std::size_t expiries() const { return observer.of_kind(HopKind::TimerExpiry).size(); }
    std::uint64_t last_expiry_ps() const {
        const auto hops = observer.of_kind(HopKind::TimerExpiry);
        return hops.empty() ? 0 : hops.back().time_ps;
    }
    std::uint64_t fires() const { return lapic.stats().timer_fires; }

    Tsc tsc;
    RecordingObserver observer;
    Lapic lapic;
};

// Expiry number `nth` happens at exactly `expected_ps`: one ps earlier only nth - 1 have happened (where
// `just_before` may check more), at `expected_ps` the nth has.
template <typename JustBefore>
void expect_expiry_at(TimerBench& bench, std::size_t nth, std::uint64_t expected_ps, JustBefore just_before,
                      std::source_location where = std::source_location::current()) {
    const ::testing::ScopedTrace trace(where.file_name(), static_cast<int>(where.line()), "expiry time");
    run_through_ps(expected_ps - 1);
    EXPECT_EQ(bench.expiries(), nth - 1);
    just_before();
    run_through_ps(expected_ps);
    ASSERT_EQ(bench.expiries(), nth);
    EXPECT_EQ(bench.last_expiry_ps(), expected_ps);
}
void expect_expiry_at(TimerBench& bench, std::size_t nth, std::uint64_t expected_ps,
                      std::source_location where = std::source_location::current()) {
    expect_expiry_at(
        bench, nth, expected_ps, [] {}, where);
}

// Nothing fires up to and including `time_ps`.
void expect_silent_through(TimerBench& bench, std::uint64_t time_ps,
                           std::source_location where = std::source_location::current()) {
    const ::testing::ScopedTrace trace(where.file_name(), static_cast<int>(where.line()), "silent");
    run_through_ps(time_ps);
    EXPECT_EQ(bench.fires(), 0U);
}

// §8 check 6, §1.3.9 divide table.
TEST(LapicConformance, Check06_DivideConfigurationSelectsDivisor) {
    TimerBench t(kOneShot);
    run_through_ps(0);
    const struct {
        std::uint32_t tdcr;
        std::uint64_t divisor;
    } cases[] = {{0b1011, 1}, {0b0000, 2}, {0b0011, 16}, {0b1010, 128}, {0b1000, 32}, {0b0001, 4}};
    std::size_t fired = 0;
    for (const auto& c : cases) {
        SCOPED_TRACE(::testing::Message() << "divisor " << c.divisor);
        const auto start = now_ps();
        t.write(0x3E0, c.tdcr);
        t.write(0x380, 10);
        const auto expected = start + 10 * c.divisor * kTimerTickPs;
        ASSERT_NO_FATAL_FAILURE(expect_expiry_at(
            t, ++fired, expected, [&] { EXPECT_EQ(t.read(0x390), 1U) << "one decrement left"; }));
        run_through_ps(expected + 1000);
    }
}

// §8 check 7: exactly one interrupt N*d input clocks after the write; TMCCT then reads 0.
TEST(LapicConformance, Check07_OneShotFiresOnceAtNTimesDivisor) {
    TimerBench t(kOneShot);
    FakeCpuPins pins;
    t.lapic.bind_cpu(&pins);
    t.write(0x3E0, 0x3); // divide by 16
    run_through_ps(1'234'567);
    t.write(0x380, 1000);
    const std::uint64_t expected = 1'234'567 + 1000ULL * 16 * kTimerTickPs; // + 640 us
    EXPECT_EQ(t.lapic.next_timer_event_ps(), expected);
    expect_expiry_at(t, 1, expected, [&] {
        EXPECT_FALSE(t.lapic.irr_bit(0x40));
        EXPECT_EQ(t.read(0x390), 1U);
    });
    EXPECT_TRUE(t.lapic.irr_bit(0x40));
    EXPECT_TRUE(pins.intr);
    EXPECT_EQ(t.read(0x390), 0U);
    EXPECT_EQ(t.read(0x380), 1000U);
    run_through_ps(expected * 4);
    EXPECT_EQ(t.fires(), 1U);
    EXPECT_EQ(t.read(0x390), 0U);
    EXPECT_FALSE(sc_core::sc_pending_activity_at_future_time());
}

// §8 check 8: periodic, an interrupt every N*d clocks; TMCCT reloads N at each expiry.
TEST(LapicConformance, Check08_PeriodicFiresEveryPeriodAndReloads) {
    TimerBench t(kPeriodic);
    t.write(0x380, 100); // divide by 2 (reset TDCR): period 100 * 2 * 40 ns = 8 us
    constexpr std::uint64_t kPeriod = 8'000'000;
    run_through_ps(kPeriod / 2);
    EXPECT_EQ(t.read(0x390), 50U);
    run_through_ps(kPeriod);
    EXPECT_EQ(t.read(0x390), 100U);
    run_through_ps(kPeriod + 2 * kTimerTickPs);
    EXPECT_EQ(t.read(0x390), 99U);
    run_through_ps(3 * kPeriod);
    const auto hops = t.observer.of_kind(HopKind::TimerExpiry);
    ASSERT_EQ(hops.size(), 3U);
    EXPECT_EQ(hops[0].time_ps, kPeriod);
    EXPECT_EQ(hops[1].time_ps, 2 * kPeriod);
    EXPECT_EQ(hops[2].time_ps, 3 * kPeriod);
    EXPECT_EQ(t.lapic.stats().irr_coalesced, 2U) << "nobody acknowledged: edges 2 and 3 merged";
    // 1000 periods later, still on the exact grid (no drift).
    run_through_ps(1003 * kPeriod);
    EXPECT_EQ(t.last_expiry_ps(), 1003 * kPeriod);
    EXPECT_EQ(t.fires(), 1003U);
}

// §8 check 9: TMICT = 0 stops the timer; rewriting TMICT mid-count restarts from the new value.
TEST(LapicConformance, Check09_ZeroStopsAndRewriteRestarts) {
    TimerBench t(kOneShot);
    t.write(0x380, 100); // 8 us
    run_through_ps(4'000'000);
    t.write(0x380, 0);
    EXPECT_EQ(t.read(0x390), 0U);
    EXPECT_EQ(t.lapic.next_timer_event_ps(), 0U);
    run_through_ps(10'000'000);
    EXPECT_EQ(t.expiries(), 0U);
    t.write(0x380, 100);
    run_through_ps(14'000'000);
    EXPECT_EQ(t.read(0x390), 50U);
    t.write(0x380, 100); // restart: fires at 22 us, not 18 us
    expect_expiry_at(t, 1, 22'000'000);
}

// §8 check 10: a masked timer keeps counting and sets no IRR (and costs no event, §1.3.9).
TEST(LapicConformance, Check10_MaskedTimerCountsWithoutIrr) {
    TimerBench t(kMasked | kPeriodic);
    t.write(0x380, 100); // 8 us period
    EXPECT_EQ(t.lapic.next_timer_event_ps(), 0U);
    run_through_ps(4'000'000);
    EXPECT_EQ(t.read(0x390), 50U);
    run_through_ps(8'000'000);
    EXPECT_EQ(t.read(0x390), 100U);
    EXPECT_FALSE(t.lapic.irr_bit(0x40));
    EXPECT_EQ(t.expiries(), 0U);
    EXPECT_FALSE(sc_core::sc_pending_activity_at_future_time());
    run_through_ps(12'000'000);
    EXPECT_EQ(t.read(0x390), 50U);
    t.write(0x320, kPeriodic); // unmask mid-period: next expiry on the running grid
    EXPECT_EQ(t.lapic.next_timer_event_ps(), 16'000'000U);
    run_through_ps(16'000'000);
    EXPECT_TRUE(t.lapic.irr_bit(0x40));
    EXPECT_EQ(t.last_expiry_ps(), 16'000'000U);
}

// §8 check 11: in TSC-deadline mode TMICT writes are ignored and TMCCT reads 0.
TEST(LapicConformance, Check11_TscDeadlineModeIgnoresInitialCount) {
    TimerBench t(kDeadline, {}, TscConfig{});
    t.write(0x380, 1000);
    EXPECT_EQ(t.read(0x380), 0U);
    EXPECT_EQ(t.read(0x390), 0U);
    EXPECT_EQ(t.lapic.next_timer_event_ps(), 0U);
    expect_silent_through(t, 100'000'000);
}

// §8 check 12, §1.3.10: a past deadline fires immediately; the MSR then reads 0; no second interrupt.
TEST(LapicConformance, Check12_TscDeadlinePastFiresImmediatelyFutureFiresExactlyOnce) {
    TimerBench t(kDeadline, {}, TscConfig{.frequency_hz = 2'000'000'000}); // 500 ps per tick
    run_through_ps(1'000'000);
    ASSERT_EQ(t.tsc.read(), 2000U);
    ASSERT_TRUE(t.lapic.wrmsr(0x6E0, 1500));
    EXPECT_TRUE(t.lapic.irr_bit(0x40)) << "fires at once";
    EXPECT_EQ(t.last_expiry_ps(), 1'000'000U);
    EXPECT_EQ(rdmsr(t.lapic, 0x6E0), 0U);
    EXPECT_EQ(t.lapic.acknowledge(), 0x40);
    t.write(0x0B0, 0);

    ASSERT_TRUE(t.lapic.wrmsr(0x6E0, 4000)); // TSC reaches 4000 at exactly 2 us
    EXPECT_EQ(rdmsr(t.lapic, 0x6E0), 4000U);
    EXPECT_EQ(t.lapic.next_timer_event_ps(), 2'000'000U);
    expect_expiry_at(t, 2, 2'000'000, [&] { EXPECT_FALSE(t.lapic.irr_bit(0x40)); });
    EXPECT_TRUE(t.lapic.irr_bit(0x40));
    EXPECT_EQ(rdmsr(t.lapic, 0x6E0), 0U);
    run_through_ps(10'000'000);
    EXPECT_EQ(t.fires(), 2U);
    EXPECT_FALSE(sc_core::sc_pending_activity_at_future_time());
}

// §8 check 13: writing 0 before expiry disarms.
TEST(LapicConformance, Check13_TscDeadlineZeroDisarms) {
    TimerBench t(kDeadline, {}, TscConfig{});
    ASSERT_TRUE(t.lapic.wrmsr(0x6E0, 10'000));
    run_through_ps(1'000'000);
    ASSERT_TRUE(t.lapic.wrmsr(0x6E0, 0));
    EXPECT_EQ(t.lapic.next_timer_event_ps(), 0U);
    expect_silent_through(t, 100'000'000);
    EXPECT_FALSE(t.lapic.irr_bit(0x40));
}

// §8 check 14: switching into or out of TSC-deadline mode disarms any pending deadline or count.
TEST(LapicConformance, Check14_SwitchingDeadlineModeDisarms) {
    TimerBench t(kOneShot, {}, TscConfig{});
    t.write(0x380, 100); // would fire at 8 us
    run_through_ps(1'000'000);
    t.write(0x320, kDeadline);
    EXPECT_EQ(t.read(0x390), 0U);
    EXPECT_EQ(t.read(0x380), 0U);
    expect_silent_through(t, 20'000'000);

    ASSERT_TRUE(t.lapic.wrmsr(0x6E0, t.tsc.read() + 2000)); // 1 us ahead
    t.write(0x320, kOneShot);
    EXPECT_EQ(rdmsr(t.lapic, 0x6E0), 0U);
    t.write(0x320, kDeadline);
    EXPECT_EQ(rdmsr(t.lapic, 0x6E0), 0U) << "the old deadline does not come back";
    expect_silent_through(t, 40'000'000);
}

// §8 check 15: outside deadline mode MSR 0x6E0 reads 0 and ignores writes; without CPUID.01H:ECX[24]
// LVT timer bit 18 cannot be set.
TEST(LapicConformance, Check15_DeadlineMsrOutsideModeAndBit18Reserved) {
    TimerBench t(kOneShot, {}, TscConfig{});
    Lapic old_part("old_part", {.apic_id = 1, .tsc_deadline_supported = false});
    EXPECT_TRUE(t.lapic.wrmsr(0x6E0, 5000));
    EXPECT_EQ(rdmsr(t.lapic, 0x6E0), 0U);
    t.write(0x320, kDeadline);
    EXPECT_EQ(rdmsr(t.lapic, 0x6E0), 0U);
    expect_silent_through(t, 10'000'000);

    old_part.bind_tsc(&t.tsc);
    software_enable(old_part);
    write_reg(old_part, 0x320, kDeadline);
    EXPECT_EQ(read_reg(old_part, 0x320), kOneShot);
    std::uint64_t value = 0;
    EXPECT_FALSE(old_part.rdmsr(0x6E0, value));
    EXPECT_FALSE(old_part.wrmsr(0x6E0, 1));
    ASSERT_TRUE(enter_x2apic(old_part));
    EXPECT_FALSE(old_part.wrmsr(0x832, kDeadline));
    EXPECT_TRUE(old_part.wrmsr(0x832, kPeriodic));
    ASSERT_TRUE(enter_x2apic(t.lapic));
    EXPECT_FALSE(t.lapic.wrmsr(0x832, 0x00060040)) << "mode 11b is reserved";
    EXPECT_TRUE(t.lapic.wrmsr(0x832, kDeadline));
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
    TimerBench t(kMasked | kPeriodic);
    t.write(0x380, 10); // counting fast, masked
    run_through_ps(0);
    EXPECT_FALSE(sc_core::sc_pending_activity());
    expect_silent_through(t, 1'000'000'000);
    EXPECT_FALSE(sc_core::sc_pending_activity());
    EXPECT_EQ(t.lapic.next_timer_event_ps(), 0U);
}

TEST(LapicBehaviour, SoftwareDisableCancelsTheTimerEvent) {
    TimerBench t(kPeriodic);
    t.write(0x380, 10);
    EXPECT_NE(t.lapic.next_timer_event_ps(), 0U);
    t.write(0x0F0, 0xFF); // software-disable forces the LVT mask
    EXPECT_EQ(t.read(0x320), kMasked | kPeriodic);
    run_through_ps(0);
    EXPECT_FALSE(sc_core::sc_pending_activity());
}

// §9: divide change on a running count - default RescaleRemaining.
TEST(LapicBehaviour, DivideChangeRescalesRemainingCount) {
    TimerBench t(kOneShot);
    t.write(0x380, 100); // ÷2: 8 us
    run_through_ps(4'000'000);
    t.write(0x3E0, 0xB); // ÷1: the remaining 50 take 2 us
    EXPECT_EQ(t.read(0x390), 50U);
    run_through_ps(6'000'000);
    EXPECT_EQ(t.last_expiry_ps(), 6'000'000U);
}

TEST(LapicBehaviour, DivideChangeApplyOnNextStartOption) {
    TimerBench t(kOneShot, {.divide_change = TimerDivideChangePolicy::ApplyOnNextStart});
    t.write(0x380, 100);
    run_through_ps(4'000'000);
    t.write(0x3E0, 0xB);
    run_through_ps(8'000'000);
    EXPECT_EQ(t.last_expiry_ps(), 8'000'000U);
    t.write(0x380, 100); // the new divisor applies now: 4 us
    run_through_ps(12'000'000);
    EXPECT_EQ(t.last_expiry_ps(), 12'000'000U);
}

// §9 / SDM 10.5.4.1: one-shot <-> periodic LVT change disarms by default.
TEST(LapicBehaviour, OneShotPeriodicSwitchDisarmsByDefault) {
    TimerBench t(kOneShot);
    t.write(0x380, 100);
    run_through_ps(2'000'000);
    t.write(0x320, kPeriodic);
    EXPECT_EQ(t.read(0x390), 0U);
    EXPECT_EQ(t.read(0x380), 0U);
    expect_silent_through(t, 50'000'000);
}

TEST(LapicBehaviour, OneShotPeriodicSwitchKeepCountingOption) {
    TimerBench t(kPeriodic, {.oneshot_periodic_switch = TimerModeSwitchPolicy::KeepCounting});
    t.write(0x380, 100);        // 8 us period
    run_through_ps(10'000'000); // one reload at 8 us, 25 counts into the second period
    EXPECT_EQ(t.read(0x390), 75U);
    t.write(0x320, kOneShot);
    EXPECT_EQ(t.read(0x390), 75U);
    run_through_ps(100'000'000);
    const auto hops = t.observer.of_kind(HopKind::TimerExpiry);
    ASSERT_EQ(hops.size(), 2U);
    EXPECT_EQ(hops[1].time_ps, 16'000'000U);
}

// §1.3.10: a masked deadline still clears the MSR at expiry but raises nothing.
TEST(LapicBehaviour, MaskedDeadlineClearsMsrWithoutInterrupt) {
    TimerBench t(kMasked | kDeadline, {}, TscConfig{});
    ASSERT_TRUE(t.lapic.wrmsr(0x6E0, 2000));
    EXPECT_EQ(rdmsr(t.lapic, 0x6E0), 2000U);
    run_through_ps(2'000'000);
    EXPECT_EQ(rdmsr(t.lapic, 0x6E0), 0U);
    t.write(0x320, kDeadline);
    expect_silent_through(t, 3'000'000);
    EXPECT_FALSE(t.lapic.irr_bit(0x40));
}

// A write to IA32_TSC moves an armed deadline in simulated time.
TEST(LapicBehaviour, TscWriteReschedulesDeadline) {
    TimerBench t(kDeadline, {}, TscConfig{});
    ASSERT_TRUE(t.lapic.wrmsr(0x6E0, 20'000)); // 10 us at 2 GHz
    run_through_ps(1'000'000);
    t.tsc.write(18'000); // 1 us to go
    EXPECT_EQ(t.lapic.next_timer_event_ps(), 2'000'000U);
    run_through_ps(2'000'000);
    EXPECT_TRUE(t.lapic.irr_bit(0x40));
}

TEST(LapicBehaviour, BusClockedTimerOption) {
    TimerBench t(kOneShot, {.timer_clock_hz = 100'000'000});
    t.write(0x3E0, 0xB);
    t.write(0x380, 3); // 3 x 10 ns
    run_through_ps(30'000);
    EXPECT_EQ(t.last_expiry_ps(), 30'000U);
}

} // namespace
} // namespace x86sim::models
