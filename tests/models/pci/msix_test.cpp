// MSI-X behaviour beyond the §5 checks (vtd-pci-nvme.md §2.6): latching at unmask with QWORD
// writes, function mask combined with vector masks, table rewrites while enabled, 64-bit addresses
// and a BAR above 4 GiB, wrong-width table accesses, observer hops, metrics.
#include "models/common/interrupt_path.h"
#include "tests/models/pci/pci_bench.h"

#include <gtest/gtest.h>

namespace x86sim::test {
namespace {

using namespace models;
using namespace models::pci;

constexpr PciBdf kBdf{.bus = 0, .device = 3, .function = 0};
constexpr std::uint64_t kBar0 = 0xC000'0000;
constexpr std::uint64_t kBar2 = 0xC001'0000;
constexpr std::uint64_t kTable = kBar2;
constexpr std::uint64_t kPba = kBar2 + 0x2000;

struct Msix : ::testing::Test {
    PciBench bench;
    std::unique_ptr<GenericFunction> function = make_standard_function("dev");
    void SetUp() override {
        bench.rc.attach(*function, kBdf);
        bench.assign(kBdf, kBar0, kBar2);
    }
    void control(std::uint16_t value) { bench.cfg_write(kBdf, bench.msix_cap(kBdf) + 2, 2, value); }
};

TEST_F(Msix, QwordWriteOfDataAndControlUnmasksWithTheNewData) {
    bench.program_msix_entry(kTable, 0, kMsiAddress, 0x30, true);
    control(0x8000);
    EXPECT_EQ(function->signal_vector(0), InterruptOutcome::Pending);
    EXPECT_EQ(bench.mmio_read(kPba, 8), 1u);
    // One QWORD access writes Message Data = 0x31 and Vector Control = 0 (unmask) together.
    bench.mmio_write(kTable + 0x8, 8, 0x0000'0000'0000'0031ULL);
    ASSERT_EQ(bench.interrupts(), 1u);
    EXPECT_EQ(bench.apic.messages[0].data, 0x31u);
    EXPECT_EQ(bench.mmio_read(kPba, 8), 0u);
    // QWORD reads return both dwords.
    EXPECT_EQ(bench.mmio_read(kTable + 0x0, 8), kMsiAddress);
}

TEST_F(Msix, FunctionMaskAndVectorMaskBothHold) {
    for (unsigned vector = 0; vector < 4; ++vector) {
        bench.program_msix_entry(kTable, vector, kMsiAddress, 0x40 + vector, vector == 2);
    }
    control(0xC000);
    function->signal_vector(1);
    function->signal_vector(2);
    EXPECT_EQ(bench.mmio_read(kPba), 0b110u);
    control(0x8000); // function mask off: vector 1 goes, vector 2 stays pending (its own mask)
    ASSERT_EQ(bench.interrupts(), 1u);
    EXPECT_EQ(bench.apic.messages[0].data, 0x41u);
    EXPECT_EQ(bench.mmio_read(kPba), 0b100u);
    bench.mmio_write(kTable + 2 * 16 + 0xC, 4, 0);
    ASSERT_EQ(bench.interrupts(), 2u);
    EXPECT_EQ(bench.apic.messages[1].data, 0x42u);
    EXPECT_EQ(bench.mmio_read(kPba), 0u);
}

TEST_F(Msix, DisabledThenEnabledDeliversPendingOnce) {
    bench.program_msix_entry(kTable, 3, kMsiAddress, 0x77, false);
    // A vector's event while Enable = 0 is masked (§2.6): the capability latches it in the PBA.
    EXPECT_EQ(function->msix()->fire(3), InterruptOutcome::Pending);
    EXPECT_EQ(function->signal_vector(3), InterruptOutcome::UseIntx); // the function itself uses INTx
    control(0x8000);
    ASSERT_EQ(bench.interrupts(), 1u);
    EXPECT_EQ(bench.apic.messages[0].data, 0x77u);
}

TEST_F(Msix, TableRewritesWhileEnabledTakeEffectAtNextMessage) {
    bench.program_msix_entry(kTable, 1, kMsiAddress, 0x41, false);
    control(0x8000);
    function->signal_vector(1);
    // Rewrite the unmasked entry (the spec calls this undefined; the model latches at send time).
    bench.mmio_write(kTable + 16 + 0x0, 4, 0xFEE0'2000);
    bench.mmio_write(kTable + 16 + 0x8, 4, 0x42);
    function->signal_vector(1);
    ASSERT_EQ(bench.interrupts(), 2u);
    EXPECT_EQ(bench.apic.messages[0].address, kMsiAddress);
    EXPECT_EQ(bench.apic.messages[0].data, 0x41u);
    EXPECT_EQ(bench.apic.messages[1].address, 0xFEE0'2000u);
    EXPECT_EQ(bench.apic.messages[1].data, 0x42u);
    EXPECT_EQ(function->counters().msix_unmasked_entry_writes, 2u);
}

TEST_F(Msix, SixtyFourBitAddressesAndBarAboveFourGiB) {
    // Move BAR2 above 4 GiB: the table is reached there and only there.
    constexpr std::uint64_t kHigh = 0x8'0000'0000ULL;
    bench.cfg_write(kBdf, 0x18, 4, static_cast<std::uint32_t>(kHigh));
    bench.cfg_write(kBdf, 0x1C, 4, static_cast<std::uint32_t>(kHigh >> 32));
    EXPECT_EQ(function->bar(2).address(), kHigh);
    bench.program_msix_entry(kHigh, 0, kMsiAddress, 0x41, false);
    EXPECT_EQ(bench.mmio_read(kHigh + 0x8), 0x41u);
    EXPECT_EQ(bench.mmio_read(kTable + 0x8), 0xFFFF'FFFFu); // old place: nothing decodes
    // An entry with a non-zero upper address is a plain 64-bit memory write, not an interrupt:
    // here it points at the fake RAM's alias-free region above 4 GiB, which does not exist -> UR.
    bench.program_msix_entry(kHigh, 1, 0x1'FEE0'0000ULL, 0x42, false);
    control(0x8000);
    EXPECT_EQ(function->signal_vector(1), InterruptOutcome::Sent); // posted: it left the function
    EXPECT_EQ(bench.interrupts(), 0u);
    EXPECT_EQ(function->counters().msi_bad_address, 1u);
    EXPECT_EQ(bench.rc.counters().unsupported_requests, 1u);
    EXPECT_NE(bench.cfg_read(kBdf, kStatus, 2) & kStatusReceivedMasterAbort, 0u);
    // A 64-bit entry whose upper half is 0 is an ordinary interrupt.
    function->signal_vector(0);
    EXPECT_EQ(bench.interrupts(), 1u);
}

TEST_F(Msix, WrongWidthAndPbaWritesAreCountedAndIgnored) {
    bench.program_msix_entry(kTable, 0, kMsiAddress, 0x41, true);
    // Byte and word accesses, and a misaligned dword.
    EXPECT_EQ(bench.mmio_read(kTable + 0x8, 1), 0xFFu);
    EXPECT_EQ(bench.mmio_read(kTable + 0x8, 2), 0xFFFFu);
    EXPECT_EQ(bench.mmio_read(kTable + 0xA, 4), 0xFFFF'FFFFu);
    bench.mmio_write(kTable + 0xC, 1, 0); // would unmask if accepted
    bench.mmio_write(kTable + 0x9, 4, 0x99);
    bench.mmio_write(kTable + 0x4, 8, 0); // QWORD not QWORD aligned
    EXPECT_EQ(function->msix()->entry(0).data, 0x41u);
    EXPECT_TRUE(function->msix()->entry(0).masked());
    EXPECT_EQ(function->counters().msix_bad_access, 6u);
    // PBA is read-only.
    control(0x8000);
    function->signal_vector(0);
    bench.mmio_write(kPba, 8, 0);
    EXPECT_EQ(bench.mmio_read(kPba), 1u);
    EXPECT_EQ(function->counters().msix_pba_writes, 1u);
    EXPECT_EQ(function->bad_accesses(), 7u);
}

TEST_F(Msix, VectorBeyondTableIsCountedAndDropped) {
    control(0x8000);
    EXPECT_EQ(function->signal_vector(4), InterruptOutcome::InvalidVector);
    EXPECT_EQ(function->counters().vector_out_of_range, 1u);
    EXPECT_TRUE(bench.log.empty());
}

TEST_F(Msix, ConstructionRejectsTableThatDoesNotFit) {
    GenericFunction bad("bad");
    bad.add_bar(0, {.kind = BarKind::Memory32, .size = 4096});
    EXPECT_THROW(
        bad.add_msix({.vectors = 300, .table_bar = 0, .table_offset = 0, .pba_bar = 0, .pba_offset = 0xF00}),
        std::logic_error);
    EXPECT_THROW(
        bad.add_msix({.vectors = 4, .table_bar = 0, .table_offset = 0, .pba_bar = 0, .pba_offset = 0x20}),
        std::logic_error); // PBA overlaps the table
    EXPECT_THROW(
        bad.add_msix({.vectors = 4, .table_bar = 1, .table_offset = 0, .pba_bar = 0, .pba_offset = 0x800}),
        std::logic_error); // BAR1 not implemented
}

struct HopRecorder : InterruptPathObserver {
    void on_hop(const InterruptHop& hop) override { hops.push_back(hop); }
    std::vector<InterruptHop> hops;
};

TEST_F(Msix, DeviceMessageHopIsReported) {
    HopRecorder recorder;
    function->set_interrupt_observer(&recorder);
    bench.program_msix_entry(kTable, 2, 0xFEE0'5000, 0x4A, false);
    control(0x8000);
    function->signal_vector(2);
    ASSERT_EQ(recorder.hops.size(), 1u);
    EXPECT_EQ(recorder.hops[0].kind, HopKind::DeviceMessage);
    EXPECT_EQ(recorder.hops[0].vector, 0x4A);
    EXPECT_EQ(recorder.hops[0].detail, 0xFEE0'5000u);
    EXPECT_STREQ(recorder.hops[0].source, "dev");
    // Blocked messages never left the device: no hop.
    bench.cfg_write(kBdf, kCommand, 2, kCommandMemory);
    function->signal_vector(2);
    EXPECT_EQ(recorder.hops.size(), 1u);
}

TEST_F(Msix, MetricsAndDump) {
    bench.program_msix_entry(kTable, 0, kMsiAddress, 0x41, true);
    control(0x8000);
    function->signal_vector(0);
    bench.mmio_write(kTable + 0xC, 4, 0);
    function->signal_vector(0);
    MetricRecorder metrics;
    function->report_metrics(metrics);
    EXPECT_EQ(metrics.counters.at("interrupts"), 2u);
    EXPECT_EQ(metrics.counters.at("msix_sent"), 2u);
    EXPECT_EQ(metrics.counters.at("msix_pending_set"), 1u);
    EXPECT_EQ(metrics.counters.at("msix_pending_delivered"), 1u);
    EXPECT_EQ(metrics.counters.at("bus_master_blocked"), 0u);
    EXPECT_EQ(metrics.counters.at("bad_accesses"), 0u);
    const auto text = function->dump_interrupts();
    EXPECT_NE(text.find("MSI-X @0x58: enable 1 function-mask 0 vectors 4"), std::string::npos) << text;
    EXPECT_NE(text.find("[0] address 0x00000000fee01000 data 0x00000041 control 0x00000000 pending 0"),
              std::string::npos)
        << text;
    const auto config = function->dump_config(0x70);
    EXPECT_NE(config.find("000: 34 12 78 56"), std::string::npos) << config;
    EXPECT_NE(config.find("BAR2 mem64 size 0x4000 @ 0xc0010000"), std::string::npos) << config;
}

} // namespace
} // namespace x86sim::test
