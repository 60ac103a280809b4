#include "sim/metrics/histogram.h"

#include <algorithm>

namespace x86sim::metrics {

void Histogram::add(std::uint64_t picoseconds) {
    if (!samples_.empty() && picoseconds < samples_.back()) {
        sorted_ = false;
    }
    samples_.push_back(picoseconds);
    sum_ += picoseconds;
}

void Histogram::sort() const {
    if (!sorted_) {
        std::sort(samples_.begin(), samples_.end());
        sorted_ = true;
    }
}

std::uint64_t Histogram::min_ps() const {
    if (samples_.empty()) {
        return 0;
    }
    sort();
    return samples_.front();
}

std::uint64_t Histogram::max_ps() const {
    if (samples_.empty()) {
        return 0;
    }
    sort();
    return samples_.back();
}

double Histogram::mean_ps() const {
    if (samples_.empty()) {
        return 0.0;
    }
    return static_cast<double>(sum_) / static_cast<double>(samples_.size());
}

std::uint64_t Histogram::percentile_ps(unsigned percent) const {
    if (samples_.empty()) {
        return 0;
    }
    if (percent > 100) {
        percent = 100;
    }
    sort();
    const std::uint64_t n = samples_.size();
    std::uint64_t rank = (static_cast<std::uint64_t>(percent) * n + 99) / 100; // ceil(p * n / 100)
    if (rank == 0) {
        rank = 1;
    }
    return samples_[rank - 1];
}

const std::vector<std::string_view>& Histogram::fields() {
    static const std::vector<std::string_view> names = {"count", "min", "mean", "p50", "p99", "max"};
    return names;
}

std::optional<double> Histogram::field(std::string_view name) const {
    constexpr double ps_per_second = 1e12;
    if (name == "count") {
        return static_cast<double>(count());
    }
    if (samples_.empty()) {
        return std::nullopt;
    }
    if (name == "min") {
        return static_cast<double>(min_ps()) / ps_per_second;
    }
    if (name == "max") {
        return static_cast<double>(max_ps()) / ps_per_second;
    }
    if (name == "mean") {
        return mean_ps() / ps_per_second;
    }
    if (name == "p50") {
        return static_cast<double>(percentile_ps(50)) / ps_per_second;
    }
    if (name == "p99") {
        return static_cast<double>(percentile_ps(99)) / ps_per_second;
    }
    return std::nullopt;
}

} // namespace x86sim::metrics
