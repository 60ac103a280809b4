// muldiv.h - a * b / c without overflow (time and frequency conversions).
#pragma once

#include <cstdint>

namespace kut {

__extension__ typedef unsigned __int128 u128;

// floor(a * b / c); 0 when c is 0.
inline std::uint64_t mul_div(std::uint64_t a, std::uint64_t b, std::uint64_t c) {
    return c == 0 ? 0 : static_cast<std::uint64_t>(static_cast<u128>(a) * b / c);
}
// round(a * b / c); 0 when c is 0.
inline std::uint64_t mul_div_round(std::uint64_t a, std::uint64_t b, std::uint64_t c) {
    return c == 0 ? 0 : static_cast<std::uint64_t>((static_cast<u128>(a) * b + c / 2) / c);
}

} // namespace kut
