// Output waveforms of every 8254 mode (lapic-pit-msi.md §2.1, 8254DS), with exact edge times. A port
// write during cycle c takes effect at CLK edge c + 1; gate-triggered modes use counter 2, whose GATE is
// port 0x61 bit 0, with its OUT connected so that it schedules its edges.
#include "models/pit/pit8254.h"
#include "tests/models/pit/pit_test_util.h"
#include "tests/models/pit/recording_irq_sink.h"
#include "tests/support/sim_test.h"

#include <gtest/gtest.h>
#include <ostream>
#include <string>
#include <systemc>
#include <vector>

namespace x86sim::test {
namespace {

using models::Pit8254;
using Times = std::vector<std::uint64_t>;

Times edges(const std::vector<std::uint64_t>& cycles) {
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

// One port access of a script: an OUT, or an IN that must return `value`, done during CLK cycle `cycle`.
struct PortOp {
    std::uint64_t cycle;
    std::uint16_t port;
    std::uint8_t value;
    bool is_read;
};
PortOp write_at(std::uint64_t cycle, std::uint16_t port, std::uint8_t value) {
    return {cycle, port, value, false};
}
PortOp read_at(std::uint64_t cycle, std::uint16_t port, std::uint8_t expected) {
    return {cycle, port, expected, true};
}

// Performs `ops` in order. Before an access in a later cycle than the simulation is at, it runs until that
// cycle's edge (run_until_ps: what is due at the edge itself has not run yet); accesses of one cycle are
// back to back, with no simulation in between.
void play(Pit8254& pit, const std::vector<PortOp>& ops) {
    for (const auto& op : ops) {
        const auto at = pit_edge(op.cycle);
        ASSERT_GE(at, now_ps()) << "script goes back in time at cycle " << op.cycle;
        if (at > now_ps()) {
            run_until_ps(at);
        }
        if (op.is_read) {
            EXPECT_EQ(in8(pit, op.port), op.value)
                << "IN 0x" << std::hex << op.port << " during cycle " << std::dec << op.cycle;
        } else {
            out8(pit, op.port, op.value);
        }
    }
}

// What a whole-waveform case must show on OUT of `counter` (0: OUT0, IRQ0; 2: counter 2 OUT connected, its
// GATE from port 0x61 bit 0) up to edge `end` inclusive: the edges, as cycle numbers (cycle 0 is the
// control word setting OUT high at time 0), and with `idle` also that nothing is scheduled any more.
struct OutEdges {
    unsigned counter;
    std::uint64_t end;
    std::vector<std::uint64_t> falling;
    std::vector<std::uint64_t> rising;
    bool idle;
};
// A script on a fresh PIT and the OUT edges it must produce.
struct Waveform {
    const char* name;
    OutEdges out;
    std::vector<PortOp> script;
};
void PrintTo(const Waveform& waveform, std::ostream* os) {
    *os << waveform.name;
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

const Waveform kWaveforms[] = {
    // Mode 0 with RW = 01: every count write restarts, OUT low at once and high N + 1 clocks later.
    {"Mode0LsbOnlyRewriteRestarts",
     {.counter = 0, .end = 20, .falling = {9}, .rising = {5, 14}, .idle = false},
     {write_at(0, 0x43, 0x10), write_at(0, 0x40, 4), // rises at 5
      write_at(9, 0x40, 4)}},                        // low at once, rises at 14
    // Mode 1: a GATE rising edge loads the count at the next CLK and drops OUT for N clocks; a trigger
    // during the pulse restarts it (retriggerable). The count write alone does nothing (NULL COUNT stays 1).
    {"Mode1RetriggerableOneShot",
     {.counter = 2, .end = 40, .falling = {11, 23}, .rising = {0, 16, 32}, .idle = false},
     {write_at(0, 0x43, 0xB2), // counter 2, RW 11, mode 1: OUT high
      write_at(0, 0x42, 5), write_at(0, 0x42, 0), write_at(10, 0x43, 0xE8),
      read_at(10, 0x42, 0xF2),                              // OUT high, NULL COUNT 1, RW 11, mode 1
      write_at(10, 0x61, 0x01),                             // trigger during 10: low [11, 16)
      write_at(20, 0x61, 0x00), write_at(22, 0x61, 0x01),   // trigger during 22: low from 23
      write_at(25, 0x61, 0x00), write_at(26, 0x61, 0x01)}}, // retrigger during 26: reload at 27, low until 32
    // Mode 2: GATE low stops counting and forces OUT high at once, even in the middle of the low pulse; a
    // rising GATE reloads the count at the next CLK.
    {"Mode2GateStopsAndReloads",
     {.counter = 2, .end = 26, .falling = {4, 8, 12, 24}, .rising = {0, 5, 9, 12, 25}, .idle = false},
     {write_at(0, 0x61, 0x01), write_at(0, 0x43, 0xB4), // counter 2, RW 11, mode 2
      write_at(0, 0x42, 4), write_at(0, 0x42, 0),       // low [4,5), [8,9), [12,13), ...
      // Stop at exactly edge 12, before its event has run: the fall at 12 happens, then OUT is forced high.
      write_at(12, 0x61, 0x00), write_at(20, 0x61, 0x01)}}, // reload at 21: low [24, 25)
    // Mode 2: a count written while counting takes effect at the next reload; NULL COUNT is 1 until then.
    {"Mode2NewCountAtNextReload",
     {.counter = 0, .end = 29, .falling = {10, 20, 24, 28}, .rising = {0, 11, 21, 25, 29}, .idle = false},
     {write_at(0, 0x43, 0x34), write_at(0, 0x40, 10), write_at(0, 0x40, 0), // reloads at 11, 21, ...
      write_at(15, 0x40, 4), write_at(15, 0x40, 0), write_at(15, 0x43, 0xE2),
      read_at(15, 0x40, 0xF4),                           // NULL COUNT until the reload at 21
      write_at(20, 0x43, 0xE2), read_at(20, 0x40, 0x74), // low pulse of the old period, still NULL COUNT
      write_at(21, 0x43, 0xE2), read_at(21, 0x40, 0xB4)}},
    // Mode 3: a new count takes effect at the end of the current half-cycle (8254DS).
    {"Mode3NewCountAtEndOfHalfCycle",
     {.counter = 0, .end = 14, .falling = {6, 10, 14}, .rising = {0, 8, 12}, .idle = false},
     {write_at(0, 0x43, 0x36), write_at(0, 0x40, 10), write_at(0, 0x40, 0), // high [1, 6), low [6, 11), ...
      write_at(3, 0x40, 4), // in the high half: from 6 the new count runs, starting with its low half
      write_at(3, 0x40, 0)}},
    {"Mode3NewCountInLowHalfStartsWithHighHalf",
     {.counter = 0, .end = 15, .falling = {6, 13}, .rising = {0, 11, 15}, .idle = false},
     {write_at(0, 0x43, 0x36), write_at(0, 0x40, 10), write_at(0, 0x40, 0),
      write_at(7, 0x40, 4), // in the low half [6, 11): from 11, high [11, 13), low [13, 15), ...
      write_at(7, 0x40, 0)}},
    // Mode 4: rewriting the count restarts the strobe: one low clock N + 1 clocks after the last write.
    {"Mode4RewriteRestartsStrobe",
     {.counter = 0, .end = 30, .falling = {16}, .rising = {0, 17}, .idle = true},
     {write_at(0, 0x43, 0x38), write_at(0, 0x40, 10), write_at(0, 0x40, 0), // would strobe at 11
      write_at(5, 0x40, 10), write_at(5, 0x40, 0)}},                        // strobe at 16
    // Mode 5: a GATE rising edge starts the strobe (low for one clock N clocks after the load); a new
    // trigger before the strobe restarts it.
    {"Mode5HardwareTriggeredStrobe",
     {.counter = 2, .end = 35, .falling = {15, 29}, .rising = {0, 16, 30}, .idle = false},
     {write_at(0, 0x43, 0xBA),                                              // counter 2, RW 11, mode 5
      write_at(0, 0x42, 4), write_at(0, 0x42, 0), write_at(10, 0x61, 0x01), // load at 11, low [15, 16)
      write_at(18, 0x61, 0x00), write_at(20, 0x61, 0x01),                   // load at 21, would strobe at 25
      write_at(23, 0x61, 0x00), write_at(24, 0x61, 0x01)}}, // retrigger: load at 25, strobe at 29
};

class PitWaveform : public ::testing::TestWithParam<Waveform> {};

// Each case's script on a fresh PIT, then its OUT edges at exact clock edges.
TEST_P(PitWaveform, EdgesAtExactClocks) {
    const Waveform& waveform = GetParam();
    const OutEdges& expected = waveform.out;
    Pit8254 pit("pit");
    RecordingIrqSink out;
    if (expected.counter == 0) {
        pit.out0().connect(out, 0);
    } else {
        pit.connect_out(expected.counter, out, 0);
    }
    ASSERT_NO_FATAL_FAILURE(play(pit, waveform.script));
    run_through_ps(pit_edge(expected.end));
    EXPECT_EQ(out.falling(), edges(expected.falling));
    EXPECT_EQ(out.rising(), edges(expected.rising));
    if (expected.idle) {
        EXPECT_FALSE(sc_core::sc_pending_activity());
    }
}

INSTANTIATE_TEST_SUITE_P(PitModes, PitWaveform, ::testing::ValuesIn(kWaveforms),
                         [](const ::testing::TestParamInfo<Waveform>& case_info) {
                             return std::string(case_info.param.name);
                         });

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
