// `x86sim run --guest PATH.so` (design/GUEST-MODEL.md "Guests other than the reference kernel"): the
// library is checked before the simulation starts; every problem is named and the exit code is 2.
#include "tests/sim/cli/cli_process.h"

#include <gtest/gtest.h>
#include <initializer_list>
#include <string>

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

// Every case runs kScenario with a different guest library.
class GuestCli : public ::testing::Test {
  protected:
    CliResult run_with_guest(const std::string& guest_path) {
        return run_x86sim({"run", dir.write("s.yaml", kScenario), "--guest", guest_path});
    }
    TempDir dir;
};

// Refused before the simulation starts: exit code 2 and every one of `problems` named on stderr.
void expect_refused(const CliResult& result, std::initializer_list<const char*> problems) {
    EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
    for (const char* problem : problems) {
        EXPECT_NE(result.err.find(problem), std::string::npos) << result.err;
    }
}

TEST_F(GuestCli, WorkingSharedGuestRuns) {
    const auto result = run_with_guest(TEST_GUEST_OK);
    EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
    EXPECT_NE(result.out.find("kernel.calibration.error_ppm"), std::string::npos) << result.out;
}

TEST_F(GuestCli, WrongAbiVersionExitsTwoNamingBothVersions) {
    const auto result = run_with_guest(TEST_GUEST_BAD_ABI);
    expect_refused(result, {"guest ABI version 7", "implements version 1"});
    EXPECT_EQ(result.out.find("PASS"), std::string::npos) << "must fail before the simulation";
}

TEST_F(GuestCli, MissingEntryPointsAreNamed) {
    expect_refused(run_with_guest(TEST_GUEST_NO_IDLE), {"missing entry points: task_new, idle"});
}

TEST_F(GuestCli, LibraryWithoutEntrySymbolIsRefused) {
    expect_refused(run_with_guest(TEST_GUEST_NO_SYMBOL), {"no symbol kut_guest_entry"});
}

TEST_F(GuestCli, FileThatIsNotALibraryIsRefused) {
    expect_refused(run_with_guest(dir.write("fake.so", "not an ELF file\n")), {"cannot load it"});
}

} // namespace
} // namespace x86sim::test
