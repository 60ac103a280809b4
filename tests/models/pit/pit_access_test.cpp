// Port-level behaviour of the 8254 model (lapic-pit-msi.md §2.1, §6 item 5): access modes, latches and
// read-back variants, port 0x61, access sizes and costs, bad accesses, event economy, metrics and dump.
#include "models/common/interrupt_path.h"
#include "models/pit/pit8254.h"
#include "tests/models/pit/pit_test_util.h"
#include "tests/models/pit/recording_irq_sink.h"
#include "tests/models/pit/recording_metric_sink.h"
#include "tests/support/sim_test.h"

#include <gtest/gtest.h>
#include <systemc>
#include <vector>

namespace x86sim::test {
namespace {

using models::AccessStatus;
using models::Pit8254;

// RW = 01 writes and reads only the LSB, RW = 10 only the MSB (the other byte is 0).
TEST(PitAccess, LsbOnlyAndMsbOnlyCounts) {
    Pit8254 pit("pit");
    RecordingIrqSink irq0;
    pit.out0().connect(irq0, 0);
    out8(pit, 0x43, 0x10); // counter 0, RW 01, mode 0
    out8(pit, 0x40, 0x20); // N = 32: OUT rises at 33
    out8(pit, 0x43, 0x60); // counter 1, RW 10, mode 0
    out8(pit, 0x41, 0x02); // N = 0x200, loaded at 1
    run_until_ps(pit_edge(10));
    EXPECT_EQ(in8(pit, 0x40), 32 - 9);
    EXPECT_EQ(in8(pit, 0x40), 32 - 9); // no flip-flop with RW = 01
    run_until_ps(pit_edge(0x100 + 1));
    EXPECT_EQ(in8(pit, 0x41), 0x01); // 0x200 - 0x100
    run_through_ps(pit_edge(40));
    EXPECT_EQ(irq0.rising(), std::vector<std::uint64_t>{pit_edge(33)});
}

// 8254DS: reads and writes of one counter have separate byte flip-flops, so "read LSB, write LSB, read
// MSB, write MSB" works.
TEST(PitAccess, ReadAndWriteFlipFlopsInterleave) {
    Pit8254 pit("pit");
    out8(pit, 0x43, 0x30);
    out8(pit, 0x40, 0x34);
    out8(pit, 0x40, 0x12); // 0x1234, loaded at 1
    run_until_ps(pit_edge(11));
    EXPECT_EQ(in8(pit, 0x40), 0x2A); // 0x1234 - 10 = 0x122A
    out8(pit, 0x40, 0x00);           // mode 0: halts counting
    run_until_ps(pit_edge(20));
    EXPECT_EQ(in8(pit, 0x40), 0x12);
    out8(pit, 0x40, 0x01); // N = 0x100 written during 20, loaded at 21
    run_until_ps(pit_edge(31));
    EXPECT_EQ(in16(pit, 0x40), 0x100 - 10);
}

// A control word discards an unread latch and restarts the read sequence (§2.1).
TEST(PitAccess, ControlWordDiscardsPendingLatch) {
    Pit8254 pit("pit");
    out8(pit, 0x43, 0x34);
    out8(pit, 0x40, 0x00);
    out8(pit, 0x40, 0x10);
    run_until_ps(pit_edge(11));
    out8(pit, 0x43, 0x00);           // latch 0x1000 - 10
    EXPECT_EQ(in8(pit, 0x40), 0xF6); // LSB of 0x0FF6; the MSB is still pending
    out8(pit, 0x43, 0x34);           // reprogram: latch and flip-flop gone
    out8(pit, 0x40, 0x00);
    out8(pit, 0x40, 0x20); // 0x2000, loaded at 12
    run_until_ps(pit_edge(14));
    EXPECT_EQ(in16(pit, 0x40), 0x2000 - 2);
}

// Read-back may latch several counters at once, count only or status only; a status latched twice is
// the first one (8254DS).
TEST(PitAccess, ReadBackVariants) {
    Pit8254 pit("pit");
    out8(pit, 0x61, 0x01);
    out8(pit, 0x43, 0x34);
    out8(pit, 0x40, 100);
    out8(pit, 0x40, 0);
    out8(pit, 0x43, 0x74); // counter 1, RW 11, mode 2
    out8(pit, 0x41, 200);
    out8(pit, 0x41, 0);
    out8(pit, 0x43, 0xB6); // counter 2, RW 11, mode 3
    out8(pit, 0x42, 50);
    out8(pit, 0x42, 0);
    run_until_ps(pit_edge(11));
    out8(pit, 0x43, 0xCE); // count and status of all three counters
    run_until_ps(pit_edge(30));
    EXPECT_EQ(in8(pit, 0x40), 0xB4);
    EXPECT_EQ(in16(pit, 0x40), 100 - 10);
    EXPECT_EQ(in8(pit, 0x41), 0xB4);
    EXPECT_EQ(in16(pit, 0x41), 200 - 10);
    EXPECT_EQ(in8(pit, 0x42), 0xB6);
    EXPECT_EQ(in16(pit, 0x42), 50 - 2 * 10); // mode 3 counts by two
    // Count only (bit 4 = 1): no status byte.
    out8(pit, 0x43, 0xD2);
    EXPECT_EQ(in16(pit, 0x40), 100 - 29);
    // Status twice: the second latch is ignored until the first is read.
    out8(pit, 0x43, 0xE2);
    run_until_ps(pit_edge(100));
    out8(pit, 0x43, 0xE2);
    EXPECT_EQ(in8(pit, 0x40), 0xB4); // latched at cycle 30: OUT high
    EXPECT_EQ(in16(pit, 0x40), 1);   // live count: the low clock of the period (e = 99)
    // Bit 0 of a read-back is reserved: the command is ignored and counted.
    const auto bad_before = pit.stats().bad_accesses;
    out8(pit, 0x43, 0xC3);
    EXPECT_EQ(pit.stats().bad_accesses, bad_before + 1);
    EXPECT_EQ(in16(pit, 0x40), 1);
}

// Port 0x61: bits 0-3 read back as written, bit 4 toggles every 18 PIT clocks (refresh), bit 5 is OUT2,
// bits 6-7 read 0.
TEST(PitAccess, Port61BitsAndRefreshToggle) {
    Pit8254 pit("pit");
    out8(pit, 0x61, 0xFF);
    EXPECT_EQ(in8(pit, 0x61), 0x0F); // cycle 0: refresh 0, OUT2 low (counter 2 reset state)
    run_until_ps(pit_edge(17));
    EXPECT_EQ(in8(pit, 0x61) & 0x10, 0);
    run_until_ps(pit_edge(18));
    EXPECT_EQ(in8(pit, 0x61) & 0x10, 0x10);
    run_until_ps(pit_edge(36));
    EXPECT_EQ(in8(pit, 0x61) & 0x10, 0);
    out8(pit, 0x61, 0x00);
    EXPECT_EQ(in8(pit, 0x61) & 0xCF, 0x00);
    EXPECT_FALSE(pit.speaker_data_enabled());
    EXPECT_EQ(pit.stats().events_scheduled, 0U);
}

// Wider accesses are split into byte cycles on consecutive ports, each costing the §6 1 us.
TEST(PitAccess, WideAccessesSplitIntoByteCycles) {
    Pit8254 pit("pit");
    out8(pit, 0x43, 0x10); // counter 0, RW 01, mode 0
    out8(pit, 0x43, 0x50); // counter 1, RW 01, mode 0
    const auto write = pit.io_write(0x40, 2, 0x0520);
    EXPECT_EQ(write.status, AccessStatus::Ok);
    EXPECT_EQ(write.delay_ps, 2'000'000U);
    run_until_ps(pit_edge(3));
    std::uint32_t value = 0;
    const auto read = pit.io_read(0x40, 2, value);
    EXPECT_EQ(read.status, AccessStatus::Ok);
    EXPECT_EQ(value, (5U - 2) << 8 | (0x20U - 2));
    // A dword at 0x60 covers 0x60-0x63: only 0x61 belongs to this model. The other bytes read 0xFF, the
    // status is the first problem, and each is counted.
    const auto before = pit.stats().bad_accesses;
    const auto wide = pit.io_read(0x60, 4, value);
    EXPECT_EQ(wide.status, AccessStatus::Unmapped);
    EXPECT_EQ(wide.delay_ps, 4'000'000U);
    EXPECT_EQ(value, 0xFFFF'00FFU); // port 0x61 at cycle 3: GATE2 0, refresh 0, OUT2 low
    EXPECT_EQ(pit.stats().bad_accesses, before + 3);
}

TEST(PitAccess, BadSizesAndControlPortReadsAreCounted) {
    Pit8254 pit("pit", models::PitConfig{.access_cost_ps = 5});
    std::uint32_t value = 0;
    auto result = pit.io_read(0x40, 3, value);
    EXPECT_EQ(result.status, AccessStatus::BadSize);
    EXPECT_EQ(value, 0xFFFF'FFFFU);
    EXPECT_EQ(result.delay_ps, 5U);
    EXPECT_EQ(pit.io_write(0x40, 8, 0).status, AccessStatus::BadSize);
    result = pit.io_read(0x43, 1, value);
    EXPECT_EQ(result.status, AccessStatus::WriteOnlyRead); // the control word cannot be read
    EXPECT_EQ(value, 0xFFU);
    EXPECT_EQ(pit.io_write(0x44, 1, 0).status, AccessStatus::Unmapped);
    EXPECT_EQ(pit.stats().bad_accesses, 4U);
    EXPECT_EQ(pit.io_write(0x43, 1, 0x34).delay_ps, 5U);
}

// Event economy: a PIT that was never programmed schedules nothing, and counter 2 (OUT unconnected)
// schedules nothing even while it oscillates; connecting OUT2 starts its edge events.
TEST(PitAccess, IdlePitAndUnobservedCounter2ScheduleNoEvents) {
    Pit8254 pit("pit");
    RecordingIrqSink irq0;
    pit.out0().connect(irq0, 0);
    sc_core::sc_start(sc_core::SC_ZERO_TIME);
    EXPECT_FALSE(sc_core::sc_pending_activity());
    run_until_ps(1'000'000'000'000); // 1 s
    EXPECT_EQ(pit.stats().events_scheduled, 0U);
    EXPECT_EQ(pit.fires(), 0U);
    EXPECT_TRUE(irq0.changes.empty());

    const std::uint64_t c = pit.clock().cycles_in(now_ps());
    out8(pit, 0x61, 0x01);
    out8(pit, 0x43, 0xB6); // counter 2, mode 3, N = 4
    out8(pit, 0x42, 4);
    out8(pit, 0x42, 0);
    EXPECT_FALSE(sc_core::sc_pending_activity());
    run_until_ps(pit_edge(c + 100));
    EXPECT_EQ(pit.stats().events_scheduled, 0U);
    // Port 0x61 bit 5 is computed: loaded at c + 1, high for phases 0-1 and low for 2-3 of each period.
    for (std::uint64_t k = 100; k < 104; ++k) {
        run_until_ps(pit_edge(c + k));
        EXPECT_EQ((in8(pit, 0x61) & 0x20) != 0, ((k - 1) % 4) < 2) << k;
    }
    EXPECT_EQ(pit.stats().events_scheduled, 0U);

    // Connecting OUT2 makes counter 2 observable: it drives the line now and schedules its next edge.
    RecordingIrqSink out2;
    pit.connect_out(2, out2, 7);
    EXPECT_EQ(pit.stats().events_scheduled, 1U);
    run_through_ps(pit_edge(c + 109));
    EXPECT_EQ(out2.rising(7), (std::vector<std::uint64_t>{pit_edge(c + 105), pit_edge(c + 109)}));
    EXPECT_EQ(out2.falling(7), (std::vector<std::uint64_t>{pit_edge(c + 107)}));
}

TEST(PitAccess, MetricsDumpAndInterruptPath) {
    struct Hops : models::InterruptPathObserver {
        void on_hop(const models::InterruptHop& hop) override { hops.push_back(hop); }
        std::vector<models::InterruptHop> hops;
    } observer;
    Pit8254 pit("pit");
    pit.set_interrupt_path_observer(&observer);
    out8(pit, 0x43, 0x34);
    out8(pit, 0x40, 100);
    out8(pit, 0x40, 0); // IRQ0 rises at 0 (control word), 101, 201
    run_through_ps(pit_edge(201));
    std::uint32_t ignored = 0;
    (void)pit.io_read(0x43, 1, ignored);
    out8(pit, 0x43, 0x00); // latch 100 (reloaded at 201)

    RecordingMetricSink metrics;
    pit.report_metrics(metrics);
    EXPECT_EQ(metrics.counters.at("fires"), 3U);
    EXPECT_EQ(metrics.counters.at("channel0.rising_edges"), 3U);
    EXPECT_EQ(metrics.counters.at("channel2.rising_edges"), 0U);
    EXPECT_EQ(metrics.counters.at("bad_accesses"), 1U);
    EXPECT_EQ(metrics.counters.at("writes"), 4U);
    EXPECT_EQ(metrics.counters.at("reads"), 1U);
    EXPECT_EQ(metrics.counters.at("illegal_counts"), 0U);
    // Edges at 0 (immediate), then falls at 100 and 200 and rises at 101 and 201: four scheduled events.
    EXPECT_EQ(metrics.counters.at("edge_events"), 4U);
    ASSERT_EQ(observer.hops.size(), 3U);
    EXPECT_EQ(observer.hops[1].time_ps, pit_edge(101));
    EXPECT_EQ(observer.hops[1].kind, models::HopKind::TimerExpiry);

    const auto dump = pit.dump();
    EXPECT_EQ(dump.cycle, 201U);
    EXPECT_EQ(dump.channels[0].mode, 2U);
    EXPECT_EQ(dump.channels[0].control, 0x34);
    EXPECT_EQ(dump.channels[0].count_register, 100U);
    EXPECT_TRUE(dump.channels[0].count_latched);
    EXPECT_EQ(dump.channels[0].latched_count, 100);
    EXPECT_TRUE(dump.channels[0].out);
    EXPECT_FALSE(dump.channels[0].null_count);
    EXPECT_EQ(dump.next_edge_ps[0], pit_edge(300)); // the next fall
    EXPECT_FALSE(dump.channels[1].counting);
    EXPECT_EQ(dump.next_edge_ps[1], ~0ULL);
}

// Illegal counts: 1 in mode 2 runs as 2, 1 in mode 3 as 65536 (MAME's measurements), both counted.
TEST(PitAccess, IllegalCountsAreCounted) {
    Pit8254 pit("pit");
    RecordingIrqSink irq0;
    pit.out0().connect(irq0, 0);
    out8(pit, 0x43, 0x14); // counter 0, RW 01, mode 2
    out8(pit, 0x40, 1);
    run_through_ps(pit_edge(5));
    EXPECT_EQ(irq0.falling(), (std::vector<std::uint64_t>{pit_edge(2), pit_edge(4)}));
    RecordingMetricSink metrics;
    pit.report_metrics(metrics);
    EXPECT_EQ(metrics.counters.at("illegal_counts"), 1U);
}

} // namespace
} // namespace x86sim::test
