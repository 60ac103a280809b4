// Interrupt fabric: lapic-pit-msi.md §1.3.4, §1.3.7 (lowest priority), §5.1 (MSI decode), §8 check 50.
#include "models/common/time.h"
#include "models/fabric/interrupt_fabric.h"
#include "tests/models/lapic/lapic_test_support.h"

#include <gtest/gtest.h>

namespace x86sim::models {
namespace {

using namespace testing;

// A scriptable ApicBusTarget for routing tests that do not need a real LAPIC.
class FakeTarget : public ApicBusTarget {
  public:
    FakeTarget(std::uint32_t id, std::uint8_t priority = 0) : id_(id), priority_(priority) {}
    std::uint32_t apic_id() const override { return id_; }
    bool accepts_messages() const override { return enabled; }
    bool matches_destination(std::uint32_t destination, DestinationMode mode) const override {
        if (destination == 0xFFFF'FFFFU) {
            return true;
        }
        return mode == DestinationMode::Physical ? destination == id_ : (destination & logical_mask) != 0;
    }
    std::uint8_t arbitration_priority() const override { return priority_; }
    void accept(const InterruptRequest& request) override { received.push_back(request); }

    bool enabled = true;
    std::uint32_t logical_mask = 0;
    std::vector<InterruptRequest> received;

