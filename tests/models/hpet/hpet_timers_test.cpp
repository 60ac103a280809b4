// HPET comparators, routing and interrupt delivery (lapic-pit-msi.md §2.3, HPETSPEC 1.0a). The counter is
// enabled in cycle 0 unless stated, so counter value v is reached at clock edge v (hpet_edge(v)).
#include "models/hpet/hpet.h"
#include "models/pit/pit8254.h"
#include "tests/models/hpet/hpet_test_util.h"
#include "tests/models/pit/pit_test_util.h"
#include "tests/models/pit/recording_irq_sink.h"

#include <gtest/gtest.h>
#include <systemc>
#include <vector>

namespace x86sim::test {
namespace {

using models::Hpet;
using Times = std::vector<std::uint64_t>;

Times hpet_edges(std::initializer_list<std::uint64_t> cycles) {
    Times times;
    for (const auto cycle : cycles) {
        times.push_back(hpet_edge(cycle));
    }
    return times;
}

TEST(HpetTimers, OneShotFiresOnceAtComparator) {
    Hpet hpet("hpet");
    RecordingIrqSink ioapic;
    hpet.ioapic_output(20).connect(ioapic, 20);
    write64(hpet, hpet::timer_config(2), hpet::kIntEnable | route(20));
    write64(hpet, hpet::timer_comparator(2), 5000);
    write64(hpet, hpet::kConfiguration, hpet::kEnableCnf);
    run_through(hpet_edge(5000));
    EXPECT_EQ(ioapic.rising(20), hpet_edges({5000}));
    EXPECT_EQ(ioapic.falling(20), hpet_edges({5000})); // edge mode: a pulse
    EXPECT_FALSE(sc_core::sc_pending_activity());      // a 64-bit one-shot never matches again
    run_until_ps(1'000'000'000'000);
    EXPECT_EQ(ioapic.rising(20).size(), 1U);
    EXPECT_EQ(hpet.fires(2), 1U);
    EXPECT_EQ(read64(hpet, hpet::timer_comparator(2)), 5000U);
    EXPECT_EQ(read64(hpet, hpet::kInterruptStatus), 0U); // edge mode sets no status bit
}

// Tn_32MODE_CNF: the comparator is 32 bits and matches the counter's low half, so a value "behind" the
// counter matches after the low half wraps, and again every 2^32 ticks. A 64-bit timer with the same
// comparator never matches.
TEST(HpetTimers, ThirtyTwoBitTimerWrapsAround) {
    Hpet hpet("hpet");
    RecordingIrqSink ioapic;
    hpet.ioapic_output(21).connect(ioapic, 21);
    hpet.ioapic_output(22).connect(ioapic, 22);
    write64(hpet, hpet::kMainCounter, 0xFFFF'FF00);
    write64(hpet, hpet::timer_config(1), hpet::kIntEnable | hpet::kMode32 | route(21));
    write64(hpet, hpet::timer_comparator(1), 0x1'0000'0100ULL);
    EXPECT_EQ(read64(hpet, hpet::timer_comparator(1)), 0x100U); // upper half does not exist
    write32(hpet, hpet::timer_comparator(1) + 4, 0xFFFF'FFFF);  // ignored
    EXPECT_EQ(read64(hpet, hpet::timer_comparator(1)), 0x100U);
    write64(hpet, hpet::timer_config(2), hpet::kIntEnable | route(22));
    write64(hpet, hpet::timer_comparator(2), 0x100);
    write64(hpet, hpet::kConfiguration, hpet::kEnableCnf);
    EXPECT_EQ(hpet.dump().timers[2].next_match_ps, ~0ULL);

    run_through(hpet_edge(0x200));
    EXPECT_EQ(ioapic.rising(21), hpet_edges({0x200}));
    run_through(hpet_edge(0x200 + (1ULL << 32))); // about 300 s later
    EXPECT_EQ(ioapic.rising(21), hpet_edges({0x200, 0x200 + (1ULL << 32)}));
    EXPECT_TRUE(ioapic.rising(22).empty());
}

// Periodic 32-bit timer: the accumulator advances by the period modulo 2^32.
TEST(HpetTimers, PeriodicThirtyTwoBitAccumulatorWraps) {
    Hpet hpet("hpet");
    RecordingIrqSink ioapic;
    hpet.ioapic_output(20).connect(ioapic, 20);
    write64(hpet, hpet::kMainCounter, 0xFFFF'F000);
    write64(hpet, hpet::timer_config(0),
            hpet::kIntEnable | hpet::kTypePeriodic | hpet::kValSet | hpet::kMode32 | route(20));
    write32(hpet, hpet::timer_comparator(0), 0xFFFF'F800);
    write32(hpet, hpet::timer_comparator(0), 0x1000);
    write64(hpet, hpet::kConfiguration, hpet::kEnableCnf);
    run_through(hpet_edge(0x2800));
    EXPECT_EQ(ioapic.rising(20), hpet_edges({0x800, 0x1800, 0x2800}));
    EXPECT_EQ(read64(hpet, hpet::timer_comparator(0)), 0x2800U);   // 0xFFFFF800 + 3 * 0x1000, 32 bits
    EXPECT_EQ(read64(hpet, hpet::kMainCounter), 0x1'0000'1800ULL); // the main counter is 64-bit
}

// Periodic mode without VAL_SET: a comparator write changes only the period, from the next match on.
TEST(HpetTimers, PeriodicWriteWithoutValSetChangesPeriodOnly) {
    Hpet hpet("hpet");
    RecordingIrqSink ioapic;
    hpet.ioapic_output(20).connect(ioapic, 20);
    write64(hpet, hpet::timer_config(0), hpet::kIntEnable | hpet::kTypePeriodic | hpet::kValSet | route(20));
    write64(hpet, hpet::timer_comparator(0), 1000);
    write64(hpet, hpet::timer_comparator(0), 1000);
    write64(hpet, hpet::kConfiguration, hpet::kEnableCnf);
    run_until_ps(hpet_edge(2500));
    write64(hpet, hpet::timer_comparator(0), 500);
    EXPECT_EQ(read64(hpet, hpet::timer_comparator(0)), 3000U); // the accumulator is unchanged
    run_through(hpet_edge(4000));
    EXPECT_EQ(ioapic.rising(20), hpet_edges({1000, 2000, 3000, 3500, 4000}));
    EXPECT_EQ(hpet.dump().timers[0].period, 500U);
}

// Timers 1 and 2 are not periodic-capable by default: TYPE and VAL_SET do not stick.
TEST(HpetTimers, PeriodicBitsNeedTheCapability) {
    Hpet hpet("hpet");
    write64(hpet, hpet::timer_config(1), hpet::kTypePeriodic | hpet::kValSet | hpet::kIntEnable);
    EXPECT_EQ(read64(hpet, hpet::timer_config(1)) & 0xFF, hpet::kIntEnable | hpet::kSize64Cap);
}

// The main counter is halted and writable while ENABLE_CNF = 0 (§2.3); writes while it runs are ignored
// and counted; 32-bit halves read independently.
TEST(HpetTimers, MainCounterHaltedWritableOnlyWhileDisabled) {
    Hpet hpet("hpet");
    write64(hpet, hpet::kMainCounter, 0x1'2345'0000ULL);
    run_until_ps(1'000'000'000);
    EXPECT_EQ(read64(hpet, hpet::kMainCounter), 0x1'2345'0000ULL);
    const std::uint64_t enabled_at = hpet_cycle_now();
    write64(hpet, hpet::kConfiguration, hpet::kEnableCnf);
    run_until_ps(hpet_edge(enabled_at + 100));
    EXPECT_EQ(read64(hpet, hpet::kMainCounter), 0x1'2345'0000ULL + 100);
    EXPECT_EQ(read32(hpet, hpet::kMainCounter), 0x2345'0064U);
    EXPECT_EQ(read32(hpet, hpet::kMainCounter + 4), 0x1U);
    write64(hpet, hpet::kMainCounter, 0);
    EXPECT_EQ(hpet.stats().counter_writes_while_enabled, 1U);
    run_until_ps(hpet_edge(enabled_at + 200));
    EXPECT_EQ(read64(hpet, hpet::kMainCounter), 0x1'2345'0000ULL + 200);
    write64(hpet, hpet::kConfiguration, 0);
    write32(hpet, hpet::kMainCounter, 7); // low half only
    EXPECT_EQ(read64(hpet, hpet::kMainCounter), 0x1'0000'0007ULL);
}

// Level mode (Tn_INT_TYPE_CNF = 1): a match sets GINTR_STA bit n and holds the output high until software
// writes 1 to the bit (W1C); writing 0 does nothing. With INT_ENB = 0 the status bit is still set but the
// output stays low; ENABLE_CNF = 0 releases the output and keeps the status.
TEST(HpetTimers, LevelInterruptStatusIsWriteOneToClear) {
    Hpet hpet("hpet");
    RecordingIrqSink ioapic;
    hpet.ioapic_output(21).connect(ioapic, 21);
    write64(hpet, hpet::timer_config(2), hpet::kIntTypeLevel | hpet::kIntEnable | route(21));
    write64(hpet, hpet::timer_comparator(2), 100);
    write64(hpet, hpet::kConfiguration, hpet::kEnableCnf);
    run_through(hpet_edge(100));
    EXPECT_EQ(ioapic.rising(21), hpet_edges({100}));
    EXPECT_EQ(read64(hpet, hpet::kInterruptStatus), 0b100U);
    run_until_ps(hpet_edge(300));
    EXPECT_TRUE(ioapic.level(21));
    write64(hpet, hpet::kInterruptStatus, 0b011); // other bits: no effect
    EXPECT_TRUE(ioapic.level(21));
    write64(hpet, hpet::kInterruptStatus, 0b100);
    EXPECT_EQ(ioapic.falling(21), hpet_edges({300}));
    EXPECT_EQ(read64(hpet, hpet::kInterruptStatus), 0U);

    // INT_ENB = 0: status only.
    write64(hpet, hpet::timer_config(2), hpet::kIntTypeLevel | route(21));
    write64(hpet, hpet::timer_comparator(2), 400);
    run_through(hpet_edge(400));
    EXPECT_EQ(read64(hpet, hpet::kInterruptStatus), 0b100U);
    EXPECT_FALSE(ioapic.level(21));
    // Enabling the interrupt with the status pending asserts the output at once.
    run_until_ps(hpet_edge(450));
    write64(hpet, hpet::timer_config(2), hpet::kIntTypeLevel | hpet::kIntEnable | route(21));
    EXPECT_EQ(ioapic.rising(21), hpet_edges({100, 450}));
    // Halting the block releases the output; the status stays.
    run_until_ps(hpet_edge(460));
    write64(hpet, hpet::kConfiguration, 0);
    EXPECT_FALSE(ioapic.level(21));
    EXPECT_EQ(read64(hpet, hpet::kInterruptStatus), 0b100U);
    EXPECT_EQ(hpet.fires(2), 1U);
    EXPECT_EQ(hpet.dump().timers[2].matches, 2U);
}

// Tn_INT_ROUTE_CNF: only routes in Tn_INT_ROUTE_CAP (63:32) are accepted; others are ignored and counted.
TEST(HpetTimers, InterruptRouteHonoursCapabilityMask) {
    Hpet hpet("hpet", models::HpetConfig{.route_capability = 0x0080'0004});
    EXPECT_EQ(read64(hpet, hpet::timer_config(0)) >> 32, 0x0080'0004U);
    write64(hpet, hpet::timer_config(0), route(5));
    EXPECT_EQ(read64(hpet, hpet::timer_config(0)) & hpet::kRouteMask, 0U);
    EXPECT_EQ(hpet.stats().bad_routes, 1U);
    write64(hpet, hpet::timer_config(0), route(23));
    EXPECT_EQ(read64(hpet, hpet::timer_config(0)) & hpet::kRouteMask, route(23));
    write64(hpet, hpet::timer_config(0), route(2));
    EXPECT_EQ(read64(hpet, hpet::timer_config(0)) & hpet::kRouteMask, route(2));
    EXPECT_EQ(hpet.stats().bad_routes, 1U);
}

// Legacy replacement: timer 0 -> IRQ0 + IOAPIC pin 2, timer 1 -> IRQ8 + pin 8, INT_ROUTE ignored; the PIT
// OUT0 pass-through is cut off while LEG_RT_CNF = 1 (§2.3).
TEST(HpetTimers, LegacyReplacementRoutesTimers0And1AndCutsOffPit) {
    Hpet hpet("hpet");
    models::Pit8254 pit("pit");
    pit.out0().connect(hpet.legacy_inputs(), 0);
    RecordingIrqSink ioapic;
    RecordingIrqSink pic;
    for (unsigned pin : {2U, 8U, 20U}) {
        hpet.ioapic_output(pin).connect(ioapic, pin);
    }
    hpet.pic_output(0).connect(pic, 0);
    hpet.pic_output(8).connect(pic, 8);

    // PIT mode 2 with N = 1000 drives IRQ0/pin 2 through the HPET while legacy replacement is off.
    out8(pit, 0x43, 0x34);
    out8(pit, 0x40, 0xE8);
    out8(pit, 0x40, 0x03);
    run_through(pit_edge(1001));
    EXPECT_EQ(ioapic.rising(2), (Times{0, pit_edge(1001)}));
    EXPECT_EQ(pic.rising(0), (Times{0, pit_edge(1001)}));

    write64(hpet, hpet::timer_config(0), hpet::kIntEnable | route(20));
    write64(hpet, hpet::timer_config(1), hpet::kIntEnable | route(20));
    const std::uint64_t start = hpet_cycle_now();
    write64(hpet, hpet::timer_comparator(0), start + 700);
    write64(hpet, hpet::timer_comparator(1), start + 900);
    write64(hpet, hpet::kMainCounter, start); // counter = cycle from here on
    write64(hpet, hpet::kConfiguration, hpet::kEnableCnf | hpet::kLegacyRouteCnf);
    ioapic.clear();
    pic.clear();
    run_through(hpet_edge(start + 30'000)); // about 2.1 ms: the PIT fires twice more meanwhile
    EXPECT_EQ(ioapic.rising(2), hpet_edges({start + 700}));
    EXPECT_EQ(pic.rising(0), hpet_edges({start + 700}));
    EXPECT_EQ(ioapic.rising(8), hpet_edges({start + 900}));
    EXPECT_EQ(pic.rising(8), hpet_edges({start + 900}));
    EXPECT_TRUE(ioapic.rising(20).empty());
    // The PIT kept running (its OUT0 line toggled), but none of it reached IRQ0 / pin 2.
    EXPECT_EQ(pit.fires(), 4U);
    EXPECT_EQ(pic.rising(0).size(), 1U);
}

// FSB delivery: the interrupt is an MSI write of Tn_FSB_ROUTE (address 63:32, data 31:0).
TEST(HpetTimers, FsbInterruptIsAnMsiWrite) {
    struct Bus : models::ApicBus {
        unsigned deliver(const models::InterruptRequest&) override { return 0; }
        unsigned deliver_message(const models::MsiMessage& message) override {
            messages.push_back({message, now_ps()});
            return 1;
        }
        void broadcast_eoi(std::uint8_t) override {}
        std::vector<std::pair<models::MsiMessage, std::uint64_t>> messages;
    } bus;
    Hpet hpet("hpet");
    write64(hpet, hpet::timer_config(2), hpet::kIntEnable | hpet::kFsbEnable);
    write64(hpet, hpet::timer_fsb_route(2), 0xFEE0'1000'0000'0041ULL);
    write64(hpet, hpet::timer_comparator(2), 10);
    write64(hpet, hpet::kConfiguration, hpet::kEnableCnf);
    run_through(hpet_edge(10));
    EXPECT_EQ(hpet.stats().msi_without_bus, 1U); // no bus yet: dropped and counted

    hpet.set_msi_bus(&bus);
    write64(hpet, hpet::timer_comparator(2), 50);
    run_through(hpet_edge(50));
    ASSERT_EQ(bus.messages.size(), 1U);
    EXPECT_EQ(bus.messages[0].first.address, 0xFEE0'1000U);
    EXPECT_EQ(bus.messages[0].first.data, 0x41U);
    EXPECT_EQ(bus.messages[0].second, hpet_edge(50));
}

// Event economy: with ENABLE_CNF = 0 nothing is scheduled, however the timers are programmed; with it set,
// an edge timer with INT_ENB = 0 is not scheduled either (its periodic accumulator catches up lazily).
TEST(HpetTimers, DisabledHpetSchedulesNoEvents) {
    Hpet hpet("hpet");
    write64(hpet, hpet::timer_config(0), hpet::kIntEnable | hpet::kTypePeriodic | hpet::kValSet | route(20));
    write64(hpet, hpet::timer_comparator(0), 100);
    write64(hpet, hpet::timer_config(2), hpet::kIntTypeLevel | hpet::kIntEnable | route(21));
    write64(hpet, hpet::timer_comparator(2), 100);
    sc_core::sc_start(sc_core::SC_ZERO_TIME);
    EXPECT_FALSE(sc_core::sc_pending_activity());
    run_until_ps(1'000'000'000'000);
    EXPECT_EQ(hpet.stats().events_scheduled, 0U);
    EXPECT_EQ(read64(hpet, hpet::kMainCounter), 0U);

    write64(hpet, hpet::timer_config(0), hpet::kTypePeriodic | route(20)); // INT_ENB = 0
    write64(hpet, hpet::timer_config(2), route(21));
    const std::uint64_t start = hpet_cycle_now();
    write64(hpet, hpet::kConfiguration, hpet::kEnableCnf);
    EXPECT_FALSE(sc_core::sc_pending_activity());
    run_until_ps(hpet_edge(start + 1050));
    EXPECT_EQ(hpet.stats().events_scheduled, 0U);
    // Counter 1050: matches at 100, 200, ..., 1000 happened unobserved; the accumulator shows 1100.
    EXPECT_EQ(read64(hpet, hpet::timer_comparator(0)), 1100U);
    EXPECT_EQ(hpet.dump().timers[0].matches, 10U);
    EXPECT_EQ(hpet.fires(0), 0U);
}

// A comparator equal to the current count has already matched: the next match is a full wrap away.
TEST(HpetTimers, ComparatorEqualToCounterIsInThePast) {
    Hpet hpet("hpet");
    write64(hpet, hpet::kMainCounter, 500);
    write64(hpet, hpet::timer_config(1), hpet::kIntEnable | hpet::kMode32 | route(20));
    write64(hpet, hpet::timer_comparator(1), 500);
    write64(hpet, hpet::kConfiguration, hpet::kEnableCnf);
    EXPECT_EQ(hpet.dump().timers[1].next_match_ps, hpet_edge(1ULL << 32));
}

} // namespace
} // namespace x86sim::test
