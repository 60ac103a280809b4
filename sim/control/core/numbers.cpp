#include "sim/control/core/numbers.h"

#include <array>
#include <limits>
#include <utility>

namespace x86sim::control {

namespace {

int digit_value(char c, unsigned base) {
    int value = -1;
    if (c >= '0' && c <= '9') {
        value = c - '0';
    } else if (c >= 'a' && c <= 'f') {
        value = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
        value = c - 'A' + 10;
    }
    return value >= 0 && static_cast<unsigned>(value) < base ? value : -1;
}

std::optional<std::uint64_t> parse_digits(std::string_view digits, unsigned base) {
    if (digits.empty()) {
        return std::nullopt;
    }
    std::uint64_t value = 0;
    for (const char c : digits) {
        const int digit = digit_value(c, base);
        if (digit < 0) {
            return std::nullopt;
        }
        if (value > (std::numeric_limits<std::uint64_t>::max() - static_cast<unsigned>(digit)) / base) {
            return std::nullopt;
        }
        value = value * base + static_cast<unsigned>(digit);
    }
    return value;
}

} // namespace

std::optional<std::uint64_t> parse_number(std::string_view token) {
    if (token.size() > 2 && token[0] == '0' && (token[1] == 'x' || token[1] == 'X')) {
        return parse_digits(token.substr(2), 16);
    }
    return parse_digits(token, 10);
}

std::optional<std::uint64_t> parse_duration_ps(std::string_view token) {
    static constexpr std::array<std::pair<std::string_view, std::uint64_t>, 5> kUnits{{
        {"ps", 1ULL},
        {"ns", 1'000ULL},
        {"us", 1'000'000ULL},
        {"ms", 1'000'000'000ULL},
        {"s", 1'000'000'000'000ULL},
    }};
    std::uint64_t scale = 1'000; // plain numbers are nanoseconds
    for (const auto& [suffix, unit_ps] : kUnits) {
        if (token.size() > suffix.size() && token.substr(token.size() - suffix.size()) == suffix) {
            scale = unit_ps;
            token.remove_suffix(suffix.size());
            break;
        }
    }
    const auto dot = token.find('.');
    const auto whole = parse_digits(token.substr(0, dot), 10);
    if (!whole || *whole > std::numeric_limits<std::uint64_t>::max() / scale) {
        return std::nullopt;
    }
    std::uint64_t value = *whole * scale;
    if (dot != std::string_view::npos) {
        // Fraction digits: each one must land on a whole picosecond.
        const auto fraction = token.substr(dot + 1);
        if (fraction.empty()) {
            return std::nullopt;
        }
        std::uint64_t place = scale;
        for (const char c : fraction) {
            const int digit = digit_value(c, 10);
            if (digit < 0 || place % 10 != 0) {
                return std::nullopt;
            }
            place /= 10;
            const auto add = static_cast<std::uint64_t>(digit) * place;
            if (value > std::numeric_limits<std::uint64_t>::max() - add) {
                return std::nullopt;
            }
            value += add;
        }
    }
    return value;
}

} // namespace x86sim::control
