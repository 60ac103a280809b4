// The DMA and interrupt test device (models/testdev): identity, registers, INTx mode, DMA timing and
// ordering (vtd-pci-nvme.md §2.7), error paths, reset, metrics.
#include "models/testdev/test_device.h"
#include "tests/models/pci/pci_bench.h"
#include "tests/support/sim_test.h"

#include <gtest/gtest.h>

namespace x86sim::test {
namespace {

using namespace models;
using namespace models::pci;
using Reg = TestDevice::Reg;

constexpr PciBdf kBdf{.bus = 0, .device = 4, .function = 0}; // pin A -> PIRQ A -> IOAPIC 16
constexpr unsigned kIntxInput = 16;
constexpr std::uint64_t kBar0 = 0xC000'0000;
constexpr std::uint64_t kBar2 = 0xC001'0000;
constexpr std::uint16_t kMsixControl = 0x58 + 2; // MSI (64-bit, masked) at 0x40, MSI-X next

// run_until_ps stops before the events of the end time; running again for zero time processes them.
void run_through_ps(std::uint64_t time_ps) {
    run_until_ps(time_ps);
    run_until_ps(time_ps);
}

struct TestDev : ::testing::Test {
    PciBench bench;
    TestDevice device{"storm0"};
    void SetUp() override {
        bench.rc.attach(device, kBdf);
        bench.assign(kBdf, kBar0, kBar2);
    }
    std::uint64_t reg_read(std::uint16_t offset, unsigned size = 4) {
        return bench.mmio_read(kBar0 + offset, size);
    }
    void reg_write(std::uint16_t offset, std::uint64_t value, unsigned size = 4) {
        bench.mmio_write(kBar0 + offset, size, value);
    }
    void enable_msix(unsigned vectors = 4) {
        for (unsigned vector = 0; vector < vectors; ++vector) {
            bench.program_msix_entry(kBar2, vector, kMsiAddress, 0x40 + vector, false);
        }
        bench.cfg_write(kBdf, kMsixControl, 2, 0x8000);
    }
};

TEST_F(TestDev, IdentityBarsAndCapabilities) {
    EXPECT_EQ(bench.cfg_read(kBdf, 0x00), 0x7E57'5853u);
    EXPECT_EQ(bench.cfg_read(kBdf, 0x08), 0xFF00'0001u);
    EXPECT_EQ(bench.cfg_read(kBdf, 0x2C), 0x0001'5853u);
    EXPECT_EQ(bench.cfg_read(kBdf, kInterruptPin, 1), 1u);
    EXPECT_EQ(reg_read(Reg::kRegId), TestDevice::kIdRegister);
    EXPECT_EQ(reg_read(Reg::kRegCaps), 4u | 4u << 16);
    EXPECT_EQ(bench.msix_cap(kBdf), 0x58);
    for (std::uint16_t offset = 0x10; offset <= 0x1C; offset += 4) {
        bench.cfg_write(kBdf, offset, 4, 0xFFFF'FFFF);
    }
    EXPECT_EQ(bench.cfg_read(kBdf, 0x10), 0xFFFF'F000u); // 4 KiB registers
    EXPECT_EQ(bench.cfg_read(kBdf, 0x14), 0xFFFF'FFE1u); // 32-byte I/O alias
    EXPECT_EQ(bench.cfg_read(kBdf, 0x18), 0xFFFF'C004u); // 16 KiB 64-bit MSI-X BAR
    EXPECT_EQ(bench.cfg_read(kBdf, 0x1C), 0xFFFF'FFFFu);
}

TEST_F(TestDev, MoreVectorsGrowTheMsixBar) {
    TestDevice big("big", {.msix_vectors = 1000});
    EXPECT_EQ(big.msix()->vectors(), 1000u);
    EXPECT_EQ(big.bar(2).spec().size, 32u * 1024); // table 16 000 B, PBA at 0x4000
    EXPECT_EQ(big.config_peek(0x58 + 8, 4), 0x4000u | 2u);
}

TEST_F(TestDev, FireOnceAndNTimesThroughRegisters) {
    enable_msix();
    reg_write(Reg::kRegVector, 1);
    reg_write(Reg::kRegCommand, TestDevice::kCmdFire);
    reg_write(Reg::kRegCount, 5);
    reg_write(Reg::kRegVector, 3);
    reg_write(Reg::kRegCommand, TestDevice::kCmdFireN);
    ASSERT_EQ(bench.interrupts(), 6u);
    EXPECT_EQ(bench.apic.messages[0].data, 0x41u);
    EXPECT_EQ(bench.apic.messages[5].data, 0x43u);
    EXPECT_EQ(reg_read(Reg::kRegFired, 8), 6u);
    EXPECT_EQ(reg_read(Reg::kRegCommand), 0u) << "write-only";
    reg_write(Reg::kRegCommand, 99);
    EXPECT_EQ(device.device_counters().bad_commands, 1u);
    // The C++ API does the same.
    device.fire(0, 2);
    EXPECT_EQ(bench.interrupts(), 8u);
    EXPECT_EQ(device.device_counters().fired, 8u);
}

TEST_F(TestDev, FireUsesMsiWhenOnlyMsiIsEnabled) {
    bench.cfg_write(kBdf, 0x44, 4, kMsiAddress);
    bench.cfg_write(kBdf, 0x4C, 2, 0x50);
    bench.cfg_write(kBdf, 0x42, 2, 0b010 << 4 | 1);
    device.fire(2);
    ASSERT_EQ(bench.interrupts(), 1u);
    EXPECT_EQ(bench.apic.messages[0].data, 0x52u);
    EXPECT_EQ(device.counters().msi_sent, 1u);
}

TEST_F(TestDev, IntxModeLatchesUntilSoftwareClears) {
    device.fire(2);
    EXPECT_EQ(reg_read(Reg::kRegIntStatus), 0b100u);
    EXPECT_TRUE(bench.ioapic.at(kIntxInput));
    EXPECT_NE(bench.cfg_read(kBdf, kStatus, 2) & kStatusInterrupt, 0u);
    reg_write(Reg::kRegIntStatus, 0b100); // W1C
    EXPECT_FALSE(bench.ioapic.at(kIntxInput));
    // Software-controlled level through INTX.
    reg_write(Reg::kRegIntx, 1);
    EXPECT_TRUE(bench.ioapic.at(kIntxInput));
    device.set_intx(false);
    EXPECT_FALSE(bench.ioapic.at(kIntxInput));
    EXPECT_EQ(reg_read(Reg::kRegIntx), 0u);
    EXPECT_EQ(bench.interrupts(), 0u);
}

TEST_F(TestDev, IoBarAliasesTheFirstRegisters) {
    bench.cfg_write(kBdf, 0x14, 4, 0xC100);
    bench.cfg_write(kBdf, kCommand, 2, kCommandIo | kCommandMemory | kCommandBusMaster);
    std::uint32_t value = 0;
    bench.rc.io_read(0xC100, 4, value);
    EXPECT_EQ(value, TestDevice::kIdRegister);
    bench.rc.io_write(0xC108, 4, 7);
    EXPECT_EQ(reg_read(Reg::kRegVector), 7u);
}

TEST_F(TestDev, DmaWriteTimingOrderAndCompletion) {
    enable_msix();
    run_until_ps(1'000'000);
    ASSERT_TRUE(device.dma_write(0x20000, 4096, 0xA5A5'5A5A,
                                 {.interrupt = true, .vector = 2, .completion_address = 0x30000}));
    // 16 x 256-B TLPs back to back + 200 ns posted latency (see upstream_port_test.cpp).
    constexpr std::uint64_t kDone = 1'000'000 + 1'321'280;
    EXPECT_EQ(device.dma_completion_time_ps(), kDone);
    EXPECT_FALSE(device.dma_write(0x40000, 16, 0)) << "one transfer in flight";
    EXPECT_EQ(reg_read(Reg::kRegStatus) & 2, 2u);
    run_until_ps(kDone - 1);
    EXPECT_TRUE(device.dma_busy());
    EXPECT_EQ(bench.interrupts(), 0u);
    run_through_ps(kDone);
    EXPECT_FALSE(device.dma_busy());
    EXPECT_EQ(reg_read(Reg::kRegDmaStatus), TestDevice::kDmaDone);
    EXPECT_EQ(reg_read(Reg::kRegDmaSequence), 1u);
    EXPECT_EQ(bench.memory.dword(0x20000), 0xA5A5'5A5Au);
    EXPECT_EQ(bench.memory.dword(0x20FFC), 0xA5A5'5A5Au);
    EXPECT_EQ(bench.memory.dword(0x30000), 0x8000'0001u);
    // One sequence: 16 data TLPs at the start, then the completion record, then the MSI-X message.
    ASSERT_EQ(bench.log.size(), 18u);
    for (std::size_t i = 0; i < 16; ++i) {
        EXPECT_EQ(bench.log[i].kind, LoggedEvent::Kind::MemoryWrite);
        EXPECT_EQ(bench.log[i].time_ps, 1'000'000u);
    }
    EXPECT_EQ(bench.log[16].kind, LoggedEvent::Kind::MemoryWrite);
    EXPECT_EQ(bench.log[16].address, 0x30000u);
    EXPECT_EQ(bench.log[16].time_ps, kDone);
    EXPECT_EQ(bench.log[17].kind, LoggedEvent::Kind::Interrupt);
    EXPECT_EQ(bench.log[17].data, 0x42u);
    EXPECT_EQ(bench.log[17].time_ps, kDone);
    EXPECT_EQ(device.device_counters().dma_bytes, 4096u);
    EXPECT_EQ(device.device_counters().dma_rejected, 1u);
    // DONE is W1C.
    reg_write(Reg::kRegDmaStatus, TestDevice::kDmaDone);
    EXPECT_EQ(reg_read(Reg::kRegDmaStatus), 0u);
}

TEST_F(TestDev, DmaReadThroughRegisters) {
    enable_msix();
    std::vector<std::uint8_t> data(256);
    std::uint32_t sum = 0;
    for (std::size_t i = 0; i < data.size(); ++i) {
        data[i] = static_cast<std::uint8_t>(i * 7);
        sum += data[i];
    }
    bench.memory.fill(0x1000, data);
    reg_write(Reg::kRegDmaAddress, 0x1000, 8);
    reg_write(Reg::kRegDmaLength, 256);
    reg_write(Reg::kRegDmaVector, 1);
    reg_write(Reg::kRegDmaControl, TestDevice::kDmaStart | TestDevice::kDmaInterrupt);
    EXPECT_EQ(reg_read(Reg::kRegDmaStatus), TestDevice::kDmaBusy);
    run_until_ps(790'395 - 1);
    EXPECT_EQ(bench.interrupts(), 0u);
    run_through_ps(790'395); // request + 700 ns + 4 completions (upstream_port_test.cpp)
    ASSERT_EQ(bench.interrupts(), 1u);
    EXPECT_EQ(bench.apic.messages[0].data, 0x41u);
    EXPECT_EQ(reg_read(Reg::kRegDmaSum), sum);
    EXPECT_EQ(device.dma_buffer()[255], data[255]);
    EXPECT_EQ(reg_read(Reg::kRegDmaStatus), TestDevice::kDmaDone);
}

TEST_F(TestDev, DmaWithBusMasterOffFailsAndStillInterruptsOverIntx) {
    bench.cfg_write(kBdf, kCommand, 2, kCommandMemory); // no BME
    ASSERT_TRUE(device.dma_write(0x5000, 64, 0x11111111, {.interrupt = true, .completion_address = 0x6000}));
    run_until_ps(1'000'000);
    EXPECT_EQ(device.dma_status(), TestDevice::kDmaDone | TestDevice::kDmaError);
    EXPECT_TRUE(bench.log.empty()) << "nothing may reach memory";
    EXPECT_EQ(bench.memory.dword(0x5000), 0u);
    // INTx needs no bus mastering: the completion shows as INT_STATUS bit 31 and the pin.
    EXPECT_EQ(reg_read(Reg::kRegIntStatus), 0x8000'0000u);
    EXPECT_TRUE(bench.ioapic.at(kIntxInput));
    EXPECT_EQ(device.device_counters().dma_errors, 1u);
    EXPECT_EQ(device.upstream().stats().bus_master_blocked, 1u);
}

TEST_F(TestDev, StrayDmaOutsideMemoryIsAnUnsupportedRequest) {
    ASSERT_TRUE(device.dma_write(0x4000'0000, 4096, 0));
    run_until_ps(2'000'000);
    EXPECT_EQ(device.dma_status(), TestDevice::kDmaDone | TestDevice::kDmaError);
    EXPECT_EQ(bench.rc.counters().unsupported_requests, 16u);
    EXPECT_NE(bench.cfg_read(kBdf, kStatus, 2) & kStatusReceivedMasterAbort, 0u);
    EXPECT_FALSE(device.dma_write(0, 128 * 1024, 0)) << "longer than the buffer";
    EXPECT_EQ(device.device_counters().dma_rejected, 1u);
}

TEST_F(TestDev, ResetStopsEngineAndClearsState) {
    enable_msix();
    device.storm(0, 1'000'000, 1'000'000'000);
    device.dma_write(0x1000, 64, 1, {.interrupt = true});
    reg_write(Reg::kRegVector, 3);
    run_until_ps(10'000'000);
    const auto delivered = bench.interrupts();
    EXPECT_EQ(delivered, 10u + 1u); // storm messages at 0..9 us, DMA completion
    device.reset();
    EXPECT_FALSE(device.storm_running());
    EXPECT_EQ(device.config_peek(kCommand, 2), 0u);
    EXPECT_FALSE(device.msix_enabled());
    run_until_ps(20'000'000);
    EXPECT_EQ(bench.interrupts(), delivered);
    bench.assign(kBdf, kBar0, kBar2);
    EXPECT_EQ(reg_read(Reg::kRegVector), 0u);
}

TEST_F(TestDev, Metrics) {
    enable_msix();
    device.fire(0, 3);
    device.dma_write(0x1000, 512, 0);
    run_until_ps(5'000'000);
    MetricRecorder metrics;
    device.report_metrics(metrics);
    EXPECT_EQ(metrics.counters.at("fired"), 3u);
    EXPECT_EQ(metrics.counters.at("interrupts"), 3u);
    EXPECT_EQ(metrics.counters.at("msix_sent"), 3u);
    EXPECT_EQ(metrics.counters.at("dma_bytes"), 512u);
    EXPECT_EQ(metrics.counters.at("dma_transfers"), 1u);
    EXPECT_EQ(metrics.counters.at("upstream.bytes_written"), 512u + 3 * 4u); // data + three MSI-X DWORDs
    EXPECT_EQ(metrics.counters.at("bad_accesses"), 0u);
}

} // namespace
} // namespace x86sim::test
