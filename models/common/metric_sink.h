// How a model reports its counters without knowing the metrics registry in sim/ (dependencies point
// down). Names are relative; the platform prefixes them (e.g. "cpu0.lapic." + "timer.fires").
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace x86sim::models {

class MetricSink {
  public:
    virtual ~MetricSink() = default;
    virtual void counter(std::string_view name, std::uint64_t value) = 0;
    virtual void gauge(std::string_view name, double value) = 0;
    // One latency sample in picoseconds for a histogram metric.
    virtual void latency_sample(std::string_view name, std::uint64_t picoseconds) = 0;
    // Many samples of one histogram (a sink may look the name up once).
    virtual void latency_samples(std::string_view name, std::span<const std::uint64_t> picoseconds) {
        for (const auto sample : picoseconds) {
            latency_sample(name, sample);
        }
    }
};

} // namespace x86sim::models
