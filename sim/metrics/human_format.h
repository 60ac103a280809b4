// Numbers for humans: the metrics table, expectation lines and error messages. Machine output
// (metrics.json) never goes through these.
#pragma once

#include "sim/metrics/unit_kind.h"

#include <cstdint>
#include <string>

namespace x86sim::metrics {

// 1234567 -> "1,234,567".
std::string format_count(std::uint64_t value);

// Exact, shortest decimal in the largest unit that keeps the value >= 1 (ps, ns, us, ms, s):
// 1'500'000'000 -> "1.5 ms", 250'000 -> "250 ns", 0 -> "0 s". At most 3 decimals (rounded half up).
std::string format_time_ps(std::uint64_t picoseconds);

// Exact: 14'318'180 -> "14.31818 MHz", 3'000'000'000 -> "3 GHz", 148 -> "148 Hz".
std::string format_hz(std::uint64_t hertz);

// Binary units, at most 2 decimals: 4096 -> "4 KiB", 1536 -> "1.5 KiB", 512 -> "512 B".
std::string format_bytes(std::uint64_t bytes);

// Table style for a measured value of the given kind, with fixed significant digits so columns read
// evenly: seconds "1.50 ms", hz "999.7 Hz", bytes "4.0 KiB", ratio "95.3 %", count "1,234" (or
// "12.345" when not whole), per_second "1,234.5 /s", bytes_per_second "1.2 GiB/s".
std::string format_value(double value, UnitKind kind);

} // namespace x86sim::metrics
