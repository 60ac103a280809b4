#include "sim/metrics/json_output.h"

#include <gtest/gtest.h>
#include <sstream>

namespace x86sim::metrics {
namespace {

Registry sample_registry(double wall_seconds) {
    Registry r;
    r.counter("pit.fires", 246);
    r.gauge("sched.tick_hz", 246.17);
    r.latency_sample("sched.wakeup_latency", 1'000'000);
    r.latency_sample("sched.wakeup_latency", 3'000'000);
    r.counter("iommu.faults", 0);
    r.gauge("sim.wall_s", wall_seconds);
    r.gauge("sim.speed", 2.0 / wall_seconds);
    return r;
}

std::vector<CheckResult> sample_checks() {
    CheckResult approx;
    approx.metric = "sched.tick_hz";
    approx.op = "approx";
    approx.expected = {1000};
    approx.tolerance = "1%";
    approx.measured = 246.17;
    approx.pass = false;
    CheckResult between;
    between.metric = "pit.fires";
    between.op = "between";
    between.expected = {1, 1000};
    between.measured = 246;
    between.pass = true;
    CheckResult missing;
    missing.metric = "irq.latency.p99";
    missing.op = "lt";
    missing.expected = {0.001};
    return {approx, between, missing};
}

std::string dump(const Registry& r, const nlohmann::ordered_json& host) {
    std::ostringstream out;
    write_metrics_json(out, RunInfo{"tick", std::string("before"), 42}, r, sample_checks(), host);
    return out.str();
}

TEST(JsonOutput, ByteIdenticalForTheSameRegistryTwice) {
    const Registry r = sample_registry(1.0);
    EXPECT_EQ(dump(r, {{"hostname", "a"}}), dump(r, {{"hostname", "a"}}));
}

TEST(JsonOutput, WallClockOnlyInsideHost) {
    const auto fast = nlohmann::ordered_json::parse(dump(sample_registry(0.5), {{"hostname", "a"}}));
    const auto slow = nlohmann::ordered_json::parse(dump(sample_registry(4.0), {{"hostname", "b"}}));
    auto strip = [](nlohmann::ordered_json doc) {
        doc.erase("host");
        return doc.dump();
    };
    EXPECT_EQ(strip(fast), strip(slow));
    EXPECT_FALSE(fast["metrics"].contains("sim.wall_s"));
    EXPECT_EQ(fast["host"]["sim.wall_s"], 0.5);
    EXPECT_EQ(fast["host"]["sim.speed"], 4.0);
    EXPECT_EQ(fast["host"]["hostname"], "a");
}

TEST(JsonOutput, KeyOrderAndValues) {
    const auto doc =
        nlohmann::ordered_json::parse(dump(sample_registry(1.0), nlohmann::ordered_json::object()));
    std::vector<std::string> keys;
    for (const auto& item : doc.items()) {
        keys.push_back(item.key());
    }
    EXPECT_EQ(keys,
              (std::vector<std::string>{"scenario", "variant", "seed", "metrics", "expectations", "host"}));
    std::vector<std::string> metric_names;
    for (const auto& item : doc["metrics"].items()) {
        metric_names.push_back(item.key());
    }
    EXPECT_TRUE(std::is_sorted(metric_names.begin(), metric_names.end()));
    EXPECT_EQ(doc["seed"], 42);
    EXPECT_EQ(doc["variant"], "before");
    EXPECT_TRUE(doc["metrics"]["pit.fires"].is_number_integer());
    EXPECT_EQ(doc["metrics"]["pit.fires"], 246);
    EXPECT_EQ(doc["metrics"]["sched.wakeup_latency.count"], 2);
    EXPECT_DOUBLE_EQ(doc["metrics"]["sched.wakeup_latency.max"].get<double>(), 3e-6);
    const auto& checks = doc["expectations"];
    ASSERT_EQ(checks.size(), 3U);
    std::vector<std::string> check_keys;
    for (const auto& item : checks[0].items()) {
        check_keys.push_back(item.key());
    }
    EXPECT_EQ(check_keys,
              (std::vector<std::string>{"metric", "op", "expected", "tolerance", "measured", "pass"}));
    EXPECT_EQ(checks[1]["expected"], nlohmann::ordered_json::parse("[1.0, 1000.0]"));
    EXPECT_TRUE(checks[2]["measured"].is_null());
    EXPECT_EQ(checks[2]["pass"], false);
}

TEST(JsonOutput, NoVariantIsNullAndNonFiniteIsNull) {
    Registry r;
    r.gauge("x", std::numeric_limits<double>::infinity());
    const auto doc = metrics_json(RunInfo{"s", std::nullopt, 1}, r, {});
    EXPECT_TRUE(doc["variant"].is_null());
    EXPECT_TRUE(doc["metrics"]["x"].is_null());
    EXPECT_TRUE(doc["host"].is_object());
}

} // namespace
} // namespace x86sim::metrics
