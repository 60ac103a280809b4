// ARCHITECTURE.md "Determinism": the same scenario, seed and binary give byte-identical metrics.json
// outside "host", whether run alone, twice, or under `x86sim test -j 2`.
#include "cli_process.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace x86sim::test {
namespace {

std::string without_host(const std::string& path) {
    auto document = nlohmann::ordered_json::parse(read_file(path));
    EXPECT_TRUE(document.contains("host")) << path;
    document.erase("host");
    return document.dump(2);
}

TEST(CliDeterminism, SameScenarioTwiceAndUnderTestJ2IsByteIdentical) {
    TempDir dir;
    const std::string scenario = std::string(X86SIM_SCENARIOS) + "/lapic-timer-modes.yaml";
    ASSERT_EQ(run_x86sim({"run", scenario, "--quiet", "--out", dir.path() + "/a"}).exit_code, 0);
    ASSERT_EQ(run_x86sim({"run", scenario, "--quiet", "--out", dir.path() + "/b"}).exit_code, 0);
    const auto test_run = run_x86sim({"test", "-j", "2", "--out", dir.path() + "/t", scenario,
                                      std::string(X86SIM_SCENARIOS) + "/pipeline.yaml"});
    ASSERT_EQ(test_run.exit_code, 0) << test_run.out << test_run.err;

    const auto a = without_host(dir.path() + "/a/metrics.json");
    EXPECT_EQ(a, without_host(dir.path() + "/b/metrics.json"));
    EXPECT_EQ(a, without_host(dir.path() + "/t/lapic-timer-modes/metrics.json"));
    // The deterministic part is really the whole file minus "host": byte-compare the raw text too.
    auto raw_a = read_file(dir.path() + "/a/metrics.json");
    auto raw_b = read_file(dir.path() + "/b/metrics.json");
    raw_a.resize(raw_a.find("\"host\""));
    raw_b.resize(raw_b.find("\"host\""));
    EXPECT_EQ(raw_a, raw_b);
}

TEST(CliDeterminism, SeedIsRecorded) {
    TempDir dir;
    const std::string scenario = std::string(X86SIM_SCENARIOS) + "/pipeline.yaml";
    ASSERT_EQ(run_x86sim({"run", scenario, "--quiet", "--seed", "99", "--out", dir.path()}).exit_code, 0);
    const auto document = nlohmann::json::parse(read_file(dir.path() + "/metrics.json"));
    EXPECT_EQ(document["seed"], 99);
    EXPECT_EQ(document["scenario"], "pipeline");
}

} // namespace
} // namespace x86sim::test
