// lapic-pit-msi.md §8 checks 48, 49 and the IOAPIC side of 24.
#include "models/ioapic/ioapic.h"
#include "tests/models/ioapic/ioapic_test_support.h"
#include "tests/support/sim_test.h"

#include <gtest/gtest.h>

namespace x86sim::models {
namespace {

using namespace testing;

// Whether the IOAPIC hears the EOI broadcasts a LAPIC sends for level vectors (it does not with SVR[12] = 1).
enum class EoiBroadcasts { Heard, NotHeard };

// The checks run on one default IOAPIC (24 pins, version 0x20), programmed through its register window.
class IoapicConformance : public ::testing::Test {
  protected:
    // Lets the IOAPIC deliver into `bus`, and hear its EOI broadcasts if `eoi` says so.
    void wire_to_bus(EoiBroadcasts eoi) {
        ioapic.bind_bus(&bus);
        if (eoi == EoiBroadcasts::Heard) {
            bus.listeners.push_back(&ioapic);
        }
    }
    FakeApicBus bus;
    Ioapic ioapic{"ioapic"};
    IoapicDriver driver{ioapic};
};

// Check 48: every RTE masked at reset; VER[23:16] = 23 on a 24-pin part.
TEST_F(IoapicConformance, Check48_ResetMasksEveryRteAndVersionReportsMaxEntry) {
    for (unsigned pin = 0; pin < 24; ++pin) {
        EXPECT_EQ(driver.read(0x10 + 2 * pin), 0x0001'0000U) << "pin " << pin;
        EXPECT_EQ(driver.read(0x11 + 2 * pin), 0U) << "pin " << pin;
    }
    EXPECT_EQ(driver.read(Ioapic::kRegVersion), 0x0017'0020U);
    // One past the last RTE selects nothing.
    EXPECT_EQ(driver.read(0x10 + 2 * 24), 0U);
    EXPECT_EQ(ioapic.stats().bad_window_index, 1U);
}

// Check 48: the EOI register (0x40) is honoured only when version >= 0x20.
TEST_F(IoapicConformance, Check48_EoiRegisterHonouredOnlyFromVersion0x20) {
    Ioapic& ich = ioapic; // the default part has the EOI register (version 0x20, as from the ICH on)
    Ioapic piix("piix", {.version = 0x11});
    IoapicDriver& ich_driver = driver;
    IoapicDriver piix_driver(piix);
    for (auto* part : {&ich, &piix}) {
        part->bind_bus(&bus);
        IoapicDriver(*part).write_rte(9, kLevel | 0x39);
        part->set_irq_input(9, true);
    }
    run_for(kLatencyPs);
    ASSERT_EQ(bus.requests.size(), 2U);
    EXPECT_EQ(ich_driver.read(Ioapic::kRegVersion), 0x0017'0020U);
    EXPECT_EQ(piix_driver.read(Ioapic::kRegVersion), 0x0017'0011U);
    EXPECT_EQ(ich_driver.read_rte(9) & kRemoteIrr, kRemoteIrr);
    EXPECT_EQ(piix_driver.read_rte(9) & kRemoteIrr, kRemoteIrr);

    EXPECT_EQ(ich_driver.write_eoi(0x39), AccessStatus::Ok);
    EXPECT_EQ(piix_driver.write_eoi(0x39), AccessStatus::Unmapped);
    EXPECT_EQ(ich_driver.read_rte(9) & kRemoteIrr, 0U);
    EXPECT_EQ(piix_driver.read_rte(9) & kRemoteIrr, kRemoteIrr);
    EXPECT_EQ(ich.stats().eoi_register_writes, 1U);
    EXPECT_EQ(piix.stats().eoi_register_writes, 0U);
    EXPECT_EQ(piix.stats().bad_accesses, 1U);

    // The still-asserted line of the version 0x20 part is sent again; the 0x11 part stays silent.
    run_for(kLatencyPs);
    ASSERT_EQ(bus.requests.size(), 3U);
    EXPECT_EQ(bus.requests[2].request.source_id, 9U);
    EXPECT_EQ(ich.stats().deliveries_per_pin[9], 2U);
    EXPECT_EQ(piix.stats().deliveries_per_pin[9], 1U);
}

// Check 49: a held level line gives one message until EOI, then a second one if still asserted.
TEST_F(IoapicConformance, Check49_LevelPinRedeliversAfterEoiIfStillAsserted) {
    wire_to_bus(EoiBroadcasts::Heard);
    driver.write_rte(11, kLevel | destination(1) | 0x3B);

    run_until(1'000'000);
    ioapic.set_irq_input(11, true);
    run_for(50'000'000); // 50 µs with the line held and no EOI
    ASSERT_EQ(bus.requests.size(), 1U);
    EXPECT_EQ(bus.requests[0].time_ps, 1'000'000U + kLatencyPs);
    const auto& first = bus.requests[0].request;
    EXPECT_EQ(first.vector, 0x3B);
    EXPECT_EQ(first.trigger, TriggerMode::Level);
    EXPECT_TRUE(first.level_asserted);
    EXPECT_EQ(first.destination, 1U);
    EXPECT_EQ(driver.read_rte(11) & kRemoteIrr, kRemoteIrr);

    bus.broadcast_eoi(0x3B); // at 51 µs
    EXPECT_EQ(driver.read_rte(11) & kRemoteIrr, 0U);
    run_for(10'000'000);
    ASSERT_EQ(bus.requests.size(), 2U);
    EXPECT_EQ(bus.requests[1].time_ps, 51'000'000U + kLatencyPs);
    EXPECT_EQ(ioapic.stats().level_redeliveries, 1U);
    EXPECT_EQ(ioapic.stats().deliveries_per_pin[11], 2U);

    // De-asserted, then EOI'd: nothing more.
    ioapic.set_irq_input(11, false);
    bus.broadcast_eoi(0x3B);
    run_for(10'000'000);
    EXPECT_EQ(bus.requests.size(), 2U);
    EXPECT_EQ(ioapic.stats().level_redeliveries, 1U);
}

// Check 49: an edge that occurs while masked is never delivered, not even on unmask.
TEST_F(IoapicConformance, Check49_EdgeWhileMaskedIsNeverDelivered) {
    wire_to_bus(EoiBroadcasts::NotHeard);
    driver.write_rte(2, kMasked | destination(0) | 0x30);

    ioapic.set_irq_input(2, true); // rising edge while masked, line left high
    run_for(1'000'000);
    driver.write_rte(2, destination(0) | 0x30); // unmask at 1 µs
    run_for(10'000'000);
    EXPECT_TRUE(bus.requests.empty());
    EXPECT_EQ(ioapic.stats().edges_while_masked, 1U);
    EXPECT_EQ(ioapic.stats().deliveries_per_pin[2], 0U);

    // The next edge on the unmasked pin is delivered, exactly one latency later.
    ioapic.set_irq_input(2, false);
    const auto edge_time = test::now_ps();
    ioapic.set_irq_input(2, true);
    run_for(1'000'000);
    ASSERT_EQ(bus.requests.size(), 1U);
    EXPECT_EQ(bus.requests[0].time_ps, edge_time + kLatencyPs);
    EXPECT_EQ(bus.requests[0].request.trigger, TriggerMode::Edge);
    EXPECT_EQ(bus.requests[0].request.vector, 0x30);

    // Masked again, an edge, and unmasked only 10 ns later (well within the delivery latency): still lost.
    driver.write_rte(2, kMasked | destination(0) | 0x30);
    ioapic.set_irq_input(2, false);
    ioapic.set_irq_input(2, true);
    run_for(10'000);
    driver.write_rte(2, destination(0) | 0x30);
    run_for(1'000'000);
    EXPECT_EQ(bus.requests.size(), 1U);
    EXPECT_EQ(ioapic.stats().edges_while_masked, 2U);
    EXPECT_EQ(ioapic.stats().deliveries_per_pin[2], 1U);
}

// Check 24 (IOAPIC side): the EOI of a level vector clears Remote IRR on the RTE with that vector only.
TEST_F(IoapicConformance, Check24_BroadcastEoiClearsRemoteIrrOfThatVectorOnly) {
    wire_to_bus(EoiBroadcasts::Heard);
    driver.write_rte(16, kLevel | 0x41);
    driver.write_rte(17, kLevel | 0x42);
    ioapic.set_irq_input(16, true);
    ioapic.set_irq_input(17, true);
    run_for(kLatencyPs);
    ASSERT_EQ(bus.requests.size(), 2U);
    ioapic.set_irq_input(16, false);
    ioapic.set_irq_input(17, false);

    bus.broadcast_eoi(0x42);
    EXPECT_EQ(driver.read_rte(16) & kRemoteIrr, kRemoteIrr);
    EXPECT_EQ(driver.read_rte(17) & kRemoteIrr, 0U);
    bus.broadcast_eoi(0x41);
    EXPECT_EQ(driver.read_rte(16) & kRemoteIrr, 0U);
    EXPECT_EQ(ioapic.stats().eoi_broadcasts, 2U);
    EXPECT_EQ(ioapic.stats().remote_irr_cleared, 2U);
}

// Check 24 (IOAPIC side): with SVR[12] = 1 no EOI broadcast arrives; Remote IRR stays set until software
// writes the vector into the EOI register (directed EOI).
TEST_F(IoapicConformance, Check24_DirectedEoiNeedsTheEoiRegister) {
    wire_to_bus(EoiBroadcasts::NotHeard);
    driver.write_rte(20, kLevel | 0x55);
    ioapic.set_irq_input(20, true);
    run_for(kLatencyPs);
    ASSERT_EQ(bus.requests.size(), 1U);

    // The LAPIC suppressed the broadcast (SVR[12] = 1): nothing reaches the IOAPIC; the line stays active.
    run_for(20'000'000);
    EXPECT_EQ(driver.read_rte(20) & kRemoteIrr, kRemoteIrr);
    EXPECT_EQ(bus.requests.size(), 1U);

    driver.write_eoi(0x54); // another vector: no effect
    EXPECT_EQ(driver.read_rte(20) & kRemoteIrr, kRemoteIrr);
    driver.write_eoi(0x55);
    EXPECT_EQ(driver.read_rte(20) & kRemoteIrr, 0U);
    const auto eoi_time = test::now_ps();
    run_for(1'000'000);
    ASSERT_EQ(bus.requests.size(), 2U);
    EXPECT_EQ(bus.requests[1].time_ps, eoi_time + kLatencyPs);
    EXPECT_EQ(ioapic.stats().eoi_register_writes, 2U);
    EXPECT_EQ(ioapic.stats().eoi_broadcasts, 0U);
}

} // namespace
} // namespace x86sim::models
