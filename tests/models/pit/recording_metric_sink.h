// A test fake MetricSink: keeps the last value reported for each counter and gauge.
#pragma once

#include "models/common/metric_sink.h"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace x86sim::test {

class RecordingMetricSink : public models::MetricSink {
  public:
    void counter(std::string_view name, std::uint64_t value) override { counters[std::string(name)] = value; }
    void gauge(std::string_view name, double value) override { gauges[std::string(name)] = value; }
    void latency_sample(std::string_view name, std::uint64_t picoseconds) override {
        latencies[std::string(name)] = picoseconds;
    }

    std::map<std::string, std::uint64_t> counters;
    std::map<std::string, double> gauges;
    std::map<std::string, std::uint64_t> latencies;
};

} // namespace x86sim::test
