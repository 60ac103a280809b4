// The metrics of one run. Models report into it through models::MetricSink (the platform prefixes
// their relative names); the CLI reads it back through value() and the writers.
#pragma once

#include "models/common/metric_sink.h"
#include "sim/metrics/histogram.h"
#include "sim/metrics/unit_kind.h"

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace x86sim::metrics {

// One reportable number after flattening (histogram "x" becomes "x.count", "x.min", ... "x.max").
struct FlatMetric {
    std::string name;
    double value = 0;
    // Counters and histogram counts are integers and are written to JSON as such.
    std::optional<std::uint64_t> integer;
    UnitKind unit = UnitKind::count;
    // Wall-clock dependent (sim.wall_s, sim.speed): kept out of the deterministic part of metrics.json.
    bool wall_clock = false;
};

class Registry final : public models::MetricSink {
  public:
    // MetricSink. A name holds one kind of metric; reporting a different kind under an existing name
    // replaces it (the last report wins, as for counter()).
    void counter(std::string_view name, std::uint64_t value) override; // sets the counter
    void gauge(std::string_view name, double value) override;
    void latency_sample(std::string_view name, std::uint64_t picoseconds) override;
    void latency_samples(std::string_view name, std::span<const std::uint64_t> picoseconds) override;

    // Adds to a counter (creating it at 0).
    void add(std::string_view name, std::uint64_t delta = 1);

    // For hot paths that report one name many times: the metric looked up once. A Slot stays valid until
    // clear(); the add/sample through it behave exactly as add()/latency_sample() by name.
    class Slot {
      public:
        void add(std::uint64_t delta);
        void sample(std::uint64_t picoseconds);

      private:
        friend class Registry;
        explicit Slot(void* metric) : metric_(metric) {}
        void* metric_;
    };
    Slot slot(std::string_view name);
    // Overrides the unit the catalog gives `name` (for metrics not in the catalog).
    void set_unit(std::string_view name, UnitKind unit);

    // Value of a flat name: a counter or gauge by its own name, a histogram field as "name.p99" etc.
    // (seconds, count as a number). nullopt when the run did not produce it.
    std::optional<double> value(std::string_view name) const;
    std::optional<std::uint64_t> counter_value(std::string_view name) const;
    const Histogram* histogram(std::string_view name) const;

    // Unit of a flat name: explicit set_unit, else the catalog's, else count (histogram fields:
    // seconds, ".count": count).
    UnitKind unit_of(std::string_view flat_name) const;

    // Every flat metric sorted by name (byte order), i.e. the order of metrics.json and the table.
    std::vector<FlatMetric> flatten() const;

    bool empty() const { return metrics_.empty(); }
    void clear();

  private:
    using Metric = std::variant<std::uint64_t, double, Histogram>;
    std::map<std::string, Metric, std::less<>> metrics_;
    std::map<std::string, UnitKind, std::less<>> units_;
};

} // namespace x86sim::metrics
