// Output waveforms of every 8254 mode (lapic-pit-msi.md §2.1, 8254DS), with exact edge times. A port
// write during cycle c takes effect at CLK edge c + 1; gate-triggered modes use counter 2, whose GATE is
// port 0x61 bit 0, with its OUT connected so that it schedules its edges.
#include "models/pit/pit8254.h"
#include "tests/models/pit/pit_test_util.h"
#include "tests/models/pit/recording_irq_sink.h"
#include "tests/support/sim_test.h"

#include <gtest/gtest.h>
#include <systemc>
#include <vector>

namespace x86sim::test {
namespace {

using models::Pit8254;
using Times = std::vector<std::uint64_t>;

Times edges(std::initializer_list<std::uint64_t> cycles) {
    Times times;
    for (const auto cycle : cycles) {
        times.push_back(pit_edge(cycle));
    }
    return times;
}

std::uint16_t latched_count(Pit8254& pit, unsigned channel) {
    out8(pit, 0x43, static_cast<std::uint8_t>(channel << 6)); // counter-latch command
    return in16(pit, static_cast<std::uint16_t>(0x40 + channel));
}

// Mode 0: GATE low pauses counting without touching OUT; counting resumes where it stopped.
TEST(PitModes, Mode0GateLowPausesCounting) {
    Pit8254 pit("pit");
    RecordingIrqSink out2;
    pit.connect_out(2, out2, 0);
    out8(pit, 0x61, 0x01);
    out8(pit, 0x43, 0xB0); // counter 2, RW 11, mode 0
    out8(pit, 0x42, 10);
    out8(pit, 0x42, 0); // loaded at edge 1: would rise at 11
    run_until_ps(pit_edge(5));
    out8(pit, 0x61, 0x00); // GATE low during cycle 5: count 6, frozen
    run_until_ps(pit_edge(20));
    EXPECT_EQ(latched_count(pit, 2), 6);
    EXPECT_FALSE(out2.level());
    out8(pit, 0x61, 0x01); // resumes at edge 21 with 5, reaches 0 at edge 26
    run_until_ps(pit_edge(23));
    EXPECT_EQ(latched_count(pit, 2), 3);
    run_through_ps(pit_edge(30));
    EXPECT_EQ(out2.rising(), edges({26}));
    EXPECT_TRUE(out2.falling().empty());
}

// Mode 0 with a low GATE at the count write: the count loads, but OUT rises N clocks after GATE goes high.
TEST(PitModes, Mode0CountWrittenWithGateLowWaitsForGate) {
    Pit8254 pit("pit");
    RecordingIrqSink out2;
    pit.connect_out(2, out2, 0);
    out8(pit, 0x43, 0xB0);
    out8(pit, 0x42, 8);
    out8(pit, 0x42, 0);
    run_until_ps(pit_edge(2));
    out8(pit, 0x43, 0xE8); // status of counter 2: loaded (NULL COUNT 0) although not counting
    EXPECT_EQ(in8(pit, 0x42), 0x30);
    EXPECT_EQ(latched_count(pit, 2), 8);
    run_until_ps(pit_edge(50));
    out8(pit, 0x61, 0x01);
    run_through_ps(pit_edge(70));
    EXPECT_EQ(out2.rising(), edges({58}));
}

// Mode 0: the first byte of a two-byte rewrite halts counting and drops OUT at once; the second byte
// loads the new count, and OUT rises N + 1 clocks after it (8254DS).
TEST(PitModes, Mode0FirstByteOfRewriteHaltsAndDropsOut) {
    Pit8254 pit("pit");
    RecordingIrqSink irq0;
    pit.out0().connect(irq0, 0);
    out8(pit, 0x43, 0x30);
    out8(pit, 0x40, 10);
    out8(pit, 0x40, 0); // rises at 11
    run_until_ps(pit_edge(20));
    out8(pit, 0x40, 5);
    EXPECT_FALSE(pit.out0().level());
    run_until_ps(pit_edge(30));
    EXPECT_EQ(latched_count(pit, 0), (10 - 19 + 65536) % 65536); // frozen since cycle 20, wrapped past 0
    out8(pit, 0x40, 0);
    run_through_ps(pit_edge(40));
    EXPECT_EQ(irq0.rising(), edges({11, 36}));
    EXPECT_EQ(irq0.falling(), edges({20}));
}

// Mode 0 with RW = 01: every count write restarts, OUT low at once and high N + 1 clocks later.
TEST(PitModes, Mode0LsbOnlyRewriteRestarts) {
    Pit8254 pit("pit");
    RecordingIrqSink irq0;
    pit.out0().connect(irq0, 0);
    out8(pit, 0x43, 0x10);
    out8(pit, 0x40, 4); // rises at 5
    run_until_ps(pit_edge(9));
    out8(pit, 0x40, 4); // low at once, rises at 14
    run_through_ps(pit_edge(20));
    EXPECT_EQ(irq0.rising(), edges({5, 14}));
    EXPECT_EQ(irq0.falling(), edges({9}));
}

// Mode 1: a GATE rising edge loads the count at the next CLK and drops OUT for N clocks; a trigger
// during the pulse restarts it (retriggerable). The count write alone does nothing (NULL COUNT stays 1).
TEST(PitModes, Mode1RetriggerableOneShot) {
    Pit8254 pit("pit");
    RecordingIrqSink out2;
    pit.connect_out(2, out2, 0);
    out8(pit, 0x43, 0xB2); // counter 2, RW 11, mode 1: OUT high
    out8(pit, 0x42, 5);
    out8(pit, 0x42, 0);
    run_until_ps(pit_edge(10));
    out8(pit, 0x43, 0xE8);
    EXPECT_EQ(in8(pit, 0x42), 0xF2); // OUT high, NULL COUNT 1, RW 11, mode 1
    out8(pit, 0x61, 0x01);           // trigger during 10: low [11, 16)
    run_until_ps(pit_edge(20));
    out8(pit, 0x61, 0x00);
    run_until_ps(pit_edge(22));
    out8(pit, 0x61, 0x01); // trigger during 22: low from 23
    run_until_ps(pit_edge(25));
    out8(pit, 0x61, 0x00);
    run_until_ps(pit_edge(26));
    out8(pit, 0x61, 0x01); // retrigger during 26: reload at 27, low until 32
    run_through_ps(pit_edge(40));
    EXPECT_EQ(out2.rising(), (Times{0, pit_edge(16), pit_edge(32)}));
    EXPECT_EQ(out2.falling(), edges({11, 23}));
}

// Mode 2: GATE low stops counting and forces OUT high at once, even in the middle of the low pulse; a
// rising GATE reloads the count at the next CLK.
TEST(PitModes, Mode2GateStopsAndReloads) {
    Pit8254 pit("pit");
    RecordingIrqSink out2;
    pit.connect_out(2, out2, 0);
    out8(pit, 0x61, 0x01);
    out8(pit, 0x43, 0xB4); // counter 2, RW 11, mode 2
    out8(pit, 0x42, 4);
    out8(pit, 0x42, 0); // low [4,5), [8,9), [12,13), ...
    // Stop at exactly edge 12, before its event has run: the fall at 12 happens, then OUT is forced high.
    run_until_ps(pit_edge(12));
    out8(pit, 0x61, 0x00);
    run_until_ps(pit_edge(20));
    out8(pit, 0x61, 0x01); // reload at 21: low [24, 25)
    run_through_ps(pit_edge(26));
    EXPECT_EQ(out2.falling(), edges({4, 8, 12, 24}));
    EXPECT_EQ(out2.rising(), (Times{0, pit_edge(5), pit_edge(9), pit_edge(12), pit_edge(25)}));
}

// Mode 2: a count written while counting takes effect at the next reload; NULL COUNT is 1 until then.
TEST(PitModes, Mode2NewCountAtNextReload) {
    Pit8254 pit("pit");
    RecordingIrqSink irq0;
    pit.out0().connect(irq0, 0);
    out8(pit, 0x43, 0x34);
    out8(pit, 0x40, 10);
    out8(pit, 0x40, 0); // reloads at 11, 21, ...
    run_until_ps(pit_edge(15));
    out8(pit, 0x40, 4);
    out8(pit, 0x40, 0);
    out8(pit, 0x43, 0xE2);
    EXPECT_EQ(in8(pit, 0x40), 0xF4); // NULL COUNT until the reload at 21
    run_until_ps(pit_edge(20));
    out8(pit, 0x43, 0xE2);
    EXPECT_EQ(in8(pit, 0x40), 0x74); // low pulse of the old period, still NULL COUNT
    run_until_ps(pit_edge(21));
    out8(pit, 0x43, 0xE2);
    EXPECT_EQ(in8(pit, 0x40), 0xB4);
    run_through_ps(pit_edge(29));
    EXPECT_EQ(irq0.falling(), edges({10, 20, 24, 28}));
    EXPECT_EQ(irq0.rising(), (Times{0, pit_edge(11), pit_edge(21), pit_edge(25), pit_edge(29)}));
}

// Mode 3: a new count takes effect at the end of the current half-cycle (8254DS).
TEST(PitModes, Mode3NewCountAtEndOfHalfCycle) {
    Pit8254 pit("pit");
    RecordingIrqSink irq0;
    pit.out0().connect(irq0, 0);
    out8(pit, 0x43, 0x36);
    out8(pit, 0x40, 10);
    out8(pit, 0x40, 0); // high [1, 6), low [6, 11), ...
    run_until_ps(pit_edge(3));
    out8(pit, 0x40, 4); // in the high half: from 6 the new count runs, starting with its low half
    out8(pit, 0x40, 0);
    run_through_ps(pit_edge(14));
    EXPECT_EQ(irq0.falling(), edges({6, 10, 14}));
    EXPECT_EQ(irq0.rising(), (Times{0, pit_edge(8), pit_edge(12)}));
}

TEST(PitModes, Mode3NewCountInLowHalfStartsWithHighHalf) {
    Pit8254 pit("pit");
    RecordingIrqSink irq0;
    pit.out0().connect(irq0, 0);
    out8(pit, 0x43, 0x36);
    out8(pit, 0x40, 10);
    out8(pit, 0x40, 0);
    run_until_ps(pit_edge(7));
    out8(pit, 0x40, 4); // in the low half [6, 11): from 11, high [11, 13), low [13, 15), ...
    out8(pit, 0x40, 0);
    run_through_ps(pit_edge(15));
    EXPECT_EQ(irq0.falling(), edges({6, 13}));
    EXPECT_EQ(irq0.rising(), (Times{0, pit_edge(11), pit_edge(15)}));
}

// Mode 3 with an even count: N/2 high, N/2 low; with an odd count (N+1)/2 high, (N-1)/2 low (§2.1).
TEST(PitModes, Mode3EvenAndOddSquareWaves) {
    Pit8254 pit("pit");
    RecordingIrqSink irq0;
    pit.out0().connect(irq0, 0);
    out8(pit, 0x43, 0x36);
    out8(pit, 0x40, 6);
    out8(pit, 0x40, 0); // high [1, 4), low [4, 7), high [7, 10), low [10, 13)
    run_through_ps(pit_edge(13));
    EXPECT_EQ(irq0.falling(), edges({4, 10}));
    EXPECT_EQ(irq0.rising(), (Times{0, pit_edge(7), pit_edge(13)}));
    irq0.clear();
    // Count 7 during cycle 13, the first clock of a high half: that half ends at 16, then the new count
    // runs from its low half: low 3 clocks [16, 19), high 4 [19, 23), low 3 [23, 26), high 4 [26, 30).
    out8(pit, 0x40, 7);
    out8(pit, 0x40, 0);
    run_through_ps(pit_edge(30));
    EXPECT_EQ(irq0.falling(), edges({16, 23, 30}));
    EXPECT_EQ(irq0.rising(), edges({19, 26}));
}

// Mode 4: rewriting the count restarts the strobe: one low clock N + 1 clocks after the last write.
TEST(PitModes, Mode4RewriteRestartsStrobe) {
    Pit8254 pit("pit");
    RecordingIrqSink irq0;
    pit.out0().connect(irq0, 0);
    out8(pit, 0x43, 0x38);
    out8(pit, 0x40, 10);
    out8(pit, 0x40, 0); // would strobe at 11
    run_until_ps(pit_edge(5));
    out8(pit, 0x40, 10);
    out8(pit, 0x40, 0); // strobe at 16
    run_through_ps(pit_edge(30));
    EXPECT_EQ(irq0.falling(), edges({16}));
    EXPECT_EQ(irq0.rising(), (Times{0, pit_edge(17)}));
    EXPECT_FALSE(sc_core::sc_pending_activity());
}

// Mode 5: a GATE rising edge starts the strobe (low for one clock N clocks after the load); a new trigger
// before the strobe restarts it.
TEST(PitModes, Mode5HardwareTriggeredStrobe) {
    Pit8254 pit("pit");
    RecordingIrqSink out2;
    pit.connect_out(2, out2, 0);
    out8(pit, 0x43, 0xBA); // counter 2, RW 11, mode 5
    out8(pit, 0x42, 4);
    out8(pit, 0x42, 0);
    run_until_ps(pit_edge(10));
    out8(pit, 0x61, 0x01); // load at 11, low [15, 16)
    run_until_ps(pit_edge(18));
    out8(pit, 0x61, 0x00);
    run_until_ps(pit_edge(20));
    out8(pit, 0x61, 0x01); // load at 21, would strobe at 25
    run_until_ps(pit_edge(23));
    out8(pit, 0x61, 0x00);
    run_until_ps(pit_edge(24));
    out8(pit, 0x61, 0x01); // retrigger: load at 25, strobe at 29
    run_through_ps(pit_edge(35));
    EXPECT_EQ(out2.falling(), edges({15, 29}));
    EXPECT_EQ(out2.rising(), (Times{0, pit_edge(16), pit_edge(30)}));
}

// Linux's clockevent shutdown (§2.1): 0x30, a zero count, 0x30 again. OUT stays low and nothing more is
// scheduled: the zero count's 65536-clock timeout is cancelled by the second control word.
TEST(PitModes, LinuxShutdownSequenceStopsCounter0) {
    Pit8254 pit("pit");
    RecordingIrqSink irq0;
    pit.out0().connect(irq0, 0);
    out8(pit, 0x43, 0x34);
    out8(pit, 0x40, 100);
    out8(pit, 0x40, 0);
    run_until_ps(pit_edge(150));
    out8(pit, 0x43, 0x30);
    out8(pit, 0x40, 0);
    out8(pit, 0x40, 0);
    out8(pit, 0x43, 0x30);
    EXPECT_FALSE(pit.out0().level());
    EXPECT_FALSE(sc_core::sc_pending_activity());
    run_until_ps(pit_edge(150 + 200'000));
    EXPECT_EQ(irq0.rising(), (Times{0, pit_edge(101)}));
    EXPECT_EQ(irq0.falling(), edges({100, 150}));
}

// BCD counting (control bit 0): counts are four decades; 0 means 10000; the counter wraps to 9999.
TEST(PitModes, BcdCounting) {
    Pit8254 pit("pit");
    RecordingIrqSink irq0;
    pit.out0().connect(irq0, 0);
    out8(pit, 0x43, 0x31); // counter 0, RW 11, mode 0, BCD
    out8(pit, 0x40, 0x00);
    out8(pit, 0x40, 0x01); // 0100 BCD = 100 clocks
    run_until_ps(pit_edge(36));
    EXPECT_EQ(latched_count(pit, 0), 0x0065);
    run_until_ps(pit_edge(103));
    EXPECT_EQ(latched_count(pit, 0), 0x9998); // 0 at 101, then 9999, 9998
    EXPECT_EQ(irq0.rising(), edges({101}));
    out8(pit, 0x40, 0x00);
    out8(pit, 0x40, 0x00); // 0 = 10000 clocks, written during 103
    run_through_ps(pit_edge(103 + 10'001));
    EXPECT_EQ(irq0.rising(), edges({101, 103 + 10'001}));
    out8(pit, 0x43, 0xE2);
    EXPECT_EQ(in8(pit, 0x40), 0xB1); // status shows the BCD bit
}

// The input clock is configurable (tests, other platforms): 1 MHz makes every clock exactly 1 us.
TEST(PitModes, ConfigurableInputClock) {
    Pit8254 pit("pit", models::PitConfig{.input_hz = 1'000'000});
    RecordingIrqSink irq0;
    pit.out0().connect(irq0, 0);
    out8(pit, 0x43, 0x34);
    out8(pit, 0x40, 0xE8);
    out8(pit, 0x40, 0x03); // 1000 clocks = 1 ms, loaded at 1 us
    run_through_ps(3'001'000'000);
    EXPECT_EQ(irq0.rising(), (Times{0, 1'001'000'000, 2'001'000'000, 3'001'000'000}));
}

} // namespace
} // namespace x86sim::test
