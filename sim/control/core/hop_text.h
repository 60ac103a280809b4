// Names and JSON of interrupt-path hops for the debugger's replies and stop reports. (The models'
// to_string lives in the SystemC model library; this SystemC-free copy keeps sim/control/core fuzzable.)
#pragma once

#include "models/common/interrupt_path.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace x86sim::control {

const char* hop_kind_name(models::HopKind kind);

// One recorded hop: its place in the run (event and hop numbers) and the hop itself. `source` is copied.
struct HopRecord {
    std::uint64_t event = 0; // event number of the simulation event the hop belongs to
    std::uint64_t hop = 0;   // 1-based hop count since time zero
    std::uint64_t time_ps = 0;
    models::HopKind kind = models::HopKind::IrrSet;
    std::int32_t cpu = -1;
    std::int32_t vector = -1;
    std::string source;
    std::uint64_t detail = 0;
};

HopRecord make_record(const models::InterruptHop& hop, std::uint64_t event, std::uint64_t hop_number);
nlohmann::json to_json(const HopRecord& record);

} // namespace x86sim::control
