// Helpers for tests of SystemC models: run to an exact simulated time, read the time in ps.
#pragma once

#include <cstdint>

namespace x86sim::test {

// Current simulated time in picoseconds.
std::uint64_t now_ps();
// Runs the simulation up to `time_ps` (absolute) EXCLUSIVE: like sc_start, processes due exactly at
// `time_ps` have not run yet when it returns (at time_ps == now, one delta cycle runs).
void run_until_ps(std::uint64_t time_ps);
// Runs up to `time_ps` INCLUSIVE: also everything due at exactly `time_ps` (e.g. a timer expiring then).
void run_through_ps(std::uint64_t time_ps);
// Runs the simulation for `duration_ps` more picoseconds.
void run_for_ps(std::uint64_t duration_ps);

} // namespace x86sim::test
