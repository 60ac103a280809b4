// A replayable position (design/CONTROL-PROTOCOL.md `save`/`load`/`back`): which scenario (file,
// variant, --set overrides, seed), the event number reached, and the journal of state-changing protocol
// commands with the position (event number, simulated time) at which each was applied. Re-executing the
// scenario from time zero and applying the journal at the same positions reaches the same state,
// because the simulation is deterministic (ARCHITECTURE.md "Time").
//
// File format: one JSON object, {"format": "x86sim-checkpoint", "version": 1, "scenario": PATH or null
// (null: the default platform of `x86sim serve` without FILE), "variant", "overrides", "seed", "event",
// "time_ps", "journal": [{"event", "time_ps", "line"}...], "breakpoints": [{"id", "command"}...]}.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace x86sim::control {

struct JournalEntry {
    std::uint64_t event = 0;
    std::uint64_t time_ps = 0;
    std::string line;
};

struct SavedBreakpoint {
    std::uint32_t id = 0;
    std::string command;
};

struct ScenarioSource {
    std::optional<std::string> path; // nullopt: the default platform
    std::optional<std::string> variant;
    std::vector<std::string> overrides;
    std::optional<std::uint64_t> seed;
};

struct Checkpoint {
    ScenarioSource source;
    std::uint64_t event = 0;
    std::uint64_t time_ps = 0;
    std::vector<JournalEntry> journal;
    std::vector<SavedBreakpoint> breakpoints;
};

nlohmann::json to_json(const Checkpoint& checkpoint);
// Throws std::runtime_error naming the first bad field.
Checkpoint checkpoint_from_json(const nlohmann::json& json);

} // namespace x86sim::control
