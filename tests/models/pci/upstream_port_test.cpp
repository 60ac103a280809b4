// The upstream port (vtd-pci-nvme.md §2.7): exact link timing with the default parameters, TLP
// splitting, ordering of posted writes and read completions, and configurable parameters.
//
// Default timing: Gen3 x4 = 3 938 400 000 B/s; MWr overhead 20 B (32-bit address) / 24 B (64-bit);
// CplD 20 B; posted write latency 200 ns; read latency 700 ns; MPS 256, MRRS 512, RCB 64.
//   MSI (4 B + 20 B)          : ceil(24e12 / 3.9384e9)  =   6 094 ps (+200 000)
//   MSI, 64-bit address       : ceil(28e12 / 3.9384e9)  =   7 110 ps (+200 000)
//   256-B write TLP (276 B)   : 70 080 ps
//   read request (20 B)       :  5 079 ps; 64-B completion (84 B): 21 329 ps
#include "tests/models/pci/pci_bench.h"
#include "tests/support/sim_test.h"

#include <gtest/gtest.h>

namespace x86sim::test {
namespace {

using namespace models;
using namespace models::pci;

struct UpstreamTiming : ::testing::Test {
    PciBench bench;
    std::unique_ptr<GenericFunction> function = make_standard_function("dev");
    const PciBdf bdf{.bus = 0, .device = 1};
    void SetUp() override {
        bench.rc.attach(*function, bdf);
        bench.cfg_write(bdf, kCommand, 2, kCommandBusMaster);
    }
    UpstreamPort& port() { return function->upstream(); }
};

TEST_F(UpstreamTiming, MessageLatency) {
    const auto result = port().send_message({.address = kMsiAddress, .data = 0x41});
    EXPECT_EQ(result.status, UpstreamStatus::Ok);
    EXPECT_EQ(result.delay_ps, 206'094u);
    // Delivered by function calls at the issue time (sim time 0 here), not after the latency.
    ASSERT_EQ(bench.apic.messages.size(), 1u);
    EXPECT_EQ(bench.log.back().time_ps, 0u);
    EXPECT_EQ(bench.apic.messages[0].requester_id, bdf.requester_id());
    // A 64-bit address costs a 4DW header (the write goes to memory here: not an interrupt address).
    port().reset_link_state();
    EXPECT_EQ(port().send_message({.address = 0x1'0000'0000ULL, .data = 0}).delay_ps, 207'110u);
}

TEST_F(UpstreamTiming, FourKiBWriteSplitsAtMaxPayloadSize) {
    std::vector<std::uint8_t> data(4096, 0xEE);
    const auto result = port().write(0x20000, data);
    EXPECT_EQ(result.delay_ps, 16 * 70'080u + 200'000u); // 1 321 280 ps
    EXPECT_EQ(port().stats().tlps, 16u);
    ASSERT_EQ(bench.log.size(), 16u);
    for (std::size_t i = 0; i < 16; ++i) {
        EXPECT_EQ(bench.log[i].address, 0x20000 + 256 * i);
        EXPECT_EQ(bench.log[i].length, 256u);
    }
    // A message issued right behind it queues on the link and arrives after the last data TLP.
    const auto msi = port().send_message({.address = kMsiAddress, .data = 0x41});
    EXPECT_EQ(msi.delay_ps, 16 * 70'080u + 6'094u + 200'000u);
}

TEST_F(UpstreamTiming, WritesDoNotCrossFourKiBBoundaries) {
    std::vector<std::uint8_t> data(512, 1);
    port().write(0xFF0, data);
    ASSERT_EQ(bench.log.size(), 3u);
    EXPECT_EQ(bench.log[0].address, 0xFF0u);
    EXPECT_EQ(bench.log[0].length, 16u);
    EXPECT_EQ(bench.log[1].address, 0x1000u);
    EXPECT_EQ(bench.log[1].length, 256u);
    EXPECT_EQ(bench.log[2].length, 240u);
}

TEST_F(UpstreamTiming, ReadLatencyAndCompletionSplitting) {
    bench.memory.fill(0x1000, std::vector<std::uint8_t>(4096, 0x3C));
    std::vector<std::uint8_t> in(256, 0);
    const auto small = port().read(0x1000, in);
    EXPECT_EQ(small.status, UpstreamStatus::Ok);
    EXPECT_EQ(small.delay_ps, 5'079u + 700'000u + 4 * 21'329u); // 790 395 ps
    EXPECT_EQ(in[255], 0x3C);
    port().reset_link_state();
    std::vector<std::uint8_t> page(4096, 0);
    // 8 requests of 512 B back to back; the completions (64 pieces of 84 B) are the bottleneck.
    const auto large = port().read(0x1000, page);
    EXPECT_EQ(large.delay_ps, 5'079u + 700'000u + 64 * 21'329u); // 2 070 135 ps
    EXPECT_EQ(port().stats().tlps, 1u + 8u);
}

TEST_F(UpstreamTiming, ReadCompletionsDoNotPassEarlierPostedWrites) {
    PcieLinkTiming timing;
    timing.posted_write_latency_ps = 2'000'000; // a slow root port
    timing.read_latency_ps = 100'000;
    port().set_timing(timing);
    const std::uint8_t data[4] = {1, 2, 3, 4};
    const auto write = port().write(0x100, data);
    std::uint8_t in[4] = {};
    const auto read = port().read(0x100, in);
    EXPECT_GE(read.delay_ps, write.delay_ps);
    EXPECT_EQ(in[3], 4) << "the read sees the write (flush by read)";
}

TEST_F(UpstreamTiming, LaterIssueStartsOnAnIdleLinkAndParametersAreNamed) {
    PcieLinkTiming timing;
    timing.link_bytes_per_second = 1'000'000'000; // 1 B/ns
    timing.posted_write_latency_ps = 0;
    timing.tlp_overhead_32bit_bytes = 0;
    timing.max_payload_size = 128;
    port().set_timing(timing);
    std::vector<std::uint8_t> data(256, 0);
    EXPECT_EQ(port().write(0x0, data).delay_ps, 256'000u);
    run_until_ps(1'000'000); // the link has drained by then
    EXPECT_EQ(port().write(0x0, data).delay_ps, 256'000u);
    // The issuer's local offset (temporal decoupling) moves the issue time, not the delay.
    EXPECT_EQ(port().write(0x0, data, 500'000).delay_ps, 256'000u);
    EXPECT_EQ(port().write(0x0, data, 500'000).delay_ps, 512'000u); // queued behind the previous one
}

TEST(PciUpstreamPort, UnattachedFunctionReportsNotConnected) {
    GenericFunction lonely("lonely");
    lonely.config_write(kCommand, 2, kCommandBusMaster);
    const std::uint8_t data[4] = {};
    EXPECT_EQ(lonely.upstream().write(0, data).status, UpstreamStatus::NotConnected);
    EXPECT_EQ(lonely.upstream().stats().not_connected, 1u);
}

} // namespace
} // namespace x86sim::test
