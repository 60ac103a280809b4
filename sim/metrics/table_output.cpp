#include "sim/metrics/table_output.h"

#include "sim/metrics/human_format.h"

#include <algorithm>
#include <ostream>
#include <set>
#include <string>

namespace x86sim::metrics {

void write_table(std::ostream& out, const Registry& registry, const std::vector<CheckResult>& expectations) {
    // Zero-valued metrics are left out of the human table (a platform reports hundreds of counters,
    // most of them zero) unless an expectation names them; metrics.json always has every one.
    std::set<std::string> expected;
    for (const CheckResult& check : expectations) {
        expected.insert(check.metric);
    }
    std::vector<FlatMetric> shown;
    std::size_t hidden = 0;
    for (FlatMetric& metric : registry.flatten()) {
        if (metric.value == 0 && expected.count(metric.name) == 0) {
            ++hidden;
        } else {
            shown.push_back(std::move(metric));
        }
    }
    std::size_t width = 6; // "metric"
    for (const FlatMetric& metric : shown) {
        width = std::max(width, metric.name.size());
    }
    out << "metric" << std::string(width + 2 - 6, ' ') << "value\n";
    for (const FlatMetric& metric : shown) {
        const std::string value = metric.integer && metric.unit == UnitKind::count
                                      ? format_count(*metric.integer)
                                      : format_value(metric.value, metric.unit);
        out << metric.name << std::string(width + 2 - metric.name.size(), ' ') << value << "\n";
    }
    if (hidden > 0) {
        out << "(" << hidden << " metrics are zero and not shown; --out DIR writes all of them)\n";
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
