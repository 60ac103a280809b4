// `x86sim debug FILE` as a script drives it: the real binary with commands on a non-terminal stdin.
// The prompt echoes each command after "(x86sim) " (so the output reads like the terminal session),
// prints each reply readably, keeps going after a FAIL, and leaves at `quit` or end of input with
// exit code 0, stopping its server. On scenarios/storm-debug.yaml (MSI-X storm at CPU 0 from 15 ms,
// vector 0x50 = 80, under the reference kernel); HOME is a scratch directory, which must stay free of
// a history file: scripted sessions do not touch the user's readline history.
#include "tests/sim/cli/cli_process.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace x86sim::test {
namespace {

const std::string kStormDebug = std::string(X86SIM_SCENARIOS) + "/storm-debug.yaml";

// stdout split at each echoed command: blocks[i] is the reply text of the i-th command.
struct Session {
    std::vector<std::string> commands;
    std::vector<std::string> replies;
    std::string banner;
};

Session split_session(const std::string& out) {
    Session session;
    std::istringstream in(out);
    std::string line;
    std::string* current = &session.banner;
    while (std::getline(in, line)) {
        if (line.rfind("(x86sim) ", 0) == 0) {
            session.commands.push_back(line.substr(9));
            session.replies.emplace_back();
            current = &session.replies.back();
            continue;
        }
        *current += line + "\n";
    }
    return session;
}

nlohmann::json json_reply(const std::string& reply) {
    return nlohmann::json::parse(reply);
}

TEST(DebugPrompt, ScriptedSessionBreaksOnTheStormAndGoesBack) {
    TempDir home;
    const auto result = run_x86sim_with_input({"debug", kStormDebug},
                                              "info lapic 0\n"
                                              "break storm 10 5us\n"
                                              "continue\n"
                                              "info lapic 0\n"
                                              "events 3\n"
                                              "info pci nope\n"
                                              "stepi 1\n"
                                              "where\n"
                                              "back 1\n"
                                              "where\n"
                                              "quit\n",
                                              {"HOME=" + home.path()});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    EXPECT_NE(result.err.find("x86sim: listening on 127.0.0.1:"), std::string::npos) << result.err;
    const auto session = split_session(result.out);
    EXPECT_NE(session.banner.find("x86sim debugger on 127.0.0.1:"), std::string::npos) << session.banner;
    ASSERT_EQ(session.commands.size(), 11U) << result.out;
    EXPECT_EQ(session.commands[0], "info lapic 0");
    EXPECT_EQ(session.commands[10], "quit");

    // Paused at time zero: nothing pending at CPU 0.
    const auto lapic_at_start = json_reply(session.replies[0]);
    EXPECT_EQ(lapic_at_start["cpu"], 0);
    EXPECT_EQ(lapic_at_start["irr_vectors"], nlohmann::json::array());

    EXPECT_EQ(json_reply(session.replies[1])["id"], 1);
    // The storm starts at 15 ms, one message every 200 ns: the 11th interrupt at CPU 0 within 5 us.
    const auto& stop = session.replies[2];
    EXPECT_EQ(stop.rfind("stopped (breakpoint): breakpoint 1: break storm 10 5000000ps\n", 0), 0U) << stop;
    EXPECT_NE(stop.find("  at 15002.000 us, event "), std::string::npos) << stop;
    EXPECT_NE(stop.find("coalesced cpu 0 vector 80 from cpu0_lapic"), std::string::npos) << stop;
    EXPECT_NE(stop.find("\"interrupts_in_window\":11"), std::string::npos) << stop;

    // The stop was a lost edge: vector 0x50 already pending in IRR.
    const auto lapic_at_stop = json_reply(session.replies[3]);
    EXPECT_EQ(lapic_at_stop["irr_vectors"], nlohmann::json::array({"0x50"}));
    EXPECT_GT(lapic_at_stop["stats"]["irr_coalesced"].get<int>(), 0);

    std::istringstream events(session.replies[4]);
    std::string event;
    std::vector<std::string> lines;
    while (std::getline(events, event)) {
        lines.push_back(event);
    }
    ASSERT_EQ(lines.size(), 3U) << session.replies[4];
    EXPECT_NE(lines[2].find("coalesced cpu 0 vector 80"), std::string::npos) << lines[2];

    // A FAIL is shown and the session goes on.
    EXPECT_EQ(session.replies[5].rfind("FAIL info pci: no PCI function 'nope'", 0), 0U) << session.replies[5];

    EXPECT_EQ(session.replies[6].rfind("stopped (stepi): reached hop ", 0), 0U) << session.replies[6];
    const auto after_step = json_reply(session.replies[7]);
    EXPECT_EQ(after_step["scenario"], "storm-debug");
    EXPECT_EQ(session.replies[8].rfind("stopped (replay): re-executed from time zero to event ", 0), 0U)
        << session.replies[8];
    const auto after_back = json_reply(session.replies[9]);
    EXPECT_EQ(after_back["event"].get<int>(), after_step["event"].get<int>() - 1);

    EXPECT_FALSE(std::filesystem::exists(home.path() + "/.x86sim_history"));
}

TEST(DebugPrompt, EndOfInputLeavesLikeQuit) {
    TempDir home;
    const auto result = run_x86sim_with_input({"debug", kStormDebug}, "where\n", {"HOME=" + home.path()});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    const auto session = split_session(result.out);
    ASSERT_EQ(session.commands.size(), 1U) << result.out;
    EXPECT_EQ(json_reply(session.replies[0])["time_ps"], 0);
}

TEST(DebugPrompt, BadScenarioIsBadInputBeforeAnyPrompt) {
    TempDir dir;
    const auto path = dir.write("broken.yaml", "name: broken\nduration: 1ms\nplatform: { cpuz: 1 }\n");
    const auto result = run_x86sim_with_input({"debug", path}, "where\nquit\n");
    EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
    EXPECT_EQ(result.out.find("(x86sim) "), std::string::npos) << result.out;
}

} // namespace
} // namespace x86sim::test
