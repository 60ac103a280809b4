#include "sim/metrics/json_output.h"

#include <cmath>
#include <ostream>

namespace x86sim::metrics {
namespace {

// JSON has no NaN/inf; nlohmann would print null anyway, make it explicit.
nlohmann::ordered_json number(double value) {
    if (!std::isfinite(value)) {
        return nullptr;
    }
    return value;
}

nlohmann::ordered_json flat_value(const FlatMetric& metric) {
    if (metric.integer) {
        return *metric.integer;
    }
    return number(metric.value);
}

} // namespace

nlohmann::ordered_json metrics_json(const RunInfo& run, const Registry& registry,
                                    const std::vector<CheckResult>& expectations,
                                    const nlohmann::ordered_json& host) {
    nlohmann::ordered_json doc = nlohmann::ordered_json::object();
    doc["scenario"] = run.scenario;
    doc["variant"] = run.variant ? nlohmann::ordered_json(*run.variant) : nlohmann::ordered_json(nullptr);
    doc["seed"] = run.seed;

    nlohmann::ordered_json host_out = host.is_object() ? host : nlohmann::ordered_json::object();
    nlohmann::ordered_json metrics = nlohmann::ordered_json::object();
    for (const FlatMetric& metric : registry.flatten()) {
        if (metric.wall_clock) {
            host_out[metric.name] = flat_value(metric);
        } else {
            metrics[metric.name] = flat_value(metric);
        }
    }
    doc["metrics"] = std::move(metrics);

    nlohmann::ordered_json checks = nlohmann::ordered_json::array();
    for (const CheckResult& check : expectations) {
        nlohmann::ordered_json entry = nlohmann::ordered_json::object();
        entry["metric"] = check.metric;
        entry["op"] = check.op;
        if (check.expected.size() == 1) {
            entry["expected"] = number(check.expected[0]);
        } else {
            nlohmann::ordered_json values = nlohmann::ordered_json::array();
            for (double value : check.expected) {
                values.push_back(number(value));
            }
            entry["expected"] = std::move(values);
        }
        if (check.tolerance) {
            entry["tolerance"] = *check.tolerance;
        }
        entry["measured"] = check.measured ? number(*check.measured) : nlohmann::ordered_json(nullptr);
        entry["pass"] = check.pass;
        checks.push_back(std::move(entry));
    }
    doc["expectations"] = std::move(checks);
    doc["host"] = std::move(host_out);
    return doc;
}

void write_metrics_json(std::ostream& out, const RunInfo& run, const Registry& registry,
                        const std::vector<CheckResult>& expectations, const nlohmann::ordered_json& host) {
    // Replace invalid UTF-8 (names come from user files) instead of throwing.
    out << metrics_json(run, registry, expectations, host)
               .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
        << "\n";
}

} // namespace x86sim::metrics
