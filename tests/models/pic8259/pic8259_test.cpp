// The cascaded 8259A pair (lapic-pit-msi.md §2.2; redox-kernel.md "8259 PIC").
#include "models/pic8259/pic8259_pair.h"

#include <gtest/gtest.h>
#include <string>
#include <utility>
#include <vector>

namespace x86sim::models {
namespace {

// Records every level change of the INT output, as LAPIC LINT0 would see it.
class IntRecorder : public IrqLineSink {
  public:
    void set_irq_input(unsigned, bool asserted) override { levels.push_back(asserted); }
    std::vector<bool> levels;
};

class RecordingSink : public MetricSink {
  public:
    void counter(std::string_view name, std::uint64_t value) override { counters.emplace_back(name, value); }
    void gauge(std::string_view, double) override {}
    void latency_sample(std::string_view, std::uint64_t) override {}
    std::uint64_t get(const std::string& name) const {
        for (const auto& [key, value] : counters) {
            if (key == name) {
                return value;
            }
        }
        return ~0ULL;
    }
    std::vector<std::pair<std::string, std::uint64_t>> counters;
};

class Pic8259Test : public ::testing::Test {
  protected:
    Pic8259Test() { pic.int_output().connect(lint0, 0); }

    void out(std::uint16_t port, std::uint8_t value) { pic.io_write(port, 1, value); }
    std::uint8_t in(std::uint16_t port) {
        std::uint32_t value = 0;
        pic.io_read(port, 1, value);
        return static_cast<std::uint8_t>(value);
    }

    // Redox device/pic.rs and Linux init_8259A: ICW1 0x11 (edge, cascade, ICW4), ICW2 vector base, ICW3
    // cascade on IR2, ICW4 8086 mode; here remapped to 0x20/0x28, then everything masked.
    void init_like_redox(std::uint8_t master_mask = 0xFF, std::uint8_t slave_mask = 0xFF) {
        out(0x20, 0x11);
        out(0xA0, 0x11);
        out(0x21, 0x20);
        out(0xA1, 0x28);
        out(0x21, 0x04);
        out(0xA1, 0x02);
        out(0x21, 0x01);
        out(0xA1, 0x01);
        out(0x21, master_mask);
        out(0xA1, slave_mask);
    }
    std::uint8_t read_isr(std::uint16_t command) {
        out(command, 0x0B);
        return in(command);
    }
    std::uint8_t read_irr(std::uint16_t command) {
        out(command, 0x0A);
        return in(command);
    }

