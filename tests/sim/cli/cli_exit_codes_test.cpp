// SCENARIOS.md "Command line": exit codes 0 (expectations hold), 1 (one failed), 2 (bad input), and
// diagnostics as file:line:col.
#include "cli_process.h"

#include <gtest/gtest.h>

namespace x86sim::test {
namespace {

const char* const kPassing = R"(name: passing
duration: 1ms
platform: { memory: 16MiB }
expect:
  - { metric: sim.time, eq: 1ms }
)";

const char* const kFailing = R"(name: failing
duration: 1ms
platform: { memory: 16MiB }
expect:
  - { metric: sim.time, gt: 1s }
)";

TEST(CliExitCodes, PassingScenarioExitsZero) {
    TempDir dir;
    const auto result = run_x86sim({"run", dir.write("p.yaml", kPassing)});
    EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
    EXPECT_NE(result.out.find("PASS"), std::string::npos) << result.out;
}

TEST(CliExitCodes, FailingExpectationExitsOne) {
    TempDir dir;
    const auto result = run_x86sim({"run", dir.write("f.yaml", kFailing)});
    EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
    EXPECT_NE(result.out.find("FAIL"), std::string::npos) << result.out;
}

TEST(CliExitCodes, UnknownKeyExitsTwoWithLocationAndSuggestion) {
    TempDir dir;
    const auto file = dir.write("bad.yaml", "name: bad\nduration: 1ms\nplatfrom: { cpus: 1 }\n");
    const auto result = run_x86sim({"run", file});
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.err.find(file + ":3:1: error:"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("platform"), std::string::npos) << result.err;
}

TEST(CliExitCodes, SyntaxErrorExitsTwo) {
    TempDir dir;
    const auto file = dir.write("syntax.yaml", "name: x\nduration: [1ms\n");
    const auto result = run_x86sim({"validate", file});
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.err.find(file + ":"), std::string::npos) << result.err;
}

TEST(CliExitCodes, BadOverrideExitsTwo) {
    TempDir dir;
    const auto result = run_x86sim({"run", dir.write("p.yaml", kPassing), "--set", "platform.cpus=-3"});
    EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
}

TEST(CliExitCodes, OverrideChangesTheRun) {
    TempDir dir;
    const auto result = run_x86sim({"run", dir.write("p.yaml", kPassing), "--set", "duration=2ms"});
    EXPECT_EQ(result.exit_code, 1) << "sim.time eq 1ms must fail after duration=2ms\n"
                                   << result.out << result.err;
}

TEST(CliExitCodes, UnknownSubcommandAndOptionExitTwo) {
    EXPECT_EQ(run_x86sim({"frobnicate"}).exit_code, 2);
    EXPECT_EQ(run_x86sim({"run"}).exit_code, 2);
    EXPECT_EQ(run_x86sim({"run", "/nonexistent.yaml"}).exit_code, 2);
}

TEST(CliExitCodes, HelpAndVersionExitZero) {
    const auto help = run_x86sim({"--help"});
    EXPECT_EQ(help.exit_code, 0);
    EXPECT_NE(help.out.find("compare"), std::string::npos);
    const auto version = run_x86sim({"--version"});
    EXPECT_EQ(version.exit_code, 0);
    EXPECT_NE(version.out.find("x86sim"), std::string::npos);
}

TEST(CliExitCodes, ValidateAcceptsEveryShippedScenario) {
    const auto result = run_x86sim({"validate", std::string(X86SIM_SCENARIOS) + "/pipeline.yaml",
                                    std::string(X86SIM_SCENARIOS) + "/lapic-timer-modes.yaml"});
    EXPECT_EQ(result.exit_code, 0) << result.err;
}

TEST(CliExitCodes, UnmodelledFeatureIsRefusedClearly) {
    TempDir dir;
    // NVMe is part of the scenario contract but not modelled in this build: refused where it is named.
    const auto file = dir.write("n.yaml", "name: n\nduration: 1ms\nplatform:\n  devices:\n"
                                          "    - nvme: { name: nvme0, bdf: \"00:03.0\" }\n");
    const auto result = run_x86sim({"run", file});
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.err.find(file + ":5:"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("nvme0"), std::string::npos) << result.err;
}

} // namespace
} // namespace x86sim::test
