// Every debugger extension through the socket, on tests/sim/control/lapic-timer-storm.yaml (LAPIC timer
// storm at CPU 0 from 100 us, PIT through IOAPIC pin 2; no guest, so repeated vectors coalesce), and `back`
// determinism: the state reached by re-execution equals the state first seen at that event.
#include "tests/sim/control/server_process.h"

#include <cstdio>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <string>
#include <unistd.h>

namespace x86sim::test {
namespace {

const std::string kStorm = std::string(X86SIM_TEST_SCENARIOS) + "/lapic-timer-storm.yaml";

nlohmann::json ok_json(const std::string& reply) {
    EXPECT_EQ(reply.rfind("OK {", 0), 0U) << reply;
    if (reply.rfind("OK {", 0) != 0) {
        return nlohmann::json::object();
    }
    return nlohmann::json::parse(reply.substr(3));
}

// Everything `back` must restore: both LAPICs, the IOAPIC, the PIT, position.
nlohmann::json full_state(Client& client) {
    nlohmann::json state;
    state["lapic0"] = ok_json(client.command("info lapic 0"));
    state["lapic1"] = ok_json(client.command("info lapic 1"));
    state["ioapic"] = ok_json(client.command("info ioapic"));
    state["pit"] = ok_json(client.command("info pit"));
    const auto where = ok_json(client.command("where"));
    state["event"] = where["event"];
    state["hops"] = where["hops"];
    state["time_ps"] = where["time_ps"];
    return state;
}

TEST(DebuggerSocket, BreakpointsStopWithReasonTimeEventAndRecord) {
    ServerProcess server({kStorm});
    Client client(server.port());
    auto bp = ok_json(client.command("break coalesce cpu 0"));
    EXPECT_EQ(bp["id"], 1);
    EXPECT_EQ(bp["command"], "break coalesce cpu 0");
    auto stop = ok_json(client.command("continue"));
    EXPECT_EQ(stop["stopped"], "breakpoint");
    EXPECT_EQ(stop["breakpoint"], 1);
    EXPECT_EQ(stop["record"]["kind"], "coalesced");
    EXPECT_EQ(stop["record"]["vector"], 0x40);
    EXPECT_EQ(stop["record"]["cpu"], 0);
    // Timer every 2 us from 100 us + 2 us: the first fire sets IRR, the second (at 104 us) coalesces.
    EXPECT_EQ(stop["time_ps"], 104'000'000);
    EXPECT_EQ(stop["record"]["time_ps"], 104'000'000);
    EXPECT_GT(stop["event"].get<int>(), 0);

    auto lapic = ok_json(client.command("info lapic"));
    EXPECT_EQ(lapic["irr_vectors"], nlohmann::json::array({"0x40"}));
    EXPECT_EQ(lapic["isr_vectors"], nlohmann::json::array());
    EXPECT_EQ(lapic["stats"]["irr_coalesced"], 1);

    EXPECT_EQ(ok_json(client.command("delete 1"))["deleted"], 1);
    EXPECT_EQ(ok_json(client.command("breakpoints"))["breakpoints"].size(), 0U);

    // A storm: more than 9 arrivals at one CPU within 20 us. One every 2 us puts 10 in any 20 us
    // window; counting starts with the breakpoint (after 104 us), so the 10th arrival is at 124 us.
    ok_json(client.command("break storm 9 20us"));
    stop = ok_json(client.command("continue"));
    EXPECT_EQ(stop["stopped"], "breakpoint");
    EXPECT_EQ(stop["detail"]["interrupts_in_window"], 10);
    EXPECT_EQ(stop["time_ps"], 104'000'000 + 10 * 2'000'000);
    ok_json(client.command("delete 2"));

    // break time, break fault (nothing is rejected here), break msi, break irq (no guest acknowledges).
    ok_json(client.command("break fault"));
    ok_json(client.command("break msi"));
    ok_json(client.command("break irq 0x40 cpu 0"));
    ok_json(client.command("break time 500us"));
    stop = ok_json(client.command("continue"));
    EXPECT_EQ(stop["stopped"], "breakpoint");
    EXPECT_EQ(stop["time_ps"], 500'000'000);
    EXPECT_EQ(stop["breakpoint"], 6);

    // A watch on the IRR of CPU 0: the PIT's vector 0x30 arrives at ~1 ms and changes it.
    ok_json(client.command("watch lapic0.irr"));
    stop = ok_json(client.command("continue"));
    EXPECT_EQ(stop["stopped"], "breakpoint");
    EXPECT_EQ(stop["breakpoint"], 7);
    lapic = ok_json(client.command("info lapic 0"));
    EXPECT_EQ(lapic["irr_vectors"], nlohmann::json::array({"0x30", "0x40"}));

    // Without further hits the run ends with the scenario.
    for (int id = 3; id <= 7; ++id) {
        ok_json(client.command("delete " + std::to_string(id)));
    }
    stop = ok_json(client.command("continue"));
    EXPECT_EQ(stop["stopped"], "end");
    EXPECT_EQ(stop["time_ps"], 2'000'000'000);
}

TEST(DebuggerSocket, StepStepiEventsWhereInfo) {
    ServerProcess server({kStorm});
    Client client(server.port());
    auto stop = ok_json(client.command("step"));
    EXPECT_EQ(stop["stopped"], "step");
    EXPECT_EQ(stop["event"], 1);
    ASSERT_FALSE(stop["stepped"].empty());
    const auto first_hops = stop["hops"].get<int>();

    stop = ok_json(client.command("stepi 3"));
    EXPECT_EQ(stop["stopped"], "stepi");
    EXPECT_GE(stop["hops"].get<int>(), first_hops + 3);
    EXPECT_GE(stop["stepped"].size(), 3U);

    stop = ok_json(client.command("step 5"));
    EXPECT_EQ(stop["event"].get<int>(), ok_json(client.command("where"))["event"].get<int>());

    auto events = ok_json(client.command("events 4"));
    ASSERT_EQ(events["events"].size(), 4U);
    for (const auto& record : events["events"]) {
        for (const char* key : {"time_ps", "cpu", "vector", "source", "kind", "event", "hop"}) {
            EXPECT_TRUE(record.contains(key)) << key;
        }
    }
    const auto where = ok_json(client.command("where"));
    EXPECT_TRUE(where["pending"].contains("next_activity_ps"));
    EXPECT_EQ(where["scenario"], "lapic-timer-storm");

    const auto cpu = ok_json(client.command("info cpu 1"));
    EXPECT_EQ(cpu["cpu"], 1);
    EXPECT_EQ(cpu["apic_id"], 1);
    EXPECT_EQ(ok_json(client.command("cpu 1"))["cpu"], 1);
    EXPECT_EQ(client.command("readl 0xfee00020"), "OK 0x0000000001000000"); // CPU 1's LAPIC ID
    EXPECT_EQ(client.command("rdmsr 0x1b"), "OK 0x00000000fee00800");       // no BSP bit on CPU 1
    EXPECT_TRUE(ok_json(client.command("info ioapic")).contains("redirection_table"));
    EXPECT_TRUE(ok_json(client.command("info pit")).contains("channels"));
    EXPECT_TRUE(ok_json(client.command("info pic")).contains("master"));
    EXPECT_EQ(ok_json(client.command("pause"))["paused"], true);
}

TEST(DebuggerSocket, BackReachesTheSameStateByReExecution) {
    ServerProcess server({kStorm});
    Client client(server.port());
    ok_json(client.command("step 40"));
    // A protocol write while parked at event 40 is part of the state `back` restores.
    EXPECT_EQ(client.command("writel 0xfee00080 0x20"), "OK"); // TPR
    const auto at_40 = full_state(client);
    ASSERT_EQ(at_40["event"], 40);
    ok_json(client.command("step 25"));
    EXPECT_EQ(client.command("writel 0xfee00080 0x00"), "OK");
    ok_json(client.command("step 10"));
    const auto at_75 = full_state(client);
    ASSERT_EQ(at_75["event"], 75);

    auto back = ok_json(client.command("back 35"));
    EXPECT_EQ(back["stopped"], "replay");
    EXPECT_EQ(back["event"], 40);
    EXPECT_EQ(full_state(client), at_40);

    // Forward again: the same states as the first time (replayed journal included).
    ok_json(client.command("step 25"));
    EXPECT_EQ(client.command("writel 0xfee00080 0x00"), "OK");
    ok_json(client.command("step 10"));
    EXPECT_EQ(full_state(client), at_75);

    // save / load: a checkpoint file reproduces the position in a fresh engine.
    char path[] = "/tmp/x86sim-checkpoint-XXXXXX";
    const int fd = ::mkstemp(path);
    ASSERT_GE(fd, 0);
    ::close(fd);
    const auto saved = ok_json(client.command(std::string("save ") + path));
    EXPECT_EQ(saved["event"], 75);
    ok_json(client.command("step 3"));
    const auto loaded = ok_json(client.command(std::string("load ") + path));
    EXPECT_EQ(loaded["event"], 75);
    EXPECT_EQ(full_state(client), at_75);
    std::remove(path);
}

} // namespace
} // namespace x86sim::test
