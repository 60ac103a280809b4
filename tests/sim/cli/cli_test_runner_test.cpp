// `x86sim test`: separate processes, sharding as GoogleTest does it, summary line, JUnit.
#include "cli_process.h"

#include <gtest/gtest.h>

namespace x86sim::test {
namespace {

std::string scenario(const std::string& name, bool passes) {
    return "name: " + name +
           "\nduration: 1us\nplatform: { memory: 1MiB }\nexpect:\n  - { metric: sim.time, " +
           (passes ? "eq" : "ne") + ": 1us }\n";
}

TEST(CliTestRunner, SummaryLineCountsPassAndFail) {
    TempDir dir;
    dir.write("a.yaml", scenario("a", true));
    dir.write("b.yaml", scenario("b", false));
    dir.write("c.yaml", scenario("c", true));
    const auto result = run_x86sim({"test", dir.path(), "-j", "2", "--junit", dir.path() + "/junit.xml"});
    EXPECT_EQ(result.exit_code, 1);
    EXPECT_NE(result.out.find("\n2 passed, 1 failed\n"), std::string::npos) << result.out;
    const auto junit = read_file(dir.path() + "/junit.xml");
    EXPECT_NE(junit.find("tests=\"3\""), std::string::npos) << junit;
    EXPECT_NE(junit.find("failures=\"1\""), std::string::npos) << junit;
}

TEST(CliTestRunner, VariantsAreCasesOfTheirOwn) {
    TempDir dir;
    dir.write(
        "v.yaml",
        "name: v\nduration: 1us\nplatform: { memory: 1MiB }\nexpect:\n  - { metric: sim.time, eq: 1us }\n"
        "variants:\n  longer: { duration: 2us }\n");
    const auto result = run_x86sim({"test", dir.path()});
    EXPECT_EQ(result.exit_code, 1) << result.out;
    EXPECT_NE(result.out.find("PASS  " + dir.path() + "/v.yaml\n"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("FAIL  " + dir.path() + "/v.yaml [longer]"), std::string::npos) << result.out;
}

TEST(CliTestRunner, ShardsPartitionTheCases) {
    TempDir dir;
    for (const char* name : {"a", "b", "c", "d", "e"}) {
        dir.write(std::string(name) + ".yaml", scenario(name, true));
    }
    const auto shard0 = run_x86sim({"test", dir.path()}, {"GTEST_TOTAL_SHARDS=2", "GTEST_SHARD_INDEX=0"});
    const auto shard1 = run_x86sim({"test", dir.path()}, {"GTEST_TOTAL_SHARDS=2", "GTEST_SHARD_INDEX=1"});
    EXPECT_NE(shard0.out.find("3 passed, 0 failed"), std::string::npos) << shard0.out;
    EXPECT_NE(shard1.out.find("2 passed, 0 failed"), std::string::npos) << shard1.out;
    EXPECT_NE(shard0.out.find("a.yaml"), std::string::npos);
    EXPECT_EQ(shard1.out.find("a.yaml"), std::string::npos);
    const auto bad = run_x86sim({"test", dir.path()}, {"GTEST_TOTAL_SHARDS=2", "GTEST_SHARD_INDEX=5"});
    EXPECT_EQ(bad.exit_code, 2);
}

TEST(CliTestRunner, MissingPathIsBadInput) {
    EXPECT_EQ(run_x86sim({"test", "/nonexistent/dir"}).exit_code, 2);
}

} // namespace
} // namespace x86sim::test
