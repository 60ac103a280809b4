// lapic-pit-msi.md §8 check 47 (HPET), §2.3.
#include "models/hpet/hpet.h"
#include "tests/models/hpet/hpet_test_util.h"
#include "tests/models/pit/recording_irq_sink.h"

#include <gtest/gtest.h>
#include <vector>

namespace x86sim::test {
namespace {

using models::Hpet;

// §8 check 47: the counter advances at 10^15 / period_fs Hz only while ENABLE_CNF = 1; a periodic timer
// armed with VAL_SET fires every period; LEG_RT_CNF routes timer 0 to IOAPIC pin 2.
TEST(HpetConformance, Check47_CounterRateValSetPeriodicAndLegacyRouteToPin2) {
    Hpet hpet("hpet");
    RecordingIrqSink ioapic;
    RecordingIrqSink pic;
    hpet.ioapic_output(2).connect(ioapic, 2);
    hpet.ioapic_output(20).connect(ioapic, 20);
    hpet.pic_output(0).connect(pic, 0);

    // 14.31818 MHz: COUNTER_CLK_PERIOD = 69 841 279 fs (0x0429B17F, §2.3), and 10^15 / period rounds to
    // 14 318 180 Hz.
    const std::uint64_t period_fs = read64(hpet, hpet::kCapabilitiesId) >> 32;
    EXPECT_EQ(period_fs, 0x0429B17FU);
    EXPECT_EQ((1'000'000'000'000'000ULL + period_fs / 2) / period_fs, kHpetHz);

    // Halted at reset: no counting.
    run_until_ps(1'000'000'000); // 1 ms
    EXPECT_EQ(read64(hpet, hpet::kMainCounter), 0U);
    // Enabled for exactly one second: 10^15 / period_fs ticks.
    write64(hpet, hpet::kConfiguration, hpet::kEnableCnf);
    run_until_ps(1'001'000'000'000);
    EXPECT_EQ(read64(hpet, hpet::kMainCounter), kHpetHz);
    // Halted again: frozen.
    write64(hpet, hpet::kConfiguration, 0);
    run_until_ps(1'002'000'000'000);
    const std::uint64_t halted = read64(hpet, hpet::kMainCounter);
    EXPECT_EQ(halted, kHpetHz);

    // Timer 0 periodic, the Linux way: VAL_SET, then the accumulator, then the period (HPETSPEC 2.3.9.2.2).
    // INT_ROUTE says pin 20, but legacy replacement overrides it.
    constexpr std::uint64_t kPeriod = 1000;
    write64(hpet, hpet::timer_config(0), hpet::kIntEnable | hpet::kTypePeriodic | hpet::kValSet | route(20));
    write64(hpet, hpet::timer_comparator(0), halted + kPeriod);
    write64(hpet, hpet::timer_comparator(0), kPeriod);
    EXPECT_EQ(read64(hpet, hpet::timer_config(0)) & hpet::kValSet, 0U); // VAL_SET clears itself
    const std::uint64_t enable_cycle = hpet_cycle_now();
    write64(hpet, hpet::kConfiguration, hpet::kEnableCnf | hpet::kLegacyRouteCnf);
    run_through(hpet_edge(enable_cycle + 5 * kPeriod));

    std::vector<std::uint64_t> expected;
    for (std::uint64_t k = 1; k <= 5; ++k) {
        expected.push_back(hpet_edge(enable_cycle + k * kPeriod));
    }
    EXPECT_EQ(ioapic.rising(2), expected);
    EXPECT_EQ(ioapic.falling(2), expected); // edge mode: a pulse at each match
    EXPECT_EQ(pic.rising(0), expected);
    EXPECT_TRUE(ioapic.times(20, true).empty());
    EXPECT_EQ(hpet.fires(0), 5U);
    EXPECT_EQ(read64(hpet, hpet::timer_comparator(0)), halted + 6 * kPeriod);
}

} // namespace
} // namespace x86sim::test
