// The qtest core through a real socket against the default platform (1 CPU, 64 MiB, PIT, IOAPIC),
// compared with golden transcripts: "> command" lines are sent, "< reply" lines (async IRQ lines
// included, in order) are expected. Values follow from the models' documented reset state and the
// commands before them (e.g. PIT counter 0 in mode 2 with 1193 -> OUT edges every 1193 PIT clocks).
#include "tests/sim/control/server_process.h"

#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <string>

namespace x86sim::test {
namespace {

void check_transcript(const std::string& name, const std::vector<std::string>& server_args) {
    std::ifstream in(std::string(GOLDEN_DIR) + "/" + name);
    ASSERT_TRUE(in) << name;
    ServerProcess server(server_args);
    Client client(server.port());
    std::string line;
    std::vector<std::string> expected;
    std::string command;
    int line_number = 0;
    int command_line = 0;
    auto flush = [&] {
        if (command.empty() && expected.empty()) {
            return;
        }
        const auto actual = client.exchange(command);
        EXPECT_EQ(actual, expected) << name << ":" << command_line << ": " << command;
        expected.clear();
    };
    while (std::getline(in, line)) {
        ++line_number;
        if (line.rfind("> ", 0) == 0 || line == ">") {
            flush();
            command = line.size() > 2 ? line.substr(2) : "";
            command_line = line_number;
        } else if (line.rfind("< ", 0) == 0) {
            expected.push_back(line.substr(2));
        }
    }
    flush();
}

TEST(QtestGolden, CoreCommandsOnTheDefaultPlatform) {
    check_transcript("qtest_core.txt", {});
}

TEST(QtestGolden, MalformedLinesGetFailAndChangeNothing) {
    check_transcript("qtest_errors.txt", {});
}

TEST(QtestGolden, ScenarioTimelineAndClock) {
    check_transcript("lapic_timer_modes.txt", {std::string(X86SIM_SCENARIOS) + "/lapic-timer-modes.yaml"});
}

} // namespace
} // namespace x86sim::test
