// IOAPIC registers, pin logic and delivery (lapic-pit-msi.md §4).
#include "models/ioapic/ioapic.h"
#include "tests/models/ioapic/ioapic_test_support.h"
#include "tests/support/sim_test.h"

#include <gtest/gtest.h>
#include <stdexcept>

namespace x86sim::models {
namespace {

using namespace testing;

// An IOAPIC that delivers into a recording bus, programmed through its register window as a driver does.
struct WiredIoapic {
    explicit WiredIoapic(const IoapicConfig& config = {}) : ioapic("ioapic", config), driver(ioapic) {
        ioapic.bind_bus(&bus);
    }
    FakeApicBus bus;
    Ioapic ioapic;
    IoapicDriver driver;
};

TEST(IoapicRegisters, RteHalvesAreWrittenAndReadIndependently) {
    Ioapic ioapic("ioapic");
    IoapicDriver driver(ioapic);
    EXPECT_EQ(driver.write(0x11 + 2 * 5, 0x0300'0000), AccessStatus::Ok);
    EXPECT_EQ(driver.read(0x11 + 2 * 5), 0x0300'0000U);
    EXPECT_EQ(driver.read(0x10 + 2 * 5), 0x0001'0000U); // the low half kept its reset value
    EXPECT_EQ(driver.write(0x10 + 2 * 5, 0x0001'A931), AccessStatus::Ok);
    EXPECT_EQ(driver.read(0x10 + 2 * 5), 0x0001'A931U);
    EXPECT_EQ(driver.read(0x11 + 2 * 5), 0x0300'0000U);
    EXPECT_EQ(ioapic.redirection_entry(5), 0x0300'0000'0001'A931ULL);
    // Neighbouring entries are untouched.
    EXPECT_EQ(ioapic.redirection_entry(4), 0x0001'0000ULL);
    EXPECT_EQ(ioapic.redirection_entry(6), 0x0001'0000ULL);
}

TEST(IoapicRegisters, ReadOnlyAndReservedRteBitsIgnoreWrites) {
    WiredIoapic bench;
    auto& [bus, ioapic, driver] = bench;
    // Delivery Status (12), Remote IRR (14) and reserved 47:17 written as 1 read back as 0.
    driver.write_rte(3, 0x0000'FFFF'0000'0000ULL | kDeliveryStatus | kRemoteIrr | kMasked | 0x33);
    EXPECT_EQ(driver.read_rte(3), kMasked | 0x33);
    EXPECT_EQ(driver.write(0x11 + 2 * 3, 0xFFFF'FFFF), AccessStatus::Ok);
    EXPECT_EQ(driver.read(0x11 + 2 * 3), 0xFFFF'0000U);

    // Remote IRR set by a delivery survives a write of 0 to it.
    driver.write_rte(3, kLevel | 0x33);
    ioapic.set_irq_input(3, true);
    run_for(kLatencyPs);
    ASSERT_EQ(bus.requests.size(), 1U);
    driver.write(0x10 + 2 * 3, static_cast<std::uint32_t>(kLevel | 0x33));
    EXPECT_EQ(driver.read(0x10 + 2 * 3), static_cast<std::uint32_t>(kLevel | kRemoteIrr | 0x33));
}

TEST(IoapicRegisters, IdVersionAndArbitration) {
    Ioapic ioapic("ioapic", {.id = 2, .pins = 8});
    IoapicDriver driver(ioapic);
    EXPECT_EQ(driver.read(Ioapic::kRegId), 0x0200'0000U);
    EXPECT_EQ(driver.read(Ioapic::kRegArbitration), 0x0200'0000U);
    EXPECT_EQ(driver.read(Ioapic::kRegVersion), 0x0007'0020U);
    // ID keeps bits 27:24 only; ARB follows the ID (82093AA) but cannot be written; VER is read-only.
    EXPECT_EQ(driver.write(Ioapic::kRegId, 0xF5FF'FFFF), AccessStatus::Ok);
    EXPECT_EQ(driver.read(Ioapic::kRegId), 0x0500'0000U);
    EXPECT_EQ(driver.read(Ioapic::kRegArbitration), 0x0500'0000U);
    EXPECT_EQ(driver.write(Ioapic::kRegArbitration, 0x0900'0000), AccessStatus::ReadOnlyWrite);
    EXPECT_EQ(driver.write(Ioapic::kRegVersion, 0xFFFF'FFFF), AccessStatus::ReadOnlyWrite);
    EXPECT_EQ(driver.read(Ioapic::kRegArbitration), 0x0500'0000U);
    EXPECT_EQ(driver.read(Ioapic::kRegVersion), 0x0007'0020U);
    EXPECT_EQ(ioapic.stats().bad_accesses, 2U);
    // IOREGSEL is 8 bits wide and reads back.
    ioapic.mmio_write(Ioapic::kIoRegSel, 4, 0x1234);
    std::uint64_t value = 0;
    ioapic.mmio_read(Ioapic::kIoRegSel, 4, value);
    EXPECT_EQ(value, 0x34U);
}

TEST(IoapicRegisters, BadAccessesAreAnsweredAndCounted) {
    Ioapic ioapic("ioapic");
    IoapicDriver driver(ioapic);
    std::uint64_t value = 0xDEAD;
    // Unmapped offset inside the 4 KiB window (0x20 exists only with VER.PRQ = 1).
    EXPECT_EQ(ioapic.mmio_read(0x20, 4, value).status, AccessStatus::Unmapped);
    EXPECT_EQ(value, 0U);
    EXPECT_EQ(ioapic.mmio_write(0x800, 4, 1).status, AccessStatus::Unmapped);
    // IOWIN with IOREGSEL selecting nothing: a hole (0x03) and one past the last RTE (0x40).
    EXPECT_EQ(driver.write(0x03, 0x1234), AccessStatus::Unmapped);
    EXPECT_EQ(driver.read(0x03), 0U);
    EXPECT_EQ(driver.write(0x40, 0x1234), AccessStatus::Unmapped);
    // IOWIN and EOI are dword registers: byte, word and qword accesses are refused.
    ioapic.mmio_write(Ioapic::kIoRegSel, 4, 0x10);
    EXPECT_EQ(ioapic.mmio_write(Ioapic::kIoWin, 1, 0x00).status, AccessStatus::BadSize);
    EXPECT_EQ(ioapic.redirection_entry(0), kMasked) << "a byte write must not unmask pin 0";
    EXPECT_EQ(ioapic.mmio_read(Ioapic::kIoWin + 2, 2, value).status, AccessStatus::BadSize);
    EXPECT_EQ(ioapic.mmio_read(Ioapic::kIoWin, 8, value).status, AccessStatus::BadSize);
    EXPECT_EQ(ioapic.mmio_write(Ioapic::kEoi, 1, 0x30).status, AccessStatus::BadSize);
    // A misaligned dword and an unsupported size.
    EXPECT_EQ(ioapic.mmio_read(0x02, 4, value).status, AccessStatus::Misaligned);
    EXPECT_EQ(ioapic.mmio_write(0x00, 8, 0).status, AccessStatus::BadSize);

    const auto& stats = ioapic.stats();
    EXPECT_EQ(stats.bad_window_index, 3U);
    EXPECT_EQ(stats.bad_width, 4U);
    EXPECT_EQ(stats.bad_accesses, 11U);
    // Each access, good or bad, costs the register access time.
    EXPECT_EQ(ioapic.mmio_read(Ioapic::kIoRegSel, 4, value).delay_ps, 100'000U);
    EXPECT_EQ(ioapic.mmio_read(0x20, 4, value).delay_ps, 100'000U);
}

TEST(IoapicRegisters, EoiRegisterIsIgnoredOnVersion0x11) {
    WiredIoapic bench({.version = 0x11});
    auto& [bus, ioapic, driver] = bench;
    bus.listeners.push_back(&ioapic);
    driver.write_rte(7, kLevel | 0x47);
    ioapic.set_irq_input(7, true);
    run_for(kLatencyPs);
    ASSERT_EQ(bus.requests.size(), 1U);

    std::uint64_t value = 0xFF;
    EXPECT_EQ(driver.write_eoi(0x47), AccessStatus::Unmapped);
    EXPECT_EQ(ioapic.mmio_read(Ioapic::kEoi, 4, value).status, AccessStatus::Unmapped);
    EXPECT_EQ(driver.read_rte(7) & kRemoteIrr, kRemoteIrr);
    run_for(10'000'000);
    EXPECT_EQ(bus.requests.size(), 1U);
    EXPECT_EQ(ioapic.stats().bad_accesses, 2U);
    EXPECT_EQ(ioapic.stats().bad_width, 0U) << "no EOI register, so no width rule either";

    // What Linux does on such parts (__eoi_ioapic_pin): mask, flip to edge and back to level.
    driver.write_rte(7, kMasked | 0x47);
    EXPECT_EQ(driver.read_rte(7) & kRemoteIrr, 0U);
    driver.write_rte(7, kLevel | 0x47);
    run_for(kLatencyPs);
    EXPECT_EQ(bus.requests.size(), 2U);
    // The broadcast EOI from a LAPIC works on every version.
    ioapic.set_irq_input(7, false);
    bus.broadcast_eoi(0x47);
    EXPECT_EQ(driver.read_rte(7) & kRemoteIrr, 0U);
}

TEST(IoapicConfig, RejectsUnsupportedVersionsAndPinCounts) {
    EXPECT_THROW(Ioapic("v12", {.version = 0x12}), std::invalid_argument);
    EXPECT_THROW(Ioapic("nopins", {.pins = 0}), std::invalid_argument);
    EXPECT_THROW(Ioapic("toomany", {.pins = 121}), std::invalid_argument);
    EXPECT_THROW(Ioapic("wire", {.pins = 8, .active_low_inputs = {8}}), std::invalid_argument);
}

TEST(IoapicPins, UnmaskingAnAssertedLevelPinDelivers) {
    WiredIoapic bench;
    auto& [bus, ioapic, driver] = bench;
    driver.write_rte(10, kLevel | kMasked | 0x3A);
    ioapic.set_irq_input(10, true);
    run_for(5'000'000);
    EXPECT_TRUE(bus.requests.empty());
    EXPECT_EQ(ioapic.stats().edges_while_masked, 0U) << "level pins have no edges to lose";

    driver.write_rte(10, kLevel | 0x3A); // unmask at 5 µs
    run_for(1'000'000);
    ASSERT_EQ(bus.requests.size(), 1U);
    EXPECT_EQ(bus.requests[0].time_ps, 5'000'000U + kLatencyPs);
    EXPECT_EQ(bus.requests[0].request.vector, 0x3A);
    EXPECT_EQ(bus.requests[0].request.trigger, TriggerMode::Level);
}

TEST(IoapicPins, PolarityFollowsRteBit13AndTheWire) {
    FakeApicBus bus;
    // Pin 16 is a PCI INTx wire: electrically active-low.
    Ioapic ioapic("ioapic", {.active_low_inputs = {16}});
    Ioapic other("other", {.active_low_inputs = {16}}); // modules exist before the simulation starts
    ioapic.bind_bus(&bus);
    other.bind_bus(&bus);
    IoapicDriver driver(ioapic);
    IoapicDriver other_driver(other);

    // Programmed correctly (level, active-low): the idle wire is quiet, an asserted one delivers.
    driver.write_rte(16, kLevel | kActiveLow | 0x50);
    run_for(1'000'000);
    EXPECT_TRUE(bus.requests.empty());
    ioapic.set_irq_input(16, true);
    run_for(1'000'000);
    ASSERT_EQ(bus.requests.size(), 1U);
    EXPECT_EQ(bus.requests[0].time_ps, 1'000'000U + kLatencyPs);
    ioapic.set_irq_input(16, false);

    // Programmed active-high on the same wire: the idle (high) wire looks asserted as soon as the pin is
    // unmasked, as on hardware.
    const auto unmask_time = test::now_ps();
    other_driver.write_rte(16, kLevel | 0x51);
    run_for(1'000'000);
    ASSERT_EQ(bus.requests.size(), 2U);
    EXPECT_EQ(bus.requests[1].request.vector, 0x51);
    EXPECT_EQ(bus.requests[1].time_ps, unmask_time + kLatencyPs);

    // Edge-triggered, active-low on an active-high wire: the falling edge of the line is the active edge.
    driver.write_rte(4, kActiveLow | 0x34);
    ioapic.set_irq_input(4, true);
    run_for(1'000'000);
    EXPECT_EQ(bus.requests.size(), 2U);
    ioapic.set_irq_input(4, false);
    run_for(1'000'000);
    ASSERT_EQ(bus.requests.size(), 3U);
    EXPECT_EQ(bus.requests[2].request.vector, 0x34);
}

TEST(IoapicPins, DeliveryModesExtIntNmiLowestPriority) {
    WiredIoapic bench;
    auto& [bus, ioapic, driver] = bench;
    // Virtual wire mode B: pin 0 carries the 8259's INT as ExtINT; the vector comes from the 8259 at INTA.
    driver.write_rte(0, delivery(DeliveryMode::ExtInt) | destination(0));
    driver.write_rte(1, delivery(DeliveryMode::Nmi) | destination(2));
    driver.write_rte(3, delivery(DeliveryMode::LowestPriority) | kLogical | destination(0x0F) | 0x63);
    driver.write_rte(5, delivery(DeliveryMode::Smi) | destination(0));
    ioapic.set_irq_input(0, true);
    ioapic.set_irq_input(1, true);
    ioapic.set_irq_input(3, true);
    ioapic.set_irq_input(5, true);
    run_for(kLatencyPs);
    ASSERT_EQ(bus.requests.size(), 4U);

    const auto& extint = bus.requests[0].request;
    EXPECT_EQ(extint.delivery, DeliveryMode::ExtInt);
    EXPECT_EQ(extint.destination, 0U);
    EXPECT_EQ(extint.source_kind, InterruptSourceKind::Ioapic);
    EXPECT_EQ(extint.source_id, 0U);
    const auto& nmi = bus.requests[1].request;
    EXPECT_EQ(nmi.delivery, DeliveryMode::Nmi);
    EXPECT_EQ(nmi.destination, 2U);
    EXPECT_EQ(nmi.destination_mode, DestinationMode::Physical);
    const auto& lowest = bus.requests[2].request;
    EXPECT_EQ(lowest.delivery, DeliveryMode::LowestPriority);
    EXPECT_EQ(lowest.destination_mode, DestinationMode::Logical);
    EXPECT_EQ(lowest.destination, 0x0FU);
    EXPECT_EQ(lowest.vector, 0x63);
    EXPECT_EQ(lowest.trigger, TriggerMode::Edge);
    EXPECT_EQ(bus.requests[3].request.delivery, DeliveryMode::Smi);
    for (const auto& delivered : bus.requests) {
        EXPECT_EQ(delivered.time_ps, kLatencyPs);
    }
}

TEST(IoapicPins, ReservedDeliveryModesAreDroppedAndCounted) {
    WiredIoapic bench;
    auto& [bus, ioapic, driver] = bench;
    driver.write_rte(6, delivery(DeliveryMode::Reserved3) | 0x36);
    driver.write_rte(8, delivery(DeliveryMode::StartUp) | 0x38);
    ioapic.set_irq_input(6, true);
    ioapic.set_irq_input(8, true);
    run_for(kLatencyPs);
    EXPECT_TRUE(bus.requests.empty());
    EXPECT_EQ(ioapic.stats().reserved_delivery_mode, 2U);
}

TEST(IoapicDelivery, DeliveryStatusIsSetUntilTheMessageLeaves) {
    WiredIoapic bench({.delivery_latency_ps = 250'000});
    auto& [bus, ioapic, driver] = bench;
    driver.write_rte(12, destination(3) | 0x3C);
    run_until(2'000'000);
    ioapic.set_irq_input(12, true);
    EXPECT_EQ(driver.read_rte(12) & kDeliveryStatus, kDeliveryStatus);
    run_until(2'249'999);
    EXPECT_TRUE(bus.requests.empty());
    EXPECT_EQ(driver.read_rte(12) & kDeliveryStatus, kDeliveryStatus);
    run_until(2'250'000);
    ASSERT_EQ(bus.requests.size(), 1U);
    EXPECT_EQ(bus.requests[0].time_ps, 2'250'000U);
    EXPECT_EQ(driver.read_rte(12) & kDeliveryStatus, 0U);
}

TEST(IoapicDelivery, MessagesOfSeveralPinsKeepTheirOwnTimes) {
    WiredIoapic bench;
    auto& [bus, ioapic, driver] = bench;
    driver.write_rte(1, 0x31);
    driver.write_rte(2, 0x32);
    ioapic.set_irq_input(1, true);
    run_for(40'000);
    ioapic.set_irq_input(2, true);
    run_for(1'000'000);
    ASSERT_EQ(bus.requests.size(), 2U);
    EXPECT_EQ(bus.requests[0].time_ps, kLatencyPs);
    EXPECT_EQ(bus.requests[0].request.vector, 0x31);
    EXPECT_EQ(bus.requests[1].time_ps, 40'000U + kLatencyPs);
    EXPECT_EQ(bus.requests[1].request.vector, 0x32);
}

TEST(IoapicDelivery, EdgesWhileTheMessageIsPendingCoalesce) {
    WiredIoapic bench;
    auto& [bus, ioapic, driver] = bench;
    driver.write_rte(1, 0x31);
    IrqLine line;
    line.connect(ioapic, 1);
    line.pulse();
    run_for(50'000);
    line.pulse();
    run_for(1'000'000);
    ASSERT_EQ(bus.requests.size(), 1U);
    EXPECT_EQ(ioapic.stats().coalesced_edges, 1U);
    line.pulse(); // after the message left: a new one
    run_for(1'000'000);
    EXPECT_EQ(bus.requests.size(), 2U);
}

TEST(IoapicDelivery, MaskingOrDroppingBeforeTheMessageLeavesWithdrawsIt) {
    WiredIoapic bench;
    auto& [bus, ioapic, driver] = bench;
    driver.write_rte(1, 0x31);
    driver.write_rte(9, kLevel | 0x39);
    ioapic.set_irq_input(1, true);
    ioapic.set_irq_input(9, true);
    run_for(50'000);
    driver.write_rte(1, kMasked | 0x31);
    ioapic.set_irq_input(9, false);
    run_for(1'000'000);
    EXPECT_TRUE(bus.requests.empty());
    EXPECT_EQ(ioapic.stats().withdrawn, 2U);
    EXPECT_EQ(driver.read_rte(9) & kRemoteIrr, 0U);
    // The edge is gone for good; the level pin delivers again when asserted.
    driver.write_rte(1, 0x31);
    ioapic.set_irq_input(9, true);
    run_for(1'000'000);
    ASSERT_EQ(bus.requests.size(), 1U);
    EXPECT_EQ(bus.requests[0].request.vector, 0x39);
}

TEST(IoapicDelivery, RemappableFormatGoesToTheFabricAsAMessage) {
    WiredIoapic bench({.source_id = 0xF0F8});
    auto& [bus, ioapic, driver] = bench;
    // Linux IR format: index 0x1234 in 63:49 (index[15] = 0 in bit 11), bit 48 = 1, vector kept for EOI.
    const std::uint64_t index = 0x1234;
    driver.write_rte(14, (index << 49) | (1ULL << 48) | kLevel | 0x3E);
    ioapic.set_irq_input(14, true);
    run_for(kLatencyPs);
    EXPECT_TRUE(bus.requests.empty());
    ASSERT_EQ(bus.messages.size(), 1U);
    const auto& message = bus.messages[0].message;
    EXPECT_EQ(message.address, 0xFEE0'0000ULL | (index << 5) | (1U << 4));
    EXPECT_EQ(message.data, 0xC03EU);
    EXPECT_EQ(message.requester_id, 0xF0F8);
    EXPECT_EQ(driver.read_rte(14) & kRemoteIrr, kRemoteIrr);
}

TEST(IoapicDelivery, MissingBusAndUnclaimedMessagesAreCounted) {
    Ioapic ioapic("ioapic");
    IoapicDriver driver(ioapic);
    driver.write_rte(1, 0x31);
    ioapic.set_irq_input(1, true);
    run_for(kLatencyPs);
    EXPECT_EQ(ioapic.stats().dropped_no_bus, 1U);
    EXPECT_EQ(ioapic.stats().deliveries_per_pin[1], 1U);

    FakeApicBus bus;
    bus.reach = 0;
    ioapic.bind_bus(&bus);
    ioapic.set_irq_input(1, false);
    ioapic.set_irq_input(1, true);
    run_for(kLatencyPs);
    EXPECT_EQ(bus.requests.size(), 1U);
    EXPECT_EQ(ioapic.stats().unclaimed, 1U);
    ioapic.set_irq_input(99, true);
    EXPECT_EQ(ioapic.stats().invalid_inputs, 1U);
}

TEST(IoapicObservability, HopsMetricsAndDump) {
    RecordingObserver observer; // outlives the IOAPIC that reports to it
    WiredIoapic bench;
    auto& [bus, ioapic, driver] = bench;
    ioapic.set_observer(&observer);
    driver.write_rte(2, destination(1) | 0x30);
    driver.write_rte(3, kMasked | 0x33);
    ioapic.set_irq_input(3, true);
    run_until(3'000'000);
    ioapic.set_irq_input(2, true);
    run_for(kLatencyPs);

    ASSERT_EQ(observer.hops.size(), 1U);
    EXPECT_EQ(observer.hops[0].kind, HopKind::IoapicDelivery);
    EXPECT_EQ(observer.hops[0].time_ps, 3'000'000U + kLatencyPs);
    EXPECT_EQ(observer.hops[0].vector, 0x30);
    EXPECT_EQ(observer.hops[0].detail, 2U);
    EXPECT_STREQ(observer.hops[0].source, "ioapic");

    RecordingMetricSink sink;
    ioapic.report_metrics(sink);
    EXPECT_EQ(sink.value("deliveries"), 1U);
    EXPECT_EQ(sink.value("pin2.deliveries"), 1U);
    EXPECT_EQ(sink.value("pin23.deliveries"), 0U);
    EXPECT_EQ(sink.value("edges_while_masked"), 1U);
    EXPECT_EQ(sink.value("bad_accesses"), 0U);

    const auto dump = ioapic.dump();
    ASSERT_EQ(dump.redirection_table.size(), 24U);
    EXPECT_EQ(dump.redirection_table[2], destination(1) | 0x30);
    EXPECT_EQ(dump.redirection_table[3], kMasked | 0x33);
    EXPECT_EQ(dump.version, 0x0017'0020U);
    EXPECT_TRUE(dump.input_asserted[2]);
    EXPECT_TRUE(dump.input_asserted[3]);
    EXPECT_FALSE(dump.input_asserted[4]);
    EXPECT_EQ(dump.messages_in_flight, 0U);
}

TEST(IoapicReset, ResetMasksEverythingAndCancelsMessagesInFlight) {
    WiredIoapic bench({.id = 3});
    auto& [bus, ioapic, driver] = bench;
    driver.write(Ioapic::kRegId, 0x0800'0000);
    driver.write_rte(1, 0x31);
    ioapic.set_irq_input(1, true);
    ioapic.reset();
    run_for(1'000'000);
    EXPECT_TRUE(bus.requests.empty());
    EXPECT_EQ(ioapic.redirection_entry(1), kMasked);
    EXPECT_EQ(driver.read(Ioapic::kRegId), 0x0300'0000U);
    EXPECT_EQ(ioapic.dump().messages_in_flight, 0U);
}

} // namespace
} // namespace x86sim::models
