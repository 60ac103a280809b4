// Every expectation operator, passing and failing, against a registry.
#include "scenario_test_util.h"
#include "sim/scenario/expectation.h"

#include <gtest/gtest.h>
#include <initializer_list>

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

// One expectation line and whether it must hold against the fixture's registry.
struct Verdict {
    const char* line;
    bool holds;
};

class ExpectationTest : public ::testing::Test {
  protected:
    void SetUp() override {
        registry.counter("pit.fires", 100);
        registry.gauge("sched.tick_hz", 999.7);
        for (std::uint64_t us = 1; us <= 100; ++us) {
            registry.latency_sample("sched.wakeup_latency", us * 1'000'000); // 1us .. 100us
        }
    }
    // Evaluates every line on its own; a wrong verdict names its line.
    void expect_verdicts(std::initializer_list<Verdict> cases) const {
        for (const Verdict& c : cases) {
            SCOPED_TRACE(c.line);
            EXPECT_EQ(passes(c.line, registry), c.holds);
        }
    }
    metrics::Registry registry;
};

TEST_F(ExpectationTest, ComparisonOperators) {
    expect_verdicts({
        {"{ metric: pit.fires, eq: 100 }", true},
        {"{ metric: pit.fires, eq: 99 }", false},
        {"{ metric: pit.fires, ne: 99 }", true},
        {"{ metric: pit.fires, ne: 100 }", false},
        {"{ metric: pit.fires, lt: 101 }", true},
        {"{ metric: pit.fires, lt: 100 }", false},
        {"{ metric: pit.fires, le: 100 }", true},
        {"{ metric: pit.fires, le: 99.5 }", false},
        {"{ metric: pit.fires, gt: 99 }", true},
        {"{ metric: pit.fires, gt: 100 }", false},
        {"{ metric: pit.fires, ge: 100 }", true},
        {"{ metric: pit.fires, ge: 100.5 }", false},
    });
}

TEST_F(ExpectationTest, ApproxWithPercentAndAbsoluteTolerance) {
    expect_verdicts({
        {"{ metric: sched.tick_hz, approx: 1000, tolerance: 1% }", true},
        {"{ metric: sched.tick_hz, approx: 1000, tolerance: 0.01% }", false},
        {"{ metric: sched.tick_hz, approx: 1000, tolerance: 0.5 }", true},
        {"{ metric: sched.tick_hz, approx: 1000, tolerance: 0.2 }", false},
        {"{ metric: sched.tick_hz, approx: 1kHz, tolerance: 1Hz }", true},
        {"{ metric: sched.tick_hz, approx: 1000 }", true}, // default 1%
        {"{ metric: sched.tick_hz, approx: 1100 }", false},
    });
}

TEST_F(ExpectationTest, BetweenIsInclusive) {
    expect_verdicts({
        {"{ metric: pit.fires, between: [100, 200] }", true},
        {"{ metric: pit.fires, between: [50, 100] }", true},
        {"{ metric: pit.fires, between: [101, 200] }", false},
        {"{ metric: sched.wakeup_latency.p99, between: [90us, 100us] }", true},
        {"{ metric: sched.wakeup_latency.p99, between: [1us, 98us] }", false},
    });
}

TEST_F(ExpectationTest, UnitValuesCompareInSeconds) {
    expect_verdicts({
        {"{ metric: sched.wakeup_latency.p99, lt: 1.5ms }", true},
        {"{ metric: sched.wakeup_latency.p99, eq: 99us }", true},
        {"{ metric: sched.wakeup_latency.max, lt: 100us }", false},
        {"{ metric: sched.wakeup_latency.count, eq: 100 }", true},
    });
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