  private:
    std::uint32_t id_;
    std::uint8_t priority_;
};

class FakeRemapper : public InterruptRemapper {
  public:
    RemapOutcome remap(const MsiMessage& message, InterruptRequest& request) override {
        seen.push_back(message);
        if (outcome == RemapOutcome::Remapped) {
            request = fixed_request(0x80, 0x101);
        }
        return outcome;
    }
    RemapOutcome outcome = RemapOutcome::Compatibility;
    std::vector<MsiMessage> seen;
};

// §8 check 50, §5.1: MSI decode, level/assert bit, remappable format without an IOMMU.
TEST(FabricConformance, Check50_MsiDecodeLevelAndRemappableFormat) {
    InterruptFabric fabric;
    Lapic cpu0("cpu0", {.apic_id = 0});
    Lapic cpu1("cpu1", {.apic_id = 1});
    fabric.attach(cpu0);
    fabric.attach(cpu1);
    software_enable(cpu0);
    software_enable(cpu1);

    EXPECT_EQ(fabric.deliver_message({.address = 0xFEE01000, .data = 0x0041}), 1U);
    EXPECT_TRUE(cpu1.irr_bit(0x41));
    EXPECT_FALSE(cpu1.tmr_bit(0x41));
    EXPECT_FALSE(cpu0.irr_bit(0x41));
    EXPECT_EQ(cpu1.acknowledge(), 0x41);
    write_reg(cpu1, 0x0B0, 0);

    EXPECT_EQ(fabric.deliver_message({.address = 0xFEE01000, .data = 0xC041}), 1U); // level, assert
    EXPECT_TRUE(cpu1.irr_bit(0x41));
    EXPECT_TRUE(cpu1.tmr_bit(0x41));
    EXPECT_EQ(cpu1.acknowledge(), 0x41);

    // Level de-assert (bit 15 = 1, bit 14 = 0): SDM 10.11.2 - no interrupt (documented choice).
    EXPECT_EQ(fabric.deliver_message({.address = 0xFEE01000, .data = 0x8042}), 0U);
    EXPECT_FALSE(cpu1.irr_bit(0x42));
    EXPECT_EQ(fabric.stats().dropped[static_cast<std::size_t>(FabricDropReason::LevelDeassert)], 1U);

    // Address bit 4 = 1 (VT-d remappable) without interrupt remapping: dropped and counted.
    EXPECT_EQ(fabric.deliver_message({.address = 0xFEE01010, .data = 0x0043}), 0U);
    EXPECT_FALSE(cpu1.irr_bit(0x43));
    EXPECT_EQ(fabric.stats().dropped[static_cast<std::size_t>(FabricDropReason::RemappableWithoutIommu)], 1U);
    EXPECT_EQ(fabric.stats().dropped_total(), 2U);
    EXPECT_EQ(fabric.stats().delivered, 2U);
}

TEST(FabricBehaviour, Check50AlternativesAreOptions) {
    InterruptFabric fabric({.decode_remappable_without_iommu = true, .msi_level_deassert_as_assert = true});
    FakeTarget target(1);
    fabric.attach(target);
    EXPECT_EQ(fabric.deliver_message({.address = 0xFEE01010, .data = 0x0043}), 1U);
    EXPECT_EQ(fabric.deliver_message({.address = 0xFEE01000, .data = 0x8042}), 1U);
    ASSERT_EQ(target.received.size(), 2U);
    EXPECT_EQ(target.received[0].vector, 0x43);
    EXPECT_TRUE(target.received[1].level_asserted);
    EXPECT_EQ(target.received[1].trigger, TriggerMode::Level);
}

// §5.1 / ARCHITECTURE.md rules: bad guest messages are answered like hardware and counted.
TEST(FabricBehaviour, BadMessagesAreDroppedAndCounted) {
    InterruptFabric fabric;
    FakeTarget target(0);
    fabric.attach(target);
    RecordingObserver observer;
    fabric.set_observer(&observer);
    EXPECT_EQ(fabric.deliver_message({.address = 0xFED00000, .data = 0x41}), 0U);
    EXPECT_EQ(fabric.deliver_message({.address = 0x1'FEE00000ULL, .data = 0x41}), 0U);
    EXPECT_EQ(fabric.deliver_message({.address = 0xFEE00000, .data = 0x0341}), 0U); // mode 011
    EXPECT_EQ(fabric.deliver_message({.address = 0xFEE00000, .data = 0x0641}), 0U); // mode 110
    EXPECT_EQ(fabric.deliver_message({.address = 0xFEE05000, .data = 0x0041}), 0U); // nobody has ID 5
    EXPECT_TRUE(target.received.empty());
    const auto& stats = fabric.stats();
    EXPECT_EQ(stats.messages, 5U);
    EXPECT_EQ(stats.dropped[static_cast<std::size_t>(FabricDropReason::NotInterruptAddress)], 2U);
    EXPECT_EQ(stats.dropped[static_cast<std::size_t>(FabricDropReason::ReservedDeliveryMode)], 2U);
    EXPECT_EQ(stats.no_destination, 1U);
    EXPECT_EQ(observer.of_kind(HopKind::DeviceMessage).size(), 5U);
    EXPECT_EQ(observer.of_kind(HopKind::Rejected).size(), 5U);

    MapSink sink;
    fabric.report_metrics(sink);
    EXPECT_EQ(sink.counters.at("delivered"), 0U);
    EXPECT_EQ(sink.counters.at("dropped"), 4U);
    EXPECT_EQ(sink.counters.at("dropped.not_interrupt_address"), 2U);
    EXPECT_EQ(sink.counters.at("dropped.reserved_delivery_mode"), 2U);
    EXPECT_EQ(sink.counters.at("no_destination"), 1U);
}

// §1.3.7: lowest priority goes to the lowest arbitration priority, ties to the lowest APIC ID.
TEST(FabricBehaviour, LowestPriorityArbitration) {
    InterruptFabric fabric;
    FakeTarget a(3, 0x20);
    FakeTarget b(1, 0x10);
    FakeTarget c(2, 0x10);
    FakeTarget d(0, 0x00);
    for (auto* target : {&a, &b, &c, &d}) {
        target->logical_mask = 0x1;
        fabric.attach(*target);
    }
    d.logical_mask = 0x2; // not in the destination set
    // MSI: logical, RH = 1, fixed -> redirected (SDM 10.11.1).
    EXPECT_EQ(fabric.deliver_message({.address = 0xFEE0100C, .data = 0x0051}), 1U);
    EXPECT_EQ(b.received.size(), 1U);
    // Explicit lowest-priority delivery mode, physical broadcast set.
    EXPECT_EQ(fabric.deliver_message({.address = 0xFEEFF000, .data = 0x0152}), 1U);
    EXPECT_EQ(d.received.size(), 1U);
    EXPECT_EQ(fabric.stats().lowest_priority_arbitrations, 2U);
    // Fixed logical without RH goes to every member.
    EXPECT_EQ(fabric.deliver_message({.address = 0xFEE01004, .data = 0x0053}), 3U);
}

TEST(FabricBehaviour, RemapperIsConsultedFirst) {
    InterruptFabric fabric;
    FakeTarget wide(0x101);
    FakeTarget low(0x01);
    fabric.attach(wide);
    fabric.attach(low);
    FakeRemapper remapper;
    fabric.set_remapper(&remapper);
    RecordingObserver observer;
    fabric.set_observer(&observer);

    remapper.outcome = RemapOutcome::Remapped;
    EXPECT_EQ(fabric.deliver_message({.address = 0xFEE00010, .data = 0x1}), 1U);
    ASSERT_EQ(wide.received.size(), 1U);
    EXPECT_EQ(wide.received[0].vector, 0x80);
    EXPECT_EQ(observer.of_kind(HopKind::Remap).size(), 1U);

    remapper.outcome = RemapOutcome::Blocked;
    EXPECT_EQ(fabric.deliver_message({.address = 0xFEE00010, .data = 0x2}), 0U);
    EXPECT_EQ(fabric.stats().dropped[static_cast<std::size_t>(FabricDropReason::RemapBlocked)], 1U);

    remapper.outcome = RemapOutcome::Compatibility;
    EXPECT_EQ(fabric.deliver_message({.address = 0xFEE01000, .data = 0x44}), 1U);
    EXPECT_EQ(low.received.size(), 1U);
    EXPECT_EQ(remapper.seen.size(), 3U);
    EXPECT_EQ(fabric.stats().remapped, 1U);
}

TEST(FabricBehaviour, MsiBroadcastReachesX2apicModeApics) {
    InterruptFabric fabric;
    Lapic cpu0("cpu0", {.apic_id = 0});
    Lapic cpu1("cpu1", {.apic_id = 1});
    for (Lapic* lapic : {&cpu0, &cpu1}) {
        fabric.attach(*lapic);
        ASSERT_TRUE(enter_x2apic(*lapic));
        ASSERT_TRUE(lapic->wrmsr(0x80F, 0x1FF));
    }
    EXPECT_EQ(fabric.deliver_message({.address = 0xFEEFF000, .data = 0x0061}), 2U);
    EXPECT_TRUE(cpu0.irr_bit(0x61));
    EXPECT_TRUE(cpu1.irr_bit(0x61));
}

TEST(FabricBehaviour, DisabledApicsAreSkippedAndEoiGoesToEveryListener) {
    InterruptFabric fabric;
    FakeTarget on(0);
    FakeTarget off(1);
    off.enabled = false;
    fabric.attach(on);
    fabric.attach(off);
    InterruptRequest broadcast = fixed_request(0x40, 0xFF);
    EXPECT_EQ(fabric.deliver(broadcast), 1U);
    FakeEoiListener ioapic0;
    FakeEoiListener ioapic1;
    fabric.attach_eoi_listener(ioapic0);
    fabric.attach_eoi_listener(ioapic1);
    fabric.broadcast_eoi(0x40);
    EXPECT_EQ(ioapic0.vectors, std::vector<std::uint8_t>{0x40});
    EXPECT_EQ(ioapic1.vectors, std::vector<std::uint8_t>{0x40});
    EXPECT_EQ(fabric.delivery_latency_ps(), 150'000U);
}

TEST(FabricBehaviour, ShorthandLowestPriorityExcludesSender) {
    InterruptFabric fabric;
    FakeTarget sender(0, 0x00);
    FakeTarget busy(1, 0x40);
    FakeTarget idle(2, 0x10);
    fabric.attach(sender);
    fabric.attach(busy);
    fabric.attach(idle);
    InterruptRequest request = fixed_request(0x50);
    request.delivery = DeliveryMode::LowestPriority;
    request.shorthand = DestinationShorthand::AllExcludingSelf;
    request.sender_apic_id = 0;
    request.source_kind = InterruptSourceKind::Ipi;
    EXPECT_EQ(fabric.deliver(request), 1U);
    EXPECT_EQ(idle.received.size(), 1U);
    EXPECT_TRUE(sender.received.empty());
}

} // namespace
} // namespace x86sim::models
