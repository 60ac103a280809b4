// A latency histogram that keeps every sample, so percentiles are exact rather than bucketed: the
// scenarios compare p99 values across kernel configurations and a bucket edge would hide the change.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace x86sim::metrics {

// 128-bit sum so the mean of any number of 64-bit samples cannot overflow (__extension__: -Wpedantic).
__extension__ typedef unsigned __int128 HistogramSum;

class Histogram {
  public:
    void add(std::uint64_t picoseconds);

    std::uint64_t count() const { return static_cast<std::uint64_t>(samples_.size()); }
    bool empty() const { return samples_.empty(); }
    std::uint64_t min_ps() const;
    std::uint64_t max_ps() const;
    double mean_ps() const;

    // Nearest-rank percentile: with the n samples sorted ascending x[1] <= ... <= x[n], the p-th
    // percentile (0 <= p <= 100) is x[max(1, ceil(p * n / 100))]. It is always one of the recorded
    // samples (no interpolation), p100 is the max and p0 the min. Integer arithmetic only.
    // 0 when there are no samples.
    std::uint64_t percentile_ps(unsigned percent) const;

    // The flattened fields a histogram "name" exposes as "name.<field>", in report order.
    static const std::vector<std::string_view>& fields();
    // Value of one field: count as a number, every other field in seconds. nullopt for an unknown
    // field or (except count) for an empty histogram.
    std::optional<double> field(std::string_view name) const;

  private:
    void sort() const;

    mutable std::vector<std::uint64_t> samples_;
    mutable bool sorted_ = true;
    HistogramSum sum_ = 0;
};

} // namespace x86sim::metrics
