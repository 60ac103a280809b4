// Numbers on a protocol line (design/CONTROL-PROTOCOL.md): addresses and values are `0x` hex or
// decimal; durations take a unit (ps, ns, us, ms, s) and a plain number is nanoseconds, as for qtest's
// clock_step. Nothing here throws: a malformed token is nullopt and the caller names it in its FAIL.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace x86sim::control {

// "0x1F", "0X1f", "31" -> 31. Empty, signs, junk, or overflow beyond 64 bits -> nullopt.
std::optional<std::uint64_t> parse_number(std::string_view token);

// "250", "250ns", "20us", "1.5ms", "2s", "100ps" -> picoseconds. Overflow or junk -> nullopt.
std::optional<std::uint64_t> parse_duration_ps(std::string_view token);

} // namespace x86sim::control
