// Helpers for tests of SystemC models: run to an exact simulated time, read the time in ps.
#pragma once

#include <cstdint>

namespace x86sim::test {

// Current simulated time in picoseconds.
std::uint64_t now_ps();
// Runs the simulation until exactly `time_ps` (absolute). Does nothing if already there.
void run_until_ps(std::uint64_t time_ps);
// Runs the simulation for `duration_ps` more picoseconds.
void run_for_ps(std::uint64_t duration_ps);

} // namespace x86sim::test
