// lapic-pit-msi.md §8 checks 43-46 (8254 PIT), one test case per check. Edge times are exact: the PIT
// clock free-runs from time 0, a port write during cycle c takes effect at CLK edge c + 1 (pit_channel.h).
#include "models/pit/pit8254.h"
#include "tests/models/pit/pit_test_util.h"
#include "tests/models/pit/recording_irq_sink.h"
#include "tests/support/sim_test.h"

#include <gtest/gtest.h>
#include <vector>

namespace x86sim::test {
namespace {

using models::Pit8254;

// §8 check 43, §2.1 mode 2: control 0x34 then 0x9C, 0x2E (N = 11932) on port 0x40 gives IRQ0 at
// 1193182 / 11932 = 99.998 Hz; N = 0 (65536) gives 18.2065 Hz.
TEST(PitConformance, Check43_Mode2At11932Gives99_998Hz) {
    Pit8254 pit("pit");
    RecordingIrqSink irq0;
    pit.out0().connect(irq0, 0);

    out8(pit, 0x43, 0x34);
    out8(pit, 0x40, 0x9C);
    out8(pit, 0x40, 0x2E);
    // Written during cycle 0, so the count is loaded at CLK edge 1. OUT is low for the clock in which the
    // count is 1 and rises at each reload: IRQ0 edges k * 11932 clocks after the load.
    constexpr std::uint64_t kLoad = 1;
    constexpr std::uint64_t kN = 11932;
    run_through_ps(pit_edge(kLoad + 5 * kN));
    std::vector<std::uint64_t> rising;
    std::vector<std::uint64_t> falling;
    for (std::uint64_t k = 1; k <= 5; ++k) {
        rising.push_back(pit_edge(kLoad + k * kN));
        falling.push_back(pit_edge(kLoad + k * kN - 1));
    }
    // The control word set OUT high at time 0 (mode 2, §2.1): that is the first rising edge.
    rising.insert(rising.begin(), 0);
    EXPECT_EQ(irq0.rising(), rising);
    EXPECT_EQ(irq0.falling(), falling);
    EXPECT_EQ(pit.fires(), 6U);
    const double period_ps = static_cast<double>(rising[5] - rising[1]) / 4.0;
    EXPECT_NEAR(1e12 / period_ps, 99.998, 0.0005);

    // N = 0 is 65536 clocks: reprogram during cycle t, load at t + 1.
    const std::uint64_t t = kLoad + 5 * kN + 100;
    run_until_ps(pit_edge(t));
    irq0.clear();
    out8(pit, 0x43, 0x34);
    out8(pit, 0x40, 0x00);
    out8(pit, 0x40, 0x00);
    run_through_ps(pit_edge(t + 1 + 3 * 65536));
    const std::vector<std::uint64_t> expected{pit_edge(t + 1 + 65536), pit_edge(t + 1 + 2 * 65536),
                                              pit_edge(t + 1 + 3 * 65536)};
    EXPECT_EQ(irq0.rising(), expected);
    EXPECT_NEAR(1e12 / (static_cast<double>(expected[2] - expected[0]) / 2.0), 18.2065, 0.00005);
}

// §8 check 44, §2.1: mode 3 with N = 3 is high 2 clocks, low 1. Mode 0: OUT low after the control word,
// high N + 1 clocks after the count write, then stays high. Mode 4: one one-clock low pulse, no repeat.
TEST(PitConformance, Check44_Mode3OddMode0AndMode4Waveforms) {
    Pit8254 pit("pit");
    RecordingIrqSink irq0;
    pit.out0().connect(irq0, 0);

    // Mode 3, N = 3, written in cycle 0: loaded at edge 1, high [1, 3), low [3, 4), high [4, 6), ...
    out8(pit, 0x43, 0x36);
    out8(pit, 0x40, 3);
    out8(pit, 0x40, 0);
    run_through_ps(pit_edge(10));
    EXPECT_EQ(irq0.rising(), (std::vector<std::uint64_t>{0, pit_edge(4), pit_edge(7), pit_edge(10)}));
    EXPECT_EQ(irq0.falling(), (std::vector<std::uint64_t>{pit_edge(3), pit_edge(6), pit_edge(9)}));

    // Mode 0 during cycle 11 (OUT high: phase 1 of 3): the control word drops OUT at once.
    run_until_ps(pit_edge(11));
    irq0.clear();
    out8(pit, 0x43, 0x30);
    EXPECT_FALSE(pit.out0().level());
    EXPECT_EQ(irq0.falling(), std::vector<std::uint64_t>{pit_edge(11)});
    // Count 5 written during cycle 20: OUT rises 5 + 1 clocks later and stays high while the counter wraps.
    run_until_ps(pit_edge(20));
    out8(pit, 0x40, 5);
    out8(pit, 0x40, 0);
    run_until_ps(pit_edge(20 + 6) - 1);
    EXPECT_FALSE(pit.out0().level());
    run_until_ps(pit_edge(20 + 3 * 65536));
    EXPECT_EQ(irq0.rising(), std::vector<std::uint64_t>{pit_edge(26)});
    EXPECT_EQ(irq0.falling(), std::vector<std::uint64_t>{pit_edge(11)});
    EXPECT_FALSE(sc_core::sc_pending_activity());

    // Mode 4, N = 10 written during cycle c: OUT low at edge c + 11 for exactly one clock, never again.
    const std::uint64_t c = 300'000;
    run_until_ps(pit_edge(c));
    irq0.clear();
    out8(pit, 0x43, 0x38);
    out8(pit, 0x40, 10);
    out8(pit, 0x40, 0);
    run_until_ps(pit_edge(c + 3 * 65536));
    EXPECT_EQ(irq0.falling(), std::vector<std::uint64_t>{pit_edge(c + 11)});
    EXPECT_EQ(irq0.rising(), std::vector<std::uint64_t>{pit_edge(c + 12)});
    EXPECT_FALSE(sc_core::sc_pending_activity());
}

// §8 check 45, §2.1 reading: the counter-latch command freezes the readout and a second latch before the
// read completes is ignored. Read-back 0xC2 returns counter 0's status first, then LSB and MSB (RW = 11);
// with RW = 01 or 10 only one count byte follows the status.
TEST(PitConformance, Check45_CounterLatchAndReadBackStatusThenCount) {
    Pit8254 pit("pit");
    out8(pit, 0x43, 0x34); // counter 0, RW = 11, mode 2
    out8(pit, 0x40, 0x00);
    out8(pit, 0x40, 0x10); // N = 4096, loaded at edge 1

    run_until_ps(pit_edge(101));
    out8(pit, 0x43, 0x00); // latch: 4096 - 100
    run_until_ps(pit_edge(151));
    out8(pit, 0x43, 0x00); // ignored: the first latch is unread
    EXPECT_EQ(in16(pit, 0x40), 4096 - 100);
    EXPECT_EQ(in16(pit, 0x40), 4096 - 150); // consumed: reads follow the live count again

    run_until_ps(pit_edge(201));
    out8(pit, 0x43, 0xC2); // read-back: count and status of counter 0
    run_until_ps(pit_edge(251));
    EXPECT_EQ(in8(pit, 0x40), 0xB4); // OUT high, NULL COUNT 0, RW 11, mode 2, binary
    EXPECT_EQ(in8(pit, 0x40), (4096 - 200) & 0xFF);
    EXPECT_EQ(in8(pit, 0x40), (4096 - 200) >> 8);
    EXPECT_EQ(in16(pit, 0x40), 4096 - 250);

    // Counter 1 with RW = 01: status, then the LSB only.
    out8(pit, 0x43, 0x54);
    out8(pit, 0x41, 0x80); // N = 128 written in cycle 251, loaded at 252
    run_until_ps(pit_edge(262));
    out8(pit, 0x43, 0xC4);
    EXPECT_EQ(in8(pit, 0x41), 0x94); // OUT high, NULL COUNT 0, RW 01, mode 2
    EXPECT_EQ(in8(pit, 0x41), 128 - 10);
    run_until_ps(pit_edge(272));
    EXPECT_EQ(in8(pit, 0x41), 128 - 20); // live again

    // Counter 2 with RW = 10 (GATE enabled through port 0x61): status, then the MSB only.
    out8(pit, 0x61, 0x01);
    out8(pit, 0x43, 0xA4);
    out8(pit, 0x42, 0x02); // N = 0x200 written in cycle 272, loaded at 273
    run_until_ps(pit_edge(273 + 0x100 + 5));
    out8(pit, 0x43, 0xC8);
    EXPECT_EQ(in8(pit, 0x42), 0xA4); // OUT high, NULL COUNT 0, RW 10, mode 2
    EXPECT_EQ(in8(pit, 0x42), (0x200 - 0x105) >> 8);
}

// §8 check 46: NULL COUNT (status bit 6) is 1 after a count write until the count is loaded (8254DS, not
// QEMU); port 0x61 bit 5 follows counter 2 OUT and bit 0 gates counter 2.
TEST(PitConformance, Check46_NullCountAndPort61GateAndOut2) {
    Pit8254 pit("pit");
    out8(pit, 0x43, 0x30);
    out8(pit, 0x43, 0xE2);           // read-back status only, counter 0
    EXPECT_EQ(in8(pit, 0x40), 0x70); // OUT low, NULL COUNT 1 (control word), RW 11, mode 0

    run_until_ps(pit_edge(10));
    out8(pit, 0x40, 0x00);
    out8(pit, 0x40, 0x01); // N = 256 written in cycle 10
    out8(pit, 0x43, 0xE2);
    EXPECT_EQ(in8(pit, 0x40), 0x70); // written, not yet in the counting element
    run_until_ps(pit_edge(11));
    out8(pit, 0x43, 0xE2);
    EXPECT_EQ(in8(pit, 0x40), 0x30); // loaded at CLK edge 11

    // Counter 2, mode 3, N = 4, GATE low (port 0x61 bit 0 resets to 0): nothing is loaded.
    out8(pit, 0x43, 0xB6);
    out8(pit, 0x42, 4);
    out8(pit, 0x42, 0);
    run_until_ps(pit_edge(40));
    EXPECT_EQ(in8(pit, 0x61) & 0x21, 0x20); // OUT2 high (mode 3 after the control word), GATE 0
    out8(pit, 0x43, 0xE8);
    EXPECT_EQ(in8(pit, 0x42), 0xF6); // OUT high, NULL COUNT 1 (waiting for GATE), RW 11, mode 3

    // GATE high during cycle 40: load at 41, high [41, 43), low [43, 45), high [45, 47), ...
    out8(pit, 0x61, 0x01);
    EXPECT_EQ(in8(pit, 0x61) & 0x0F, 0x01);
    for (std::uint64_t c = 41; c < 49; ++c) {
        run_until_ps(pit_edge(c));
        const bool high = ((c - 41) % 4) < 2;
        EXPECT_EQ((in8(pit, 0x61) & 0x20) != 0, high) << "cycle " << c;
    }
    // GATE low in a low half (cycle 51): OUT2 is forced high at once and counting stops.
    run_until_ps(pit_edge(51));
    EXPECT_EQ(in8(pit, 0x61) & 0x20, 0);
    out8(pit, 0x61, 0x02);
    EXPECT_EQ(in8(pit, 0x61) & 0x2F, 0x22); // OUT2 high, speaker data enable stored, GATE 0
    EXPECT_TRUE(pit.speaker_data_enabled());
    run_until_ps(pit_edge(60));
    EXPECT_EQ(in8(pit, 0x61) & 0x20, 0x20);
    // Nothing was connected to OUT2, so counter 2 never scheduled an event (port 0x61 is computed): the one
    // event is counter 0's rising edge at 11 + 256.
    EXPECT_EQ(pit.stats().events_scheduled, 1U);
    EXPECT_EQ(pit.dump().next_edge_ps[2], ~0ULL);
}

} // namespace
} // namespace x86sim::test
