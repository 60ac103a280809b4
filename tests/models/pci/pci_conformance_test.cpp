// vtd-pci-nvme.md §5, PCI/PCIe conformance checks 35-46. Each test names its check and the section it
// exercises; configuration accesses go through ECAM and BAR accesses through the root complex's
// memory decoding, the way a driver reaches the device.
#include "tests/models/pci/pci_bench.h"

#include <gtest/gtest.h>

namespace x86sim::test {
namespace {

using namespace models;
using namespace models::pci;

constexpr PciBdf kBdf{.bus = 1, .device = 0, .function = 0};
constexpr std::uint64_t kBar0 = 0xC000'0000;
constexpr std::uint64_t kBar2 = 0xC001'0000;
constexpr std::uint64_t kTable = kBar2;
constexpr std::uint64_t kPba = kBar2 + 0x2000;

struct PciConformance : ::testing::Test {
    PciBench bench;
    std::unique_ptr<GenericFunction> function = make_standard_function("dev");
    void SetUp() override { bench.rc.attach(*function, kBdf); }
    std::uint16_t msix_control_offset() { return static_cast<std::uint16_t>(bench.msix_cap(kBdf) + 2); }
};

TEST_F(PciConformance, Check35_Mem64BarSizing_2_3) {
    // BAR2 is a 16 KiB non-prefetchable 64-bit memory BAR.
    bench.cfg_write(kBdf, 0x18, 4, 0xFFFF'FFFF);
    bench.cfg_write(kBdf, 0x1C, 4, 0xFFFF'FFFF);
    const std::uint32_t low = bench.cfg_read(kBdf, 0x18);
    const std::uint32_t high = bench.cfg_read(kBdf, 0x1C);
    EXPECT_EQ(low, 0xFFFF'C004u);
    EXPECT_EQ(high, 0xFFFF'FFFFu);
    const std::uint64_t size = ~((static_cast<std::uint64_t>(high) << 32) | (low & ~0xFULL)) + 1;
    EXPECT_EQ(size, 0x4000u);
    // Restoring an address keeps the type bits and the hardwired-zero low bits.
    bench.cfg_write(kBdf, 0x18, 4, 0x1234'5678);
    bench.cfg_write(kBdf, 0x1C, 4, 0x0000'0002);
    EXPECT_EQ(bench.cfg_read(kBdf, 0x18), 0x1234'4004u);
    EXPECT_EQ(function->bar(2).address(), 0x2'1234'4000ULL);
}

TEST_F(PciConformance, Check36_CapabilityWalkFindsMsixAndTerminates_2_4) {
    EXPECT_NE(bench.cfg_read(kBdf, kStatus, 2) & kStatusCapabilities, 0u);
    std::uint16_t pointer = bench.cfg_read(kBdf, kCapabilitiesPointer, 1) & 0xFC;
    std::vector<std::uint8_t> ids;
    int guard = 0;
    while (pointer != 0 && guard++ < 48) {
        ids.push_back(static_cast<std::uint8_t>(bench.cfg_read(kBdf, pointer, 1)));
        pointer = bench.cfg_read(kBdf, pointer + 1, 1) & 0xFC;
    }
    EXPECT_LT(guard, 48) << "capability list does not terminate";
    ASSERT_EQ(ids.size(), 2u);
    EXPECT_EQ(ids[0], kCapIdMsi);
    EXPECT_EQ(ids[1], kCapIdMsix);
    EXPECT_EQ(pointer, 0);
    // A function without capabilities has Status bit 4 clear and pointer 0.
    GenericFunction bare("bare");
    bench.rc.attach(bare, {.bus = 0, .device = 7});
    EXPECT_EQ(bench.cfg_read({.bus = 0, .device = 7}, kStatus, 2) & kStatusCapabilities, 0u);
    EXPECT_EQ(bench.cfg_read({.bus = 0, .device = 7}, kCapabilitiesPointer, 1), 0u);
}

TEST_F(PciConformance, Check37_EcamAddressingAndAbsentFunction_2_2) {
    // base + (1 << 20) + (0 << 15) + (0 << 12) + 0 is 01:00.0.
    std::uint64_t value = 0;
    bench.rc.ecam().mmio_read(1ULL << 20, 4, value);
    EXPECT_EQ(value, 0x5678'1234u);
    // The platform maps the window at the configured base (q35 default 0xB000_0000).
    EXPECT_EQ(bench.rc.config().ecam_base, 0xB000'0000u);
    // Absent: 01:00.1, 01:01.0, 00:00.0 all read all ones; writes are ignored.
    bench.rc.ecam().mmio_read((1ULL << 20) | (1ULL << 12), 4, value);
    EXPECT_EQ(value, 0xFFFF'FFFFu);
    bench.rc.ecam().mmio_read((1ULL << 20) | (1ULL << 15), 2, value);
    EXPECT_EQ(value, 0xFFFFu);
    bench.rc.ecam().mmio_read(0, 4, value);
    EXPECT_EQ(value, 0xFFFF'FFFFu);
    bench.rc.ecam().mmio_write(0x4, 2, 0x7);
    EXPECT_EQ(bench.rc.counters().config_absent, 4u);
}

TEST_F(PciConformance, Check38_MemoryDecodeFollowsCommandMem_2_1) {
    bench.cfg_write(kBdf, 0x10, 4, kBar0);
    function->scratch[0x10] = 0xCAFE'F00D;
    // Command.MEM = 0: not decoded, reads all ones, writes dropped.
    EXPECT_EQ(bench.mmio_read(kBar0 + 0x10), 0xFFFF'FFFFu);
    bench.mmio_write(kBar0 + 0x10, 4, 0x1111'1111);
    EXPECT_EQ(function->scratch[0x10], 0xCAFE'F00Du);
    EXPECT_EQ(bench.rc.counters().mmio_unclaimed, 2u);
    // Command.MEM = 1: decoded.
    bench.cfg_write(kBdf, kCommand, 2, kCommandMemory);
    EXPECT_EQ(bench.mmio_read(kBar0 + 0x10), 0xCAFE'F00Du);
    // And off again.
    bench.cfg_write(kBdf, kCommand, 2, 0);
    EXPECT_EQ(bench.mmio_read(kBar0 + 0x10), 0xFFFF'FFFFu);
}

TEST_F(PciConformance, Check39_BusMasterOffBlocksDmaAndMessages_2_1) {
    bench.assign(kBdf, kBar0, kBar2);
    bench.program_msix_entry(kTable, 0, kMsiAddress, 0x41, false);
    bench.cfg_write(kBdf, msix_control_offset(), 2, 0x8000); // MSI-X enable
    bench.cfg_write(kBdf, kCommand, 2, kCommandMemory);      // BME off
    const std::uint8_t data[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    EXPECT_EQ(function->upstream().write(0x1000, data).status, UpstreamStatus::BusMasterDisabled);
    std::uint8_t in[8] = {};
    EXPECT_EQ(function->upstream().read(0x1000, in).status, UpstreamStatus::BusMasterDisabled);
    EXPECT_EQ(function->signal_vector(0), InterruptOutcome::Blocked);
    EXPECT_TRUE(bench.log.empty()) << "nothing may leave the function with BME = 0";
    EXPECT_EQ(bench.memory.byte(0x1000), 0);
    EXPECT_EQ(function->upstream().stats().bus_master_blocked, 3u);
    // The same requests go through with BME = 1.
    bench.cfg_write(kBdf, kCommand, 2, kCommandMemory | kCommandBusMaster);
    EXPECT_EQ(function->upstream().write(0x1000, data).status, UpstreamStatus::Ok);
    EXPECT_EQ(function->signal_vector(0), InterruptOutcome::Sent);
    EXPECT_EQ(bench.interrupts(), 1u);
}

TEST_F(PciConformance, Check40_MsiMultipleMessageData_2_5) {
    GenericFunction msi32("msi32");
    msi32.add_msi({.vectors_log2 = 5, .address_64bit = false, .per_vector_masking = false});
    const PciBdf bdf{.bus = 0, .device = 5};
    bench.rc.attach(msi32, bdf);
    const std::uint16_t cap = bench.cfg_read(bdf, kCapabilitiesPointer, 1);
    EXPECT_EQ((bench.cfg_read(bdf, cap + 2, 2) >> 1) & 7, 0b101u); // MMC = 101 (32 vectors)
    bench.cfg_write(bdf, cap + 4, 4, kMsiAddress);
    bench.cfg_write(bdf, cap + 8, 2, 0x4020);
    bench.cfg_write(bdf, cap + 2, 2, 0b010 << 4 | 1); // MME = 010 (4 vectors), enable
    bench.cfg_write(bdf, kCommand, 2, kCommandBusMaster);
    EXPECT_EQ(msi32.msi()->granted_vectors(), 4u);
    EXPECT_EQ(msi32.signal_vector(3), InterruptOutcome::Sent);
    ASSERT_EQ(bench.interrupts(), 1u);
    EXPECT_EQ(bench.apic.messages[0].data, 0x4023u);
    EXPECT_EQ(bench.apic.messages[0].address, kMsiAddress);
    EXPECT_EQ(bench.apic.messages[0].requester_id, bdf.requester_id());
}

TEST_F(PciConformance, Check41_MsiPerVectorMaskPending_2_5) {
    const PciBdf bdf = kBdf;
    const std::uint16_t cap = kMsiCapOffset; // 64-bit with mask: mask at +0x10, pending at +0x14
    bench.cfg_write(bdf, cap + 4, 4, kMsiAddress);
    bench.cfg_write(bdf, cap + 8, 4, 0);
    bench.cfg_write(bdf, cap + 0xC, 2, 0x50);
    bench.cfg_write(bdf, cap + 0x10, 4, 0b0100); // mask vector 2
    bench.cfg_write(bdf, cap + 2, 2, 0b010 << 4 | 1);
    bench.cfg_write(bdf, kCommand, 2, kCommandBusMaster);
    EXPECT_EQ(function->signal_vector(2), InterruptOutcome::Pending);
    EXPECT_EQ(function->signal_vector(2), InterruptOutcome::Pending); // still one pending bit
    EXPECT_EQ(bench.cfg_read(bdf, cap + 0x14), 0b0100u);
    EXPECT_EQ(bench.interrupts(), 0u);
    bench.cfg_write(bdf, cap + 0x14, 4, 0); // pending is read-only
    EXPECT_EQ(bench.cfg_read(bdf, cap + 0x14), 0b0100u);
    bench.cfg_write(bdf, cap + 0x10, 4, 0); // unmask
    ASSERT_EQ(bench.interrupts(), 1u);
    EXPECT_EQ(bench.apic.messages[0].data, 0x52u);
    EXPECT_EQ(bench.cfg_read(bdf, cap + 0x14), 0u);
    EXPECT_EQ(function->counters().msi_pending_delivered, 1u);
    // Unmasked vectors go straight out.
    EXPECT_EQ(function->signal_vector(1), InterruptOutcome::Sent);
    EXPECT_EQ(bench.interrupts(), 2u);
}

TEST_F(PciConformance, Check42_MsixResetState_2_6) {
    bench.assign(kBdf, kBar0, kBar2);
    // Scribble on everything, then reset.
    for (unsigned vector = 0; vector < 4; ++vector) {
        bench.program_msix_entry(kTable, vector, kMsiAddress, 0x40 + vector, false);
    }
    bench.cfg_write(kBdf, msix_control_offset(), 2, 0xC000);
    function->signal_vector(1); // function-masked: pending
    function->reset();
    bench.assign(kBdf, kBar0, kBar2);
    const std::uint16_t control = bench.cfg_read(kBdf, msix_control_offset(), 2);
    EXPECT_EQ(control & 0x8000, 0u) << "Enable";
    EXPECT_EQ(control & 0x4000, 0u) << "Function Mask";
    EXPECT_EQ(control & 0x7FF, 3u) << "Table Size = N - 1";
    for (unsigned vector = 0; vector < 4; ++vector) {
        EXPECT_EQ(bench.mmio_read(kTable + 16 * vector + 0xC) & 1, 1u) << vector;
        EXPECT_EQ(bench.mmio_read(kTable + 16 * vector + 0x0), 0u) << vector;
        EXPECT_EQ(bench.mmio_read(kTable + 16 * vector + 0x8), 0u) << vector;
    }
    EXPECT_EQ(bench.mmio_read(kPba, 8), 0u);
    // Table/PBA BIR and offsets as configured.
    EXPECT_EQ(bench.cfg_read(kBdf, bench.msix_cap(kBdf) + 4), 0x0000'0002u);
    EXPECT_EQ(bench.cfg_read(kBdf, bench.msix_cap(kBdf) + 8), 0x0000'2002u);
}

TEST_F(PciConformance, Check43_MsixMaskedEventPendsAndUnmaskSendsCurrentContents_2_6) {
    bench.assign(kBdf, kBar0, kBar2);
    bench.program_msix_entry(kTable, 2, kMsiAddress, 0x41, true);
    bench.cfg_write(kBdf, msix_control_offset(), 2, 0x8000);
    EXPECT_EQ(function->signal_vector(2), InterruptOutcome::Pending);
    EXPECT_EQ(bench.mmio_read(kPba), 0b100u);
    EXPECT_EQ(bench.interrupts(), 0u);
    // The driver retargets the vector while it is masked; the message must carry the new contents.
    bench.mmio_write(kTable + 32 + 0x0, 4, 0xFEE0'3000);
    bench.mmio_write(kTable + 32 + 0x8, 4, 0x65);
    EXPECT_EQ(bench.interrupts(), 0u);
    bench.mmio_write(kTable + 32 + 0xC, 4, 0); // unmask
    ASSERT_EQ(bench.interrupts(), 1u);
    EXPECT_EQ(bench.apic.messages[0].address, 0xFEE0'3000u);
    EXPECT_EQ(bench.apic.messages[0].data, 0x65u);
    EXPECT_EQ(bench.mmio_read(kPba), 0u);
    EXPECT_EQ(function->counters().msix_pending_delivered, 1u);
    // Masking and unmasking again with nothing pending sends nothing.
    bench.mmio_write(kTable + 32 + 0xC, 4, 1);
    bench.mmio_write(kTable + 32 + 0xC, 4, 0);
    EXPECT_EQ(bench.interrupts(), 1u);
}

TEST_F(PciConformance, Check44_FunctionMaskHoldsAllVectorsThenFlushesEachOnce_2_6) {
    bench.assign(kBdf, kBar0, kBar2);
    for (unsigned vector = 0; vector < 4; ++vector) {
        bench.program_msix_entry(kTable, vector, kMsiAddress, 0x50 + vector, false);
    }
    bench.cfg_write(kBdf, msix_control_offset(), 2, 0xC000); // enable + function mask
    for (int round = 0; round < 3; ++round) {
        EXPECT_EQ(function->signal_vector(0), InterruptOutcome::Pending);
        EXPECT_EQ(function->signal_vector(1), InterruptOutcome::Pending);
        EXPECT_EQ(function->signal_vector(3), InterruptOutcome::Pending);
    }
    EXPECT_EQ(bench.mmio_read(kPba), 0b1011u);
    EXPECT_EQ(bench.interrupts(), 0u);
    bench.cfg_write(kBdf, msix_control_offset(), 2, 0x8000); // clear function mask
    ASSERT_EQ(bench.interrupts(), 3u);
    EXPECT_EQ(bench.apic.messages[0].data, 0x50u);
    EXPECT_EQ(bench.apic.messages[1].data, 0x51u);
    EXPECT_EQ(bench.apic.messages[2].data, 0x53u);
    EXPECT_EQ(bench.mmio_read(kPba), 0u);
    EXPECT_EQ(function->counters().msix_pending_set, 9u);
    EXPECT_EQ(function->counters().msix_pending_delivered, 3u);
}

TEST_F(PciConformance, Check45_NoIntxWhileMsiOrMsixEnabled_2_1_2_6) {
    bench.assign(kBdf, kBar0, kBar2);
    // Device 0 pin A -> PIRQ A -> IOAPIC input 16.
    constexpr unsigned kInput = 16;
    function->set_intx_condition(true);
    EXPECT_TRUE(bench.ioapic.at(kInput));
    // MSI-X enabled: INTx is deasserted (QEMU does the same) and never asserted again.
    bench.cfg_write(kBdf, msix_control_offset(), 2, 0x8000);
    EXPECT_FALSE(bench.ioapic.at(kInput));
    function->set_intx_condition(false);
    function->set_intx_condition(true);
    EXPECT_FALSE(bench.ioapic.at(kInput));
    EXPECT_NE(bench.cfg_read(kBdf, kStatus, 2) & kStatusInterrupt, 0u);
    bench.cfg_write(kBdf, msix_control_offset(), 2, 0);
    EXPECT_TRUE(bench.ioapic.at(kInput));
    // MSI enabled: same.
    bench.cfg_write(kBdf, kMsiCapOffset + 2, 2, 1);
    EXPECT_FALSE(bench.ioapic.at(kInput));
    bench.cfg_write(kBdf, kMsiCapOffset + 2, 2, 0);
    EXPECT_TRUE(bench.ioapic.at(kInput));
    // INTx disable: pin deasserted, Status.Interrupt still reflects the condition.
    bench.cfg_write(kBdf, kCommand, 2, kCommandMemory | kCommandBusMaster | kCommandIntxDisable);
    EXPECT_FALSE(bench.ioapic.at(kInput));
    EXPECT_NE(bench.cfg_read(kBdf, kStatus, 2) & kStatusInterrupt, 0u);
    function->set_intx_condition(false);
    EXPECT_EQ(bench.cfg_read(kBdf, kStatus, 2) & kStatusInterrupt, 0u);
    // Across all of it, no rising edge happened while MSI/MSI-X was enabled: exactly 3 assertions.
    EXPECT_EQ(function->counters().intx_asserted, 3u);
}

TEST_F(PciConformance, Check46_CompletionWriteThenMsixObservedInOrder_2_7) {
    bench.assign(kBdf, kBar0, kBar2);
    bench.program_msix_entry(kTable, 1, kMsiAddress, 0x61, false);
    bench.cfg_write(kBdf, msix_control_offset(), 2, 0x8000);
    // Data (4 KiB, several TLPs), then a 16-byte CQE, then the MSI-X message.
    std::vector<std::uint8_t> data(4096, 0xAB);
    const auto data_result = function->upstream().write(0x20000, data);
    const std::uint8_t cqe[16] = {0x11, 0x22, 0x33, 0x44};
    const auto cqe_result = function->upstream().write(0x30000, cqe);
    EXPECT_EQ(function->signal_vector(1), InterruptOutcome::Sent);
    ASSERT_GE(bench.log.size(), 3u);
    const auto& last = bench.log.back();
    const auto& before = bench.log[bench.log.size() - 2];
    EXPECT_EQ(last.kind, LoggedEvent::Kind::Interrupt);
    EXPECT_EQ(last.data, 0x61u);
    EXPECT_EQ(before.kind, LoggedEvent::Kind::MemoryWrite);
    EXPECT_EQ(before.address, 0x30000u);
    for (std::size_t i = 0; i + 2 < bench.log.size(); ++i) {
        EXPECT_EQ(bench.log[i].kind, LoggedEvent::Kind::MemoryWrite);
        EXPECT_LT(bench.log[i].address, 0x30000u);
    }
    // The modelled arrivals are ordered too: posted writes never pass each other.
    EXPECT_GE(cqe_result.delay_ps, data_result.delay_ps);
}

} // namespace
} // namespace x86sim::test
