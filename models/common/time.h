// Simulated time helpers. x86sim runs SystemC with a 1 ps resolution (ARCHITECTURE.md "Time"), so an
// sc_time's raw value is a count of picoseconds and can be built and read without floating point.
#pragma once

#include <cstdint>
#include <systemc>

namespace x86sim::models {

inline constexpr std::uint64_t kPicosecondsPerSecond = 1'000'000'000'000ULL;

// Sets the 1 ps time resolution. Must run before the first sc_time is built; calling it again is a no-op.
void ensure_time_resolution();

inline sc_core::sc_time from_ps(std::uint64_t picoseconds) {
    return sc_core::sc_time::from_value(picoseconds);
}
inline std::uint64_t to_ps(const sc_core::sc_time& time) {
    return time.value();
}
inline std::uint64_t now_ps() {
    return sc_core::sc_time_stamp().value();
}

} // namespace x86sim::models
