// `x86sim run --trace perfetto,vcd`: the Chrome trace JSON parses and has the track structure Perfetto
// needs, the VCD is well formed, and both count what the metrics of the same run count: interrupt hops
// without a guest (tests/sim/control/lapic-timer-storm.yaml), the MSI-X storm under the reference kernel
// (scenarios/storm-debug.yaml), and task spans with sched_switch instants (two hogs on one CPU).
#include "tests/sim/cli/cli_process.h"

#include <gtest/gtest.h>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

namespace x86sim::test {
namespace {

struct Run {
    nlohmann::json trace;
    std::string vcd;
    nlohmann::json metrics;
    std::string trace_text;
};

Run run_traced_path(const std::string& path, const TempDir& dir) {
    const auto result = run_x86sim({"run", path, "--out", dir.path(), "--trace", "perfetto,vcd", "-q"});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    Run run;
    run.trace_text = read_file(dir.path() + "/trace.json");
    run.trace = nlohmann::json::parse(run.trace_text);
    run.vcd = read_file(dir.path() + "/trace.vcd");
    run.metrics = nlohmann::json::parse(read_file(dir.path() + "/metrics.json"));
    return run;
}

Run run_traced(const std::string& scenario, const TempDir& dir) {
    return run_traced_path(std::string(X86SIM_SCENARIOS) + "/" + scenario, dir);
}

// Every event has ph/pid/tid, timed ones a ts; B/E pairs balance per track; returns the track names.
std::map<std::string, int> check_well_formed(const nlohmann::json& trace) {
    std::map<std::string, int> track_names;
    std::map<std::pair<int, int>, int> open_spans;
    for (const auto& event : trace.at("traceEvents")) {
        EXPECT_TRUE(event.contains("ph") && event.contains("pid") && event.contains("tid")) << event;
        const auto track = std::make_pair(event.at("pid").get<int>(), event.at("tid").get<int>());
        if (event["ph"] == "M" && event["name"] == "thread_name") {
            ++track_names[event["args"]["name"].get<std::string>()];
        }
        if (event["ph"] == "i" || event["ph"] == "B" || event["ph"] == "E") {
            EXPECT_TRUE(event.contains("ts")) << event;
        }
        if (event["ph"] == "B") {
            ++open_spans[track];
        } else if (event["ph"] == "E") {
            EXPECT_GT(open_spans[track]--, 0) << event;
        }
    }
    for (const auto& [track, open] : open_spans) {
        EXPECT_EQ(open, 0) << "pid " << track.first << " tid " << track.second;
    }
    return track_names;
}

std::uint64_t count_named(const nlohmann::json& trace, const std::string& phase, const std::string& name) {
    std::uint64_t count = 0;
    for (const auto& event : trace.at("traceEvents")) {
        if (event.at("ph") == phase && event.value("name", "") == name) {
            ++count;
        }
    }
    return count;
}

std::uint64_t metric(const nlohmann::json& metrics, const std::string& name) {
    // metrics.json: {"metrics": {name: value}} (deterministic part)
    const auto& values = metrics.at("metrics");
    return values.at(name).get<std::uint64_t>();
}

std::map<std::string, std::uint64_t> instants_by_kind(const nlohmann::json& trace) {
    std::map<std::string, std::uint64_t> counts;
    for (const auto& event : trace.at("traceEvents")) {
        if (event.at("ph") == "i") {
            const auto name = event.at("name").get<std::string>();
            ++counts[name.substr(0, name.find(' ')) +
                     (name.rfind("timer-expiry ", 0) == 0 ? name.substr(12) : "")];
        }
    }
    return counts;
}

// VCD: header, one $var per signal, and the number of 0->1 changes of one signal.
std::uint64_t rising_edges(const std::string& vcd, const std::string& scope, const std::string& name) {
    std::istringstream in(vcd);
    std::string line;
    std::string current_scope;
    std::string id;
    while (std::getline(in, line)) {
        std::istringstream words(line);
        std::string word;
        words >> word;
        if (word == "$scope") {
            std::string kind;
            words >> kind >> current_scope;
        } else if (word == "$var") {
            std::string type;
            std::string width;
            std::string code;
            std::string var;
            words >> type >> width >> code >> var;
            if (current_scope == scope && var == name) {
                id = code;
            }
        } else if (word == "$enddefinitions") {
            break;
        }
    }
    EXPECT_FALSE(id.empty()) << scope << "." << name;
    std::uint64_t edges = 0;
    bool in_dumpvars = false;
    while (std::getline(in, line)) {
        if (line == "$dumpvars") {
            in_dumpvars = true;
        } else if (line == "$end") {
            in_dumpvars = false;
        } else if (!in_dumpvars && line == "1" + id) {
            ++edges;
        }
    }
    return edges;
}

TEST(TraceOutput, LapicTimerStormCountsMatchMetrics) {
    TempDir dir;
    const auto run = run_traced_path(std::string(X86SIM_TEST_SCENARIOS) + "/lapic-timer-storm.yaml", dir);
    ASSERT_TRUE(run.trace.contains("traceEvents"));
    auto track_names = check_well_formed(run.trace);
    for (const char* track : {"cpu0", "cpu1", "cpu0 tasks", "timers", "ioapic", "msi", "ipi"}) {
        EXPECT_EQ(track_names[track], 1) << track;
    }
    const auto counts = instants_by_kind(run.trace);
    EXPECT_EQ(counts.at("irr-set"), metric(run.metrics, "irq.delivered"));
    EXPECT_EQ(counts.at("coalesced"), metric(run.metrics, "irq.coalesced"));
    EXPECT_EQ(counts.at("timer-expiry pit"), metric(run.metrics, "pit.fires"));
    EXPECT_EQ(counts.at("timer-expiry cpu0_lapic"), metric(run.metrics, "cpu0.lapic.timer.fires"));
    // No guest, no tasks: no sched_switch.
    EXPECT_EQ(counts.count("sched_switch"), 0U);

    ASSERT_EQ(run.vcd.rfind("$date", 0), 0U);
    EXPECT_NE(run.vcd.find("$timescale 1ps $end"), std::string::npos);
    EXPECT_NE(run.vcd.find("$enddefinitions $end"), std::string::npos);
    EXPECT_EQ(rising_edges(run.vcd, "pit", "out0"), metric(run.metrics, "pit.fires"));
    // INTR of CPU 0 rises once (IRR 0x30/0x40 pending, never acknowledged without a guest); CPU 1 never.
    EXPECT_EQ(rising_edges(run.vcd, "cpu0", "intr"), 1U);
    EXPECT_EQ(rising_edges(run.vcd, "cpu1", "intr"), 0U);
}

TEST(TraceOutput, MsixStormUnderTheGuestCountsMatchMetrics) {
    TempDir dir;
    const auto run = run_traced("storm-debug.yaml", dir);
    check_well_formed(run.trace);
    const auto counts = instants_by_kind(run.trace);
    EXPECT_EQ(counts.at("irr-set"), metric(run.metrics, "irq.delivered"));
    EXPECT_EQ(counts.at("coalesced"), metric(run.metrics, "irq.coalesced"));
    EXPECT_GT(counts.at("coalesced"), 0U);
    EXPECT_EQ(counts.at("sched_switch"), metric(run.metrics, "guest.switches"));
    // One handler span per guest handler entry on CPU 0, one hog.0 span (it never leaves CPU 0).
    std::uint64_t cpu0_handlers = 0;
    for (const auto& event : run.trace["traceEvents"]) {
        if (event["ph"] == "B" && event["pid"] == 1 && event["tid"] == 1) {
            ++cpu0_handlers;
        }
    }
    EXPECT_EQ(cpu0_handlers, metric(run.metrics, "cpu0.interrupts"));
    EXPECT_EQ(count_named(run.trace, "B", "hog.0"), 1U);
    EXPECT_EQ(count_named(run.trace, "B", "irq_handler vec=0x50"),
              metric(run.metrics, "storm0.fired") - metric(run.metrics, "irq.coalesced"));
    EXPECT_GT(rising_edges(run.vcd, "cpu0", "intr"), 0U);
}

TEST(TraceOutput, TaskSpansAndSchedSwitchMatchGuestSwitches) {
    TempDir dir;
    const auto scenario = dir.write("two-hogs.yaml", R"(name: two-hogs
seed: 3
duration: 30ms
platform: { cpus: 1, memory: 64MiB }
kernel:
  tick: { source: lapic, mode: tsc-deadline, hz: 1000 }
  sched: { lock: per-cpu, switch_ticks: 1 }
workload:
  - task: { name: hog, count: 2, run: cpu, burst: 1ms }
)");
    const auto run = run_traced_path(scenario, dir);
    auto track_names = check_well_formed(run.trace);
    EXPECT_EQ(track_names["cpu0 tasks"], 1);
    const auto switches = metric(run.metrics, "guest.switches");
    EXPECT_GT(switches, 10U); // a 1 ms slice in 20 ms after boot
    EXPECT_EQ(count_named(run.trace, "i", "sched_switch"), switches);
    // Spans alternate between the two hogs; idle is a gap, so every switch but the first from idle
    // ends one span and begins the next: switches = spans of hog.0 + spans of hog.1.
    EXPECT_EQ(count_named(run.trace, "B", "hog.0") + count_named(run.trace, "B", "hog.1"), switches);
    EXPECT_EQ(count_named(run.trace, "B", "idle"), 0U);
    std::string previous = "idle";
    for (const auto& event : run.trace["traceEvents"]) {
        if (event["ph"] == "i" && event["name"] == "sched_switch") {
            const auto& args = event["args"];
            EXPECT_EQ(args["prev_comm"], previous);
            EXPECT_NE(args["next_comm"], previous);
            EXPECT_EQ(args["next_pid"], args["next_comm"] == "hog.0" ? 1 : 2);
            previous = args["next_comm"].get<std::string>();
        }
    }
}

TEST(TraceOutput, DeterministicBytes) {
    TempDir first;
    TempDir second;
    const auto a = run_traced("lapic-timer-modes.yaml", first);
    const auto b = run_traced("lapic-timer-modes.yaml", second);
    EXPECT_EQ(a.trace_text, b.trace_text);
    EXPECT_EQ(a.vcd, b.vcd);
    const auto counts = instants_by_kind(a.trace);
    EXPECT_EQ(counts.at("coalesced"), metric(a.metrics, "irq.coalesced"));
    EXPECT_EQ(counts.at("irr-set"), metric(a.metrics, "irq.delivered"));
}

TEST(TraceOutput, UnknownFormatIsBadInput) {
    const auto result = run_x86sim(
        {"run", std::string(X86SIM_SCENARIOS) + "/storm-debug.yaml", "--trace", "perfetto,ftrace"});
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.err.find("--trace ftrace: unknown trace format (perfetto, vcd)"), std::string::npos);
}

} // namespace
} // namespace x86sim::test
