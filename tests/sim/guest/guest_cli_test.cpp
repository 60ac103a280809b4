// `x86sim run --guest PATH.so` (design/GUEST-MODEL.md "Guests other than the reference kernel"): the
// library is checked before the simulation starts; every problem is named and the exit code is 2.
#include "tests/sim/cli/cli_process.h"

#include <gtest/gtest.h>

namespace x86sim::test {
namespace {

const char* const kScenario = R"(name: with-guest
duration: 1ms
platform: { cpus: 1, memory: 16MiB }
kernel: {}
expect:
  - { metric: cpu0.started, eq: 1 }
  - { metric: kernel.calibration.error_ppm, eq: 0 }
)";

TEST(GuestCli, WorkingSharedGuestRuns) {
    TempDir dir;
    const auto result = run_x86sim({"run", dir.write("s.yaml", kScenario), "--guest", TEST_GUEST_OK});
    EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
    EXPECT_NE(result.out.find("kernel.calibration.error_ppm"), std::string::npos) << result.out;
}

TEST(GuestCli, WrongAbiVersionExitsTwoNamingBothVersions) {
    TempDir dir;
    const auto result = run_x86sim({"run", dir.write("s.yaml", kScenario), "--guest", TEST_GUEST_BAD_ABI});
    EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
    EXPECT_NE(result.err.find("guest ABI version 7"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("implements version 1"), std::string::npos) << result.err;
    EXPECT_EQ(result.out.find("PASS"), std::string::npos) << "must fail before the simulation";
}

TEST(GuestCli, MissingEntryPointsAreNamed) {
    TempDir dir;
    const auto result = run_x86sim({"run", dir.write("s.yaml", kScenario), "--guest", TEST_GUEST_NO_IDLE});
    EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
    EXPECT_NE(result.err.find("missing entry points: task_new, idle"), std::string::npos) << result.err;
}

TEST(GuestCli, LibraryWithoutEntrySymbolIsRefused) {
    TempDir dir;
    const auto result = run_x86sim({"run", dir.write("s.yaml", kScenario), "--guest", TEST_GUEST_NO_SYMBOL});
    EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
    EXPECT_NE(result.err.find("no symbol kut_guest_entry"), std::string::npos) << result.err;
}

TEST(GuestCli, FileThatIsNotALibraryIsRefused) {
    TempDir dir;
    const auto fake = dir.write("fake.so", "not an ELF file\n");
    const auto result = run_x86sim({"run", dir.write("s.yaml", kScenario), "--guest", fake});
    EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
    EXPECT_NE(result.err.find("cannot load it"), std::string::npos) << result.err;
}

} // namespace
} // namespace x86sim::test
