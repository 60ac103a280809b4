#include "sim/control/core/checkpoint.h"

#include <stdexcept>

namespace x86sim::control {

namespace {

constexpr const char* kFormat = "x86sim-checkpoint";

const nlohmann::json& field(const nlohmann::json& object, const char* name) {
    if (!object.is_object() || !object.contains(name)) {
        throw std::runtime_error(std::string("missing field '") + name + "'");
    }
    return object.at(name);
}

std::uint64_t unsigned_field(const nlohmann::json& object, const char* name) {
    const auto& value = field(object, name);
    if (!value.is_number_unsigned()) {
        throw std::runtime_error(std::string("field '") + name + "' must be a non-negative integer");
    }
    return value.get<std::uint64_t>();
}

std::string string_field(const nlohmann::json& object, const char* name) {
    const auto& value = field(object, name);
    if (!value.is_string()) {
        throw std::runtime_error(std::string("field '") + name + "' must be a string");
    }
    return value.get<std::string>();
}

} // namespace

nlohmann::json to_json(const Checkpoint& checkpoint) {
    nlohmann::json json;
    json["format"] = kFormat;
    json["version"] = 1;
    const auto& source = checkpoint.source;
    json["scenario"] = source.path ? nlohmann::json(*source.path) : nlohmann::json(nullptr);
    json["variant"] = source.variant ? nlohmann::json(*source.variant) : nlohmann::json(nullptr);
    json["overrides"] = source.overrides;
    json["seed"] = source.seed ? nlohmann::json(*source.seed) : nlohmann::json(nullptr);
    json["event"] = checkpoint.event;
    json["time_ps"] = checkpoint.time_ps;
    json["journal"] = nlohmann::json::array();
    for (const auto& entry : checkpoint.journal) {
        json["journal"].push_back({{"event", entry.event}, {"time_ps", entry.time_ps}, {"line", entry.line}});
    }
    json["breakpoints"] = nlohmann::json::array();
    for (const auto& breakpoint : checkpoint.breakpoints) {
        json["breakpoints"].push_back({{"id", breakpoint.id}, {"command", breakpoint.command}});
    }
    return json;
}

Checkpoint checkpoint_from_json(const nlohmann::json& json) {
    if (!json.is_object() || !json.contains("format") || json["format"] != kFormat) {
        throw std::runtime_error("not an x86sim checkpoint (no \"format\": \"x86sim-checkpoint\")");
    }
    if (unsigned_field(json, "version") != 1) {
        throw std::runtime_error("unsupported checkpoint version " + field(json, "version").dump());
    }
    Checkpoint checkpoint;
    auto& source = checkpoint.source;
    if (!field(json, "scenario").is_null()) {
        source.path = string_field(json, "scenario");
    }
    if (json.contains("variant") && !json["variant"].is_null()) {
        source.variant = string_field(json, "variant");
    }
    if (json.contains("overrides")) {
        const auto& overrides = json["overrides"];
        if (!overrides.is_array()) {
            throw std::runtime_error("field 'overrides' must be an array of strings");
        }
        for (const auto& entry : overrides) {
            if (!entry.is_string()) {
                throw std::runtime_error("field 'overrides' must be an array of strings");
            }
            source.overrides.push_back(entry.get<std::string>());
        }
    }
    if (json.contains("seed") && !json["seed"].is_null()) {
        source.seed = unsigned_field(json, "seed");
    }
    checkpoint.event = unsigned_field(json, "event");
    checkpoint.time_ps = unsigned_field(json, "time_ps");
    const auto& journal = field(json, "journal");
    if (!journal.is_array()) {
        throw std::runtime_error("field 'journal' must be an array");
    }
    for (const auto& entry : journal) {
        checkpoint.journal.push_back(
            {unsigned_field(entry, "event"), unsigned_field(entry, "time_ps"), string_field(entry, "line")});
    }
    if (json.contains("breakpoints")) {
        const auto& breakpoints = json["breakpoints"];
        if (!breakpoints.is_array()) {
            throw std::runtime_error("field 'breakpoints' must be an array");
        }
        for (const auto& entry : breakpoints) {
            const auto id = unsigned_field(entry, "id");
            if (id == 0 || id > UINT32_MAX) {
                throw std::runtime_error("breakpoint id out of range");
            }
            checkpoint.breakpoints.push_back(
                {static_cast<std::uint32_t>(id), string_field(entry, "command")});
        }
    }
    return checkpoint;
}

} // namespace x86sim::control
