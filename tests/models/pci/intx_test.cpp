// INTx: swizzle to PIRQ lines, level semantics, shared lines through WiredOr (vtd-pci-nvme.md §2.1).
#include "tests/models/pci/pci_bench.h"

#include <gtest/gtest.h>

namespace x86sim::test {
namespace {

using namespace models;
using namespace models::pci;

TEST(PciIntx, StandardSwizzle) {
    EXPECT_EQ(RootComplex::swizzle(0, InterruptPin::IntA), 0u);
    EXPECT_EQ(RootComplex::swizzle(1, InterruptPin::IntA), 1u);
    EXPECT_EQ(RootComplex::swizzle(3, InterruptPin::IntB), 0u);
    EXPECT_EQ(RootComplex::swizzle(4, InterruptPin::IntA), 0u);
    EXPECT_EQ(RootComplex::swizzle(2, InterruptPin::IntD), 1u);
}

TEST(PciIntx, PinsLandOnSwizzledIoapicInputs) {
    PciBench bench;
    std::vector<std::unique_ptr<GenericFunction>> functions;
    for (std::uint8_t device = 0; device < 4; ++device) {
        functions.push_back(std::make_unique<GenericFunction>("d" + std::to_string(device)));
        bench.rc.attach(*functions.back(), {.bus = 0, .device = device});
    }
    GenericFunction intb("intb", 0x1234, 0x1, InterruptPin::IntB);
    bench.rc.attach(intb, {.bus = 0, .device = 6}); // (6 + 2 - 1) % 4 = 3 -> input 19
    for (unsigned device = 0; device < 4; ++device) {
        functions[device]->set_intx_condition(true);
        EXPECT_TRUE(bench.ioapic.at(16 + device)) << device;
        functions[device]->set_intx_condition(false);
        EXPECT_FALSE(bench.ioapic.at(16 + device)) << device;
    }
    intb.set_intx_condition(true);
    EXPECT_TRUE(bench.ioapic.at(19));
    EXPECT_EQ(bench.ioapic.changes.size(), 9u);
}

TEST(PciIntx, SharedLineTwoDevicesDeassertIndependently) {
    PciBench bench;
    GenericFunction a("a");
    GenericFunction b("b");
    bench.rc.attach(a, {.bus = 0, .device = 1}); // PIRQ B
    bench.rc.attach(b, {.bus = 0, .device = 5}); // PIRQ B too
    constexpr unsigned kInput = 17;
    a.set_intx_condition(true);
    EXPECT_TRUE(bench.ioapic.at(kInput));
    b.set_intx_condition(true);
    a.set_intx_condition(false); // b still holds the line
    EXPECT_TRUE(bench.ioapic.at(kInput));
    EXPECT_TRUE(b.intx_pin_asserted());
    EXPECT_FALSE(a.intx_pin_asserted());
    b.set_intx_condition(false);
    EXPECT_FALSE(bench.ioapic.at(kInput));
    // The IOAPIC saw one rise and one fall: level-triggered, shared.
    ASSERT_EQ(bench.ioapic.changes.size(), 2u);
    EXPECT_EQ(bench.ioapic.changes[0], std::make_pair(kInput, true));
    EXPECT_EQ(bench.ioapic.changes[1], std::make_pair(kInput, false));
    // INTx disable on one device releases only its share.
    a.set_intx_condition(true);
    b.set_intx_condition(true);
    bench.cfg_write({.bus = 0, .device = 1}, kCommand, 2, kCommandIntxDisable);
    EXPECT_TRUE(bench.ioapic.at(kInput));
    b.set_intx_condition(false);
    EXPECT_FALSE(bench.ioapic.at(kInput));
    bench.cfg_write({.bus = 0, .device = 1}, kCommand, 2, 0); // a's condition is still there
    EXPECT_TRUE(bench.ioapic.at(kInput));
}

TEST(PciIntx, WiringOrderDoesNotMatterAndNoPinMeansNoLine) {
    EventLog log;
    VectorMemory memory(log, 0, 4096);
    RecordingApicBus apic(log);
    RecordingIrqSink ioapic;
    RootComplex rc("pci", apic, memory);
    GenericFunction early("early");
    GenericFunction none("none", 0x1234, 0x2, InterruptPin::None);
    rc.attach(early, {.bus = 0, .device = 0});
    rc.attach(none, {.bus = 0, .device = 1});
    early.set_intx_condition(true); // asserted before the IOAPIC is connected
    rc.connect_intx(ioapic);
    EXPECT_TRUE(ioapic.at(16));
    none.set_intx_condition(true);
    EXPECT_FALSE(ioapic.at(17));
    EXPECT_FALSE(none.intx_pin_asserted());
    EXPECT_EQ(rc.config_read({.bus = 0, .device = 1}, kInterruptPin, 1), 0u);
    EXPECT_EQ(rc.config_read({.bus = 0, .device = 0}, kInterruptPin, 1), 1u);
}

TEST(PciIntx, InterruptLineIsSoftwareScratch) {
    PciBench bench;
    GenericFunction f("f");
    bench.rc.attach(f, {.bus = 0, .device = 0});
    bench.cfg_write({.bus = 0, .device = 0}, kInterruptLine, 1, 0x0B);
    EXPECT_EQ(bench.cfg_read({.bus = 0, .device = 0}, kInterruptLine, 1), 0x0Bu);
    f.set_intx_condition(true);
    EXPECT_TRUE(bench.ioapic.at(16)) << "routing does not depend on Interrupt Line";
}

} // namespace
} // namespace x86sim::test
