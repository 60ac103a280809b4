// A clock domain converts between cycle counts and picoseconds exactly (ARCHITECTURE.md "Time").
//
// Cycle n of a clock at f Hz ends at ceil(n * 1e12 / f) ps, computed from n each time rather than by
// adding a rounded period, so nothing drifts: 1 193 182 PIT cycles are exactly one second. Conversions
// round so that cycles_in(duration_of(n)) == n for every n.
#pragma once

#include <cstdint>
#include <string>

namespace x86sim::models {

class ClockDomain {
  public:
    ClockDomain() = default;
    ClockDomain(std::string name, std::uint64_t hz);

    const std::string& name() const { return name_; }
    std::uint64_t hz() const { return hz_; }

    // Picoseconds taken by `cycles` cycles (rounded up to the next picosecond).
    // Inline: every CPU cost and timer read converts, several times per simulated interrupt.
    std::uint64_t duration_of(std::uint64_t cycles) const {
        // ceil(cycles * num / den) with the reduced fraction while it fits in 64 bits (the 128-bit
        // division is a slow library call).
        std::uint64_t product = 0;
        if (!__builtin_mul_overflow(cycles, ps_num_, &product) && product <= ~std::uint64_t{0} - ps_den_) {
            return (product + ps_den_ - 1) / ps_den_;
        }
        return duration_of_wide(cycles);
    }
    // Whole cycles completed within `picoseconds` (rounded down).
    std::uint64_t cycles_in(std::uint64_t picoseconds) const {
        std::uint64_t product = 0;
        if (!__builtin_mul_overflow(picoseconds, ps_den_, &product)) {
            return product / ps_num_;
        }
        return cycles_in_wide(picoseconds);
    }

  private:
    // The same conversions in 128-bit arithmetic, for products beyond 64 bits.
    std::uint64_t duration_of_wide(std::uint64_t cycles) const;
    std::uint64_t cycles_in_wide(std::uint64_t picoseconds) const;

    std::string name_;
    std::uint64_t hz_ = 1;
    // 1e12 / hz_ as the reduced fraction ps_num_ / ps_den_ (3 GHz: 1000 / 3), so that conversions
    // multiply small numbers and stay in 64 bits for any realistic time; the same results as the full
    // 128-bit form, which remains the fallback.
    std::uint64_t ps_num_ = 1'000'000'000'000ULL; // the default 1 Hz clock: 1e12 / 1
    std::uint64_t ps_den_ = 1;
};

} // namespace x86sim::models
