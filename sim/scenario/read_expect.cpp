#include "sim/metrics/catalog.h"
#include "sim/metrics/did_you_mean.h"
#include "sim/scenario/config_reader.h"

#include <algorithm>
#include <cmath>

namespace x86sim::scenario::detail {
namespace {

struct OpName {
    std::string_view name;
    ExpectOp op;
};
constexpr OpName ops[] = {{"eq", ExpectOp::eq},         {"ne", ExpectOp::ne},          {"lt", ExpectOp::lt},
                          {"le", ExpectOp::le},         {"gt", ExpectOp::gt},          {"ge", ExpectOp::ge},
                          {"approx", ExpectOp::approx}, {"between", ExpectOp::between}};

std::optional<QuantityValue> read_quantity(Reader& r, const YamlNode& node, const std::string& path) {
    if (!node.is_scalar()) {
        r.error(node.where,
                path + ": expected a number or a unit value (e.g. 1000, \"1.5ms\"), got " + describe(node));
        return std::nullopt;
    }
    try {
        return parse_quantity(node.scalar);
    } catch (const UnitError& error) {
        r.error(node.where, path + ": " + error.what());
        return std::nullopt;
    }
}

std::optional<Tolerance> read_tolerance(Reader& r, const YamlNode& node, const std::string& path) {
    if (!node.is_scalar()) {
        r.error(node.where,
                path + ": expected an absolute value or a percentage (\"1%\"), got " + describe(node));
        return std::nullopt;
    }
    Tolerance tolerance;
    tolerance.text = node.scalar;
    std::string text = node.scalar;
    if (!text.empty() && text.back() == '%') {
        tolerance.percent = true;
        text.pop_back();
        while (!text.empty() && text.back() == ' ') {
            text.pop_back();
        }
    }
    try {
        const QuantityValue value = parse_quantity(text);
        if (tolerance.percent && value.quantity != Quantity::number) {
            throw UnitError("a percentage must be a plain number, got '" + node.scalar + "'");
        }
        if (value.value < 0) {
            throw UnitError("a tolerance cannot be negative");
        }
        tolerance.value = value.value;
    } catch (const UnitError& error) {
        r.error(node.where, path + ": " + error.what());
        return std::nullopt;
    }
    return tolerance;
}

std::string_view quantity_name(Quantity quantity) {
    switch (quantity) {
    case Quantity::time:
        return "a time";
    case Quantity::frequency:
        return "a frequency";
    case Quantity::size:
        return "a size";
    case Quantity::number:
        break;
    }
    return "a number";
}

bool compatible(Quantity quantity, metrics::UnitKind unit) {
    using metrics::UnitKind;
    switch (quantity) {
    case Quantity::number:
        return true;
    case Quantity::time:
        return unit == UnitKind::seconds;
    case Quantity::frequency:
        return unit == UnitKind::hz || unit == UnitKind::per_second;
    case Quantity::size:
        return unit == UnitKind::bytes || unit == UnitKind::bytes_per_second;
    }
    return false;
}

} // namespace

void read_expectations(Reader& r, const YamlNode& node, std::vector<Expectation>& out) {
    if (node.is_null()) {
        return;
    }
    if (!node.is_sequence()) {
        r.error(node.where, "expect: expected a list, got " + describe(node));
        return;
    }
    std::vector<std::string> op_names;
    for (const OpName& op : ops) {
        op_names.emplace_back(op.name);
    }
    for (std::size_t i = 0; i < node.items.size(); ++i) {
        const std::string path = "expect." + std::to_string(i);
        const YamlNode& item = *node.items[i];
        r.locate(path, item.where);
        MapView m(r, item, path,
                  {"metric", "eq", "ne", "lt", "le", "gt", "ge", "approx", "between", "tolerance"});
        if (!m.is_map()) {
            continue;
        }
        Expectation expectation;
        expectation.where = item.where;
        if (m.require("metric")) {
            m.string("metric", expectation.metric);
        }
        std::vector<const OpName*> present;
        for (const OpName& op : ops) {
            if (m.has(op.name)) {
                present.push_back(&op);
            }
        }
        if (present.size() != 1) {
            r.error(item.where,
                    path + ": each expectation needs exactly one operator (" + allowed_list(op_names) + ")");
            continue;
        }
        expectation.op = present[0]->op;
        const std::string op_path = m.path(present[0]->name);
        const YamlNode& value = *m.get(present[0]->name);
        if (m.has("tolerance") && expectation.op != ExpectOp::approx) {
            r.error(m.key_where("tolerance"), m.path("tolerance") + ": only applies to 'approx'");
        }
        if (expectation.op == ExpectOp::between) {
            if (!value.is_sequence() || value.items.size() != 2) {
                r.error(value.where, op_path + ": expected [low, high], got " + describe(value));
                continue;
            }
            auto low = read_quantity(r, *value.items[0], op_path + ".0");
            auto high = read_quantity(r, *value.items[1], op_path + ".1");
            if (!low || !high) {
                continue;
            }
            if (low->value > high->value) {
                r.error(value.where, op_path + ": low bound is above the high bound");
            }
            if (low->quantity != high->quantity) {
                r.error(value.where, op_path + ": both bounds must be written in the same kind of unit");
            }
            expectation.value = low->value;
            expectation.high = high->value;
            expectation.quantity = low->quantity;
            expectation.expected_text = "[" + value.items[0]->scalar + ", " + value.items[1]->scalar + "]";
        } else {
            auto quantity = read_quantity(r, value, op_path);
            if (!quantity) {
                continue;
            }
            expectation.value = quantity->value;
            expectation.quantity = quantity->quantity;
            expectation.expected_text = value.scalar;
            if (expectation.op == ExpectOp::approx) {
                expectation.tolerance = Tolerance{1.0, true, "1%"};
                if (const YamlNode* tolerance = m.get("tolerance")) {
                    if (auto parsed = read_tolerance(r, *tolerance, m.path("tolerance"))) {
                        expectation.tolerance = *parsed;
                    }
                }
                expectation.expected_text += " ± " + expectation.tolerance.text;
            }
        }
        out.push_back(std::move(expectation));
    }
}

void check_expectation_metrics(Reader& r, const Config& config) {
    metrics::Instances instances;
    instances.cpus = config.platform.cpus;
    instances.timeline_entries = static_cast<unsigned>(config.timeline.size());
    instances.timeline_entries = static_cast<unsigned>(config.timeline.size());
    for (const DeviceConfig& device : config.platform.devices) {
        instances.devices.push_back(device_name(device));
    }
    for (const WorkloadEntry& entry : config.workload) {
        instances.workloads.push_back(workload_name(entry));
    }
    for (std::size_t i = 0; i < config.expect.size(); ++i) {
        const Expectation& expectation = config.expect[i];
        const std::string path = "expect." + std::to_string(i) + ".metric";
        const SourceLocation where = config.where(path);
        auto match = metrics::match_metric(expectation.metric);
        std::string problem;
        if (match) {
            for (const auto& [placeholder, text] : match->captures) {
                if (placeholder == "dev" && std::find(instances.devices.begin(), instances.devices.end(),
                                                      text) == instances.devices.end()) {
                    problem = "'" + text + "' is not a device in platform.devices";
                } else if (placeholder == "name" &&
                           std::find(instances.workloads.begin(), instances.workloads.end(), text) ==
                               instances.workloads.end()) {
                    problem = "'" + text + "' is not a workload entry name";
                } else if (placeholder == "N" && std::stoull(text) >= config.platform.cpus) {
                    problem = "the platform has " + std::to_string(config.platform.cpus) +
                              " CPU(s), numbered from 0";
                } else if (placeholder == "C" && std::stoull(text) > 2) {
                    problem = "the PIT has channels 0, 1 and 2";
                } else if (placeholder == "I") {
                    const auto entry = std::stoull(text);
                    if (entry >= config.timeline.size()) {
                        problem = "the timeline has " + std::to_string(config.timeline.size()) +
                                  " entries, numbered from 0";
                    } else if (!std::holds_alternative<MemReadAction>(config.timeline[entry].action) &&
                               !std::holds_alternative<RdmsrAction>(config.timeline[entry].action) &&
                               !std::holds_alternative<PortInAction>(config.timeline[entry].action)) {
                        problem = "timeline entry " + text + " is not a read, rdmsr or in action";
                    }
                }
            }
        }
        if (!match || !problem.empty()) {
            std::string message = path + ": unknown metric '" + expectation.metric + "'";
            if (!problem.empty()) {
                message += " (" + problem + ")";
            }
            if (auto best = metrics::suggest_metric(expectation.metric, instances)) {
                message += "; did you mean '" + *best + "'?";
            }
            r.error(where, message);
            continue;
        }
        if (!compatible(expectation.quantity, match->unit)) {
            r.error(config.where("expect." + std::to_string(i)),
                    "expect." + std::to_string(i) + ": metric '" + expectation.metric + "' is in " +
                        std::string(metrics::unit_kind_name(match->unit)) + " but the expected value is " +
                        std::string(quantity_name(expectation.quantity)));
        }
    }
}

} // namespace x86sim::scenario::detail
