// HPET register map (lapic-pit-msi.md §2.3): capability values, access widths, bad accesses, metrics.
#include "models/hpet/hpet.h"
#include "tests/models/hpet/hpet_test_util.h"
#include "tests/models/pit/recording_metric_sink.h"

#include <gtest/gtest.h>

namespace x86sim::test {
namespace {

using models::AccessStatus;
using models::Hpet;

// GCAP_ID: revision 1, 3 timers (12:8 = 2), 64-bit counter, legacy-capable, vendor 0x8086, period
// 0x0429B17F fs: the value ICH-family chipsets report. Tn_CONFIG capability bits and route cap (63:32).
TEST(HpetRegisters, CapabilitiesAndTimerCapabilityBits) {
    Hpet hpet("hpet");
    EXPECT_EQ(read64(hpet, hpet::kCapabilitiesId), 0x0429'B17F'8086'A201ULL);
    EXPECT_EQ(read32(hpet, hpet::kCapabilitiesId + 4), 0x0429'B17FU);
    EXPECT_EQ(read64(hpet, hpet::timer_config(0)), 0x00F0'0000'0000'8030ULL); // FSB, 64-bit, periodic cap
    EXPECT_EQ(read64(hpet, hpet::timer_config(1)), 0x00F0'0000'0000'8020ULL);
    EXPECT_EQ(read64(hpet, hpet::timer_comparator(2)), ~0ULL); // all ones at reset (HPETSPEC)
    EXPECT_EQ(read64(hpet, hpet::kConfiguration), 0U);

    Hpet other("other", models::HpetConfig{.frequency_hz = 24'000'000,
                                           .num_timers = 8,
                                           .legacy_route_capable = false,
                                           .fsb_capable = false});
    EXPECT_EQ(read64(other, hpet::kCapabilitiesId) >> 32, 41'666'667U);   // round(10^15 / 24 MHz)
    EXPECT_EQ((read64(other, hpet::kCapabilitiesId) >> 8) & 0xFF, 0x27U); // 7 = 8 timers - 1, bit 13
    write64(other, hpet::kConfiguration, hpet::kLegacyRouteCnf);          // not capable: does not stick
    EXPECT_EQ(read64(other, hpet::kConfiguration), 0U);
    EXPECT_EQ(read64(other, hpet::timer_config(7)) & hpet::kFsbCap, 0U);
}

TEST(HpetRegisters, RejectsConfigurationsOutsideTheSpec) {
    EXPECT_THROW(Hpet("slow", models::HpetConfig{.frequency_hz = 1'000'000}), std::invalid_argument);
    EXPECT_THROW(Hpet("few", models::HpetConfig{.num_timers = 2}), std::invalid_argument);
    EXPECT_THROW(Hpet("many", models::HpetConfig{.num_timers = 33}), std::invalid_argument);
}

// Bad accesses are answered like a bus answers them and counted: 1/2-byte accesses (BadSize), misaligned
// ones, unmapped offsets (read 0, write dropped), writes to the read-only GCAP_ID.
TEST(HpetRegisters, BadAccessesAreCountedNotFatal) {
    Hpet hpet("hpet");
    std::uint64_t value = 1;
    auto result = hpet.mmio_read(hpet::kCapabilitiesId, 2, value);
    EXPECT_EQ(result.status, AccessStatus::BadSize);
    EXPECT_EQ(result.delay_ps, 100'000U);
    EXPECT_EQ(hpet.mmio_write(hpet::kConfiguration, 1, 1).status, AccessStatus::BadSize);
    EXPECT_EQ(read64(hpet, hpet::kConfiguration), 0U);
    EXPECT_EQ(hpet.mmio_read(hpet::timer_config(0) + 4, 8, value).status, AccessStatus::Misaligned);
    EXPECT_EQ(hpet.mmio_read(0x030, 4, value).status, AccessStatus::Unmapped);
    EXPECT_EQ(value, 0U);
    EXPECT_EQ(hpet.mmio_write(hpet::timer_config(3), 8, hpet::kIntEnable).status, AccessStatus::Unmapped);
    EXPECT_EQ(hpet.mmio_write(hpet::kCapabilitiesId, 8, 0).status, AccessStatus::ReadOnlyWrite);
    EXPECT_EQ(read64(hpet, hpet::kCapabilitiesId), 0x0429'B17F'8086'A201ULL);

    RecordingMetricSink metrics;
    hpet.report_metrics(metrics);
    EXPECT_EQ(metrics.counters.at("bad_size"), 2U);
    EXPECT_EQ(metrics.counters.at("misaligned"), 1U);
    EXPECT_EQ(metrics.counters.at("unmapped"), 2U);
    EXPECT_EQ(metrics.counters.at("read_only_writes"), 1U);
    EXPECT_EQ(metrics.counters.at("fires"), 0U);
    EXPECT_EQ(metrics.counters.at("timer2.fires"), 0U);
}

// The debugger dump shows the registers as software would read them, plus the scheduled match.
TEST(HpetRegisters, DumpShowsRegistersAndNextMatch) {
    Hpet hpet("hpet");
    write64(hpet, hpet::timer_config(0), hpet::kIntEnable | route(21));
    write64(hpet, hpet::timer_comparator(0), 1234);
    write64(hpet, hpet::kConfiguration, hpet::kEnableCnf);
    const auto dump = hpet.dump();
    EXPECT_EQ(dump.capabilities, 0x0429'B17F'8086'A201ULL);
    EXPECT_EQ(dump.configuration, hpet::kEnableCnf);
    ASSERT_EQ(dump.timers.size(), 3U);
    EXPECT_EQ(dump.timers[0].config, 0x00F0'0000'0000'8034ULL | route(21));
    EXPECT_EQ(dump.timers[0].comparator, 1234U);
    EXPECT_EQ(dump.timers[0].next_match_ps, hpet_edge(1234));
    EXPECT_EQ(dump.timers[1].next_match_ps, ~0ULL);
    // One table: 4 global registers and 3 per timer.
    EXPECT_EQ(hpet.registers().registers().size(), 4U + 3 * 3);
    EXPECT_EQ(hpet.registers().registers().back().spec.name, "T2_FSB_ROUTE");
}

} // namespace
} // namespace x86sim::test