    Pic8259Pair pic{"pic"};
    IntRecorder lint0;
};

TEST_F(Pic8259Test, InitSequenceAsRedoxAndLinuxDoIt) {
    init_like_redox();
    const auto dump = pic.dump();
    EXPECT_EQ(dump.master.vector_base, 0x20);
    EXPECT_EQ(dump.slave.vector_base, 0x28);
    EXPECT_EQ(dump.master.icw3, 0x04);
    EXPECT_EQ(dump.slave.icw3, 0x02);
    EXPECT_FALSE(dump.master.initialising);
    EXPECT_FALSE(dump.slave.initialising);
    EXPECT_TRUE(dump.master.mode_8086);
    EXPECT_FALSE(dump.master.auto_eoi);
    EXPECT_EQ(in(0x21), 0xFF);
    EXPECT_EQ(in(0xA1), 0xFF);
    EXPECT_EQ(read_irr(0x20), 0x00);
    EXPECT_FALSE(pic.int_output().level());
}

TEST_F(Pic8259Test, MaskedIrqDoesNotRaiseInt) {
    init_like_redox();
    pic.set_irq_input(0, true);
    pic.set_irq_input(9, true);
    EXPECT_FALSE(pic.int_output().level());
    EXPECT_TRUE(lint0.levels.empty());
    EXPECT_EQ(read_irr(0x20), 0x01); // requested, but masked
    EXPECT_EQ(read_irr(0xA0), 0x02);
}

TEST_F(Pic8259Test, UnmaskedIrq0RaisesIntAndAcknowledgeReturnsBase) {
    init_like_redox(0xFE);
    pic.set_irq_input(0, true);
    EXPECT_TRUE(pic.int_output().level());
    ASSERT_EQ(lint0.levels, std::vector<bool>{true});

    EXPECT_EQ(pic.acknowledge_extint(), 0x20);
    EXPECT_FALSE(pic.int_output().level());
    EXPECT_EQ(lint0.levels, (std::vector<bool>{true, false}));
    EXPECT_EQ(read_isr(0x20), 0x01);
    EXPECT_EQ(read_irr(0x20), 0x00);
    EXPECT_EQ(pic.stats().acknowledged_per_irq[0], 1U);
    EXPECT_EQ(pic.stats().int_assertions, 1U);
}

TEST_F(Pic8259Test, ZeroWidthPulseOnAnEdgeInputIsLatched) {
    // A platform IrqLine::pulse() (rise and fall at one instant, e.g. PIT OUT0 -> IRQ0) is one request.
    init_like_redox(0xFE);
    IrqLine pit_out0;
    pit_out0.connect(pic, 0);
    pit_out0.pulse();
    EXPECT_TRUE(pic.int_output().level());
    EXPECT_EQ(pic.acknowledge_extint(), 0x20);
    EXPECT_EQ(pic.stats().spurious_irq7, 0U);
    out(0x20, 0x20);
    EXPECT_FALSE(pic.int_output().level()) << "one pulse, one interrupt";
}

TEST_F(Pic8259Test, MaskAppliedAfterRequestDropsInt) {
    init_like_redox(0xFE);
    pic.set_irq_input(0, true);
    ASSERT_TRUE(pic.int_output().level());
    out(0x21, 0xFF);
    EXPECT_FALSE(pic.int_output().level());
    out(0x21, 0xFE); // the latched edge is still requested
    EXPECT_TRUE(pic.int_output().level());
}

TEST_F(Pic8259Test, CascadeIrq8ReturnsSlaveBase) {
    init_like_redox(0xFB, 0xFE); // master: only IR2 (cascade) open; slave: only IRQ8
    pic.set_irq_input(8, true);
    EXPECT_TRUE(pic.int_output().level());
    EXPECT_EQ(read_irr(0x20), 0x04);
    EXPECT_EQ(pic.acknowledge_extint(), 0x28);
    EXPECT_FALSE(pic.int_output().level());
    EXPECT_EQ(read_isr(0x20), 0x04);
    EXPECT_EQ(read_isr(0xA0), 0x01);
    EXPECT_EQ(pic.stats().acknowledged_per_irq[8], 1U);

    // Linux/Redox EOI order for a slave IRQ: slave first, then master.
    out(0xA0, 0x20);
    out(0x20, 0x20);
    EXPECT_EQ(read_isr(0x20), 0x00);
    EXPECT_EQ(read_isr(0xA0), 0x00);
}

TEST_F(Pic8259Test, SlaveRequestsQueuedBehindOneInServiceFollowAfterEoi) {
    init_like_redox(0xFB, 0x00);
    pic.set_irq_input(12, true);
    pic.set_irq_input(14, true);
    EXPECT_EQ(pic.acknowledge_extint(), 0x2C);
    EXPECT_FALSE(pic.int_output().level()) << "IRQ14 waits behind IRQ12 in service";
    out(0xA0, 0x20);
    EXPECT_FALSE(pic.int_output().level()) << "the master still has IR2 in service";
    out(0x20, 0x20);
    EXPECT_TRUE(pic.int_output().level());
    EXPECT_EQ(pic.acknowledge_extint(), 0x2E);
}

TEST_F(Pic8259Test, EoiClearsIsrAndLetsTheNextRequestThrough) {
    init_like_redox(0x00, 0xFF);
    pic.set_irq_input(1, true);
    pic.set_irq_input(3, true);
    EXPECT_EQ(pic.acknowledge_extint(), 0x21); // IR1 beats IR3
    EXPECT_FALSE(pic.int_output().level());    // IR3 has lower priority than IR1 in service
    pic.set_irq_input(0, true);                // IR0 is higher: it nests
    EXPECT_TRUE(pic.int_output().level());
    EXPECT_EQ(pic.acknowledge_extint(), 0x20);
    EXPECT_EQ(read_isr(0x20), 0x03);

    out(0x20, 0x20); // non-specific EOI clears the highest in service: IR0
    EXPECT_EQ(read_isr(0x20), 0x02);
    EXPECT_FALSE(pic.int_output().level());
    out(0x20, 0x61); // specific EOI for IR1
    EXPECT_EQ(read_isr(0x20), 0x00);
    EXPECT_TRUE(pic.int_output().level());
    EXPECT_EQ(pic.acknowledge_extint(), 0x23);
    out(0x20, 0x20);
    EXPECT_EQ(read_isr(0x20), 0x00);
    out(0x20, 0x20); // nothing in service
    RecordingSink sink;
    pic.report_metrics(sink);
    EXPECT_EQ(sink.get("eois"), 4U);
    EXPECT_EQ(sink.get("eois_with_empty_isr"), 1U);
    EXPECT_EQ(sink.get("acknowledged"), 3U);
}

TEST_F(Pic8259Test, SpuriousIrq7WhenTheRequestVanishedBeforeInta) {
    init_like_redox(0x00, 0xFF);
    // An edge request masked between INT and INTA.
    pic.set_irq_input(1, true);
    ASSERT_TRUE(pic.int_output().level());
    out(0x21, 0x02);
    EXPECT_EQ(pic.acknowledge_extint(), 0x27);
    EXPECT_EQ(read_isr(0x20), 0x00) << "no ISR bit for the default IR7";
    EXPECT_EQ(pic.stats().spurious_irq7, 1U);

    // A level-mode input (ELCR) that drops before INTA.
    out(0x21, 0x00);
    pic.set_irq_input(1, false);
    out(0x20, 0x0A);
    pic.io_write(0x4D0, 1, 0x20); // IRQ5 level-triggered
    pic.set_irq_input(5, true);
    EXPECT_EQ(pic.acknowledge_extint(), 0x21); // IR1's latched edge first
    out(0x20, 0x20);
    ASSERT_TRUE(pic.int_output().level());
    pic.set_irq_input(5, false);
    EXPECT_FALSE(pic.int_output().level());
    EXPECT_EQ(pic.acknowledge_extint(), 0x27);
    EXPECT_EQ(pic.stats().spurious_irq7, 2U);
    EXPECT_EQ(pic.stats().acknowledged_per_irq[5], 0U);
}

TEST_F(Pic8259Test, SpuriousIrq15LeavesMasterIsr2Set) {
    init_like_redox(0xFB, 0x00);
    pic.io_write(0x4D1, 1, 0x04); // IRQ10 level-triggered
    pic.set_irq_input(10, true);
    ASSERT_TRUE(pic.int_output().level());
    pic.set_irq_input(10, false); // gone before INTA; the master's IR2 edge stays latched
    EXPECT_EQ(pic.acknowledge_extint(), 0x2F);
    EXPECT_EQ(pic.stats().spurious_irq15, 1U);
    EXPECT_EQ(read_isr(0xA0), 0x00);
    EXPECT_EQ(read_isr(0x20), 0x04) << "the master acknowledged IR2: the handler must EOI the master";
}

TEST_F(Pic8259Test, LevelTriggeredInputRequestsAgainAfterEoiWhileHigh) {
    init_like_redox(0x00, 0xFF);
    pic.io_write(0x4D0, 1, 0x08); // IRQ3 level
    pic.set_irq_input(3, true);
    EXPECT_EQ(pic.acknowledge_extint(), 0x23);
    EXPECT_FALSE(pic.int_output().level());
    out(0x20, 0x20);
    EXPECT_TRUE(pic.int_output().level()) << "still high: requests again";
    EXPECT_EQ(pic.acknowledge_extint(), 0x23);
}

TEST_F(Pic8259Test, ElcrKeepsOnlyPiixWritableBits) {
    pic.io_write(0x4D0, 2, 0xFFFF);
    std::uint32_t value = 0;
    pic.io_read(0x4D0, 2, value);
    EXPECT_EQ(value, 0xDEF8U);
    pic.io_read(0x4D1, 1, value);
    EXPECT_EQ(value, 0xDEU);
    EXPECT_EQ(pic.dump().master.elcr, 0xF8);
    EXPECT_EQ(pic.dump().slave.elcr, 0xDE);
}

TEST_F(Pic8259Test, PollModeAcknowledgesThroughTheCommandPort) {
    init_like_redox(0x00, 0xFF);
    pic.set_irq_input(4, true);
    out(0x20, 0x0C); // OCW3 poll
    EXPECT_EQ(in(0x20), 0x84);
    EXPECT_EQ(read_isr(0x20), 0x10);
    out(0x20, 0x0C);
    EXPECT_EQ(in(0x20), 0x00) << "nothing above IR4 in service";
}

TEST_F(Pic8259Test, AutoEoiLeavesIsrClear) {
    out(0x20, 0x11);
    out(0x21, 0x30); // Linux's vector base
    out(0x21, 0x04);
    out(0x21, 0x03); // 8086 mode, automatic EOI
    out(0x21, 0x00);
    pic.set_irq_input(6, true);
    EXPECT_EQ(pic.acknowledge_extint(), 0x36);
    EXPECT_EQ(read_isr(0x20), 0x00);
    EXPECT_TRUE(pic.dump().master.auto_eoi);
}

TEST_F(Pic8259Test, RotationChangesPriority) {
    init_like_redox(0x00, 0xFF);
    out(0x20, 0xC3); // set priority: IR3 lowest, IR4 highest
    pic.set_irq_input(1, true);
    pic.set_irq_input(5, true);
    EXPECT_EQ(pic.acknowledge_extint(), 0x25);
    out(0x20, 0xA0); // rotate on non-specific EOI: IR5 becomes lowest
    EXPECT_EQ(pic.dump().master.lowest_priority, 5);
    EXPECT_EQ(pic.acknowledge_extint(), 0x21);
}

TEST_F(Pic8259Test, PortAccessCostAndBadPorts) {
    std::uint32_t value = 0;
    EXPECT_EQ(pic.io_write(0x21, 1, 0xFF).delay_ps, 1'000'000U);
    EXPECT_EQ(pic.io_read(0xA1, 1, value).delay_ps, 1'000'000U);
    const auto bad = pic.io_read(0x22, 1, value);
    EXPECT_EQ(bad.status, AccessStatus::Unmapped);
    EXPECT_EQ(bad.delay_ps, 1'000'000U);
    EXPECT_EQ(value, 0xFFU);
    EXPECT_EQ(pic.io_write(0x4D2, 1, 0).status, AccessStatus::Unmapped);
    EXPECT_EQ(pic.io_write(0x20, 8, 0).status, AccessStatus::BadSize);
    // A word read of 0x20 covers the command and data ports.
    EXPECT_EQ(pic.io_read(0x20, 2, value).status, AccessStatus::Ok);
    EXPECT_EQ(value, 0xFF00U);
    EXPECT_EQ(pic.stats().bad_accesses, 3U);
    EXPECT_EQ(pic.stats().port_accesses, 6U);
    pic.set_irq_input(2, true);
    pic.set_irq_input(16, true);
    EXPECT_EQ(pic.stats().invalid_inputs, 2U);
}

TEST(Pic8259Config, PortCostIsAParameter) {
    Pic8259Pair pic("pic", {.port_access_ps = 500'000, .decode_elcr = false});
    std::uint32_t value = 0;
    EXPECT_EQ(pic.io_read(0x21, 1, value).delay_ps, 500'000U);
    EXPECT_EQ(pic.io_read(0x4D0, 1, value).status, AccessStatus::Unmapped);
}

} // namespace
} // namespace x86sim::models
