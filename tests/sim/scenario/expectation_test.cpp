// Every expectation operator, passing and failing, against a registry.
#include "scenario_test_util.h"
#include "sim/scenario/expectation.h"

#include <gtest/gtest.h>

namespace x86sim::scenario {
namespace {

std::vector<ExpectationResult> check(const std::string& expect_yaml, const metrics::Registry& registry) {
    const Config c = load_scenario_text(test::minimal + "expect:\n" + expect_yaml, "e.yaml").config;
    return evaluate(c.expect, registry);
}

bool passes(const std::string& line, const metrics::Registry& registry) {
    const auto results = check("  - " + line + "\n", registry);
    EXPECT_EQ(results.size(), 1U);
    return !results.empty() && results[0].pass;
}

class ExpectationTest : public ::testing::Test {
  protected:
    void SetUp() override {
        registry.counter("pit.fires", 100);
        registry.gauge("sched.tick_hz", 999.7);
        for (std::uint64_t us = 1; us <= 100; ++us) {
            registry.latency_sample("sched.wakeup_latency", us * 1'000'000); // 1us .. 100us
        }
    }
    metrics::Registry registry;
};

TEST_F(ExpectationTest, ComparisonOperators) {
    EXPECT_TRUE(passes("{ metric: pit.fires, eq: 100 }", registry));
    EXPECT_FALSE(passes("{ metric: pit.fires, eq: 99 }", registry));
    EXPECT_TRUE(passes("{ metric: pit.fires, ne: 99 }", registry));
    EXPECT_FALSE(passes("{ metric: pit.fires, ne: 100 }", registry));
    EXPECT_TRUE(passes("{ metric: pit.fires, lt: 101 }", registry));
    EXPECT_FALSE(passes("{ metric: pit.fires, lt: 100 }", registry));
    EXPECT_TRUE(passes("{ metric: pit.fires, le: 100 }", registry));
    EXPECT_FALSE(passes("{ metric: pit.fires, le: 99.5 }", registry));
    EXPECT_TRUE(passes("{ metric: pit.fires, gt: 99 }", registry));
    EXPECT_FALSE(passes("{ metric: pit.fires, gt: 100 }", registry));
    EXPECT_TRUE(passes("{ metric: pit.fires, ge: 100 }", registry));
    EXPECT_FALSE(passes("{ metric: pit.fires, ge: 100.5 }", registry));
}

TEST_F(ExpectationTest, ApproxWithPercentAndAbsoluteTolerance) {
    EXPECT_TRUE(passes("{ metric: sched.tick_hz, approx: 1000, tolerance: 1% }", registry));
    EXPECT_FALSE(passes("{ metric: sched.tick_hz, approx: 1000, tolerance: 0.01% }", registry));
    EXPECT_TRUE(passes("{ metric: sched.tick_hz, approx: 1000, tolerance: 0.5 }", registry));
    EXPECT_FALSE(passes("{ metric: sched.tick_hz, approx: 1000, tolerance: 0.2 }", registry));
    EXPECT_TRUE(passes("{ metric: sched.tick_hz, approx: 1kHz, tolerance: 1Hz }", registry));
    EXPECT_TRUE(passes("{ metric: sched.tick_hz, approx: 1000 }", registry)); // default 1%
    EXPECT_FALSE(passes("{ metric: sched.tick_hz, approx: 1100 }", registry));
}

TEST_F(ExpectationTest, BetweenIsInclusive) {
    EXPECT_TRUE(passes("{ metric: pit.fires, between: [100, 200] }", registry));
    EXPECT_TRUE(passes("{ metric: pit.fires, between: [50, 100] }", registry));
    EXPECT_FALSE(passes("{ metric: pit.fires, between: [101, 200] }", registry));
    EXPECT_TRUE(passes("{ metric: sched.wakeup_latency.p99, between: [90us, 100us] }", registry));
    EXPECT_FALSE(passes("{ metric: sched.wakeup_latency.p99, between: [1us, 98us] }", registry));
}

TEST_F(ExpectationTest, UnitValuesCompareInSeconds) {
    EXPECT_TRUE(passes("{ metric: sched.wakeup_latency.p99, lt: 1.5ms }", registry));
    EXPECT_TRUE(passes("{ metric: sched.wakeup_latency.p99, eq: 99us }", registry));
    EXPECT_FALSE(passes("{ metric: sched.wakeup_latency.max, lt: 100us }", registry));
    EXPECT_TRUE(passes("{ metric: sched.wakeup_latency.count, eq: 100 }", registry));
}

TEST_F(ExpectationTest, DescriptionsAndMissingMetrics) {
    const auto results = check("  - { metric: sched.tick_hz, approx: 1000, tolerance: 1% }\n"
                               "  - { metric: sched.wakeup_latency.p99, lt: 1.5ms }\n"
                               "  - { metric: iommu.faults, eq: 0 }\n",
                               registry);
    ASSERT_EQ(results.size(), 3U);
    EXPECT_EQ(results[0].description, "sched.tick_hz = 999.7 Hz (expected approx 1000 ± 1%)");
    EXPECT_EQ(results[0].op, "approx");
    EXPECT_EQ(results[0].tolerance, "1%");
    EXPECT_EQ(results[1].description, "sched.wakeup_latency.p99 = 99.0 us (expected lt 1.5ms)");
    EXPECT_DOUBLE_EQ(*results[1].measured, 99e-6);
    EXPECT_FALSE(results[2].pass);
    EXPECT_FALSE(results[2].measured.has_value());
    EXPECT_EQ(results[2].description, "iommu.faults: metric not produced by this run (expected eq 0)");
    EXPECT_FALSE(all_passed(results));
    EXPECT_TRUE(all_passed({results[0], results[1]}));
}

} // namespace
} // namespace x86sim::scenario
