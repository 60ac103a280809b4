#include "sim/metrics/registry.h"

#include "sim/metrics/catalog.h"

namespace x86sim::metrics {

void Registry::counter(std::string_view name, std::uint64_t value) {
    auto it = metrics_.find(name);
    if (it == metrics_.end()) {
        metrics_.emplace(std::string(name), value);
    } else {
        it->second = value;
    }
}

void Registry::add(std::string_view name, std::uint64_t delta) {
    auto it = metrics_.find(name);
    if (it != metrics_.end()) {
        if (auto* existing = std::get_if<std::uint64_t>(&it->second)) {
            *existing += delta;
            return;
        }
        it->second = delta;
        return;
    }
    metrics_.emplace(std::string(name), delta);
}

Registry::Slot Registry::slot(std::string_view name) {
    auto it = metrics_.find(name);
    if (it == metrics_.end()) {
        it = metrics_.emplace(std::string(name), std::uint64_t{0}).first;
    }
    return Slot(&it->second);
}

void Registry::Slot::add(std::uint64_t delta) {
    auto& metric = *static_cast<Metric*>(metric_);
    if (auto* existing = std::get_if<std::uint64_t>(&metric)) {
        *existing += delta;
    } else {
        metric = delta;
    }
}

void Registry::Slot::sample(std::uint64_t picoseconds) {
    auto& metric = *static_cast<Metric*>(metric_);
    if (!std::holds_alternative<Histogram>(metric)) {
        metric = Histogram{};
    }
    std::get<Histogram>(metric).add(picoseconds);
}

void Registry::gauge(std::string_view name, double value) {
    auto it = metrics_.find(name);
    if (it == metrics_.end()) {
        metrics_.emplace(std::string(name), value);
    } else {
        it->second = value;
    }
}

void Registry::latency_sample(std::string_view name, std::uint64_t picoseconds) {
    auto it = metrics_.find(name);
    if (it == metrics_.end()) {
        it = metrics_.emplace(std::string(name), Histogram{}).first;
    } else if (!std::holds_alternative<Histogram>(it->second)) {
        it->second = Histogram{};
    }
    std::get<Histogram>(it->second).add(picoseconds);
}

void Registry::latency_samples(std::string_view name, std::span<const std::uint64_t> picoseconds) {
    if (picoseconds.empty()) {
        return;
    }
    auto it = metrics_.find(name);
    if (it == metrics_.end()) {
        it = metrics_.emplace(std::string(name), Histogram{}).first;
    } else if (!std::holds_alternative<Histogram>(it->second)) {
        it->second = Histogram{};
    }
    auto& histogram = std::get<Histogram>(it->second);
    for (const auto sample : picoseconds) {
        histogram.add(sample);
    }
}

void Registry::set_unit(std::string_view name, UnitKind unit) {
    units_[std::string(name)] = unit;
}

std::optional<double> Registry::value(std::string_view name) const {
    if (auto it = metrics_.find(name); it != metrics_.end()) {
        if (const auto* count = std::get_if<std::uint64_t>(&it->second)) {
            return static_cast<double>(*count);
        }
        if (const auto* gauge_value = std::get_if<double>(&it->second)) {
            return *gauge_value;
        }
        return std::nullopt; // a histogram has no value of its own, only fields
    }
    const auto dot = name.rfind('.');
    if (dot == std::string_view::npos) {
        return std::nullopt;
    }
    if (const Histogram* hist = histogram(name.substr(0, dot))) {
        return hist->field(name.substr(dot + 1));
    }
    return std::nullopt;
}

std::optional<std::uint64_t> Registry::counter_value(std::string_view name) const {
    if (auto it = metrics_.find(name); it != metrics_.end()) {
        if (const auto* count = std::get_if<std::uint64_t>(&it->second)) {
            return *count;
        }
    }
    return std::nullopt;
}

const Histogram* Registry::histogram(std::string_view name) const {
    if (auto it = metrics_.find(name); it != metrics_.end()) {
        return std::get_if<Histogram>(&it->second);
    }
    return nullptr;
}

UnitKind Registry::unit_of(std::string_view flat_name) const {
    if (auto it = units_.find(flat_name); it != units_.end()) {
        return it->second;
    }
    if (auto match = match_metric(flat_name)) {
        return match->unit;
    }
    const auto dot = flat_name.rfind('.');
    if (dot != std::string_view::npos && histogram(flat_name.substr(0, dot)) != nullptr) {
        return flat_name.substr(dot + 1) == "count" ? UnitKind::count : UnitKind::seconds;
    }
    return UnitKind::count;
}

std::vector<FlatMetric> Registry::flatten() const {
    std::map<std::string, FlatMetric> flat;
    for (const auto& [name, metric] : metrics_) {
        if (const auto* count = std::get_if<std::uint64_t>(&metric)) {
            flat[name] = FlatMetric{name, static_cast<double>(*count), *count, UnitKind::count, false};
        } else if (const auto* gauge_value = std::get_if<double>(&metric)) {
            flat[name] = FlatMetric{name, *gauge_value, std::nullopt, UnitKind::count, false};
        } else {
            const auto& hist = std::get<Histogram>(metric);
            for (std::string_view field : Histogram::fields()) {
                auto field_value = hist.field(field);
                if (!field_value) {
                    continue; // an empty histogram reports only its count
                }
                std::string full = name + "." + std::string(field);
                std::optional<std::uint64_t> integer;
                if (field == "count") {
                    integer = hist.count();
                }
                flat[full] = FlatMetric{full, *field_value, integer, UnitKind::count, false};
            }
        }
    }
    std::vector<FlatMetric> result;
    result.reserve(flat.size());
    for (auto& [name, metric] : flat) {
        // One catalog match per name gives both the unit (unless the producer declared one) and the
        // wall-clock flag.
        const auto match = match_metric(name);
        if (match) {
            metric.wall_clock = match->row->wall_clock;
        }
        metric.unit = units_.contains(name) || !match ? unit_of(name) : match->unit;
        result.push_back(std::move(metric));
    }
    return result;
}

void Registry::clear() {
    metrics_.clear();
    units_.clear();
}

} // namespace x86sim::metrics
