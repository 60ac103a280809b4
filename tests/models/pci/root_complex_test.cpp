// Root complex: legacy 0xCF8/0xCFC configuration access (§2.2), BAR kinds and decoding (§2.3, §2.1),
// overlapping BARs, upstream routing, Unsupported Requests and the translator hook (§2.7).
#include "tests/models/pci/pci_bench.h"

#include <gtest/gtest.h>

namespace x86sim::test {
namespace {

using namespace models;
using namespace models::pci;

std::uint32_t cf8(const PciBdf& bdf, std::uint8_t reg) {
    return 0x8000'0000u | static_cast<std::uint32_t>(bdf.bus) << 16 |
           static_cast<std::uint32_t>(bdf.device) << 11 | static_cast<std::uint32_t>(bdf.function) << 8 | reg;
}

TEST(PciRootComplex, LegacyConfigMechanism) {
    PciBench bench;
    auto function = make_standard_function("dev", 0xABCD);
    const PciBdf bdf{.bus = 0, .device = 3, .function = 0};
    bench.rc.attach(*function, bdf);
    std::uint32_t value = 0;
    bench.rc.io_write(0xCF8, 4, cf8(bdf, 0x00));
    bench.rc.io_read(0xCFC, 4, value);
    EXPECT_EQ(value, 0xABCD'1234u);
    bench.rc.io_read(0xCFE, 2, value); // device ID through the upper half of the data port
    EXPECT_EQ(value, 0xABCDu);
    bench.rc.io_read(0xCFD, 1, value);
    EXPECT_EQ(value, 0x12u);
    // CONFIG_ADDRESS reads back with reserved bits 30:24 and 1:0 clear.
    bench.rc.io_write(0xCF8, 4, 0xFF00'1803);
    bench.rc.io_read(0xCF8, 4, value);
    EXPECT_EQ(value, 0x8000'1800u);
    // Write Command through 0xCFC (word at offset 4).
    bench.rc.io_write(0xCF8, 4, cf8(bdf, 0x04));
    bench.rc.io_write(0xCFC, 2, kCommandMemory);
    EXPECT_TRUE(function->memory_enabled());
    // Enable bit clear: no configuration cycle, the data port floats high.
    bench.rc.io_write(0xCF8, 4, cf8(bdf, 0x00) & 0x7FFF'FFFF);
    bench.rc.io_read(0xCFC, 4, value);
    EXPECT_EQ(value, 0xFFFF'FFFFu);
    // Absent function.
    bench.rc.io_write(0xCF8, 4, cf8({.bus = 0, .device = 9}, 0x00));
    bench.rc.io_read(0xCFC, 4, value);
    EXPECT_EQ(value, 0xFFFF'FFFFu);
    // Byte access to CONFIG_ADDRESS and a misaligned data access are not configuration cycles.
    EXPECT_EQ(bench.rc.io_write(0xCF8, 1, 0).status, AccessStatus::BadSize);
    EXPECT_EQ(bench.rc.io_read(0xCFD, 2, value).status, AccessStatus::Misaligned);
    EXPECT_EQ(bench.rc.counters().config_bad_access, 2u);
    // Port I/O costs ~1 us (lapic-pit-msi.md §6 row 5).
    EXPECT_EQ(bench.rc.io_read(0xCFC, 4, value).delay_ps, 1'000'000u);
}

TEST(PciRootComplex, BarKindsProbeAsSpecified) {
    PciBench bench;
    GenericFunction f("bars");
    f.add_bar(0, {.kind = BarKind::Io, .size = 32});
    f.add_bar(1, {.kind = BarKind::Memory32, .size = 1 << 20, .prefetchable = true});
    f.add_bar(2, {.kind = BarKind::Memory64, .size = 1ULL << 33, .prefetchable = true}); // 8 GiB
    const PciBdf bdf{.bus = 0, .device = 1};
    bench.rc.attach(f, bdf);
    EXPECT_EQ(bench.cfg_read(bdf, 0x10), 0x1u);
    EXPECT_EQ(bench.cfg_read(bdf, 0x14), 0x8u);
    EXPECT_EQ(bench.cfg_read(bdf, 0x18), 0xCu);
    for (std::uint16_t offset = 0x10; offset <= 0x24; offset += 4) {
        bench.cfg_write(bdf, offset, 4, 0xFFFF'FFFF);
    }
    EXPECT_EQ(bench.cfg_read(bdf, 0x10), 0xFFFF'FFE1u); // I/O 32 bytes
    EXPECT_EQ(bench.cfg_read(bdf, 0x14), 0xFFF0'0008u); // 1 MiB prefetchable
    EXPECT_EQ(bench.cfg_read(bdf, 0x18), 0x0000'000Cu); // 8 GiB: no low address bits
    EXPECT_EQ(bench.cfg_read(bdf, 0x1C), 0xFFFF'FFFEu);
    EXPECT_EQ(bench.cfg_read(bdf, 0x20), 0u); // unimplemented reads back 0
    EXPECT_EQ(bench.cfg_read(bdf, 0x24), 0u);
    EXPECT_EQ(bench.cfg_read(bdf, kExpansionRom), 0u);
    bench.cfg_write(bdf, kExpansionRom, 4, 0xFFFF'F800);
    EXPECT_EQ(bench.cfg_read(bdf, kExpansionRom), 0u);
    // Sizing unimplemented BARs is legitimate: not counted as garbage.
    EXPECT_EQ(f.config_stats().read_only_writes, 0u);
    EXPECT_THROW(f.add_bar(5, {.kind = BarKind::Memory64, .size = 4096}), std::logic_error);
    EXPECT_THROW(GenericFunction("x").add_bar(0, {.kind = BarKind::Memory32, .size = 3000}),
                 std::invalid_argument);
}

TEST(PciRootComplex, IoBarDecodeFollowsCommandIo) {
    PciBench bench;
    GenericFunction f("io");
    f.add_bar(0, {.kind = BarKind::Io, .size = 32});
    const PciBdf bdf{.bus = 0, .device = 1};
    bench.rc.attach(f, bdf);
    bench.cfg_write(bdf, 0x10, 4, 0xC000);
    f.scratch[0x4] = 0x5A;
    std::uint32_t value = 0;
    bench.rc.io_read(0xC004, 1, value);
    EXPECT_EQ(value, 0xFFu);
    EXPECT_EQ(bench.rc.counters().io_unclaimed, 1u);
    bench.cfg_write(bdf, kCommand, 2, kCommandIo);
    bench.rc.io_read(0xC004, 1, value);
    EXPECT_EQ(value, 0x5Au);
    bench.rc.io_read(0xC020, 1, value); // just past the 32-byte window
    EXPECT_EQ(value, 0xFFu);
}

TEST(PciRootComplex, OverlappingBarsAreCountedAtDecodeTime) {
    PciBench bench;
    auto a = make_standard_function("a");
    auto b = make_standard_function("b");
    bench.rc.attach(*a, {.bus = 0, .device = 1});
    bench.rc.attach(*b, {.bus = 0, .device = 2});
    bench.assign({.bus = 0, .device = 1}, 0xC000'0000, 0xC001'0000);
    bench.assign({.bus = 0, .device = 2}, 0xC000'0000, 0xC002'0000); // BAR0 collides with a's
    EXPECT_EQ(bench.rc.counters().bar_overlaps, 0u) << "detected when decoded, not when programmed";
    a->scratch[0] = 0xA;
    b->scratch[0] = 0xB;
    EXPECT_EQ(bench.mmio_read(0xC000'0000), 0xAu) << "lowest BDF answers";
    EXPECT_EQ(bench.rc.counters().bar_overlaps, 1u);
    EXPECT_EQ(bench.mmio_read(0xC002'0000 + 0x8), 0u); // b's MSI-X table: no conflict
    EXPECT_EQ(bench.rc.counters().bar_overlaps, 1u);
    // Turning a's memory decoding off resolves it.
    bench.cfg_write({.bus = 0, .device = 1}, kCommand, 2, 0);
    EXPECT_EQ(bench.mmio_read(0xC000'0000), 0xBu);
    EXPECT_EQ(bench.rc.counters().bar_overlaps, 1u);
    MetricRecorder metrics;
    bench.rc.report_metrics(metrics);
    EXPECT_EQ(metrics.counters.at("bar_overlaps"), 1u);
    EXPECT_NE(bench.rc.dump().find("00:02.0 b [1234:5678] class 010802"), std::string::npos)
        << bench.rc.dump();
}

TEST(PciRootComplex, MemoryWindowIsRelativeToItsBase) {
    PciBench bench;
    auto f = make_standard_function("f");
    bench.rc.attach(*f, {.bus = 0, .device = 1});
    bench.assign({.bus = 0, .device = 1}, 0x8000'1000, 0x8001'0000);
    f->scratch[0x20] = 0x77;
    std::uint64_t value = 0;
    const auto result = bench.rc.memory_window().mmio_read(0x1020, 4, value);
    EXPECT_EQ(value, 0x77u);
    EXPECT_EQ(result.delay_ps, 850'000u); // non-posted read round trip (§2.7 estimate)
    EXPECT_EQ(bench.rc.memory_window().mmio_write(0x1020, 4, 1).delay_ps, 0u); // posted
}

TEST(PciRootComplex, UnsupportedRequestsAreCountedNeverFatal) {
    PciBench bench;
    auto f = make_standard_function("f");
    const PciBdf bdf{.bus = 0, .device = 1};
    bench.rc.attach(*f, bdf);
    bench.cfg_write(bdf, kCommand, 2, kCommandBusMaster);
    std::vector<std::uint8_t> data(64, 0x5A);
    EXPECT_EQ(f->upstream().write(kMemoryBytes - 32, data).status, UpstreamStatus::UnsupportedRequest);
    std::vector<std::uint8_t> in(16, 0);
    EXPECT_EQ(f->upstream().read(0x4000'0000, in).status, UpstreamStatus::UnsupportedRequest);
    EXPECT_EQ(in[0], 0xFF) << "UR completion data reads as all ones";
    EXPECT_EQ(f->upstream().read(0xFEE0'0000, in).status, UpstreamStatus::UnsupportedRequest);
    EXPECT_EQ(bench.rc.counters().unsupported_requests, 3u);
    EXPECT_EQ(f->upstream().stats().unsupported_requests, 3u);
    // Status.Received Master Abort is set, and is RW1C.
    EXPECT_NE(bench.cfg_read(bdf, kStatus, 2) & kStatusReceivedMasterAbort, 0u);
    bench.cfg_write(bdf, kStatus, 2, kStatusReceivedMasterAbort);
    EXPECT_EQ(bench.cfg_read(bdf, kStatus, 2) & kStatusReceivedMasterAbort, 0u);
    EXPECT_NE(bench.cfg_read(bdf, kStatus, 2) & kStatusCapabilities, 0u) << "RO bit survives the RW1C write";
}

TEST(PciRootComplex, DmaIntoInterruptRangeBecomesAnInterrupt) {
    PciBench bench;
    auto f = make_standard_function("f");
    bench.rc.attach(*f, {.bus = 0, .device = 1});
    bench.cfg_write({.bus = 0, .device = 1}, kCommand, 2, kCommandBusMaster);
    const std::uint8_t dword[4] = {0x41, 0, 0, 0};
    EXPECT_EQ(f->upstream().write(0xFEE0'0000, dword).status, UpstreamStatus::Ok);
    ASSERT_EQ(bench.interrupts(), 1u);
    EXPECT_EQ(bench.apic.messages[0].data, 0x41u);
    EXPECT_EQ(bench.rc.counters().dma_writes_to_interrupt_range, 1u);
    const std::uint8_t qword[8] = {};
    EXPECT_EQ(f->upstream().write(0xFEE0'0000, qword).status, UpstreamStatus::UnsupportedRequest);
    EXPECT_EQ(bench.rc.counters().malformed_interrupt_writes, 1u);
    EXPECT_EQ(bench.interrupts(), 1u);
}

struct OffsetTranslator : UpstreamTranslator {
    Translation translate(const UpstreamRequest& request) override {
        requests.push_back(request);
        if (request.address >= 0x10'0000) {
            return {UpstreamStatus::TranslationFault, 0, 50'000};
        }
        return {UpstreamStatus::Ok, request.address + 0x8000, 100'000};
    }
    std::vector<UpstreamRequest> requests;
};

TEST(PciRootComplex, TranslatorIsConsultedPerDmaTlpNotForInterrupts) {
    PciBench bench;
    auto f = make_standard_function("f");
    const PciBdf bdf{.bus = 2, .device = 1, .function = 0};
    bench.rc.attach(*f, bdf);
    bench.cfg_write(bdf, kCommand, 2, kCommandBusMaster);
    OffsetTranslator translator;
    bench.rc.set_translator(&translator);
    std::vector<std::uint8_t> data(512, 0x11);
    const auto result = f->upstream().write(0x1000, data);
    EXPECT_EQ(result.status, UpstreamStatus::Ok);
    ASSERT_EQ(translator.requests.size(), 2u); // two 256-byte TLPs
    EXPECT_EQ(translator.requests[0].requester_id, 0x0208);
    EXPECT_EQ(translator.requests[1].address, 0x1100u);
    EXPECT_EQ(bench.memory.byte(0x9000), 0x11);
    EXPECT_EQ(bench.memory.byte(0x1000), 0x00);
    // The translation latency delays the write: 2 x 70 080 ps serialisation + 200 ns + 100 ns.
    EXPECT_EQ(result.delay_ps, 2 * 70'080u + 200'000u + 100'000u);
    EXPECT_EQ(f->upstream().write(0x10'0000, data).status, UpstreamStatus::TranslationFault);
    EXPECT_EQ(bench.rc.counters().translation_faults, 2u);
    const std::uint8_t msi[4] = {0x41, 0, 0, 0};
    f->upstream().write(0xFEE0'0000, msi);
    EXPECT_EQ(translator.requests.size(), 4u) << "interrupt-range writes bypass DMA remapping";
    EXPECT_EQ(bench.interrupts(), 1u);
}

} // namespace
} // namespace x86sim::test
