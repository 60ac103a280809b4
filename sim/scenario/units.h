// Exact parsing of the unit strings scenarios use. Integer arithmetic only: "1.5ms" is exactly
// 1'500'000'000 ps, and a value that is not a whole number of the base unit is an error rather than
// a rounding. Every parser throws UnitError with a message ready for a diagnostic.
//
//   times        ps ns us µs ms s min h        plain integer = picoseconds           -> ps
//   frequencies  Hz kHz MHz GHz                plain integer = Hz; fractional Hz is an error -> Hz
//   sizes        B KiB MiB GiB TiB (binary), KB MB GB TB (decimal)   plain integer = bytes -> bytes
//   rates        as frequencies (events per second)                                  -> 1/s
//
// Syntax: digits, optional "." and decimals, optional spaces, unit (case-sensitive). Plain integers
// (and integers before a unit) may be hexadecimal "0x...". No sign: negative values are errors.
#pragma once

#include "sim/metrics/human_format.h"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace x86sim::scenario {

class UnitError : public std::invalid_argument {
  public:
    using std::invalid_argument::invalid_argument;
};

std::uint64_t parse_time_ps(std::string_view text);
std::uint64_t parse_frequency_hz(std::string_view text);
std::uint64_t parse_size_bytes(std::string_view text);
std::uint64_t parse_rate_per_s(std::string_view text);
// A plain unsigned integer, decimal or 0x hex, no unit.
std::uint64_t parse_uint(std::string_view text);

// What kind of quantity a unit suffix denotes (for expectation values such as "lt: 1.5ms").
enum class Quantity { number, time, frequency, size };
struct QuantityValue {
    Quantity quantity = Quantity::number;
    double value = 0; // seconds for times, Hz for frequencies, bytes for sizes
};
// A signed decimal number ("-12.5", "1e3") or an unsigned unit string ("1.5ms", "1kHz", "4KiB").
QuantityValue parse_quantity(std::string_view text);

// Human formatting (shared with the metrics table).
using metrics::format_bytes;
using metrics::format_hz;
using metrics::format_time_ps;

} // namespace x86sim::scenario
