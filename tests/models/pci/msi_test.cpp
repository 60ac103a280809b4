// MSI capability layouts and rules (vtd-pci-nvme.md §2.5) beyond checks 40/41.
#include "tests/models/pci/pci_bench.h"

#include <gtest/gtest.h>

namespace x86sim::test {
namespace {

using namespace models;
using namespace models::pci;

struct Layout {
    bool address_64bit;
    bool masking;
    std::uint16_t data_offset;
    std::uint16_t mask_offset; // 0: none
    std::uint16_t size;        // bytes reserved, rounded to DWORDs
};

class MsiLayouts : public ::testing::TestWithParam<Layout> {};

TEST_P(MsiLayouts, RegistersSitWhereTheLayoutSays) {
    const Layout layout = GetParam();
    PciBench bench;
    GenericFunction function("msi");
    function.add_msi(
        {.vectors_log2 = 1, .address_64bit = layout.address_64bit, .per_vector_masking = layout.masking});
    function.add_capability(0x09, 4); // a vendor-specific capability right after it
    const PciBdf bdf{.bus = 0, .device = 2};
    bench.rc.attach(function, bdf);
    constexpr std::uint16_t cap = 0x40;
    EXPECT_EQ(bench.cfg_read(bdf, cap, 1), kCapIdMsi);
    EXPECT_EQ(bench.cfg_read(bdf, cap + 1, 1), cap + layout.size) << "next capability follows the MSI layout";
    const std::uint16_t control = bench.cfg_read(bdf, cap + 2, 2);
    EXPECT_EQ((control >> 7) & 1, layout.address_64bit ? 1u : 0u);
    EXPECT_EQ((control >> 8) & 1, layout.masking ? 1u : 0u);
    EXPECT_EQ((control >> 1) & 7, 1u);
    bench.cfg_write(bdf, cap + 4, 4, 0xFEE0'2003); // bits 1:0 read as zero
    EXPECT_EQ(bench.cfg_read(bdf, cap + 4), 0xFEE0'2000u);
    if (layout.address_64bit) {
        bench.cfg_write(bdf, cap + 8, 4, 0);
    }
    bench.cfg_write(bdf, layout.data_offset, 2, 0x0060);
    EXPECT_EQ(bench.cfg_read(bdf, layout.data_offset, 2), 0x0060u);
    if (layout.masking) {
        bench.cfg_write(bdf, layout.mask_offset, 4, 0xFFFF'FFFF);
        EXPECT_EQ(bench.cfg_read(bdf, layout.mask_offset), 0b11u) << "only the 2^MMC implemented bits";
        bench.cfg_write(bdf, layout.mask_offset, 4, 0);
    }
    bench.cfg_write(bdf, cap + 2, 2, 0x0011); // MME = 1 (2 vectors), enable
    bench.cfg_write(bdf, kCommand, 2, kCommandBusMaster);
    EXPECT_EQ(function.signal_vector(1), InterruptOutcome::Sent);
    ASSERT_EQ(bench.interrupts(), 1u);
    EXPECT_EQ(bench.apic.messages[0].address, 0xFEE0'2000u);
    EXPECT_EQ(bench.apic.messages[0].data, 0x61u);
}

INSTANTIATE_TEST_SUITE_P(Section2_5, MsiLayouts,
                         ::testing::Values(Layout{false, false, 0x48, 0, 0x0C},
                                           Layout{true, false, 0x4C, 0, 0x10},
                                           Layout{false, true, 0x48, 0x4C, 0x14},
                                           Layout{true, true, 0x4C, 0x50, 0x18}),
                         [](const ::testing::TestParamInfo<Layout>& param_info) {
                             return std::string(param_info.param.address_64bit ? "Addr64" : "Addr32") +
                                    (param_info.param.masking ? "Masked" : "Unmasked");
                         });

struct Msi : ::testing::Test {
    PciBench bench;
    std::unique_ptr<GenericFunction> function = make_standard_function("dev");
    const PciBdf bdf{.bus = 0, .device = 4};
    void SetUp() override {
        bench.rc.attach(*function, bdf);
        bench.cfg_write(bdf, kCommand, 2, kCommandBusMaster);
        bench.cfg_write(bdf, kMsiCapOffset + 4, 4, kMsiAddress);
        bench.cfg_write(bdf, kMsiCapOffset + 0xC, 2, 0x40);
    }
};

TEST_F(Msi, MultipleMessageEnableIsClampedToCapable) {
    bench.cfg_write(bdf, kMsiCapOffset + 2, 2, 0b101 << 4 | 1); // asks for 32, capable of 4
    EXPECT_EQ((bench.cfg_read(bdf, kMsiCapOffset + 2, 2) >> 4) & 7, 0b010u);
    EXPECT_EQ(function->msi()->granted_vectors(), 4u);
}

TEST_F(Msi, VectorBeyondGrantedFoldsIntoGrantedRange) {
    bench.cfg_write(bdf, kMsiCapOffset + 2, 2, 0b001 << 4 | 1); // 2 vectors granted
    function->signal_vector(3);
    ASSERT_EQ(bench.interrupts(), 1u);
    EXPECT_EQ(bench.apic.messages[0].data, 0x41u);
    EXPECT_EQ(function->counters().vector_out_of_range, 1u);
    // Single message: every vector uses the data as written.
    bench.cfg_write(bdf, kMsiCapOffset + 2, 2, 1);
    function->signal_vector(1);
    EXPECT_EQ(bench.apic.messages[1].data, 0x40u);
}

TEST_F(Msi, BadAddressIsAnOrdinaryMemoryWrite) {
    // Software wrote a RAM address instead of 0xFEEx_xxxx: the DWORD lands in RAM (as on hardware).
    bench.cfg_write(bdf, kMsiCapOffset + 4, 4, 0x8000);
    bench.cfg_write(bdf, kMsiCapOffset + 2, 2, 1);
    EXPECT_EQ(function->signal_vector(0), InterruptOutcome::Sent);
    EXPECT_EQ(bench.interrupts(), 0u);
    EXPECT_EQ(bench.memory.dword(0x8000), 0x40u);
    EXPECT_EQ(function->counters().msi_bad_address, 1u);
    EXPECT_EQ(bench.rc.counters().interrupt_messages, 0u);
    EXPECT_EQ(bench.rc.counters().dma_writes, 1u);
}

TEST_F(Msi, EnableWithPendingUnmaskedVectorSendsIt) {
    bench.cfg_write(bdf, kMsiCapOffset + 0x10, 4, 0b1);
    bench.cfg_write(bdf, kMsiCapOffset + 2, 2, 1);
    EXPECT_EQ(function->signal_vector(0), InterruptOutcome::Pending);
    bench.cfg_write(bdf, kMsiCapOffset + 2, 2, 0); // disable
    bench.cfg_write(bdf, kMsiCapOffset + 0x10, 4, 0);
    EXPECT_EQ(bench.interrupts(), 0u) << "disabled: nothing goes out";
    bench.cfg_write(bdf, kMsiCapOffset + 2, 2, 1);
    EXPECT_EQ(bench.interrupts(), 1u);
    EXPECT_EQ(bench.cfg_read(bdf, kMsiCapOffset + 0x14), 0u);
}

TEST_F(Msi, ReadOnlyConfigWritesAreDroppedAndCounted) {
    bench.cfg_write(bdf, kVendorId, 4, 0xFFFF'FFFF);
    bench.cfg_write(bdf, kMsiCapOffset, 1, 0x11);       // capability ID
    bench.cfg_write(bdf, kMsiCapOffset + 0x14, 4, 0xF); // pending bits
    EXPECT_EQ(bench.cfg_read(bdf, kVendorId), 0x5678'1234u);
    EXPECT_EQ(bench.cfg_read(bdf, kMsiCapOffset, 1), kCapIdMsi);
    EXPECT_EQ(function->config_stats().read_only_writes, 4u); // vendor + device count as two fields
    MetricRecorder metrics;
    function->report_metrics(metrics);
    EXPECT_EQ(metrics.counters.at("config_read_only_writes"), 4u);
    // Wrong-size configuration accesses never reach the function: counted by the root complex.
    bench.rc.config_write(bdf, 0x05, 2, 0);
    EXPECT_EQ(bench.rc.counters().config_bad_access, 1u);
}

} // namespace
} // namespace x86sim::test
