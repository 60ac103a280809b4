#include "sim/scenario/config.h"

#include <cstdio>

namespace x86sim::scenario {

std::string Bdf::to_string() const {
    char text[16];
    std::snprintf(text, sizeof text, "%02x:%02x.%x", bus, device, function);
    return text;
}

const std::string& device_name(const DeviceConfig& device) {
    return std::visit([](const auto& config) -> const std::string& { return config.name; }, device);
}

std::string_view device_kind(const DeviceConfig& device) {
    return std::holds_alternative<NvmeConfig>(device) ? "nvme" : "testdev";
}

const std::string& workload_name(const WorkloadEntry& entry) {
    return std::visit([](const auto& config) -> const std::string& { return config.name; }, entry);
}

std::string_view op_name(ExpectOp op) {
    switch (op) {
    case ExpectOp::eq:
        return "eq";
    case ExpectOp::ne:
        return "ne";
    case ExpectOp::lt:
        return "lt";
    case ExpectOp::le:
        return "le";
    case ExpectOp::gt:
        return "gt";
    case ExpectOp::ge:
        return "ge";
    case ExpectOp::approx:
        return "approx";
    case ExpectOp::between:
        return "between";
    }
    return "eq";
}

SourceLocation Config::where(std::string_view dotted_path) const {
    std::string path(dotted_path);
    while (true) {
        if (auto it = locations.find(path); it != locations.end()) {
            return it->second;
        }
        const auto dot = path.rfind('.');
        if (dot == std::string::npos) {
            break;
        }
        path.resize(dot);
    }
    if (auto it = locations.find(""); it != locations.end()) {
        return it->second;
    }
    return SourceLocation{};
}

} // namespace x86sim::scenario
