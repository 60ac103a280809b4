#include "sim/metrics/table_output.h"

#include <gtest/gtest.h>
#include <sstream>

namespace x86sim::metrics {
namespace {

TEST(TableOutput, HumanUnitsThenExpectationLines) {
    Registry r;
    r.counter("pit.fires", 1234567);
    r.gauge("sched.tick_hz", 999.7);
    r.counter("dma.bounce_bytes", 4096);
    r.latency_sample("irq.latency", 1'500'000'000);
    CheckResult pass;
    pass.pass = true;
    pass.description = "sched.tick_hz = 999.7 Hz (expected approx 1000 ± 1%)";
    CheckResult fail;
    fail.description = "iommu.faults: metric not produced by this run (expected eq 0)";
    std::ostringstream out;
    write_table(out, r, {pass, fail});
    EXPECT_EQ(out.str(), "metric             value\n"
                         "dma.bounce_bytes   4.0 KiB\n"
                         "irq.latency.count  1\n"
                         "irq.latency.max    1.50 ms\n"
                         "irq.latency.mean   1.50 ms\n"
                         "irq.latency.min    1.50 ms\n"
                         "irq.latency.p50    1.50 ms\n"
                         "irq.latency.p99    1.50 ms\n"
                         "pit.fires          1,234,567\n"
                         "sched.tick_hz      999.7 Hz\n"
                         "\n"
                         "PASS  sched.tick_hz = 999.7 Hz (expected approx 1000 ± 1%)\n"
                         "FAIL  iommu.faults: metric not produced by this run (expected eq 0)\n");
}

} // namespace
} // namespace x86sim::metrics
