// Breakpoint evaluation on interrupt-path hops (no SystemC).
#include "sim/control/core/breakpoints.h"

#include <gtest/gtest.h>

namespace x86sim::control {
namespace {

using models::HopKind;

HopRecord hop(HopKind kind, int cpu, int vector, std::uint64_t time_ps, const char* source = "cpu0_lapic") {
    HopRecord record;
    record.kind = kind;
    record.cpu = cpu;
    record.vector = vector;
    record.time_ps = time_ps;
    record.source = source;
    return record;
}

DebugRequest request(DebugOp op, std::uint64_t number = 0, std::optional<std::uint32_t> cpu = {},
                     std::uint64_t time_ps = 0, std::string text = "") {
    DebugRequest r;
    r.op = op;
    r.number = number;
    r.cpu = cpu;
    r.time_ps = time_ps;
    r.text = std::move(text);
    return r;
}

TEST(Breakpoints, IrqMatchesAcknowledgeOfItsVectorOnItsCpu) {
    BreakpointSet set;
    set.add(request(DebugOp::BreakIrq, 0x30, 1));
    EXPECT_FALSE(set.on_hop(hop(HopKind::IrrSet, 1, 0x30, 1)));
    EXPECT_FALSE(set.on_hop(hop(HopKind::Acknowledge, 0, 0x30, 2)));
    EXPECT_FALSE(set.on_hop(hop(HopKind::Acknowledge, 1, 0x31, 3)));
    const auto hit = set.on_hop(hop(HopKind::Acknowledge, 1, 0x30, 4));
    ASSERT_TRUE(hit);
    EXPECT_EQ(hit->id, 1U);
    EXPECT_EQ(hit->description, "breakpoint 1: break irq 48 cpu 1");
}

TEST(Breakpoints, CoalesceMsiFault) {
    BreakpointSet set;
    set.add(request(DebugOp::BreakCoalesce));
    set.add(request(DebugOp::BreakMsi, 0, {}, 0, "storm0"));
    set.add(request(DebugOp::BreakFault));
    EXPECT_EQ(set.on_hop(hop(HopKind::Coalesced, 3, 0x40, 1))->id, 1U);
    EXPECT_FALSE(set.on_hop(hop(HopKind::DeviceMessage, -1, 0x40, 2, "nvme0")));
    EXPECT_EQ(set.on_hop(hop(HopKind::DeviceMessage, -1, 0x40, 3, "storm0"))->id, 2U);
    EXPECT_EQ(set.on_hop(hop(HopKind::Rejected, 0, 3, 4))->id, 3U);
    EXPECT_EQ(set.all().at(1).hits, 1U);
}

TEST(Breakpoints, StormCountsArrivalsPerCpuInASlidingWindow) {
    BreakpointSet set;
    set.add(request(DebugOp::BreakStorm, 3, {}, 1000)); // more than 3 per 1000 ps
    EXPECT_FALSE(set.on_hop(hop(HopKind::IrrSet, 0, 0x40, 0)));
    EXPECT_FALSE(set.on_hop(hop(HopKind::Coalesced, 0, 0x40, 300)));
    EXPECT_FALSE(set.on_hop(hop(HopKind::Coalesced, 1, 0x40, 400))); // another CPU
    EXPECT_FALSE(set.on_hop(hop(HopKind::Coalesced, 0, 0x40, 600)));
    EXPECT_FALSE(set.on_hop(hop(HopKind::Coalesced, 0, 0x40, 1000))); // 0 left the window
    const auto hit = set.on_hop(hop(HopKind::Coalesced, 0, 0x40, 1100));
    ASSERT_TRUE(hit);
    EXPECT_EQ(hit->detail["interrupts_in_window"], 4);
    EXPECT_FALSE(set.on_hop(hop(HopKind::Coalesced, 0, 0x40, 1200))); // the window restarted
}

TEST(Breakpoints, TimeAndWatch) {
    BreakpointSet set;
    set.add(request(DebugOp::BreakTime, 0, {}, 5000));
    set.add(request(DebugOp::BreakTime, 0, {}, 2000));
    EXPECT_EQ(set.next_time_stop(0), 2000U);
    EXPECT_EQ(set.next_time_stop(2000), 5000U);
    EXPECT_EQ(set.on_time(5000)->id, 1U);
    set.add(request(DebugOp::Watch, 0, {}, 0, "lapic0.tpr"));
    std::string value = "0x00";
    const auto reader = [&](const std::string&) -> std::optional<std::string> { return value; };
    set.rebase_watches(reader);
    EXPECT_FALSE(set.check_watches(reader));
    value = "0x20";
    const auto hit = set.check_watches(reader);
    ASSERT_TRUE(hit);
    EXPECT_EQ(hit->detail["old"], "0x00");
    EXPECT_EQ(hit->detail["new"], "0x20");
    EXPECT_FALSE(set.check_watches(reader));
    EXPECT_TRUE(set.remove(3));
    EXPECT_FALSE(set.remove(3));
    EXPECT_EQ(set.add(request(DebugOp::BreakFault)).id, 4U); // numbers are not reused
}

} // namespace
} // namespace x86sim::control
