#include "sim/metrics/table_output.h"

#include "sim/metrics/human_format.h"

#include <algorithm>
#include <ostream>
#include <string>

namespace x86sim::metrics {

void write_table(std::ostream& out, const Registry& registry, const std::vector<CheckResult>& expectations) {
    const auto metrics = registry.flatten();
    std::size_t width = 6; // "metric"
    for (const FlatMetric& metric : metrics) {
        width = std::max(width, metric.name.size());
    }
    out << "metric" << std::string(width + 2 - 6, ' ') << "value\n";
    for (const FlatMetric& metric : metrics) {
        const std::string value = metric.integer && metric.unit == UnitKind::count
                                      ? format_count(*metric.integer)
                                      : format_value(metric.value, metric.unit);
        out << metric.name << std::string(width + 2 - metric.name.size(), ' ') << value << "\n";
    }
    if (!expectations.empty()) {
        out << "\n";
        write_expectations(out, expectations);
    }
}

void write_expectations(std::ostream& out, const std::vector<CheckResult>& expectations) {
    for (const CheckResult& check : expectations) {
        out << (check.pass ? "PASS  " : "FAIL  ") << check.description << "\n";
    }
}

} // namespace x86sim::metrics
