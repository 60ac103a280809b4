// Puts a component's prefix in front of the relative metric names a model reports
// ("timer.fires" from CPU 0's LAPIC becomes "cpu0.lapic.timer.fires").
#pragma once

#include "models/common/metric_sink.h"

#include <string>

namespace x86sim::sim {

class PrefixedSink : public models::MetricSink {
  public:
    PrefixedSink(models::MetricSink& target, std::string prefix)
        : target_(target), prefix_(std::move(prefix)) {}
    void counter(std::string_view name, std::uint64_t value) override { target_.counter(full(name), value); }
    void gauge(std::string_view name, double value) override { target_.gauge(full(name), value); }
    void latency_sample(std::string_view name, std::uint64_t picoseconds) override {
        target_.latency_sample(full(name), picoseconds);
    }
    void latency_samples(std::string_view name, std::span<const std::uint64_t> picoseconds) override {
        target_.latency_samples(full(name), picoseconds);
    }

  private:
    std::string full(std::string_view name) const { return prefix_ + std::string(name); }
    models::MetricSink& target_;
    std::string prefix_;
};

} // namespace x86sim::sim
